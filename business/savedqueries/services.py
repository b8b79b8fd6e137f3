"""Saving, listing and deleting a business user's query conditions.

Every function works on the given user's own rows only, so one user can never read
or change another's saved queries, whatever id they send.
"""

import json
import logging
import re

from django.db import IntegrityError, transaction

from business.audit import services as audit

from .models import SavedQuery

logger = logging.getLogger(__name__)

# A screen key names a query form, such as "organisations.list".
SCREEN_PATTERN = re.compile(r"[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*")
SCREEN_MAX_LENGTH = SavedQuery._meta.get_field("screen").max_length
NAME_MAX_LENGTH = SavedQuery._meta.get_field("name").max_length
# Conditions are a query form's values; more than this is not a query form.
CONDITIONS_MAX_BYTES = 4000
MAX_PER_SCREEN = 30


class SavedQueryError(Exception):
    def __init__(self, errors):
        super().__init__(" ".join(message for _, message, _ in errors))
        self.errors = errors


def _screen_problems(screen: str) -> list:
    if not screen or len(screen) > SCREEN_MAX_LENGTH or not SCREEN_PATTERN.fullmatch(screen):
        return [
            ("screen", "页面标识无效，应为小写字母、数字和点，如 organisations.list。", "invalid")
        ]
    return []


def saved_queries(user, screen: str):
    """Return the user's saved queries of ``screen``, the default first."""
    if _screen_problems(screen):
        return SavedQuery.objects.none()
    return SavedQuery.objects.filter(user=user, screen=screen).order_by("-is_default", "name")


def save_query(
    user,
    *,
    screen: str,
    name: str,
    conditions,
    is_default: bool = False,
    request_info: audit.RequestInfo = audit.SYSTEM_REQUEST,
) -> SavedQuery:
    """Create or overwrite the user's saved query ``name`` on ``screen``."""
    name = (name or "").strip()
    problems = _screen_problems(screen)
    if not name:
        problems.append(("name", "请填写查询条件的名称。", "required"))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(("name", f"名称不能超过 {NAME_MAX_LENGTH} 个字符。", "too_long"))
    if not isinstance(conditions, dict):
        problems.append(("conditions", "查询条件应为键值对象。", "invalid"))
    elif len(json.dumps(conditions, ensure_ascii=False).encode()) > CONDITIONS_MAX_BYTES:
        problems.append(("conditions", "查询条件过长，请减少条件后再保存。", "too_long"))
    if problems:
        raise SavedQueryError(problems)

    existing = SavedQuery.objects.filter(user=user, screen=screen)
    if not existing.filter(name=name).exists() and existing.count() >= MAX_PER_SCREEN:
        raise SavedQueryError(
            [
                (
                    "name",
                    f"每个页面最多保存 {MAX_PER_SCREEN} 个查询条件，请先删除不用的。",
                    "too_many",
                )
            ]
        )
    try:
        with transaction.atomic():
            if is_default:
                existing.filter(is_default=True).exclude(name=name).update(is_default=False)
            saved, _ = SavedQuery.objects.update_or_create(
                user=user,
                screen=screen,
                name=name,
                defaults={"conditions": conditions, "is_default": is_default},
            )
            audit.record_event(
                "saved_query.save",
                actor=audit.business_actor(user),
                request_info=request_info,
                object_type="saved_query",
                object_id=saved.pk,
                changes={"screen": (None, screen), "name": (None, name)},
            )
    except IntegrityError:
        raise SavedQueryError(
            [("name", "同时保存了同名的查询条件，请刷新后重试。", "conflict")]
        ) from None
    logger.info("Business user %s saved query %s on %s", user.pk, saved.pk, screen)
    return saved


def delete_query(
    user, saved_query_id: int, request_info: audit.RequestInfo = audit.SYSTEM_REQUEST
) -> bool:
    """Delete the user's saved query; return whether one was deleted."""
    with transaction.atomic():
        deleted, _ = SavedQuery.objects.filter(user=user, pk=saved_query_id).delete()
        if deleted:
            audit.record_event(
                "saved_query.delete",
                actor=audit.business_actor(user),
                request_info=request_info,
                object_type="saved_query",
                object_id=saved_query_id,
            )
    return bool(deleted)
