"""Managing business users on behalf of their organisations.

Wrappers around business.accounts.services that add what an operator (operators.py)
needs: the reach check, the role rules and an audit event naming the real operator.
The accounts functions record their own events with the system as actor, so each
action here appears twice in the audit log: once as the account change, once as
the operator's decision.
"""

import logging
from dataclasses import dataclass

from django.db import transaction

from business.access.models import Role, RoleAssignment
from business.access.scope import NotFoundError, access_for, forget_access
from business.accounts import services as accounts
from business.accounts import sessions
from business.accounts.models import BusinessUser
from business.audit import services as audit
from business.core.api.errors import PublicError

from .management import ManagementError, _distinct_ids
from .models import Organisation
from .operators import Operator
from .registration import _initial_password_for

logger = logging.getLogger(__name__)


class OwnAccountError(PublicError):
    def __init__(self, action: str):
        super().__init__(f"不能{action}自己的账号，请联系本单位其他管理员办理。", code="FORBIDDEN")


@dataclass
class NewPassword:
    """A user together with the one-time password the operator must pass on."""

    user: BusinessUser
    initial_password: str


def _forbid_self(operator: Operator, user: BusinessUser, action: str) -> None:
    if operator.business_user is not None and operator.business_user.pk == user.pk:
        raise OwnAccountError(action)


def _record(operator: Operator, action: str, user: BusinessUser, changes=None) -> None:
    audit.record_event(
        action,
        actor=operator.actor,
        request_info=operator.request_info,
        object_type="business_user",
        object_id=user.pk,
        changes=changes or {},
    )


# --- Roles ---------------------------------------------------------------------------


def assignable_roles(operator: Operator, organisation: Organisation):
    """Roles that ``operator`` may give users of ``organisation``: those of its kind.

    Inside the operator's own organisation a business user may only hand on roles
    whose permissions they hold themselves, so no one raises a colleague above
    their own rights.
    """
    roles = Role.objects.filter(organisation_kind=organisation.kind)
    user = operator.business_user
    if user is None or user.organisation_id != organisation.pk:
        return roles
    own = set(access_for(user).scopes)
    return roles.filter(pk__in=[role.pk for role in roles if set(role.permissions) <= own])


def _roles_for(operator: Operator, organisation: Organisation, role_ids) -> list[Role]:
    ids = []
    for value in role_ids or []:
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            raise ManagementError([("roleIds", "角色编号无效，请刷新后重新选择。", "invalid_id")])
        ids.append(int(text))
    roles = list(assignable_roles(operator, organisation).filter(pk__in=set(ids)))
    if len(roles) != len(set(ids)):
        raise ManagementError(
            [
                (
                    "roleIds",
                    f"所选角色中有不适用于{organisation.get_kind_display()}或您无权分配的角色，请重新选择。",
                    "role_not_assignable",
                )
            ]
        )
    return roles


def _role_codes(user: BusinessUser) -> list[str]:
    return sorted(RoleAssignment.objects.filter(user=user).values_list("role__code", flat=True))


def assign_roles(operator: Operator, user: BusinessUser, role_ids) -> BusinessUser:
    """Replace the user's roles with ``role_ids``; roles must suit the user's organisation."""
    user = operator.get_user(user.pk)
    _forbid_self(operator, user, "修改")
    roles = _roles_for(operator, user.organisation, role_ids)

    before = _role_codes(user)
    with transaction.atomic():
        RoleAssignment.objects.filter(user=user).exclude(role__in=roles).delete()
        for role in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        after = _role_codes(user)
        if before != after:
            _record(
                operator,
                "business_user.assign_roles",
                user,
                {"roles": (",".join(before), ",".join(after))},
            )
    forget_access(user)
    logger.info("Roles of business user %s set to %s", user.pk, after)
    return user


# --- Creating and editing ------------------------------------------------------------


