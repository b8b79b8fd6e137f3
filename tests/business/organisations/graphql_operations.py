"""GraphQL documents the registration tests send, as the frontend would."""

ERRORS = "errors { field message code }"

REGISTRATION_FIELDS = """
  id enterpriseName creditCode divisionCode divisionName address contactName
  contactPhoneMasked username licenceContentType status reviewComment reviewedAt createdAt
"""

REGISTER = f"""
mutation Register($input: EnterpriseRegistrationInput!, $licence: String!, $fileName: String!) {{
  registerEnterprise(input: $input, businessLicenceBase64: $licence,
                     businessLicenceFileName: $fileName) {{
    {ERRORS}
    registrationId
  }}
}}
"""

PENDING = f"""
query Pending($first: Int, $offset: Int) {{
  pendingRegistrations(first: $first, offset: $offset) {{
    totalCount
    items {{ {REGISTRATION_FIELDS} }}
  }}
}}
"""

APPROVE = f"""
mutation Approve($id: ID!, $comment: String) {{
  approveRegistration(id: $id, comment: $comment) {{
    {ERRORS}
    initialPassword
    registration {{ id status reviewComment }}
  }}
}}
"""

REJECT = f"""
mutation Reject($id: ID!, $comment: String!) {{
  rejectRegistration(id: $id, comment: $comment) {{
    {ERRORS}
    registration {{ id status reviewComment }}
  }}
}}
"""

LOGIN = """
mutation Login($username: String!, $password: String!, $channel: LoginChannel!) {
  login(username: $username, password: $password, channel: $channel) {
    errors { field message code }
    user { username organisationName mustChangePassword }
  }
}
"""
