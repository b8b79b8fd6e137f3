"""Portal back office in the Wagtail admin: visitor analytics and the login log.

The analytics report needs the permission "门户统计 | 页面浏览 | Can view"
(``analytics.view_pageview``), which the security administrator grants to portal
editors' groups. The login log is an audit record, so only the audit and security
administrators read it. It is read-only for everyone, and each viewing is recorded in
the audit log, as the audit log viewer does.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from business.accounts.models import LoginLog
from business.audit import services as audit
from business.audit.models import AuditEvent
from business.audit.roles import AUDIT_ADMINISTRATORS, SECURITY_ADMINISTRATORS

from . import services
from .schema import AnalyticsMutation

REPORT_PERMISSION = "analytics.view_pageview"
REPORT_PERIODS = (7, 30, 90)


@hooks.register("register_schema_mutation")
def add_analytics_mutations(mutation_mixins):
    mutation_mixins.append(AnalyticsMutation)


# --- visitor analytics report -----------------------------------------------------------


class AnalyticsReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "门户统计"
    header_icon = "view"
    template_name = "analytics/report.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            days = int(self.request.GET.get("days", 30))
        except ValueError:
            days = 30
        days = days if days in REPORT_PERIODS else 30
        context["report"] = services.report(days)
        context["periods"] = REPORT_PERIODS
        context["retention_days"] = services.retention_days()
        return context


@hooks.register("register_admin_urls")
def register_analytics_urls():
    return [path("portal-analytics/", AnalyticsReportView.as_view(), name="portal_analytics")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_analytics_menu_item():
    return ReportMenuItem("门户统计", reverse("portal_analytics"), icon_name="view", order=850)


# --- login log ------------------------------------------------------------------------------


def can_read_login_log(user) -> bool:
    return user.is_active and user.groups.filter(
        name__in=[AUDIT_ADMINISTRATORS, SECURITY_ADMINISTRATORS]
    ).exists()


class LoginLogPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action in {"view", "inspect"} and can_read_login_log(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def _record_viewing(request, action: str, object_id="") -> None:
    role = "审计管理员" if request.user.groups.filter(name=AUDIT_ADMINISTRATORS).exists() else "安全管理员"
    audit.record_event(
        action,
        actor=audit.Actor(
            table=AuditEvent.ActorTable.ADMIN,
            id=request.user.pk,
            name=request.user.get_username(),
            role=role,
        ),
        request_info=audit.request_info_from(request, AuditEvent.Channel.ADMIN),
        object_type="login_log",
        object_id=object_id,
    )


class LoginLogIndexView(generic.IndexView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        _record_viewing(request, "login_log.view_list")
        return response


class LoginLogInspectView(generic.InspectView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        _record_viewing(request, "login_log.view_entry", object_id=self.object.pk)
        return response


# Registered before the viewset is built, as Wagtail 8 expects for custom policies.
register_permission_policy(LoginLog, LoginLogPermissionPolicy(LoginLog), exact_class=True)


class LoginLogViewSet(ModelViewSet):
    model = LoginLog
    icon = "key"
    menu_label = "登录日志"
    menu_order = 860
    add_to_admin_menu = True
    index_view_class = LoginLogIndexView
    inspect_view_class = LoginLogInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    ordering = ["-created_at"]
    list_display = ["created_at", "username", "ip_address", "channel", "result", "reason"]
    list_filter = ["result", "channel", "reason", "created_at"]
    search_fields = ["username", "ip_address"]
    inspect_view_fields = [
        "created_at", "username", "user", "ip_address", "user_agent", "channel", "result", "reason",
    ]
    # Required by ModelViewSet for its create and edit views, which the policy refuses.
    form_fields = ["username"]


@hooks.register("register_admin_viewset")
def register_login_log_viewset():
    return LoginLogViewSet("login_log")
