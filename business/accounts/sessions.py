"""Signed-in state of business users on the two channels.

PC: the Django session stores the business user's id under keys of its own, apart
from ``django.contrib.auth``'s keys, which stay for Wagtail admin accounts. Idle
sessions end through ``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``; this
module adds the absolute lifetime ``SESSION_ABSOLUTE_SECONDS``.

Mobile: a random bearer token sent in ``Authorization: Bearer <token>``. Only its SM3
hash is stored, so a leaked database copy gives no usable tokens.

Both channels write an ``OnlineSession`` row at sign-in. A session or token stays
valid only while its row exists, which makes sessions enumerable (the user's own
list, the security administrator's list in the Wagtail admin) and lets anyone
entitled end one by deleting its row.
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

from .models import AccessToken, BusinessUser, LoginLog, OnlineSession

logger = logging.getLogger(__name__)

SESSION_USER_KEY = "_business_user_id"
SESSION_AUTH_HASH_KEY = "_business_user_hash"
SESSION_STARTED_KEY = "_business_session_started"
SESSION_RECORD_KEY = "_business_online_session"

# 32 random bytes, URL-safe base64 encoded to 43 characters.
TOKEN_BYTES = 32
# last_used_at is written at most once per this many seconds, so a busy client does
# not update its token row on every request. Idle expiry is therefore up to this
# much later than ACCESS_TOKEN_IDLE_SECONDS.
TOKEN_TOUCH_INTERVAL_SECONDS = 60
# The same for last_seen_at of online sessions on the PC channel.
SESSION_TOUCH_INTERVAL_SECONDS = 60
USER_AGENT_MAX_LENGTH = OnlineSession._meta.get_field("user_agent").max_length


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
    now = timezone.now()
    record = _record_online_session(request, user, LoginLog.Channel.PC, now=now)
    session[SESSION_USER_KEY] = user.pk
    session[SESSION_AUTH_HASH_KEY] = session_auth_hash(user)
    session[SESSION_STARTED_KEY] = now.timestamp()
    session[SESSION_RECORD_KEY] = record.pk
    request.business_user = user
    request.online_session = record


def refresh_session(request, user: BusinessUser) -> None:
    """Keep the current session valid after its user's password changed."""
    request.session.cycle_key()
    request.session[SESSION_AUTH_HASH_KEY] = session_auth_hash(user)
    request.business_user = user


def end_session(request) -> None:
    """Delete the whole session, including an admin sign-in in the same browser."""
    record_id = request.session.get(SESSION_RECORD_KEY)
    if record_id is not None:
        OnlineSession.objects.filter(pk=record_id).delete()
    request.session.flush()
    request.business_user = None
    request.online_session = None


