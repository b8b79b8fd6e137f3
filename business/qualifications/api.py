"""Helpers shared by the GraphQL modules of the institution's quality apps
(qualifications, standards, documents, certificate templates).

They translate between GraphQL input and the models: id decoding, Django
validation errors to the payload's ``errors`` list with camelCase field names, and
the audit event of a saved or deleted row.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db.models import Model

from business.access import get_in_scope, require_permission
from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.core.api.errors import PublicError
from business.organisations.models import Organisation

logger = logging.getLogger(__name__)

MAX_KEYWORD_LENGTH = 50


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def parse_id(value, field: str = "id", noun: str = "记录") -> int:
    """Decode a positive integer id sent as a string, or raise PublicError."""
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        number = int(value)
        if number > 0:
            return number
    raise PublicError(f"{noun}编号（{field}）无效，应为正整数，请刷新后重试。", code="INVALID_ID")


def optional_id(value, field: str, noun: str) -> int | None:
    if value in (None, ""):
        return None
    return parse_id(value, field, noun)


def keyword(value, field: str = "keyword") -> str:
    value = (value or "").strip()
    if len(value) > MAX_KEYWORD_LENGTH:
        raise PublicError(
            f"查询关键词（{field}）不超过 {MAX_KEYWORD_LENGTH} 个字，请缩短后重试。",
            code="KEYWORD_TOO_LONG",
        )
    return value


def validation_problems(error: ValidationError, field_map: dict | None = None):
    """Turn a model ValidationError into (field, message, code) tuples with GraphQL field names."""
    field_map = field_map or {}
    problems = []
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = field_map.get(name, camel(name)) if name != "__all__" else None
            for item in errors:
                message = " ".join(item.messages)
                problems.append((field, message, (item.code or "invalid").upper()))
    else:
        for message in error.messages:
            problems.append((None, message, "INVALID"))
    return problems


def current_user(info, permission: str):
    """Return the signed-in business user if they hold ``permission``, else raise PublicError."""
    user = require_business_user(info)
    require_permission(user, permission)
    return user


def own_institution(user) -> Organisation:
    """The institution new rows belong to: the user's own organisation, which must be one."""
    organisation = user.organisation
    if organisation.kind != Organisation.Kind.INSTITUTION:
        raise PublicError("只有技术机构的用户可以维护本项内容。", code="FORBIDDEN")
    return organisation


def load(model, user, permission: str, value, noun: str) -> Model:
    return get_in_scope(
        model.objects.all(), user, permission, parse_id(value, noun=noun), noun=noun
    )


def channel(info) -> str:
    return "mobile" if getattr(info.context, "access_token", None) is not None else "pc"


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def snapshot(row: Model, fields) -> dict:
    return {name: _plain(getattr(row, name)) for name in fields}


def changes_between(before: dict, after: dict) -> dict:
    return {
        name: (before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value
    }


def audit_event(info, user, action: str, row: Model, changes: dict | None = None) -> None:
    audit.record_event(
        action,
        actor=audit.business_actor(user),
        request_info=audit.request_info_from(info.context, channel(info)),
        object_type=row._meta.model_name,
        object_id=row.pk,
        changes=changes or {},
    )
    logger.info("%s %s %s by business user %s", action, row._meta.model_name, row.pk, user.pk)
