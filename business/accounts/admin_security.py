"""Sign-in security of the admin accounts (``auth.User``) of the Wagtail admin.

- ``AdminLockoutBackend`` replaces Django's ModelBackend: the same lockout as business
  users (``LOGIN_MAX_FAILURES`` wrong passwords lock the account for
  ``LOGIN_LOCKOUT_MINUTES``, and a locked account is refused even with the right
  password), and an audit event for every attempt. It looks users up in ``auth.User``
  only, so a business user cannot sign in at /admin/.
- ``AdminSecondFactorMiddleware`` adds a TOTP step after the password for admin
  accounts with a confirmed TOTP secret, or for every admin account when
  ``ADMIN_REQUIRE_TOTP`` is on. Until the code is entered, every /admin/ page redirects
  to the code page and other paths see an anonymous user.
"""

import datetime
import logging

import pyotp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from business.audit import services as audit
from business.audit.models import AuditEvent

from . import second_factor
from .models import AdminSecurityState

logger = logging.getLogger(__name__)

SESSION_VERIFIED_KEY = "_admin_second_factor_user"


def admin_actor(user, name: str = "") -> audit.Actor:
    return audit.Actor(
        table=AuditEvent.ActorTable.ADMIN,
        id=user.pk if user is not None else "",
        name=user.get_username() if user is not None else name[:150],
    )


def _request_info(request) -> audit.RequestInfo:
    if request is None:
        return audit.SYSTEM_REQUEST
    return audit.request_info_from(request, AuditEvent.Channel.ADMIN)


def security_state(user) -> AdminSecurityState:
    state, _ = AdminSecurityState.objects.get_or_create(user=user)
    return state


# --- Lockout --------------------------------------------------------------------------


class AdminLockoutBackend(ModelBackend):
    """ModelBackend with the platform's lockout and audit events for admin accounts."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if not username or password is None:
            return None
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            # Hash anyway, so the time taken does not reveal that the name is unknown.
            user_model().set_password(password)
            self._record(request, None, username, "unknown_user")
            return None

        password_correct = user.check_password(password)
        with transaction.atomic():
            state, _ = AdminSecurityState.objects.select_for_update().get_or_create(user=user)
            now = timezone.now()
            if state.locked_until is not None and state.locked_until <= now:
                state.locked_until = None
                state.failed_login_count = 0
            if state.is_locked(now):
                reason = "account_locked"
            elif not password_correct:
                state.failed_login_count += 1
                reason = "wrong_password"
                if state.failed_login_count >= settings.LOGIN_MAX_FAILURES:
                    state.locked_until = now + datetime.timedelta(
                        minutes=settings.LOGIN_LOCKOUT_MINUTES
                    )
                    reason = "lockout_started"
                    logger.warning(
                        "Locked admin account %s until %s after %d failed password checks",
                        user.pk,
                        state.locked_until.isoformat(),
                        state.failed_login_count,
                    )
            elif not self.user_can_authenticate(user):
                reason = "inactive_user"
            else:
                reason = ""
                state.failed_login_count = 0
                state.locked_until = None
            state.save(update_fields=["failed_login_count", "locked_until"])
            self._record(request, user, username, reason)

        if reason:
            logger.info("Rejected an admin sign-in of account %s: %s", user.pk, reason)
            return None
        logger.info("Admin account %s passed the password check", user.pk)
        return user

    @staticmethod
    def _record(request, user, username: str, reason: str) -> None:
        audit.record_event(
            "admin.login",
            actor=admin_actor(user, username),
            request_info=_request_info(request),
            result=AuditEvent.Result.FAILURE if reason else AuditEvent.Result.SUCCESS,
            reason=reason,
            object_type="admin_user",
            object_id=user.pk if user is not None else "",
        )


def unlock_admin(user) -> None:
    """End an admin account's lockout before its time."""
    AdminSecurityState.objects.filter(user=user).update(failed_login_count=0, locked_until=None)
    audit.record_event(
        "admin.unlock",
        actor=audit.SYSTEM_ACTOR,
        request_info=audit.SYSTEM_REQUEST,
        object_type="admin_user",
        object_id=user.pk,
    )


# --- TOTP -----------------------------------------------------------------------------


