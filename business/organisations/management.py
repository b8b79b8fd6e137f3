"""Managing organisations: create, edit, delete, enable, disable and move between divisions.

Every function takes an ``Operator`` (operators.py) that decides which organisations
and divisions it reaches, writes one audit event per changed organisation in the
same transaction, and raises ``ManagementError`` with ``(field, message, code)``
problems for rejected input. The Wagtail admin and the GraphQL API both call these.
"""

import logging

from django.db import IntegrityError, transaction

from business.access.scope import NotFoundError
from business.audit import services as audit
from business.core.api.errors import PublicError
from business.reference.models import Division, DivisionLevel

from . import attributes as attribute_values
from . import credit_code as credit_codes
from .models import Organisation
from .operators import Operator

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length
ADDRESS_MAX_LENGTH = Organisation._meta.get_field("address").max_length
# A batch move changes at most this many organisations, so one request stays short.
MAX_BATCH = 200


class ManagementError(Exception):
    """Rejected input; each entry of ``errors`` names the field and the fix."""

    def __init__(self, errors):
        super().__init__(" ".join(message for _, message, _ in errors))
        self.errors = errors


class OwnOrganisationError(PublicError):
    def __init__(self, action: str):
        super().__init__(
            f"不能{action}自己所在的单位，请联系上级监管部门或系统管理员办理。", code="FORBIDDEN"
        )


# --- Checking input ------------------------------------------------------------------


def _text_problems(name: str, address: str) -> list:
    problems = []
    if not name:
        problems.append(("name", "请填写单位名称。", "required"))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(("name", f"单位名称不能超过 {NAME_MAX_LENGTH} 个字符。", "too_long"))
    if len(address) > ADDRESS_MAX_LENGTH:
        problems.append(("address", f"地址不能超过 {ADDRESS_MAX_LENGTH} 个字符。", "too_long"))
    return problems


def _credit_code_problems(kind: str, code: str, exclude_pk=None) -> list:
    field = "creditCode"
    if not code:
        if kind == Organisation.Kind.ENTERPRISE:
            return [(field, "请填写企业的统一社会信用代码。", "required")]
        return []
    if not credit_codes.is_valid(code):
        return [
            (
                field,
                "统一社会信用代码无效：应为 18 位数字或大写字母，且最后一位校验码正确，请按营业执照核对。",
                "invalid_credit_code",
            )
        ]
    taken = Organisation.objects.filter(credit_code=code).exclude(pk=exclude_pk)
    if taken.exists():
        return [(field, "该统一社会信用代码已被另一个单位使用，请核对。", "credit_code_taken")]
    return []


def _division_for(operator: Operator, kind: str, division_code: str, field="divisionCode"):
    """Return ``(division, problems)`` for a division an organisation of ``kind`` may sit in."""
    if not division_code:
        return None, [(field, "请选择所在行政区划。", "required")]
    division = Division.objects.filter(code=division_code).first()
    if division is None or not operator.reaches_division(division):
        return None, [
            (
                field,
                f"行政区划 {division_code} 不存在或不在您的管辖范围内，请重新选择。",
                "not_found",
            )
        ]
    if not division.is_admin_division:
        return None, [
            (
                field,
                f"“{division.name}”不是行政区划（如开发区），请选择所属的县（市、区）。",
                "not_admin",
            )
        ]
    if kind == Organisation.Kind.ENTERPRISE and division.level != DivisionLevel.COUNTY:
        return None, [
            (
                field,
                f"企业应放在县（市、区）一级，“{division.name}”不是县级区划，请重新选择。",
                "not_county",
            )
        ]
    return division, []


def _kind_problems(kind: str) -> list:
    if kind not in Organisation.Kind.values:
        return [("kind", "单位类型无效，请选择企业、技术机构或监管部门。", "invalid")]
    return []


# --- Creating and editing ------------------------------------------------------------


