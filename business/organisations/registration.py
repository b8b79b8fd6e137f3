"""Enterprise self-registration and its review by the regulator of the enterprise's division.

An anonymous visitor submits a registration with the business-licence scan. A
business user with the ``registrations.review`` permission, of a regulator whose
division contains the registration's county (its own division and every division
below it), lists, approves or rejects it.
Approval creates the enterprise ``Organisation`` and its first ``BusinessUser`` in
one transaction. Every other business user is refused with ``RegistrationForbidden``.

The accounts service creates users only from a plain password, so approval sets a
random one-time initial password that must be changed at first sign-in. The
reviewer receives it once, in the approval result, and passes it to the contact
person. The password chosen at registration is checked against the password
policy and stored only as a hash.
"""

import logging
import secrets
import string
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from business.access.builtin_roles import assign_builtin_role
from business.access.models import DataScope
from business.access.scope import require_permission
from business.accounts import services as accounts
from business.accounts.models import BusinessUser
from business.audit import services as audit
from business.core import ratelimit
from business.core.api.errors import PublicError
from business.core.validators import normalise_mobile_number, validate_mobile_number
from business.reference.models import Division, DivisionLevel

from . import credit_code as credit_codes
from . import uploads
from .models import EnterpriseRegistration, Organisation

logger = logging.getLogger(__name__)

# Submissions accepted per client address per window, counting rejected ones too, so
# that the duplicate checks cannot be used to enumerate names and codes quickly. The
# settings REGISTRATION_RATE_LIMIT and REGISTRATION_RATE_WINDOW_SECONDS override both.
DEFAULT_RATE_LIMIT = 10
DEFAULT_RATE_WINDOW_SECONDS = 3600
RATE_LIMITED_MESSAGE = "提交注册申请过于频繁，请稍后再试。"

INITIAL_PASSWORD_LENGTH = 16
REVIEW_COMMENT_MAX_LENGTH = 500

_NAME_MAX_LENGTH = EnterpriseRegistration._meta.get_field("enterprise_name").max_length
_ADDRESS_MAX_LENGTH = EnterpriseRegistration._meta.get_field("address").max_length
_CONTACT_NAME_MAX_LENGTH = EnterpriseRegistration._meta.get_field("contact_name").max_length

FieldProblem = accounts.FieldProblem


class RegistrationError(Exception):
    """Rejected input. Each entry of ``errors`` names the field and the fix."""

    def __init__(self, errors: list[FieldProblem]):
        super().__init__(" ".join(message for _, message, _ in errors))
        self.errors = errors


class RegistrationRateLimited(Exception):
    """Too many registrations came from one client address in the current window."""


class RegistrationForbidden(PublicError):
    def __init__(self, message: str = "只有注册企业所在地的监管部门用户可以查看和审核注册申请。"):
        super().__init__(message, code="FORBIDDEN")


NOT_IN_SCOPE_MESSAGE = "该注册申请不存在或不在您的管辖范围内。"


@dataclass
class Approval:
    """Result of an approval. ``initial_password`` is shown to the reviewer once."""

    registration: EnterpriseRegistration
    user: BusinessUser
    initial_password: str


# --- Submitting ---------------------------------------------------------------------


def _text_problems(values: dict[str, str]) -> list[FieldProblem]:
    limits = {
        "enterpriseName": ("企业名称", _NAME_MAX_LENGTH),
        "address": ("地址", _ADDRESS_MAX_LENGTH),
        "contactName": ("联系人姓名", _CONTACT_NAME_MAX_LENGTH),
    }
    problems = []
    for field, (label, max_length) in limits.items():
        value = values[field]
        if not value:
            problems.append((field, f"请填写{label}。", "required"))
        elif len(value) > max_length:
            problems.append((field, f"{label}不能超过 {max_length} 个字符。", "too_long"))
    return problems


def _credit_code_problems(code: str) -> list[FieldProblem]:
    field = "creditCode"
    if not code:
        return [(field, "请填写统一社会信用代码。", "required")]
    if len(code) != 18 or any(char not in credit_codes.ALPHABET for char in code):
        return [
            (
                field,
                "统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、Z、S、V），"
                "请按营业执照核对后重新填写。",
                "invalid_credit_code",
            )
        ]
    if credit_codes.check_character(code[:17]) != code[17]:
        return [
            (
                field,
                "统一社会信用代码的最后一位校验码不正确，可能有字符输错，请按营业执照逐位核对。",
                "invalid_check_character",
            )
        ]
    if Organisation.objects.filter(credit_code=code).exists():
        return [
            (
                field,
                "该统一社会信用代码的企业已在平台注册，请直接登录；忘记账号请联系所在地监管部门。",
                "credit_code_registered",
            )
        ]
    if EnterpriseRegistration.objects.filter(
        credit_code=code, status=EnterpriseRegistration.Status.PENDING
    ).exists():
        return [
            (
                field,
                "该统一社会信用代码已有待审核的注册申请，请等待审核结果，不要重复提交。",
                "credit_code_pending",
            )
        ]
    return []