def create_user(
    operator: Operator,
    *,
    organisation_id,
    username: str,
    display_name: str,
    role_ids=(),
) -> NewPassword:
    """Create a business user with a random initial password that must be changed.

    The password is returned once, for the operator to hand over; only its hash is kept.
    """
    organisation = operator.get_user_organisation(organisation_id)
    roles = _roles_for(operator, organisation, role_ids)
    password = _initial_password_for(username.strip())
    with transaction.atomic():
        try:
            user = accounts.create_business_user(
                username=username,
                display_name=display_name,
                organisation=organisation,
                password=password,
                must_change_password=True,
            )
        except accounts.AccountError as error:
            raise ManagementError(error.errors) from None
        for role in roles:
            RoleAssignment.objects.create(user=user, role=role)
        _record(
            operator,
            "business_user.create",
            user,
            {
                "username": (None, user.username),
                "organisation": (None, organisation.pk),
                "roles": (None, ",".join(sorted(role.code for role in roles))),
            },
        )
    logger.info("Operator created business user %s in organisation %s", user.pk, organisation.pk)
    return NewPassword(user=user, initial_password=password)


def update_user(operator: Operator, user: BusinessUser, *, display_name: str) -> BusinessUser:
    """Change the user's name as shown on screens and certificates."""
    user = operator.get_user(user.pk)
    display_name = display_name.strip()
    if not display_name:
        raise ManagementError([("displayName", "请填写姓名。", "required")])
    if len(display_name) > accounts.DISPLAY_NAME_MAX_LENGTH:
        raise ManagementError(
            [
                (
                    "displayName",
                    f"姓名不能超过 {accounts.DISPLAY_NAME_MAX_LENGTH} 个字符。",
                    "too_long",
                )
            ]
        )
    if display_name == user.display_name:
        return user
    with transaction.atomic():
        before = user.display_name
        user.display_name = display_name
        user.save(update_fields=["display_name"])
        _record(operator, "business_user.update", user, {"display_name": (before, display_name)})
    return user


def set_user_active(operator: Operator, user: BusinessUser, active: bool) -> BusinessUser:
    """Enable or disable a user; disabling also ends every session and token at once."""
    user = operator.get_user(user.pk)
    _forbid_self(operator, user, "停用" if not active else "启用")
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        ended = 0 if active else sessions.end_all_sessions(user)
        _record(
            operator,
            "business_user.enable" if active else "business_user.disable",
            user,
            {"is_active": (not active, active)},
        )
    logger.info("Business user %s is now %s; %d sessions ended", user.pk, active, ended)
    return user


def reset_user_password(operator: Operator, user: BusinessUser) -> NewPassword:
    """Give the user a new random password that must be changed at the next sign-in."""
    user = operator.get_user(user.pk)
    _forbid_self(operator, user, "重置")
    password = _initial_password_for(user.username)
    with transaction.atomic():
        try:
            user = accounts.reset_password(user, password)
        except accounts.AccountError as error:
            raise ManagementError(error.errors) from None
        _record(operator, "business_user.reset_password", user)
    return NewPassword(user=user, initial_password=password)


def unlock_user(operator: Operator, user: BusinessUser) -> BusinessUser:
    """End a sign-in lockout before its time."""
    user = operator.get_user(user.pk)
    with transaction.atomic():
        user = accounts.unlock_business_user(user)
        _record(operator, "business_user.unlock", user)
    return user


def move_users(operator: Operator, user_ids, organisation_id) -> int:
    """Move business users to another organisation of the same kind; return how many moved.

    Roles are kept, because they belong to the same kind of organisation. All or
    none move.
    """
    ids = _distinct_ids(user_ids, "userIds", "用户")
    users = list(operator.users().filter(pk__in=ids).select_related("organisation"))
    if len(users) != len(ids):
        raise NotFoundError("部分用户")
    target = operator.get_user_organisation(organisation_id)
    if not target.is_active:
        raise ManagementError(
            [
                (
                    "organisationId",
                    f"单位“{target.name}”已停用，不能把用户移入，请先启用。",
                    "inactive",
                )
            ]
        )
    other_kind = [user for user in users if user.organisation.kind != target.kind]
    if other_kind:
        names = "、".join(user.display_name for user in other_kind[:5])
        raise ManagementError(
            [
                (
                    "organisationId",
                    f"只能把用户移到同类单位：{names} 不属于{target.get_kind_display()}，请取消选择。",
                    "kind_mismatch",
                )
            ]
        )

    moved = 0
    with transaction.atomic():
        for user in users:
            if user.organisation_id == target.pk:
                continue
            _forbid_self(operator, user, "移动")
            before = user.organisation_id
            user.organisation = target
            user.save(update_fields=["organisation"])
            _record(operator, "business_user.move", user, {"organisation": (before, target.pk)})
            moved += 1
    logger.info("Moved %d business users to organisation %s", moved, target.pk)
    return moved