def create_organisation(
    operator: Operator,
    *,
    kind: str,
    name: str,
    division_code: str,
    credit_code: str = "",
    address: str = "",
    attributes: dict | None = None,
) -> Organisation:
    """Create an organisation in a division the operator reaches."""
    name, address = name.strip(), address.strip()
    credit_code = credit_code.strip().upper()

    problems = _kind_problems(kind)
    if problems:
        raise ManagementError(problems)
    problems += _text_problems(name, address)
    problems += _credit_code_problems(kind, credit_code)
    division, division_problems = _division_for(operator, kind, division_code.strip())
    problems += division_problems
    values, attribute_problems = attribute_values.clean_values(kind, attributes or {})
    problems += attribute_problems
    if problems:
        raise ManagementError(problems)

    organisation = Organisation(
        kind=kind,
        name=name,
        division=division,
        credit_code=credit_code or None,
        address=address,
        attributes=values,
    )
    try:
        with transaction.atomic():
            organisation.save()
            audit.record_event(
                "organisation.create",
                actor=operator.actor,
                request_info=operator.request_info,
                object_type="organisation",
                object_id=organisation.pk,
                changes={
                    "kind": (None, kind),
                    "name": (None, name),
                    "division": (None, division.code),
                    "credit_code": (None, credit_code),
                },
            )
    except IntegrityError:
        raise ManagementError(
            [("creditCode", "该统一社会信用代码已被另一个单位使用，请核对。", "credit_code_taken")]
        ) from None
    logger.info("Created organisation %s (%s) in division %s", organisation.pk, kind, division.code)
    return organisation


def update_organisation(
    operator: Operator,
    organisation: Organisation,
    *,
    name: str,
    credit_code: str = "",
    address: str = "",
    attributes: dict | None = None,
) -> Organisation:
    """Change an organisation's name, credit code, address and attribute values."""
    organisation = operator.get_organisation(organisation.pk)
    name, address = name.strip(), address.strip()
    credit_code = credit_code.strip().upper()

    problems = _text_problems(name, address)
    problems += _credit_code_problems(organisation.kind, credit_code, exclude_pk=organisation.pk)
    values, attribute_problems = attribute_values.clean_values(
        organisation.kind, attributes or {}, current=organisation.attributes
    )
    problems += attribute_problems
    if problems:
        raise ManagementError(problems)

    before = {
        "name": organisation.name,
        "credit_code": organisation.credit_code or "",
        "address": organisation.address,
        "attributes": organisation.attributes,
    }
    after = {"name": name, "credit_code": credit_code, "address": address, "attributes": values}
    changes = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    if not changes:
        return organisation

    organisation.name = name
    organisation.credit_code = credit_code or None
    organisation.address = address
    organisation.attributes = values
    try:
        with transaction.atomic():
            organisation.save(update_fields=["name", "credit_code", "address", "attributes"])
            audit.record_event(
                "organisation.update",
                actor=operator.actor,
                request_info=operator.request_info,
                object_type="organisation",
                object_id=organisation.pk,
                changes={
                    key: (_audit_text(old), _audit_text(new)) for key, (old, new) in changes.items()
                },
            )
    except IntegrityError:
        raise ManagementError(
            [("creditCode", "该统一社会信用代码已被另一个单位使用，请核对。", "credit_code_taken")]
        ) from None
    logger.info("Updated organisation %s: %s", organisation.pk, ", ".join(sorted(changes)))
    return organisation


def _audit_text(value):
    if isinstance(value, dict):
        return ", ".join(f"{key}={value[key]}" for key in sorted(value))
    return value


# --- Deleting ------------------------------------------------------------------------


def deletion_blockers(organisation: Organisation) -> list[str]:
    """Return what still belongs to ``organisation`` and so prevents deleting it.

    Every model that points at Organisation counts (business users, instruments,
    certificates, applications, signing keys, registrations, …), so a new app's
    data blocks deletion without a change here.
    """
    counts: dict[str, int] = {}
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        lookup = relation.field.name
        count = model._default_manager.filter(**{lookup: organisation}).count()
        if count:
            label = str(model._meta.verbose_name)
            counts[label] = counts.get(label, 0) + count
    return [f"{label} {count} 条" for label, count in sorted(counts.items())]