def has_confirmed_totp(user) -> bool:
    return AdminSecurityState.objects.filter(
        user=user, totp_confirmed_at__isnull=False, totp_secret__isnull=False
    ).exists()


def verify_admin_totp(user, code: str) -> bool:
    """Check an admin's TOTP code; each code works once."""
    state = AdminSecurityState.objects.filter(user=user, totp_confirmed_at__isnull=False).first()
    if state is None or not state.totp_secret:
        return False
    step = second_factor.matching_step(state.totp_secret, code)
    if step is None:
        return False
    updated = AdminSecurityState.objects.filter(
        pk=state.pk, totp_last_used_step__lt=step
    ).update(totp_last_used_step=step)
    return updated == 1


def start_admin_enrolment(user) -> second_factor.Enrolment:
    """Give an admin a new, unconfirmed TOTP secret, unless one is confirmed already."""
    state = security_state(user)
    if state.totp_confirmed_at is None or not state.totp_secret:
        state.totp_secret = state.totp_secret or pyotp.random_base32()
        state.totp_confirmed_at = None
        state.save(update_fields=["totp_secret", "totp_confirmed_at"])
    uri = second_factor.otpauth_uri(state.totp_secret, f"admin:{user.get_username()}")
    return second_factor.Enrolment(
        secret=state.totp_secret, otpauth_uri=uri, qr_data_url=second_factor.qr_data_url(uri)
    )


def confirm_admin_enrolment(request, user, code: str) -> bool:
    state = security_state(user)
    if not state.totp_secret or state.totp_confirmed_at is not None:
        return False
    step = second_factor.matching_step(state.totp_secret, code)
    if step is None:
        return False
    with transaction.atomic():
        state.totp_confirmed_at = timezone.now()
        state.totp_last_used_step = step
        state.save(update_fields=["totp_confirmed_at", "totp_last_used_step"])
        audit.record_event(
            "admin.second_factor.enrol",
            actor=admin_actor(user),
            request_info=_request_info(request),
            object_type="admin_user",
            object_id=user.pk,
        )
    mark_verified(request, user)
    return True


def reset_admin_totp(user, request=None, actor=None) -> None:
    """Remove an admin account's TOTP secret (lost phone); it may enrol again."""
    with transaction.atomic():
        AdminSecurityState.objects.filter(user=user).update(
            totp_secret=None, totp_confirmed_at=None, totp_last_used_step=0
        )
        audit.record_event(
            "admin.second_factor.reset",
            actor=actor or audit.SYSTEM_ACTOR,
            request_info=_request_info(request),
            object_type="admin_user",
            object_id=user.pk,
        )


def mark_verified(request, user) -> None:
    request.session[SESSION_VERIFIED_KEY] = user.pk


@receiver(user_logged_in)
def _forget_verification(sender, request, user, **kwargs):
    # A new password sign-in always needs its own second step.
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_VERIFIED_KEY, None)


def safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class AdminSecondFactorMiddleware:
    """Hold an admin account at the TOTP step until it gives a right code.

    Must come after AuthenticationMiddleware. Only requests of sessions with a
    Django sign-in are looked at, so business requests cost nothing extra.
    """

    # The pages an admin may open before the second step.
    ALLOWED_URL_NAMES = ("accounts_admin_second_factor", "accounts_admin_totp_setup", "wagtailadmin_logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is None or "_auth_user_id" not in session:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)

        needs_code = has_confirmed_totp(user)
        needs_enrolment = not needs_code and settings.ADMIN_REQUIRE_TOTP
        verified = session.get(SESSION_VERIFIED_KEY) == user.pk
        if verified or not (needs_code or needs_enrolment):
            return self.get_response(request)

        admin_prefix = reverse("wagtailadmin_home")
        allowed = {reverse(name) for name in self.ALLOWED_URL_NAMES}
        if request.path in allowed:
            return self.get_response(request)
        if request.path.startswith(admin_prefix):
            target = "accounts_admin_second_factor" if needs_code else "accounts_admin_totp_setup"
            return HttpResponseRedirect(f"{reverse(target)}?next={request.path}")
        # Elsewhere (GraphQL, previews) the account counts as signed out until verified.
        request.user = AnonymousUser()
        request.auser = _anonymous_user
        return self.get_response(request)


async def _anonymous_user():
    return AnonymousUser()
