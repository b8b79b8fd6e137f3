"""Signed-in state of business users on the two channels.

PC: the Django session stores the business user's id under keys of its own, apart
from ``django.contrib.auth``'s keys, which stay for Wagtail admin accounts. Idle
sessions end through ``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``; this
module adds the absolute lifetime ``SESSION_ABSOLUTE_SECONDS``.

Mobile: a random bearer token sent in ``Authorization: Bearer <token>``. Only its SM3
hash is stored, so a leaked database copy gives no usable tokens.
"""

import datetime
import hmac
import logging
import secrets

from django.conf import settings
from django.db.models import Q
from django.middleware.csrf import rotate_token
from django.utils import timezone
from django.utils.encoding import force_bytes

from business.core.crypto import sm3

from .models import AccessToken, BusinessUser

logger = logging.getLogger(__name__)

SESSION_USER_KEY = "_business_user_id"
SESSION_AUTH_HASH_KEY = "_business_user_hash"
SESSION_STARTED_KEY = "_business_session_started"

# 32 random bytes, URL-safe base64 encoded to 43 characters.
TOKEN_BYTES = 32
# last_used_at is written at most once per this many seconds, so a busy client does
# not update its token row on every request. Idle expiry is therefore up to this
# much later than ACCESS_TOKEN_IDLE_SECONDS.
TOKEN_TOUCH_INTERVAL_SECONDS = 60


def session_auth_hash(user: BusinessUser) -> str:
    """Return an HMAC-SM3 of the password hash, stored in the session.

    When the password changes (or is reset), the stored value no longer matches and
    every other session of the user ends at its next request.
    """
    key = sm3.digest(force_bytes("business.accounts.session:" + settings.SECRET_KEY))
    return sm3.hmac_sm3(key, force_bytes(user.password)).hex()


# --- PC channel: Django sessions ------------------------------------------------------


def start_session(request, user: BusinessUser) -> None:
    """Sign ``user`` in on the request's session, under a new session key.

    Cycling the key stops session fixation: a key planted before sign-in is useless
    afterwards. The CSRF token is replaced too, as Django's own sign-in does.
    """
    session = request.session
    session.cycle_key()
    rotate_token(request)
    session[SESSION_USER_KEY] = user.pk
    session[SESSION_AUTH_HASH_KEY] = session_auth_hash(user)
    session[SESSION_STARTED_KEY] = timezone.now().timestamp()
    request.business_user = user


def refresh_session(request, user: BusinessUser) -> None:
    """Keep the current session valid after its user's password changed."""
    request.session.cycle_key()
    request.session[SESSION_AUTH_HASH_KEY] = session_auth_hash(user)
    request.business_user = user


def end_session(request) -> None:
    """Delete the whole session, including an admin sign-in in the same browser."""
    request.session.flush()
    request.business_user = None


def session_user(request) -> BusinessUser | None:
    """Return the business user of the request's session, ending the session if invalid.

    A session ends when it is older than ``SESSION_ABSOLUTE_SECONDS``, when its user
    or the user's organisation is gone or disabled, and when the user's password
    changed since sign-in.
    """
    session = getattr(request, "session", None)
    if session is None or SESSION_USER_KEY not in session:
        return None

    started = session.get(SESSION_STARTED_KEY)
    age = timezone.now().timestamp() - started if started is not None else None
    if age is None or age > settings.SESSION_ABSOLUTE_SECONDS:
        logger.info(
            "Ended the session of business user %s: absolute lifetime reached",
            session.get(SESSION_USER_KEY),
        )
        session.flush()
        return None

    user = (
        BusinessUser.objects.select_related("organisation")
        .filter(pk=session[SESSION_USER_KEY], is_active=True, organisation__is_active=True)
        .first()
    )
    stored_hash = session.get(SESSION_AUTH_HASH_KEY, "")
    if user is None or not hmac.compare_digest(stored_hash, session_auth_hash(user)):
        logger.info(
            "Ended the session of business user %s: user or organisation disabled, "
            "or password changed",
            session.get(SESSION_USER_KEY),
        )
        session.flush()
        return None
    return user


# --- Mobile channel: bearer tokens ----------------------------------------------------


def _token_hash(raw_token: str) -> str:
    return sm3.hexdigest(force_bytes(raw_token))


def issue_token(user: BusinessUser) -> str:
    """Create a bearer token for ``user`` and return it. It cannot be read back later."""
    raw_token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    AccessToken.objects.create(
        user=user,
        token_hash=_token_hash(raw_token),
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.ACCESS_TOKEN_LIFETIME_SECONDS),
        last_used_at=now,
    )
    return raw_token


def token_expired(token: AccessToken, now: datetime.datetime) -> bool:
    idle_limit = token.last_used_at + datetime.timedelta(
        seconds=settings.ACCESS_TOKEN_IDLE_SECONDS
    )
    return token.expires_at <= now or idle_limit <= now


def authenticate_token(raw_token: str) -> AccessToken | None:
    """Return the valid token row for ``raw_token``, or None.

    An expired token is deleted. A token of a disabled user or organisation is
    refused but kept, so it works again if re-enabled before it expires.
    """
    if not raw_token:
        return None
    token = (
        AccessToken.objects.select_related("user", "user__organisation")
        .filter(token_hash=_token_hash(raw_token))
        .first()
    )
    if token is None:
        return None

    now = timezone.now()
    if token_expired(token, now):
        logger.info("Deleted an expired access token of business user %s", token.user_id)
        token.delete()
        return None
    if not token.user.is_active or not token.user.organisation.is_active:
        return None

    touch_after = token.last_used_at + datetime.timedelta(seconds=TOKEN_TOUCH_INTERVAL_SECONDS)
    if touch_after <= now:
        token.last_used_at = now
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke_token(token: AccessToken) -> None:
    AccessToken.objects.filter(pk=token.pk).delete()


def delete_expired_tokens() -> int:
    """Delete the tokens past their absolute or idle expiry and return how many."""
    now = timezone.now()
    idle_cutoff = now - datetime.timedelta(seconds=settings.ACCESS_TOKEN_IDLE_SECONDS)
    expired = Q(expires_at__lte=now) | Q(last_used_at__lte=idle_cutoff)
    deleted, _ = AccessToken.objects.filter(expired).delete()
    return deleted
