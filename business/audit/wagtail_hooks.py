"""The audit log viewer in the Wagtail admin, for the audit administrator only.

It is read-only for everyone: the add, edit and delete views refuse all users,
superusers included, because audit events are append-only. Only members of the
audit administrator group can list or inspect events, and each viewing is itself
recorded in the audit log. The viewer excludes events performed by the administrator who is viewing.

The audit administrator exports the filtered list as CSV or Excel (the list's
"export" buttons, ``?export=csv`` or ``?export=xlsx``); each export is recorded as
``audit.export`` with its filters and row count.
"""

import json

from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services
from .chain import CONTENT_FIELDS
from .export import COLUMNS
from .models import AuditEvent
from .roles import is_audit_administrator


class AuditEventPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in {"view", "inspect"}:
            return is_audit_administrator(user)
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


# Registered before the viewset is built, so every admin view that checks permissions
# on audit events uses this policy.
register_permission_policy(AuditEvent, AuditEventPermissionPolicy(AuditEvent), exact_class=True)


def _admin_actor(user) -> services.Actor:
    return services.Actor(
        table=AuditEvent.ActorTable.ADMIN,
        id=user.pk,
        name=user.get_username(),
        role="审计管理员",
    )


def _record_viewing(request, action: str, object_id="") -> None:
    services.record_event(
        action,
        actor=_admin_actor(request.user),
        request_info=services.request_info_from(request, AuditEvent.Channel.ADMIN),
        object_type="audit_event",
        object_id=object_id,
    )


def _visible_events(request):
    # Separation of duties: an administrator does not review the record of their own actions.
    return AuditEvent.objects.exclude(
        actor_table=AuditEvent.ActorTable.ADMIN, actor_id=str(request.user.pk)
    )


# Spreadsheets run a cell that starts with one of these as a formula, so such
# text gets a leading apostrophe in CSV (CSV injection). openpyxl cells are
# written as text by Wagtail already.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class AuditEventIndexView(generic.IndexView):
    export_filename = "audit-events"

    def get_base_queryset(self):
        return _visible_events(self.request).order_by("-sequence")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.is_export:
            _record_export(request, self.request.GET.get("export"), self._export_count)
        else:
            _record_viewing(request, "audit.view_list")
        return response

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # Counted before streaming, so the audit event states how many rows left.
        self._export_count = queryset.count()
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def preprocess_field_value(self, field, value, export_format):
        if field == "changes":
            value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str) and value.startswith(_FORMULA_STARTS):
            return "'" + value
        return value

    def stream_csv(self, queryset):
        # A byte order mark makes Excel read the file as UTF-8 and show the Chinese text.
        yield "\ufeff"
        yield from super().stream_csv(queryset)


def _record_export(request, export_format: str, count: int) -> None:
    filters = {
        key: request.GET.getlist(key)
        for key in sorted(request.GET)
        if key not in {"export", "p"}
    }
    services.record_event(
        "audit.export",
        actor=_admin_actor(request.user),
        request_info=services.request_info_from(request, AuditEvent.Channel.ADMIN),
        object_type="audit_event",
        changes={
            "format": (None, export_format),
            "filters": (None, json.dumps(filters, ensure_ascii=False, sort_keys=True)),
            "rows": (None, count),
        },
    )


class AuditEventInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(_visible_events(self.request), pk=self.pk)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        _record_viewing(request, "audit.view_event", object_id=self.object.sequence)
        return response


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "list-ul"
    menu_label = "审计日志"
    add_to_admin_menu = True
    index_view_class = AuditEventIndexView
    inspect_view_class = AuditEventInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    list_display = ["sequence", "occurred_at", "actor_name", "action", "object_id", "result"]
    list_filter = ["actor_table", "channel", "result", "action", "occurred_at"]
    list_export = [name for name, _ in COLUMNS]
    export_headings = dict(COLUMNS)
    search_fields = ["action", "actor_name", "object_id"]
    # Every field the chain MAC covers, except the link to the previous event.
    inspect_view_fields = [field for field in CONTENT_FIELDS if field != "previous_mac"]
    # Required by ModelViewSet for its (refused) create and edit views.
    form_fields = ["reason"]


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEventViewSet("audit_events")
