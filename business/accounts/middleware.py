"""Set ``request.business_user`` from a bearer token or the session.

Must come after SessionMiddleware and AuthenticationMiddleware in ``MIDDLEWARE``.
"""

from django.contrib.auth.models import AnonymousUser

from . import sessions
from .models import LoginLog


def bearer_credentials(request) -> str | None:
    """Return the token of an ``Authorization: Bearer`` header, or None without one.

    A bearer header with an empty or malformed token returns "", which no token matches.
    """
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


async def _anonymous_user():
    return AnonymousUser()


class BusinessUserMiddleware:
    """Authenticate business users: bearer token (mobile) first, else the session (PC).

    Sets ``request.business_user`` (a BusinessUser or None), ``request.business_channel``
    (a ``LoginLog.Channel`` value), ``request.access_token`` (the AccessToken row of
    a bearer request, else None) and ``request.online_session`` (the OnlineSession
    record of the sign-in, else None).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.business_user = None
        request.access_token = None
        request.online_session = None

        raw_token = bearer_credentials(request)
        if raw_token is None:
            request.business_channel = LoginLog.Channel.PC
            request.business_user = sessions.session_user(request)
            return self.get_response(request)

        request.business_channel = LoginLog.Channel.MOBILE
        # A bearer request is authenticated by its header alone. The session cookie
        # is ignored, for business users here and for admin accounts by resetting
        # request.user. Browsers add cookies to cross-site requests but never an
        # Authorization header, unless a script sets it after a CORS preflight that
        # this site (which sends no CORS headers) does not grant. A forged request
        # therefore cannot carry a valid token, so CSRF checks are skipped for it.
        # NOTE: _dont_enforce_csrf_checks is Django's internal switch, read by
        # CsrfViewMiddleware.process_view (Django 5.2); process_view runs after this.
        request._dont_enforce_csrf_checks = True
        request.user = AnonymousUser()
        request.auser = _anonymous_user

        token = sessions.authenticate_token(raw_token)
        if token is not None:
            request.access_token = token
            request.business_user = token.user
            request.online_session = token.online_session
        return self.get_response(request)
