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

LOGIN_WITH_CAPTCHA = f"""
mutation Login($username: String!, $password: String!, $channel: LoginChannel!,
               $captchaId: String, $captchaAnswer: String) {{
  login(username: $username, password: $password, channel: $channel,
        captchaId: $captchaId, captchaAnswer: $captchaAnswer) {{
    errors {{ field message code }}
    {USER_FIELDS}
    token
    captchaRequired
    secondFactorRequired
    challenge
    secondFactorMethods
  }}
}}
"""

CAPTCHA = "{ captcha { id image } }"

VERIFY_SECOND_FACTOR = f"""
mutation Verify($challenge: String!, $method: AuthenticationMethod!, $code: String!) {{
  verifyLoginSecondFactor(challenge: $challenge, method: $method, code: $code) {{
    errors {{ field message code }}
    {USER_FIELDS}
    token
  }}
}}
"""

SEND_LOGIN_CODE = """
mutation Send($challenge: String!, $method: CodeChannel!) {
  sendLoginCode(challenge: $challenge, method: $method) { errors { field message code } destination }
}
"""

REAUTHENTICATE = """
mutation Reauth($method: AuthenticationMethod!, $secret: String!) {
  reauthenticate(method: $method, secret: $secret) { errors { field message code } validMinutes }
}
"""

START_TOTP = """
mutation { startTotpEnrolment { errors { field message code } secret otpauthUri qrCode } }
"""

CONFIRM_TOTP = """
mutation Confirm($code: String!) {
  confirmTotpEnrolment(code: $code) { errors { field message code } recoveryCodes }
}
"""

DISABLE_TOTP = "mutation { disableTotp { errors { field message code } } }"

ACCOUNT_SECURITY = """
{ accountSecurity { totpEnabled recoveryCodesRemaining phone email messageSecondFactor
                    stepUpMethods recentlyAuthenticated } }
"""

REQUEST_RECOVERY = """
mutation Recover($username: String!, $channel: CodeChannel!, $captchaId: String!,
                 $captchaAnswer: String!) {
  requestPasswordRecovery(username: $username, channel: $channel, captchaId: $captchaId,
                          captchaAnswer: $captchaAnswer) {
    errors { field message code } recoveryId message
  }
}
"""

RESET_WITH_CODE = """
mutation Reset($recoveryId: String!, $code: String!, $newPassword: String!) {
  resetPasswordWithCode(recoveryId: $recoveryId, code: $code, newPassword: $newPassword) {
    errors { field message code }
  }
}
"""

MY_SESSIONS = """
{ myOnlineSessions { totalCount items { id channel ipAddress userAgent startedAt lastSeenAt current } } }
"""

END_SESSION = """
mutation End($id: ID!) { endOnlineSession(id: $id) { errors { field message code } } }
"""

END_OTHER_SESSIONS = "mutation { endOtherOnlineSessions { errors { field message code } ended } }"

REQUEST_CONTACT = """
mutation Contact($channel: CodeChannel!, $value: String!) {
  requestContactVerification(channel: $channel, value: $value) {
    errors { field message code } verificationId destination
  }
}
"""

CONFIRM_CONTACT = """
mutation ConfirmContact($id: String!, $code: String!) {
  confirmContactVerification(verificationId: $id, code: $code) { errors { field message code } }
}
"""
