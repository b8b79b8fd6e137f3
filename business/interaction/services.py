"""Submitting, routing, replying to, transferring and closing consultations and complaints.

These functions are the only way an Interaction changes. Each change writes an
InteractionStep and an audit event in one transaction; messages to a signed-in
submitter are sent after the commit.
"""

import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes

from business.access import has_permission, scoped
from business.access.scope import NotFoundError
from business.audit import services as audit
from business.core import captcha, ratelimit
from business.core.crypto import sm3
from business.core.validators import (
    normalise_mobile_number,
    normalise_resident_id_number,
    validate_mobile_number,
    validate_resident_id_number,
)
from business.messages.models import Message
from business.messages.services import notify
from business.organisations.models import Organisation
from business.reference.models import Division

from .models import (
    BODY_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Interaction,
    InteractionStep,
)

logger = logging.getLogger(__name__)

NUMBER_PREFIX = {
    Interaction.Kind.COMPLAINT: "TS",
    Interaction.Kind.CONSULTATION: "ZX",
    Interaction.Kind.SUGGESTION: "JY",
}
# Query codes avoid characters that are easily mixed up when read aloud or copied.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8
CONTACT_NAME_MAX_LENGTH = 50
RATE_LIMITED_MESSAGE = "提交过于频繁，请稍后再试。"
LOOKUP_FAILED_MESSAGE = "受理编号或查询码不正确，请核对提交成功时显示的编号和查询码。"


class InteractionError(Exception):
    """Rejected input, with ``errors`` as ``(field, message, code)`` tuples."""

    def __init__(self, errors: list[tuple[str, str, str]]):
        super().__init__("; ".join(message for _, message, _ in errors))
        self.errors = errors


class InteractionRateLimited(Exception):
    """Too many anonymous submissions or look-ups from one client address."""


@dataclass(frozen=True)
class Submission:
    interaction: Interaction
    # Shown to the submitter once; only its digest is stored.
    query_code: str


# --- Routing -------------------------------------------------------------------------


def responsible_regulator(division: Division) -> Organisation | None:
    """Return the active regulator of ``division`` or, failing that, of the nearest division above."""
    current = division
    while current is not None:
        regulator = (
            Organisation.objects.filter(
                kind=Organisation.Kind.REGULATOR, division=current, is_active=True
            )
            .order_by("pk")
            .first()
        )
        if regulator is not None:
            return regulator
        current = current.parent
    return None


def route(
    kind: str, division: Division, about_institution: Organisation | None
) -> Organisation | None:
    """Return the organisation that handles a new matter.

    A consultation about a named institution goes to that institution; everything else
    to the regulator responsible for the matter's division.
    """
    if kind == Interaction.Kind.CONSULTATION and about_institution is not None:
        return about_institution
    return responsible_regulator(division)


# --- Submitting ------------------------------------------------------------------------


def _query_code_digest(number: str, code: str) -> str:
    key = sm3.digest(force_bytes("business.interaction.query_code:" + settings.SECRET_KEY))
    return sm3.hmac_sm3(key, force_bytes(f"{number}\x00{code.strip().upper()}")).hex()


def _new_number(kind: str) -> str:
    day = timezone.localdate().strftime("%Y%m%d")
    return f"{NUMBER_PREFIX[kind]}{day}{secrets.randbelow(10**6):06d}"


