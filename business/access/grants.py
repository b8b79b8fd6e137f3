"""Role grants to business users, in the Wagtail admin, for the security administrator only.

The system administrator creates and disables business accounts but may not grant
roles (SECURITY.md AC-4, AC-5): granting is an authorisation decision, so it lives
with the security administrator, and every change is audited with the roles before
and after (business.organisations.staff.assign_roles writes the event).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from business.accounts.models import BusinessUser
from business.organisations import management, staff
from business.organisations.operators import administrator_operator

from .admin import is_security_administrator
from .models import Role

# Users listed per search; the security administrator narrows by name for more.
LIST_LIMIT = 50


def _require_security_administrator(request) -> None:
    if not is_security_administrator(request.user):
        raise PermissionDenied


class GrantForm(forms.Form):
    roles = forms.ModelMultipleChoiceField(
        label="角色",
        queryset=Role.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="只列出适用于该用户所在单位类型的角色。",
    )

    def __init__(self, *args, user: BusinessUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Role.objects.filter(
            organisation_kind=user.organisation.kind
        ).order_by("code")


def grant_list_view(request):
    _require_security_administrator(request)

    query = request.GET.get("q", "").strip()[:50]
    users = BusinessUser.objects.select_related("organisation").order_by("username")
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(display_name__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    rows = [
        (user, ", ".join(user.role_assignments.values_list("role__name", flat=True)))
        for user in users[:LIST_LIMIT]
    ]
    return TemplateResponse(
        request,
        "access/admin/grant_list.html",
        {"page_title": "业务用户授权", "rows": rows, "query": query, "limit": LIST_LIMIT},
    )


def grant_edit_view(request, user_id: int):
    _require_security_administrator(request)

    user = get_object_or_404(BusinessUser.objects.select_related("organisation"), pk=user_id)
    current = list(user.role_assignments.values_list("role_id", flat=True))
    form = GrantForm(request.POST or None, user=user, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        operator = administrator_operator(request.user, request)
        try:
            staff.assign_roles(operator, user, [role.pk for role in form.cleaned_data["roles"]])
        except management.ManagementError as error:
            for _, message, _ in error.errors:
                form.add_error(None, message)
        else:
            messages.success(request, f"已更新“{user.display_name}”的角色。")
            return redirect("access_grants")
    return TemplateResponse(
        request,
        "access/admin/grant_edit.html",
        {"page_title": f"授予角色：{user}", "account": user, "form": form},
    )