def _division_problems(division_code: str) -> tuple[Division | None, list[FieldProblem]]:
    field = "divisionCode"
    if not division_code:
        return None, [(field, "请选择企业所在的县（市、区）。", "required")]
    division = Division.objects.filter(code=division_code).first()
    if division is None:
        return None, [(field, f"行政区划代码 {division_code} 不存在，请重新选择。", "not_found")]
    if division.level != DivisionLevel.COUNTY or not division.is_admin_division:
        return None, [
            (
                field,
                f"“{division.name}”不是县级行政区划，请选择企业所在的县（市、区）。",
                "not_county",
            )
        ]
    return division, []


def _username_problems(username: str) -> list[FieldProblem]:
    problems = accounts.username_problems(username)
    if problems:
        return problems
    if EnterpriseRegistration.objects.filter(
        username__iexact=username, status=EnterpriseRegistration.Status.PENDING
    ).exists():
        return [
            ("username", "该用户名已被另一份待审核的注册申请使用，请换一个。", "username_taken")
        ]
    return []


def _phone_problems(phone: str) -> list[FieldProblem]:
    if not phone:
        return [("contactPhone", "请填写联系人手机号码。", "required")]
    try:
        validate_mobile_number(phone, label="联系人手机号码")
    except ValidationError as error:
        return [("contactPhone", message, error.code) for message in error.messages]
    return []


def _check_rate_limit(request_info: audit.RequestInfo) -> None:
    address = request_info.ip_address or "unknown"
    allowed = ratelimit.hit(
        "registration",
        address,
        limit=getattr(settings, "REGISTRATION_RATE_LIMIT", DEFAULT_RATE_LIMIT),
        window_seconds=getattr(
            settings, "REGISTRATION_RATE_WINDOW_SECONDS", DEFAULT_RATE_WINDOW_SECONDS
        ),
    )
    if not allowed:
        logger.warning("Rejected an enterprise registration from %s: rate limit reached", address)
        raise RegistrationRateLimited()


def submit_registration(
    *,
    enterprise_name: str,
    credit_code: str,
    division_code: str,
    address: str,
    contact_name: str,
    contact_phone: str,
    username: str,
    password: str,
    licence_content: bytes,
    request_info: audit.RequestInfo,
) -> EnterpriseRegistration:
    """Check and store an anonymous registration, pending review.

    Raises RegistrationRateLimited when the client address is over its limit, and
    RegistrationError listing every rejected field otherwise.
    """
    _check_rate_limit(request_info)

    values = {
        "enterpriseName": enterprise_name.strip(),
        "address": address.strip(),
        "contactName": contact_name.strip(),
    }
    credit_code = credit_code.strip().upper()
    username = username.strip()
    contact_phone = normalise_mobile_number(contact_phone.strip())

    problems = _text_problems(values)
    problems += _credit_code_problems(credit_code)
    division, division_problems = _division_problems(division_code.strip())
    problems += division_problems
    problems += _phone_problems(contact_phone)
    username_problems = _username_problems(username)
    problems += username_problems
    if not password:
        problems.append(("password", "请设置登录密码。", "required"))
    elif not username_problems:
        # The policy compares the password with the user name, so it needs a valid one.
        candidate = BusinessUser(username=username)
        problems += accounts.password_problems(password, candidate, field="password")

    licence = None
    try:
        licence = uploads.clean_licence(licence_content)
    except uploads.LicenceFileError as error:
        problems.append((uploads.FIELD, error.message, error.code))

    if problems:
        raise RegistrationError(problems)

    registration = EnterpriseRegistration(
        enterprise_name=values["enterpriseName"],
        credit_code=credit_code,
        division=division,
        address=values["address"],
        contact_name=values["contactName"],
        contact_phone=contact_phone,
        username=username,
        password_hash=make_password(password),
        licence_content_type=licence.content_type,
    )
    registration.licence_file.save(licence.random_name(), ContentFile(licence.content), save=False)
    try:
        with transaction.atomic():
            registration.save()
            audit.record_event(
                "registration.submit",
                # The applicant has no account yet, so the actor is named by the
                # requested user name, as sign-ins of unknown names are.
                actor=audit.Actor(table=audit.AuditEvent.ActorTable.BUSINESS, name=username),
                request_info=request_info,
                object_type="enterprise_registration",
                object_id=registration.pk,
                changes={
                    "credit_code": (None, credit_code),
                    "division": (None, division.code),
                    "username": (None, username),
                    "contact_phone": (None, contact_phone),
                },
            )
    except IntegrityError:
        registration.licence_file.delete(save=False)
        # Another request submitted the same code or name between the check and the insert.
        raise RegistrationError(
            [
                (
                    "creditCode",
                    "该统一社会信用代码或用户名已有待审核的注册申请，请等待审核结果或更换用户名。",
                    "registration_pending",
                )
            ]
        ) from None
    except Exception:
        registration.licence_file.delete(save=False)
        raise

    logger.info(
        "Received enterprise registration %s for division %s", registration.pk, division.code
    )
    return registration


