"""Wagtail admin of business roles, for the security administrator only (三员分立).

The security administrator composes roles from the permission catalogue and sets
their data scope. The system administrator, the audit administrator and even
superusers get no access, so account management and authorisation stay with
different people. Built-in roles may be edited but never deleted, and every
create, edit and delete is written to the audit log with the permissions before
and after.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from business.audit import services as audit
from business.audit.models import AuditEvent
from business.audit.roles import SECURITY_ADMINISTRATORS

from . import catalogue
from .models import Role


def is_security_administrator(user) -> bool:
    """Group membership, not a permission: a superuser is not a security administrator."""
    return (
        user.is_authenticated
        and user.is_active
        and user.groups.filter(name=SECURITY_ADMINISTRATORS).exists()
    )


class RolePermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return is_security_administrator(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.is_builtin:
            return False
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return Role.objects.all()
        return Role.objects.none()


register_permission_policy(Role, RolePermissionPolicy(Role), exact_class=True)

_KIND_LABELS = {
    catalogue.ENTERPRISE: "企业",
    catalogue.INSTITUTION: "技术机构",
    catalogue.REGULATOR: "监管部门",
}


def grouped_permission_choices() -> list:
    """Catalogue permissions grouped by the organisation kinds they suit, for the checkboxes."""
    groups: dict[str, list] = {}
    for permission in catalogue.PERMISSIONS:
        if set(permission.kinds) == set(catalogue.ALL_KINDS):
            label = "所有单位"
        else:
            label = "、".join(_KIND_LABELS[kind] for kind in permission.kinds)
        groups.setdefault(label, []).append(
            (permission.code, f"{permission.label}（{permission.code}）")
        )
    return list(groups.items())


class RoleForm(WagtailAdminModelForm):
    permissions = forms.MultipleChoiceField(
        label="权限",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=grouped_permission_choices,
        help_text="只能勾选适用于该单位类型的权限。",
    )

    class Meta:
        model = Role
        fields = ["code", "name", "organisation_kind", "scope", "description", "permissions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Code refers to built-in roles by code, and users already hold the role.
            self.fields["code"].disabled = True
            self.fields["organisation_kind"].disabled = True


def _actor(request) -> audit.Actor:
    return audit.Actor(
        table=AuditEvent.ActorTable.ADMIN,
        id=request.user.pk,
        name=request.user.get_username(),
        role=SECURITY_ADMINISTRATORS,
    )


def _record(request, action: str, role: Role, changes) -> None:
    audit.record_event(
        action,
        actor=_actor(request),
        request_info=audit.request_info_from(request, AuditEvent.Channel.ADMIN),
        object_type="role",
        object_id=role.pk,
        changes=changes,
    )


def _permissions_text(codes) -> str:
    return ",".join(sorted(codes))


class RoleCreateView(generic.CreateView):
    def save_instance(self):
        role = super().save_instance()
        _record(
            self.request,
            "role.create",
            role,
            {
                "code": (None, role.code),
                "scope": (None, role.scope),
                "permissions": (None, _permissions_text(role.permissions)),
            },
        )
        return role


class RoleEditView(generic.EditView):
    def save_instance(self):
        before = Role.objects.get(pk=self.object.pk)
        role = super().save_instance()
        changes = {}
        for field in ("name", "scope", "description"):
            if getattr(before, field) != getattr(role, field):
                changes[field] = (getattr(before, field), getattr(role, field))
        if set(before.permissions) != set(role.permissions):
            changes["permissions"] = (
                _permissions_text(before.permissions),
                _permissions_text(role.permissions),
            )
        _record(self.request, "role.update", role, changes)
        return role


class RoleDeleteView(generic.DeleteView):
    def delete_action(self):
        if self.object.is_builtin:
            raise PermissionDenied
        _record(
            self.request,
            "role.delete",
            self.object,
            {
                "code": (self.object.code, None),
                "permissions": (_permissions_text(self.object.permissions), None),
            },
        )
        super().delete_action()


class RoleViewSet(ModelViewSet):
    model = Role
    icon = "key"
    menu_label = "业务角色"
    add_to_admin_menu = True
    menu_order = 310
    add_view_class = RoleCreateView
    edit_view_class = RoleEditView
    delete_view_class = RoleDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["name", "code", "organisation_kind", "scope", "is_builtin"]
    list_filter = ["organisation_kind", "scope"]
    search_fields = ["name", "code"]

    def get_form_class(self, for_update=False):
        return RoleForm