def delete_organisation(operator: Operator, organisation: Organisation) -> None:
    """Delete an organisation that owns nothing any more.

    Raises ManagementError listing what still belongs to it.
    """
    organisation = operator.get_organisation(organisation.pk)
    _forbid_own(operator, organisation, "删除")
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        blockers = deletion_blockers(organisation)
        if blockers:
            raise ManagementError(
                [
                    (
                        None,
                        f"单位“{organisation.name}”仍有以下数据，不能删除：{'、'.join(blockers)}。"
                        "请先移走或删除这些数据，或改为停用该单位。",
                        "has_data",
                    )
                ]
            )
        pk = organisation.pk
        audit.record_event(
            "organisation.delete",
            actor=operator.actor,
            request_info=operator.request_info,
            object_type="organisation",
            object_id=pk,
            changes={
                "name": (organisation.name, None),
                "kind": (organisation.kind, None),
                "division": (organisation.division_id, None),
            },
        )
        organisation.delete()
    logger.info("Deleted organisation %s", pk)


# --- Enabling, disabling and moving ---------------------------------------------------


def _forbid_own(operator: Operator, organisation: Organisation, action: str) -> None:
    user = operator.business_user
    if user is not None and user.organisation_id == organisation.pk:
        raise OwnOrganisationError(action)


def set_organisation_active(operator: Operator, organisation: Organisation, active: bool):
    """Enable or disable an organisation. Users of a disabled one can no longer sign in,
    and their open sessions and tokens stop working at their next request."""
    organisation = operator.get_organisation(organisation.pk)
    _forbid_own(operator, organisation, "停用" if not active else "启用")
    if organisation.is_active == active:
        return organisation
    with transaction.atomic():
        organisation.is_active = active
        organisation.save(update_fields=["is_active"])
        audit.record_event(
            "organisation.enable" if active else "organisation.disable",
            actor=operator.actor,
            request_info=operator.request_info,
            object_type="organisation",
            object_id=organisation.pk,
            changes={"is_active": (not active, active)},
        )
    logger.info("Organisation %s is now %s", organisation.pk, "active" if active else "inactive")
    return organisation


def move_organisations(operator: Operator, organisation_ids, division_code: str) -> int:
    """Move organisations into another division; return how many moved.

    All or none move: an id outside the operator's reach or an organisation that
    cannot sit in the target division rejects the whole batch.
    """
    ids = _distinct_ids(organisation_ids, "organisationIds", "单位")
    organisations = list(operator.organisations().filter(pk__in=ids).order_by("pk"))
    if len(organisations) != len(ids):
        raise NotFoundError("部分单位")

    problems = []
    target = None
    for organisation in organisations:
        _forbid_own(operator, organisation, "移动")
        target, division_problems = _division_for(
            operator, organisation.kind, division_code.strip(), field="divisionCode"
        )
        if division_problems:
            problems += [
                (field, f"{organisation.name}：{message}", code)
                for field, message, code in division_problems
            ]
    if problems:
        raise ManagementError(problems[:10])

    moved = 0
    with transaction.atomic():
        for organisation in organisations:
            if organisation.division_id == target.code:
                continue
            before = organisation.division_id
            organisation.division = target
            organisation.save(update_fields=["division"])
            audit.record_event(
                "organisation.move",
                actor=operator.actor,
                request_info=operator.request_info,
                object_type="organisation",
                object_id=organisation.pk,
                changes={"division": (before, target.code)},
            )
            moved += 1
    logger.info("Moved %d organisations to division %s", moved, target.code)
    return moved


def _distinct_ids(values, field: str, noun: str) -> list[int]:
    ids = []
    for value in values:
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            raise ManagementError(
                [(field, f"{noun}编号无效，请刷新列表后重新选择。", "invalid_id")]
            )
        ids.append(int(text))
    ids = sorted(set(ids))
    if not ids:
        raise ManagementError([(field, f"请至少选择一个{noun}。", "required")])
    if len(ids) > MAX_BATCH:
        raise ManagementError(
            [(field, f"一次最多处理 {MAX_BATCH} 个{noun}，请分批操作。", "too_many")]
        )
    return ids