# --- Reviewing ----------------------------------------------------------------------


REVIEW_PERMISSION = "registrations.review"


def reviewable_registrations(reviewer: BusinessUser):
    """Return the registrations ``reviewer`` may see: those in the reviewer's division and below.

    Needs the ``registrations.review`` permission (PermissionDeniedError otherwise)
    and an active regulator (RegistrationForbidden otherwise). A role with the
    "all" scope reaches every division; any narrower scope still reaches the
    reviewer's division and below, because reviewing is a regulator's duty for its
    whole area.
    """
    scope = require_permission(reviewer, REVIEW_PERMISSION)
    organisation = reviewer.organisation
    if organisation.kind != Organisation.Kind.REGULATOR or not organisation.is_active:
        raise RegistrationForbidden()
    if scope == DataScope.ALL:
        return EnterpriseRegistration.objects.all()
    codes = organisation.division.descendant_codes()
    return EnterpriseRegistration.objects.filter(division_id__in=codes)


def get_reviewable_registration(reviewer: BusinessUser, registration_id: int):
    """Return one registration within the reviewer's scope, or raise RegistrationForbidden.

    A registration that does not exist and one outside the scope raise the same
    error, so a reviewer cannot probe for registrations of other divisions.
    """
    registration = reviewable_registrations(reviewer).filter(pk=registration_id).first()
    if registration is None:
        raise RegistrationForbidden(NOT_IN_SCOPE_MESSAGE)
    return registration


def read_licence(
    registration: EnterpriseRegistration, reviewer: BusinessUser, request_info: audit.RequestInfo
) -> bytes:
    """Return the licence scan's bytes for a reviewer who reached ``registration`` in scope.

    Each read is audited, because the scan carries the legal representative's name.
    """
    with registration.licence_file.open("rb") as licence:
        content = licence.read()
    audit.record_event(
        "registration.view_licence",
        actor=audit.business_actor(reviewer),
        request_info=request_info,
        object_type="enterprise_registration",
        object_id=registration.pk,
    )
    return content


def _lock_pending(reviewer: BusinessUser, registration: EnterpriseRegistration):
    """Lock the registration's row through the reviewer's scope and check that it is pending."""
    locked = (
        reviewable_registrations(reviewer)
        .select_for_update()
        .filter(pk=registration.pk)
        .first()
    )
    if locked is None:
        raise RegistrationForbidden(NOT_IN_SCOPE_MESSAGE)
    if locked.status != EnterpriseRegistration.Status.PENDING:
        raise RegistrationError(
            [
                (
                    None,
                    f"该注册申请已{locked.get_status_display()}，不能再次审核。",
                    "already_reviewed",
                )
            ]
        )
    return locked


def _comment_problems(comment: str, required: bool) -> list[FieldProblem]:
    if required and not comment:
        return [("comment", "驳回注册申请时必须填写审核意见，说明驳回原因和如何修改。", "required")]
    if len(comment) > REVIEW_COMMENT_MAX_LENGTH:
        return [
            ("comment", f"审核意见不能超过 {REVIEW_COMMENT_MAX_LENGTH} 个字符。", "too_long")
        ]
    return []