def session_user(request) -> BusinessUser | None:
    """Return the business user of the request's session, ending the session if invalid.

    A session ends when it is older than ``SESSION_ABSOLUTE_SECONDS``, when its
    online-session record was deleted, when its user or the user's organisation is
    gone or disabled, and when the user's password changed since sign-in. Sets
    ``request.online_session`` for a valid session.
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
        OnlineSession.objects.filter(pk=session.get(SESSION_RECORD_KEY)).delete()
        session.flush()
        return None

    record = (
        OnlineSession.objects.select_related("user", "user__organisation")
        .filter(
            pk=session.get(SESSION_RECORD_KEY),
            user_id=session[SESSION_USER_KEY],
            channel=LoginLog.Channel.PC,
        )
        .first()
    )
    if record is None:
        # Signed out elsewhere ("sign out this one", forced logout by the security
        # administrator, password reset), or a session from before the records.
        logger.info(
            "Ended the session of business user %s: its online-session record is gone",
            session.get(SESSION_USER_KEY),
        )
        session.flush()
        return None

    user = record.user
    stored_hash = session.get(SESSION_AUTH_HASH_KEY, "")
    usable = user.is_active and user.organisation.is_active
    if not usable or not hmac.compare_digest(stored_hash, session_auth_hash(user)):
        logger.info(
            "Ended the session of business user %s: user or organisation disabled, "
            "or password changed",
            user.pk,
        )
        record.delete()
        session.flush()
        return None

    _touch(record, timezone.now())
    request.online_session = record
    return user


# --- Mobile channel: bearer tokens ----------------------------------------------------


def _token_hash(raw_token: str) -> str:
    return sm3.hexdigest(force_bytes(raw_token))


def issue_token(user: BusinessUser, request=None) -> str:
    """Create a bearer token for ``user`` and return it. It cannot be read back later.

    ``request`` (the sign-in request) gives the address and user agent shown in the
    list of online sessions.
    """
    raw_token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    token = AccessToken.objects.create(
        user=user,
        token_hash=_token_hash(raw_token),
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.ACCESS_TOKEN_LIFETIME_SECONDS),
        last_used_at=now,
    )
    _record_online_session(request, user, LoginLog.Channel.MOBILE, now=now, access_token=token)
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
        AccessToken.objects.select_related("user", "user__organisation", "online_session")
        .filter(token_hash=_token_hash(raw_token))
        .first()
    )
    if token is None:
        return None
    if not hasattr(token, "online_session"):
        # Issued before online sessions were recorded; it cannot be listed or ended
        # by anyone, so it is not accepted.
        logger.info("Deleted an unrecorded access token of business user %s", token.user_id)
        token.delete()
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
        token.online_session.last_seen_at = now
        OnlineSession.objects.filter(pk=token.online_session.pk).update(last_seen_at=now)
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


# --- Online-session records -------------------------------------------------------------


def _record_online_session(
    request, user: BusinessUser, channel: str, *, now, access_token: AccessToken | None = None
) -> OnlineSession:
    from .services import client_address

    address = client_address(request) if request is not None else None
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return OnlineSession.objects.create(
        user=user,
        channel=channel,
        access_token=access_token,
        ip_address=address,
        user_agent=user_agent[:USER_AGENT_MAX_LENGTH],
        started_at=now,
        last_seen_at=now,
        authenticated_at=now,
    )


def _touch(record: OnlineSession, now: datetime.datetime) -> None:
    touch_after = record.last_seen_at + datetime.timedelta(seconds=SESSION_TOUCH_INTERVAL_SECONDS)
    if touch_after <= now:
        record.last_seen_at = now
        OnlineSession.objects.filter(pk=record.pk).update(last_seen_at=now)


def active_sessions(queryset=None):
    """Return the online sessions that have not timed out, newest activity first.

    PC sessions count until their idle timeout or absolute lifetime; mobile ones until
    their token's expiry. Rows past that are left for ``delete_stale_sessions``.
    """
    now = timezone.now()
    queryset = OnlineSession.objects.all() if queryset is None else queryset
    idle_cutoff = now - datetime.timedelta(
        seconds=settings.SESSION_COOKIE_AGE + SESSION_TOUCH_INTERVAL_SECONDS
    )
    started_cutoff = now - datetime.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    token_idle_cutoff = now - datetime.timedelta(seconds=settings.ACCESS_TOKEN_IDLE_SECONDS)
    pc = Q(
        channel=LoginLog.Channel.PC,
        last_seen_at__gt=idle_cutoff,
        started_at__gt=started_cutoff,
    )
    mobile = Q(
        channel=LoginLog.Channel.MOBILE,
        access_token__expires_at__gt=now,
        access_token__last_used_at__gt=token_idle_cutoff,
    )
    return (
        queryset.filter(pc | mobile)
        .select_related("user", "user__organisation")
        .order_by("-last_seen_at", "-pk")
    )


def end_online_session(record: OnlineSession) -> None:
    """Sign out the device of one online session at its next request.

    A mobile token is deleted with it. A PC session finds its record gone at its next
    request and flushes itself.
    """
    if record.access_token_id is not None:
        AccessToken.objects.filter(pk=record.access_token_id).delete()
    OnlineSession.objects.filter(pk=record.pk).delete()


def end_all_sessions(user: BusinessUser, keep: OnlineSession | None = None) -> int:
    """End every online session and token of ``user`` except ``keep``; return how many."""
    records = OnlineSession.objects.filter(user=user)
    tokens = AccessToken.objects.filter(user=user)
    if keep is not None:
        records = records.exclude(pk=keep.pk)
        if keep.access_token_id is not None:
            tokens = tokens.exclude(pk=keep.access_token_id)
    count = records.count()
    tokens.delete()
    records.delete()
    return count


def current_online_session(request) -> OnlineSession | None:
    """Return the online-session record of the request's sign-in, or None."""
    record = getattr(request, "online_session", None)
    if record is not None:
        return record
    token = getattr(request, "access_token", None)
    if token is not None:
        return getattr(token, "online_session", None)
    return None


def delete_stale_sessions() -> int:
    """Delete online-session rows past their timeouts and return how many."""
    stale = OnlineSession.objects.exclude(pk__in=active_sessions().values("pk"))
    deleted, _ = stale.delete()
    return deleted
