"""Operators of organisation and user management, and how far each reaches.

Two kinds of operator run the same management services:

* the system administrator (Wagtail group 系统管理员, and superusers) in the Wagtail
  admin reaches every organisation and business user;
* a business user reaches what ``business.access`` grants: ``organisations.manage``
  for organisations (a regulator's division and below) and ``users.manage`` for
  business users (usually the own organisation).

The services ask the operator for the reachable rows, so a row outside the reach
behaves as if it did not exist (NotFoundError), as everywhere in the API.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from business.access import scope as access
from business.access.models import DataScope
from business.audit import services as audit
from business.audit.models import AuditEvent
from business.audit.roles import SYSTEM_ADMINISTRATORS
from business.reference.models import Division

from .models import Organisation

ORGANISATIONS_PERMISSION = "organisations.manage"
USERS_PERMISSION = "users.manage"


def is_system_administrator(user) -> bool:
    """Return whether an admin-side ``user`` may manage organisations and business users."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=SYSTEM_ADMINISTRATORS).exists()


@dataclass
class Operator:
    """The person running a management action, with their reach and audit identity."""

    actor: audit.Actor
    request_info: audit.RequestInfo
    # The business user behind the action; None for an administrator.
    business_user: object = None
    _division_codes: dict = field(default_factory=dict)

    @property
    def is_administrator(self) -> bool:
        return self.business_user is None

    # --- Organisations -------------------------------------------------------------

    def organisations(self) -> QuerySet:
        """Organisations this operator may view and change."""
        rows = Organisation.objects.all()
        if self.is_administrator:
            return rows
        return access.scoped(rows, self.business_user, ORGANISATIONS_PERMISSION)

    def reachable_division_codes(self, permission: str = ORGANISATIONS_PERMISSION):
        """Return the division codes this operator may place organisations in, or None for all.

        A scope narrower than a division (own organisation, own records) reaches no
        division, so such an operator can edit but never create or move organisations.
        """
        if self.is_administrator:
            return None
        if permission not in self._division_codes:
            scope = access.require_permission(self.business_user, permission)
            if scope == DataScope.ALL:
                codes = None
            elif scope == DataScope.DIVISION:
                codes = self.business_user.organisation.division.descendant_codes()
            else:
                codes = frozenset()
            self._division_codes[permission] = codes
        return self._division_codes[permission]

    def reaches_division(self, division: Division) -> bool:
        codes = self.reachable_division_codes()
        return codes is None or division.code in codes

    def get_organisation(self, pk) -> Organisation:
        return _get(self.organisations(), pk, "单位")

    # --- Business users ------------------------------------------------------------

    def users(self) -> QuerySet:
        """Business users this operator may view and change."""
        from business.accounts.models import BusinessUser

        rows = BusinessUser.objects.all()
        if self.is_administrator:
            return rows
        return access.scoped(rows, self.business_user, USERS_PERMISSION)

    def user_organisations(self) -> QuerySet:
        """Organisations this operator may create business users in or move them to."""
        rows = Organisation.objects.all()
        if self.is_administrator:
            return rows
        return access.scoped(rows, self.business_user, USERS_PERMISSION)

    def get_user(self, pk):
        return _get(self.users(), pk, "用户")

    def get_user_organisation(self, pk) -> Organisation:
        return _get(self.user_organisations(), pk, "单位")


def _get(queryset, pk, noun: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise access.NotFoundError(noun) from None


def administrator_operator(user, request) -> Operator:
    """Build the operator for a system administrator in the Wagtail admin."""
    return Operator(
        actor=audit.Actor(
            table=AuditEvent.ActorTable.ADMIN,
            id=user.pk,
            name=user.get_username(),
            role=SYSTEM_ADMINISTRATORS if not user.is_superuser else "超级用户",
        ),
        request_info=audit.request_info_from(request, AuditEvent.Channel.ADMIN),
    )


def business_operator(user, request, channel: str) -> Operator:
    """Build the operator for a signed-in business user of the workbench."""
    return Operator(
        actor=audit.business_actor(user),
        request_info=audit.request_info_from(request, channel),
        business_user=user,
    )
