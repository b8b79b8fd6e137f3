"""Wagtail admin pages of account security.

- The TOTP step after an admin's password, and the page where an admin account turns
  TOTP on or off.
- The list of online business sessions with forced logout, for the security
  administrator (安全管理员) group only.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from business.audit import services as audit
from business.audit.models import AuditEvent
from business.audit.roles import SECURITY_ADMINISTRATORS

from . import admin_security, sessions
from .models import AdminSecurityState, OnlineSession

logger = logging.getLogger(__name__)

ONLINE_SESSIONS_PER_PAGE = 50


def is_security_administrator(user) -> bool:
    """Membership of the security administrator group, not a permission, like the audit viewer."""
    return user.is_active and user.groups.filter(name=SECURITY_ADMINISTRATORS).exists()


class AdminSecondFactorView(WagtailAdminTemplateMixin, TemplateView):
    """Ask a signed-in admin for the TOTP code before any other admin page."""

    template_name = "accounts/admin/second_factor.html"
    page_title = "两步验证"
    header_icon = "key"

    def post(self, request):
        code = request.POST.get("code", "")
        if admin_security.verify_admin_totp(request.user, code):
            admin_security.mark_verified(request, request.user)
            audit.record_event(
                "admin.second_factor.verify",
                actor=admin_security.admin_actor(request.user),
                request_info=audit.request_info_from(request, AuditEvent.Channel.ADMIN),
                object_type="admin_user",
                object_id=request.user.pk,
            )
            return redirect(admin_security.safe_next(request, reverse("wagtailadmin_home")))
        audit.record_event(
            "admin.second_factor.verify",
            actor=admin_security.admin_actor(request.user),
            request_info=audit.request_info_from(request, AuditEvent.Channel.ADMIN),
            result=AuditEvent.Result.FAILURE,
            reason="invalid_code",
            object_type="admin_user",
            object_id=request.user.pk,
        )
        context = self.get_context_data(error="动态口令不正确或已使用，请输入验证器中当前显示的 6 位数字。")
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = admin_security.safe_next(self.request, reverse("wagtailadmin_home"))
        return context


class AdminTotpSetupView(WagtailAdminTemplateMixin, TemplateView):
    """Turn TOTP on (scan, confirm with the first code) or off for one's own admin account."""

    template_name = "accounts/admin/totp_setup.html"
    page_title = "动态口令设置"
    header_icon = "key"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enabled = admin_security.has_confirmed_totp(self.request.user)
        context["enabled"] = enabled
        if not enabled:
            context["enrolment"] = admin_security.start_admin_enrolment(self.request.user)
        return context

    def post(self, request):
        code = request.POST.get("code", "")
        if request.POST.get("action") == "disable":
            if admin_security.verify_admin_totp(request.user, code):
                admin_security.reset_admin_totp(
                    request.user, request, actor=admin_security.admin_actor(request.user)
                )
                messages.success(request, "已停用动态口令。")
                return redirect("accounts_admin_totp_setup")
            return self.render_to_response(
                self.get_context_data(error="动态口令不正确，未停用。")
            )
        if admin_security.confirm_admin_enrolment(request, request.user, code):
            messages.success(request, "动态口令已启用，以后登录管理后台时需输入动态口令。")
            return redirect(admin_security.safe_next(request, reverse("wagtailadmin_home")))
        return self.render_to_response(
            self.get_context_data(error="动态口令不正确，请核对手机时间后输入当前显示的 6 位数字。")
        )


class OnlineSessionsView(WagtailAdminTemplateMixin, TemplateView):
    """All online business sessions, with forced logout; security administrators only."""

    template_name = "accounts/admin/online_sessions.html"
    page_title = "在线用户"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not is_security_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = sessions.active_sessions()
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(user__username__icontains=query)
        page = Paginator(queryset, ONLINE_SESSIONS_PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(page=page, query=query)
        return context

    def post(self, request):
        records = OnlineSession.objects.select_related("user")
        record = get_object_or_404(records, pk=request.POST.get("id"))
        sessions.end_online_session(record)
        audit.record_event(
            "account.session.force_end",
            actor=audit.Actor(
                table=AuditEvent.ActorTable.ADMIN,
                id=request.user.pk,
                name=request.user.get_username(),
                role=SECURITY_ADMINISTRATORS,
            ),
            request_info=audit.request_info_from(request, AuditEvent.Channel.ADMIN),
            object_type="online_session",
            object_id=record.pk,
            changes={"user": (record.user.username, None)},
        )
        logger.info(
            "Admin %s ended online session %s of business user %s",
            request.user.pk,
            record.pk,
            record.user_id,
        )
        name = f"{record.user.display_name}（{record.user.username}）"
        messages.success(request, f"已强制退出 {name} 的这次登录。")
        return redirect("accounts_online_sessions")


def admin_totp_enabled(user) -> bool:
    return AdminSecurityState.objects.filter(user=user, totp_confirmed_at__isnull=False).exists()
