"""Checks of permission and data scope for a business user.

Each business user holds roles; a role grants permissions from the catalogue with one
data scope. For a given permission a user's scope is the widest scope among the roles
that grant it. ``scoped`` turns that scope into a queryset filter, so every list,
picker, export and object look-up of a business type goes through the same rule.
"""

import logging

from django.db import models
from django.db.models import Q

from business.core.api.errors import PublicError

from . import catalogue
from .models import SCOPE_ORDER, DataScope, RoleAssignment
from .scope_paths import ScopePaths

logger = logging.getLogger(__name__)


class PermissionDeniedError(PublicError):
    def __init__(self, permission: str):
        label = catalogue.BY_CODE[permission].label
        super().__init__(
            f"您没有“{label}”的权限。如需办理，请联系本单位管理员为您分配相应角色。",
            code="FORBIDDEN",
        )


class NotFoundError(PublicError):
    """Raised for objects that do not exist and for objects outside the user's scope alike,
    so that a look-up never reveals whether another organisation's record exists."""

    def __init__(self, noun: str = "记录"):
        super().__init__(f"{noun}不存在或不在您的数据范围内，请刷新后重试。", code="NOT_FOUND")


class Access:
    """The permissions of one business user, read from the database once."""

    def __init__(self, user):
        self.user = user
        self.scopes: dict[str, DataScope] = {}
        assignments = RoleAssignment.objects.filter(user=user).select_related("role")
        for assignment in assignments:
            role = assignment.role
            for code in role.permissions:
                current = self.scopes.get(code)
                candidate = DataScope(role.scope)
                if current is None or SCOPE_ORDER.index(candidate) > SCOPE_ORDER.index(current):
                    self.scopes[code] = candidate
        self.role_names = sorted({assignment.role.name for assignment in assignments})

    def has(self, permission: str) -> bool:
        _check_known(permission)
        return permission in self.scopes


def _check_known(permission: str) -> None:
    if permission not in catalogue.BY_CODE:
        raise ValueError(f"unknown permission code {permission!r}; add it to catalogue.py")


def access_for(user) -> Access:
    """Return the user's Access, cached on the user object for the rest of the request."""
    access = getattr(user, "_platform_access", None)
    if access is None:
        access = Access(user)
        user._platform_access = access
    return access


def forget_access(user) -> None:
    """Drop the cached Access, after the user's roles changed."""
    user.__dict__.pop("_platform_access", None)


def has_permission(user, permission: str) -> bool:
    return user is not None and access_for(user).has(permission)


def require_permission(user, permission: str) -> DataScope:
    """Return the user's scope for ``permission`` or raise PermissionDeniedError."""
    if not has_permission(user, permission):
        logger.info("permission %s denied to business user %s", permission, user.pk)
        raise PermissionDeniedError(permission)
    return access_for(user).scopes[permission]


def scope_filter(user, scope: DataScope, paths: ScopePaths) -> Q | None:
    """Return the Q object that limits rows to ``scope``, or None for all rows."""
    if scope == DataScope.ALL:
        return None
    if scope == DataScope.OWN and paths.owner:
        return Q(**{paths.owner: user.pk})
    if scope == DataScope.DIVISION:
        codes = user.organisation.division.descendant_codes()
        return _any_of(f"{path}__in" for path in paths.division_lookups())(codes)
    return _any_of(paths.organisation)(user.organisation_id)


def _any_of(lookups):
    lookups = list(lookups)

    def build(value) -> Q:
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{lookup: value})
        return condition

    return build


def paths_of(model) -> ScopePaths:
    paths = getattr(model, "scope_paths", None)
    if paths is None:
        raise TypeError(f"{model.__name__} declares no scope_paths")
    return paths


def scoped(queryset: models.QuerySet, user, permission: str, paths: ScopePaths | None = None):
    """Filter ``queryset`` to the rows ``user`` may reach with ``permission``.

    Raises PermissionDeniedError when the user lacks the permission. ``paths``
    defaults to the model's ``scope_paths`` attribute.
    """
    scope = require_permission(user, permission)
    condition = scope_filter(user, scope, paths or paths_of(queryset.model))
    if condition is None:
        return queryset
    return queryset.filter(condition)


def get_in_scope(queryset, user, permission: str, pk, noun: str = "记录", paths=None):
    """Return the object ``pk`` if it is in the user's scope, else raise NotFoundError."""
    try:
        return scoped(queryset, user, permission, paths).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(noun) from None
