"""GraphQL documents the account tests send, as the frontend would."""

USER_FIELDS = "user { username displayName organisationName mustChangePassword }"

LOGIN = f"""
mutation Login($username: String!, $password: String!, $channel: LoginChannel!) {{
  login(username: $username, password: $password, channel: $channel) {{
    errors {{ field message code }}
    {USER_FIELDS}
    token
  }}
}}
"""

LOGOUT = "mutation { logout { errors { field message code } } }"

CHANGE_PASSWORD = f"""
mutation Change($old: String!, $new: String!) {{
  changePassword(oldPassword: $old, newPassword: $new) {{
    errors {{ field message code }}
    {USER_FIELDS}
  }}
}}
"""

ME = "{ me { username displayName organisationName mustChangePassword } }"