def _new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def _check_text(problems, field: str, label: str, value: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        problems.append((field, f"请填写{label}。", "required"))
    elif len(value) > max_length:
        problems.append(
            (field, f"{label}最多 {max_length} 个字，现有 {len(value)} 个，请精简。", "too_long")
        )
    return value


def _check_phone(problems, value: str) -> str:
    phone = normalise_mobile_number(value or "")
    if not phone:
        problems.append(
            ("contactPhone", "请填写联系电话（手机号码），以便答复时联系您。", "required")
        )
        return phone
    try:
        validate_mobile_number(phone, "联系电话")
    except ValidationError as error:
        problems.append(("contactPhone", error.messages[0], error.code or "invalid"))
    return phone


def _check_id_number(problems, value: str) -> str:
    number = normalise_resident_id_number(value or "")
    if not number:
        return ""
    try:
        validate_resident_id_number(number)
    except ValidationError as error:
        problems.append(("idNumber", error.messages[0], error.code or "invalid"))
    return number


def _check_division(problems, code: str) -> Division | None:
    division = Division.objects.filter(code=(code or "").strip()).select_related("parent").first()
    if division is None:
        problems.append(("divisionCode", "请选择事项所在地（县区）。", "invalid_division"))
    return division


def _check_institution(problems, institution_id) -> Organisation | None:
    if not institution_id:
        return None
    institution = Organisation.objects.filter(
        pk=institution_id, kind=Organisation.Kind.INSTITUTION, is_active=True
    ).first()
    if institution is None:
        problems.append(
            (
                "aboutInstitutionId",
                "所选技术机构不存在或已停用，请重新选择。",
                "invalid_institution",
            )
        )
    return institution


def check_anonymous_request(request, captcha_id: str, captcha_answer: str) -> None:
    """Apply the rate limit and the captcha of an anonymous submission.

    Raises InteractionRateLimited or InteractionError (field ``captcha``).
    """
    allowed = ratelimit.hit(
        "interaction.submit",
        ratelimit.client_ip(request),
        limit=settings.INTERACTION_RATE_LIMIT,
        window_seconds=settings.INTERACTION_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        raise InteractionRateLimited()
    problems = captcha.captcha_problems(captcha_id, captcha_answer)
    if problems:
        raise InteractionError(problems)


def submit_interaction(
    *,
    kind: str,
    title: str,
    body: str,
    division_code: str,
    contact_name: str,
    contact_phone: str,
    id_number: str = "",
    about_institution_id=None,
    publish_consent: bool = False,
    submitter=None,
    request_info: audit.RequestInfo,
) -> Submission:
    """Validate and store a new matter, route it and return it with its query code.

    ``submitter`` is the signed-in business user (None for an anonymous visitor, whose
    captcha and rate limit the caller has checked). Raises InteractionError listing
    every invalid field.
    """
    problems: list[tuple[str, str, str]] = []
    if kind not in Interaction.Kind.values:
        problems.append(("kind", "请选择类型：投诉举报、业务咨询或工作建议。", "invalid_kind"))
    title = _check_text(problems, "title", "标题", title, TITLE_MAX_LENGTH)
    body = _check_text(problems, "body", "内容", body, BODY_MAX_LENGTH)
    contact_name = _check_text(
        problems, "contactName", "联系人姓名", contact_name, CONTACT_NAME_MAX_LENGTH
    )
    phone = _check_phone(problems, contact_phone)
    id_number = _check_id_number(problems, id_number)
    division = _check_division(problems, division_code)
    institution = _check_institution(problems, about_institution_id)
    if problems:
        raise InteractionError(problems)

    handler = route(kind, division, institution)
    if handler is None:
        raise InteractionError(
            [("divisionCode", "该地区暂无受理单位，请选择上一级地区后重新提交。", "no_handler")]
        )

    query_code = _new_query_code()
    with transaction.atomic():
        interaction = _create(
            kind=kind,
            title=title,
            body=body,
            division=division,
            about_institution=institution,
            handling_organisation=handler,
            submitter=submitter,
            submitter_organisation=submitter.organisation if submitter else None,
            contact_name=contact_name,
            contact_phone=phone,
            id_number=id_number,
            publish_consent=bool(publish_consent),
            query_code=query_code,
        )
        InteractionStep.objects.create(
            interaction=interaction,
            action=InteractionStep.Action.SUBMIT,
            actor=submitter,
            organisation=submitter.organisation if submitter else None,
            target_organisation=handler,
        )
        audit.record_event(
            "interaction.submit",
            actor=audit.business_actor(submitter) if submitter else _anonymous_actor(),
            request_info=request_info,
            object_type="interaction",
            object_id=interaction.number,
            changes={"handling_organisation": (None, handler.pk), "kind": (None, kind)},
        )
        transaction.on_commit(lambda: _notify_handlers(interaction))

    logger.info(
        "interaction %s submitted, routed to organisation %s", interaction.number, handler.pk
    )
    return Submission(interaction=interaction, query_code=query_code)


def _anonymous_actor() -> audit.Actor:
    # The audit log has no table for anonymous visitors; they are recorded as business
    # actors without an id, as sign-ins of unknown user names are.
    return audit.Actor(table=audit.AuditEvent.ActorTable.BUSINESS, name="匿名访客")


def _create(*, query_code: str, **fields) -> Interaction:
    # The number has a random part, so a collision is rare; retry a few times.
    for _ in range(5):
        number = _new_number(fields["kind"])
        try:
            with transaction.atomic():
                return Interaction.objects.create(
                    number=number,
                    query_code_digest=_query_code_digest(number, query_code),
                    **fields,
                )
        except IntegrityError:
            logger.warning("interaction number %s already taken, drawing another", number)
    raise RuntimeError("could not draw a free interaction number")


def _handlers_of(organisation: Organisation) -> list:
    permission = (
        "interactions.handle"
        if organisation.kind == Organisation.Kind.REGULATOR
        else "interactions.answer"
    )
    users = organisation.business_users.filter(is_active=True)
    return [user for user in users if has_permission(user, permission)]


def _notify_handlers(interaction: Interaction) -> None:
    notify(
        _handlers_of(interaction.handling_organisation),
        Message.Kind.INTERACTION,
        f"新{interaction.get_kind_display()}：{interaction.title}",
        f"受理编号 {interaction.number}，请及时办理。",
        link=(
            "/workbench/interaction/handle"
            if interaction.handling_organisation.kind == Organisation.Kind.REGULATOR
            else "/workbench/interaction/answer"
        ),
        dedupe_key=f"interaction:{interaction.number}:{interaction.handling_organisation_id}",
    )


def _notify_submitter(interaction: Interaction, title: str, body: str) -> None:
    if interaction.submitter is None:
        return
    notify(
        [interaction.submitter],
        Message.Kind.INTERACTION,
        title,
        body,
        link="/workbench/interaction/mine",
    )


# --- Handling ----------------------------------------------------------------------------


def handled_interactions(user):
    """Return the matters ``user`` may handle: a regulator's division, an institution's own.

    Raises PermissionDeniedError when the user has neither permission.
    """
    if has_permission(user, "interactions.handle"):
        return scoped(Interaction.objects.all(), user, "interactions.handle")
    return scoped(Interaction.objects.all(), user, "interactions.answer")


def submitted_interactions(user):
    """Return the matters ``user`` submitted (or, for organisation-wide roles, their organisation's)."""
    return scoped(
        Interaction.objects.all(), user, "interactions.submit", Interaction.submitter_paths
    )


def get_handled(user, pk) -> Interaction:
    try:
        return handled_interactions(user).get(pk=pk)
    except (Interaction.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("咨询投诉事项") from None


def _check_open(interaction: Interaction) -> None:
    if interaction.status == Interaction.Status.CLOSED:
        raise InteractionError([("id", "该事项已办结，不能再办理。", "closed")])


@transaction.atomic
def reply_interaction(interaction: Interaction, user, reply: str, *, request_info) -> Interaction:
    """Record the handling organisation's reply and tell a signed-in submitter."""
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    _check_open(interaction)
    problems: list[tuple[str, str, str]] = []
    reply = _check_text(problems, "reply", "答复内容", reply, REPLY_MAX_LENGTH)
    if problems:
        raise InteractionError(problems)

    before = interaction.status
    interaction.reply = reply
    interaction.replied_at = timezone.now()
    interaction.replied_by_organisation = user.organisation
    interaction.status = Interaction.Status.REPLIED
    interaction.save(update_fields=["reply", "replied_at", "replied_by_organisation", "status"])
    InteractionStep.objects.create(
        interaction=interaction,
        action=InteractionStep.Action.REPLY,
        actor=user,
        organisation=user.organisation,
        comment=reply,
    )
    audit.record_event(
        "interaction.reply",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="interaction",
        object_id=interaction.number,
        changes={"status": (before, interaction.status)},
    )
    transaction.on_commit(
        lambda: _notify_submitter(
            interaction,
            f"您的{interaction.get_kind_display()}已答复：{interaction.title}",
            f"受理编号 {interaction.number}。",
        )
    )
    return interaction


@transaction.atomic
def transfer_interaction(
    interaction: Interaction, user, target_id, comment: str, *, request_info
) -> Interaction:
    """Hand a matter to another regulator or technical institution."""
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    _check_open(interaction)
    problems: list[tuple[str, str, str]] = []
    comment = _check_text(problems, "comment", "转办说明", comment, REPLY_MAX_LENGTH)
    target = Organisation.objects.filter(
        pk=target_id,
        kind__in=[Organisation.Kind.REGULATOR, Organisation.Kind.INSTITUTION],
        is_active=True,
    ).first()
    if target is None:
        problems.append(
            ("targetOrganisationId", "请选择接收转办的监管部门或技术机构。", "invalid_target")
        )
    elif target.pk == interaction.handling_organisation_id:
        problems.append(
            ("targetOrganisationId", "该事项已由所选单位承办，请选择其他单位。", "same_target")
        )
    if problems:
        raise InteractionError(problems)

    source = interaction.handling_organisation_id
    interaction.handling_organisation = target
    interaction.status = Interaction.Status.TRANSFERRED
    interaction.save(update_fields=["handling_organisation", "status"])
    InteractionStep.objects.create(
        interaction=interaction,
        action=InteractionStep.Action.TRANSFER,
        actor=user,
        organisation=user.organisation,
        target_organisation=target,
        comment=comment,
    )
    audit.record_event(
        "interaction.transfer",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="interaction",
        object_id=interaction.number,
        changes={"handling_organisation": (source, target.pk)},
    )
    transaction.on_commit(lambda: _notify_handlers(interaction))
    transaction.on_commit(
        lambda: _notify_submitter(
            interaction,
            f"您的{interaction.get_kind_display()}已转交{target.name}办理",
            f"受理编号 {interaction.number}。",
        )
    )
    return interaction


@transaction.atomic
def close_interaction(interaction: Interaction, user, comment: str, *, request_info) -> Interaction:
    """Close a matter. A matter without a reply needs a comment saying why."""
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    _check_open(interaction)
    comment = (comment or "").strip()
    if interaction.status != Interaction.Status.REPLIED and not comment:
        raise InteractionError([("comment", "该事项尚未答复，办结时请填写办结说明。", "required")])
    if len(comment) > REPLY_MAX_LENGTH:
        raise InteractionError(
            [("comment", f"办结说明最多 {REPLY_MAX_LENGTH} 个字，请精简。", "too_long")]
        )

    before = interaction.status
    interaction.status = Interaction.Status.CLOSED
    interaction.closed_at = timezone.now()
    interaction.save(update_fields=["status", "closed_at"])
    InteractionStep.objects.create(
        interaction=interaction,
        action=InteractionStep.Action.CLOSE,
        actor=user,
        organisation=user.organisation,
        comment=comment,
    )
    audit.record_event(
        "interaction.close",
        actor=audit.business_actor(user),
        request_info=request_info,
        object_type="interaction",
        object_id=interaction.number,
        changes={"status": (before, interaction.status)},
    )
    transaction.on_commit(
        lambda: _notify_submitter(
            interaction,
            f"您的{interaction.get_kind_display()}已办结：{interaction.title}",
            f"受理编号 {interaction.number}。",
        )
    )
    return interaction


# --- Public look-ups -------------------------------------------------------------------------


def look_up(request, number: str, query_code: str) -> Interaction:
    """Return the matter with ``number`` if ``query_code`` matches.

    Raises InteractionRateLimited after too many look-ups from one address, and
    NotFoundError with one message for an unknown number and a wrong code alike.
    """
    allowed = ratelimit.hit(
        "interaction.lookup",
        ratelimit.client_ip(request),
        limit=settings.INTERACTION_LOOKUP_RATE_LIMIT,
        window_seconds=settings.INTERACTION_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        raise InteractionRateLimited()

    number = (number or "").strip().upper()[:20]
    interaction = Interaction.objects.filter(number=number).first()
    # Compute the digest even for an unknown number so both cases take equal time.
    digest = _query_code_digest(number, (query_code or "")[:16])
    if interaction is None or not hmac.compare_digest(digest, interaction.query_code_digest):
        raise LookupFailed()
    return interaction


class LookupFailed(Exception):
    """Unknown number or wrong query code."""


def public_replies():
    """Return the replied matters whose submitters agreed to publish them, newest reply first."""
    return (
        Interaction.objects.filter(
            publish_consent=True,
            status__in=[Interaction.Status.REPLIED, Interaction.Status.CLOSED],
        )
        .exclude(reply="")
        .order_by("-replied_at", "-pk")
    )
