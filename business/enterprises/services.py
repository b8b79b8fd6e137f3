"""Maintaining enterprise information: profile, attachments, training and maintenance records.

Callers (GraphQL resolvers, the demo generator) check permission and data scope and
pass objects already in scope. Each change writes one audit event in its transaction.
Field errors are collected as ``(field, message, code)`` with the model field names.
"""

import datetime
import logging
import re
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from business.audit import services as audit

from . import uploads
from .models import (
    Attachment,
    AttachmentVersion,
    EnterpriseProfile,
    MaintenanceRecord,
    TrainingRecord,
)

logger = logging.getLogger(__name__)

PHONE_PATTERN = re.compile(r"^[0-9+\-() ]{7,20}$")
MAX_HOURS = Decimal("1000")
PROFILE_FIELDS = (
    "legal_representative",
    "contact_name",
    "contact_phone",
    "industry",
    "business_scope",
    "metrology_officer",
)
TRAINING_FIELDS = (
    "trainee_name",
    "course",
    "organiser",
    "start_date",
    "hours",
    "certificate_number",
    "notes",
)
MAINTENANCE_FIELDS = ("kind", "performed_on", "performed_by", "description", "result")


class EnterpriseInfoError(Exception):
    """Rejected input, as ``(field, message, code)`` tuples shown next to the fields."""

    def __init__(self, errors: list[tuple[str | None, str, str]]):
        super().__init__("; ".join(message for _, message, _ in errors))
        self.errors = errors


def _label(model, field_name: str) -> str:
    return str(model._meta.get_field(field_name).verbose_name)


def _clean_texts(model, values: dict, required: tuple[str, ...]) -> list:
    """Strip the text values in place and return the required and length errors."""
    errors = []
    for name, value in list(values.items()):
        if not isinstance(value, str):
            continue
        values[name] = value.strip()
        field = model._meta.get_field(name)
        limit = field.max_length
        if limit and len(values[name]) > limit:
            errors.append(
                (
                    name,
                    f"{_label(model, name)}最多 {limit} 个字，现有 {len(values[name])} 个，请缩短。",
                    "too_long",
                )
            )
    for name in required:
        if values.get(name) in (None, ""):
            errors.append((name, f"请填写{_label(model, name)}。", "required"))
    return errors


def _check_date(model, values: dict, name: str, errors: list) -> None:
    value = values.get(name)
    if value is None:
        return
    if value > datetime.date.today() + datetime.timedelta(days=1):
        errors.append((name, f"{_label(model, name)}不能晚于今天，请核对。", "future_date"))
    if value.year < 1950:
        errors.append((name, f"{_label(model, name)}早于 1950 年，请核对。", "date_too_early"))


def _changes(instance, values: dict) -> dict:
    changes = {}
    for name, after in values.items():
        before = getattr(instance, name)
        if before != after:
            changes[name] = (_plain(before), _plain(after))
            setattr(instance, name, after)
    return changes


def _plain(value):
    if value is None or isinstance(value, (str, int)):
        return value
    return str(value)


# Profile


def profile_of(organisation) -> EnterpriseProfile:
    """Return the organisation's profile, unsaved and empty when it was never edited."""
    try:
        return organisation.enterprise_profile
    except EnterpriseProfile.DoesNotExist:
        return EnterpriseProfile(organisation=organisation)