def generate_initial_password() -> str:
    """Return a random password that meets every password rule: upper, lower, digit, symbol."""
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(INITIAL_PASSWORD_LENGTH - 4))
    required = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
        secrets.choice("-#@"),
    ]
    characters = list(body) + required
    secrets.SystemRandom().shuffle(characters)
    return "".join(characters)


def _initial_password_for(username: str) -> str:
    candidate = BusinessUser(username=username)
    # A random password almost never contains the user name; try again if it does.
    while True:
        password = generate_initial_password()
        if not accounts.password_problems(password, candidate, field="password"):
            return password


def approve_registration(
    registration: EnterpriseRegistration,
    reviewer: BusinessUser,
    comment: str,
    request_info: audit.RequestInfo,
) -> Approval:
    """Create the enterprise and its first user from a pending registration.

    Raises RegistrationForbidden outside the reviewer's scope and RegistrationError
    when the registration is no longer pending or its name or code was taken since.
    """
    comment = (comment or "").strip()
    problems = _comment_problems(comment, required=False)
    if problems:
        raise RegistrationError(problems)

    with transaction.atomic():
        registration = _lock_pending(reviewer, registration)
        if Organisation.objects.filter(credit_code=registration.credit_code).exists():
            raise RegistrationError(
                [
                    (
                        None,
                        "该统一社会信用代码的企业已在平台注册，不能重复创建，请驳回此申请。",
                        "credit_code_registered",
                    )
                ]
            )

        organisation = Organisation.objects.create(
            kind=Organisation.Kind.ENTERPRISE,
            name=registration.enterprise_name,
            credit_code=registration.credit_code,
            division=registration.division,
            address=registration.address,
        )
        initial_password = _initial_password_for(registration.username)
        try:
            user = accounts.create_business_user(
                username=registration.username,
                display_name=registration.contact_name,
                organisation=organisation,
                password=initial_password,
                must_change_password=True,
            )
            assign_builtin_role(user, "enterprise_admin")
        except accounts.AccountError as error:
            raise RegistrationError(
                [(None, f"无法创建企业用户：{message}请驳回此申请，请企业换一个用户名重新注册。", code)
                 for _, message, code in error.errors]
            ) from None

        now = timezone.now()
        registration.status = EnterpriseRegistration.Status.APPROVED
        registration.reviewer = reviewer
        registration.reviewed_at = now
        registration.review_comment = comment
        registration.organisation = organisation
        registration.password_hash = ""
        registration.save(
            update_fields=[
                "status",
                "reviewer",
                "reviewed_at",
                "review_comment",
                "organisation",
                "password_hash",
            ]
        )
        audit.record_event(
            "registration.approve",
            actor=audit.business_actor(reviewer),
            request_info=request_info,
            object_type="enterprise_registration",
            object_id=registration.pk,
            changes={
                "status": (EnterpriseRegistration.Status.PENDING, registration.status),
                "organisation": (None, organisation.pk),
                "business_user": (None, user.pk),
            },
        )

    logger.info(
        "Business user %s approved enterprise registration %s: organisation %s, user %s",
        reviewer.pk,
        registration.pk,
        organisation.pk,
        user.pk,
    )
    return Approval(registration=registration, user=user, initial_password=initial_password)


def reject_registration(
    registration: EnterpriseRegistration,
    reviewer: BusinessUser,
    comment: str,
    request_info: audit.RequestInfo,
) -> EnterpriseRegistration:
    """Reject a pending registration with a required ``comment`` that states the reason.

    Raises RegistrationForbidden outside the reviewer's scope and RegistrationError
    for a missing comment or a registration that is no longer pending.
    """
    comment = (comment or "").strip()
    problems = _comment_problems(comment, required=True)
    if problems:
        raise RegistrationError(problems)

    with transaction.atomic():
        registration = _lock_pending(reviewer, registration)
        registration.status = EnterpriseRegistration.Status.REJECTED
        registration.reviewer = reviewer
        registration.reviewed_at = timezone.now()
        registration.review_comment = comment
        registration.password_hash = ""
        registration.save(
            update_fields=["status", "reviewer", "reviewed_at", "review_comment", "password_hash"]
        )
        audit.record_event(
            "registration.reject",
            actor=audit.business_actor(reviewer),
            request_info=request_info,
            object_type="enterprise_registration",
            object_id=registration.pk,
            changes={"status": (EnterpriseRegistration.Status.PENDING, registration.status)},
        )

    logger.info(
        "Business user %s rejected enterprise registration %s", reviewer.pk, registration.pk
    )
    return registration