@transaction.atomic
def update_profile(organisation, *, actor, request_info, address=None, **values) -> EnterpriseProfile:
    """Save the profile fields in ``values`` and the organisation's address."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"update_profile() got unexpected fields: {', '.join(sorted(unknown))}")

    errors = _clean_texts(EnterpriseProfile, values, required=())
    phone = values.get("contact_phone")
    if phone and not PHONE_PATTERN.fullmatch(phone):
        errors.append(
            (
                "contact_phone",
                "联系电话应为 7 至 20 位数字，可含区号连字符，例如 0371-65512345。",
                "invalid_phone",
            )
        )
    address_limit = organisation._meta.get_field("address").max_length
    if address is not None:
        address = address.strip()
        if len(address) > address_limit:
            errors.append(("address", f"地址最多 {address_limit} 个字，请缩短。", "too_long"))
    if errors:
        raise EnterpriseInfoError(errors)

    profile = profile_of(organisation)
    changes = _changes(profile, values)
    profile.save()
    if address is not None and address != organisation.address:
        changes["address"] = (organisation.address, address)
        organisation.address = address
        organisation.save(update_fields=["address"])

    if changes:
        audit.record_event(
            "enterprise.profile.update",
            actor=audit.business_actor(actor),
            request_info=request_info,
            object_type="organisation",
            object_id=organisation.pk,
            changes=changes,
        )
    logger.info("Organisation %s profile updated: %s", organisation.pk, ", ".join(sorted(changes)))
    return profile


# Attachments


def _store_version(attachment: Attachment, content: bytes, original_name: str, actor) -> AttachmentVersion:
    cleaned = uploads.clean_attachment(content)
    number = (attachment.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = AttachmentVersion(
        attachment=attachment,
        number=number,
        content_type=cleaned.content_type,
        size=len(cleaned.content),
        original_name=(original_name or "")[:200],
        uploaded_by=actor,
    )
    version.file.save(cleaned.random_name(), ContentFile(cleaned.content), save=False)
    version.save()
    return version


def _upload_errors(error: uploads.AttachmentFileError) -> EnterpriseInfoError:
    return EnterpriseInfoError([(uploads.FIELD, error.message, error.code)])


@transaction.atomic
def add_attachment(
    organisation, *, category: str, title: str, content: bytes, original_name: str, actor, request_info
) -> Attachment:
    """Create an attachment with its first version; the file is checked by its content."""
    values = {"title": title or ""}
    errors = _clean_texts(Attachment, values, required=("title",))
    if category not in Attachment.Category.values:
        errors.append(("category", "请选择附件类别。", "invalid_choice"))
    if errors:
        raise EnterpriseInfoError(errors)

    attachment = Attachment.objects.create(
        organisation=organisation, category=category, title=values["title"]
    )
    try:
        version = _store_version(attachment, content, original_name, actor)
    except uploads.AttachmentFileError as error:
        raise _upload_errors(error) from None
    audit.record_event(
        "enterprise.attachment.add",
        actor=audit.business_actor(actor),
        request_info=request_info,
        object_type="attachment",
        object_id=attachment.pk,
        changes={"title": (None, attachment.title), "version": (None, version.number)},
    )
    logger.info("Attachment %s added for organisation %s", attachment.pk, organisation.pk)
    return attachment


@transaction.atomic
def replace_attachment(attachment: Attachment, *, content: bytes, original_name: str, actor, request_info):
    """Add a new version of ``attachment``; earlier versions stay downloadable."""
    if attachment.is_deleted:
        raise EnterpriseInfoError([(None, "该附件已删除，不能替换。", "deleted")])
    try:
        version = _store_version(attachment, content, original_name, actor)
    except uploads.AttachmentFileError as error:
        raise _upload_errors(error) from None
    audit.record_event(
        "enterprise.attachment.replace",
        actor=audit.business_actor(actor),
        request_info=request_info,
        object_type="attachment",
        object_id=attachment.pk,
        changes={"version": (version.number - 1, version.number)},
    )
    logger.info("Attachment %s replaced by version %s", attachment.pk, version.number)
    return attachment


@transaction.atomic
def delete_attachment(attachment: Attachment, *, actor, request_info) -> None:
    """Hide the attachment from the list; its versions stay stored for the history."""
    attachment.is_deleted = True
    attachment.save(update_fields=["is_deleted"])
    audit.record_event(
        "enterprise.attachment.delete",
        actor=audit.business_actor(actor),
        request_info=request_info,
        object_type="attachment",
        object_id=attachment.pk,
        changes={"is_deleted": (False, True)},
    )


# Training records


def _clean_training(values: dict) -> dict:
    errors = _clean_texts(TrainingRecord, values, required=("trainee_name", "course", "start_date"))
    _check_date(TrainingRecord, values, "start_date", errors)
    hours = values.get("hours")
    if hours not in (None, ""):
        try:
            hours = Decimal(str(hours))
        except InvalidOperation:
            hours = None
            errors.append(("hours", "学时应为数字，例如 16 或 7.5。", "invalid_number"))
        if hours is not None and not (Decimal(0) < hours < MAX_HOURS):
            errors.append(("hours", f"学时应大于 0 且小于 {MAX_HOURS}。", "out_of_range"))
        values["hours"] = hours
    else:
        values["hours"] = None
    if errors:
        raise EnterpriseInfoError(errors)
    return values


@transaction.atomic
def create_training_record(organisation, *, actor, request_info, **values) -> TrainingRecord:
    values = _clean_training({name: values.get(name) for name in TRAINING_FIELDS if name in values})
    for name in ("organiser", "certificate_number", "notes"):
        values[name] = values.get(name) or ""
    record = TrainingRecord.objects.create(organisation=organisation, **values)
    audit.record_event(
        "enterprise.training.create",
        actor=audit.business_actor(actor),
        request_info=request_info,
        object_type="training_record",
        object_id=record.pk,
    )
    return record


@transaction.atomic
def update_training_record(record: TrainingRecord, *, actor, request_info, **values) -> TrainingRecord:
    current = {name: getattr(record, name) for name in TRAINING_FIELDS}
    current.update({name: value for name, value in values.items() if name in TRAINING_FIELDS})
    for name in ("organiser", "certificate_number", "notes"):
        current[name] = current.get(name) or ""
    changes = _changes(record, _clean_training(current))
    if changes:
        record.save()
        audit.record_event(
            "enterprise.training.update",
            actor=audit.business_actor(actor),
            request_info=request_info,
            object_type="training_record",
            object_id=record.pk,
            changes=changes,
        )
    return record


@transaction.atomic
def delete_training_record(record: TrainingRecord, *, actor, request_info) -> None:
    record_id = record.pk
    record.delete()
    audit.record_event(
        "enterprise.training.delete",
        actor=audit.business_actor(actor),
        request_info=request_info,
        object_type="training_record",
        object_id=record_id,
    )


# Maintenance records


def _clean_maintenance(values: dict) -> dict:
    errors = _clean_texts(
        MaintenanceRecord, values, required=("kind", "performed_on", "performed_by", "description")
    )
    if values.get("kind") and values["kind"] not in MaintenanceRecord.Kind.values:
        errors.append(("kind", "请选择类别：日常维护、保养、维修或期间核查。", "invalid_choice"))
    _check_date(MaintenanceRecord, values, "performed_on", errors)
    if errors:
        raise EnterpriseInfoError(errors)
    values["result"] = values.get("result") or ""
    return values


@transaction.atomic
def create_maintenance_record(instrument, *, actor, request_info, **values) -> MaintenanceRecord:
    if instrument.status == instrument.Status.SCRAPPED:
        raise EnterpriseInfoError(
            [("instrumentId", "报废的器具不再登记维护保养，请选择其他器具。", "scrapped")]
        )
    values = _clean_maintenance({name: values.get(name) for name in MAINTENANCE_FIELDS})
    record = MaintenanceRecord.objects.create(instrument=instrument, **values)
    audit.record_event(
        "enterprise.maintenance.create",
        actor=audit.business_actor(actor),
        request_info=request_info,
        object_type="maintenance_record",
        object_id=record.pk,
        changes={"instrument": (None, instrument.pk)},
    )
    return record


@transaction.atomic
def update_maintenance_record(record: MaintenanceRecord, *, actor, request_info, **values):
    current = {name: getattr(record, name) for name in MAINTENANCE_FIELDS}
    current.update({name: value for name, value in values.items() if name in MAINTENANCE_FIELDS})
    changes = _changes(record, _clean_maintenance(current))
    if changes:
        record.save()
        audit.record_event(
            "enterprise.maintenance.update",
            actor=audit.business_actor(actor),
            request_info=request_info,
            object_type="maintenance_record",
            object_id=record.pk,
            changes=changes,
        )
    return record


@transaction.atomic
def delete_maintenance_record(record: MaintenanceRecord, *, actor, request_info) -> None:
    record_id = record.pk
    record.delete()
    audit.record_event(
        "enterprise.maintenance.delete",
        actor=audit.business_actor(actor),
        request_info=request_info,
        object_type="maintenance_record",
        object_id=record_id,
    )
