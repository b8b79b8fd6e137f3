"""Wagtail admin screens of the system administrator: organisations, their attributes and business users.

Only the system administrator group (and superusers) reaches them. Every change
goes through the same services as the workbench (management.py, staff.py) with an
administrator operator, so the rules and the audit events are the same. The
security administrator manages roles elsewhere and gets none of these screens.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from business.accounts.models import BusinessUser
from business.reference.models import Division

from . import attributes as attribute_values
from . import management, staff
from .models import Organisation, OrganisationAttribute
from .operators import administrator_operator, is_system_administrator

FORM_FIELDS = {
    "name": "name",
    "creditCode": "credit_code",
    "divisionCode": "division",
    "address": "address",
    "kind": "kind",
    "username": "username",
    "displayName": "display_name",
    "roleIds": "roles",
    "organisation": "organisation",
    "organisationId": "organisation",
    "password": None,
}


def add_problems(form, problems, view=None) -> None:
    """Put service problems on the form: on their field when it exists, else on the form."""
    if view is not None:
        # Wagtail's form_invalid shows this above the form.
        view.produced_error_message = "保存失败，请按提示修改后重试。"
    for field, message, _code in problems:
        name = FORM_FIELDS.get(field, field)
        if name and name.startswith(attribute_values.FIELD_PREFIX):
            name = "attr_" + name[len(attribute_values.FIELD_PREFIX) :]
        form.add_error(name if name in form.fields else None, message)


class SystemAdministratorPolicy(ModelPermissionPolicy):
    """Every action for the system administrator; nothing for anyone else."""

    forbidden_actions: frozenset = frozenset()

    def user_has_permission(self, user, action):
        return action not in self.forbidden_actions and is_system_administrator(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return self.model._default_manager.all()
        return self.model._default_manager.none()


class BusinessUserPolicy(SystemAdministratorPolicy):
    # Business users are disabled, not deleted, so their audit trail keeps its actor.
    forbidden_actions = frozenset({"delete"})


# Registered before the viewsets are built, so every admin view on these models uses them.
register_permission_policy(Organisation, SystemAdministratorPolicy(Organisation), exact_class=True)
register_permission_policy(
    OrganisationAttribute, SystemAdministratorPolicy(OrganisationAttribute), exact_class=True
)
register_permission_policy(BusinessUser, BusinessUserPolicy(BusinessUser), exact_class=True)


# --- Organisations --------------------------------------------------------------------


class OrganisationFilterSet(WagtailFilterSet):
    division_within = django_filters.CharFilter(
        label="行政区划代码（含下级）", method="filter_division_within"
    )
    attribute = django_filters.ModelChoiceFilter(
        label="自定义属性", queryset=OrganisationAttribute.objects.all(), method="filter_attribute"
    )
    attribute_value = django_filters.CharFilter(label="属性值", method="ignore")

    class Meta:
        model = Organisation
        fields = ["kind", "is_active"]

    def filter_division_within(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(division_id__in=Division.collect_descendant_codes(value.strip()))

    def filter_attribute(self, queryset, name, attribute):
        value = self.data.get("attribute_value", "")
        if not attribute or not value:
            return queryset
        try:
            condition = attribute_values.filter_condition(attribute, value)
        except ValueError:
            return queryset.none()
        return queryset.filter(condition, kind=attribute.organisation_kind)

    def ignore(self, queryset, name, value):
        return queryset


class OrganisationForm(WagtailAdminModelForm):
    """Organisation fields plus one field per attribute of its kind, named ``attr_<key>``."""

    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    class Meta:
        model = Organisation
        fields = ["kind", "name", "credit_code", "division", "address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(is_admin_division=True)
        self.fields["credit_code"].validators = []
        if self.instance.pk:
            self.fields["kind"].disabled = True
            self.fields["division"].disabled = True
            self.fields["division"].help_text = "移到其他区划请用“批量移动”。"
            self.fields["is_active"].initial = self.instance.is_active
        kind = self.instance.kind if self.instance.pk else (self.data.get("kind") or "")
        for attribute in OrganisationAttribute.objects.all():
            if kind and attribute.organisation_kind != kind:
                continue
            self.fields["attr_" + attribute.key] = forms.CharField(
                label=f"{attribute.name}（{attribute.get_organisation_kind_display()}）",
                required=False,
                initial=self.instance.attributes.get(attribute.key, "") if self.instance.pk else "",
                help_text=_attribute_help(attribute),
            )

    def _post_clean(self):
        # The services check every field with the platform's messages; skip the model's
        # own validation so that each problem is reported once.
        pass

    def attribute_values(self) -> dict:
        return {
            name[len("attr_") :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("attr_")
        }


def _attribute_help(attribute: OrganisationAttribute) -> str:
    parts = ["必填" if attribute.required else "选填", attribute.get_data_type_display()]
    if attribute.options:
        parts.append("可选：" + "、".join(attribute.options))
    if attribute.data_type == OrganisationAttribute.DataType.DATE:
        parts.append("格式 2026-03-01")
    return "；".join(parts)


class OrganisationIndexView(generic.IndexView):
    @cached_property
    def header_buttons(self):
        return super().header_buttons + [
            HeaderButton("区划树", url=reverse("organisations_admin:tree"), icon_name="site"),
            HeaderButton("批量移动", url=reverse("organisations_admin:move"), icon_name="resubmit"),
        ]


def division_tree_view(request):
    """Show every division with its organisation count, each linking to the filtered list."""
    _require_system_administrator(request)
    counts = dict(
        Organisation.objects.values_list("division").annotate(total=Count("pk")).order_by()
    )
    children: dict[str | None, list] = {}
    for division in Division.objects.filter(is_admin_division=True).order_by("code"):
        children.setdefault(division.parent_id, []).append(division)

    def branch(parent_code):
        return [
            {
                "division": division,
                "count": counts.get(division.code, 0),
                "children": branch(division.code),
            }
            for division in children.get(parent_code, [])
        ]

    return TemplateResponse(
        request,
        "organisations/admin/division_tree.html",
        {"page_title": "按行政区划查看单位", "nodes": branch(None)},
    )


class OrganisationCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        division = data.get("division")
        return management.create_organisation(
            administrator_operator(self.request.user, self.request),
            kind=data.get("kind") or "",
            name=data.get("name") or "",
            division_code=division.code if division else "",
            credit_code=data.get("credit_code") or "",
            address=data.get("address") or "",
            attributes=self.form.attribute_values(),
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except management.ManagementError as error:
            add_problems(form, error.errors, self)
            return self.form_invalid(form)


class OrganisationEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        operator = administrator_operator(self.request.user, self.request)
        organisation = Organisation.objects.get(pk=self.object.pk)
        organisation = management.update_organisation(
            operator,
            organisation,
            name=data.get("name") or "",
            credit_code=data.get("credit_code") or "",
            address=data.get("address") or "",
            attributes=self.form.attribute_values(),
        )
        return management.set_organisation_active(
            operator, organisation, data.get("is_active", False)
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except management.ManagementError as error:
            add_problems(form, error.errors, self)
            return self.form_invalid(form)


class OrganisationDeleteView(generic.DeleteView):
    def get(self, request, *args, **kwargs):
        blockers = management.deletion_blockers(self.object)
        if blockers:
            messages.warning(
                request,
                f"该单位仍有以下数据，删除会被拒绝：{'、'.join(blockers)}。可改为停用该单位。",
            )
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            management.delete_organisation(
                administrator_operator(self.request.user, self.request), self.object
            )
        except management.ManagementError as error:
            for _, message, _ in error.errors:
                messages.error(self.request, message)
            return redirect(self.get_success_url())
        messages.success(self.request, f"已删除单位“{self.object.name}”。")
        return redirect(self.get_success_url())


# A batch form lists at most this many rows; narrow it by the source filter for more.
BATCH_FORM_ROWS = 500


def _first_rows(rows):
    # A choice field filters its queryset when it validates, so it cannot be sliced.
    return rows.filter(pk__in=list(rows.values_list("pk", flat=True)[:BATCH_FORM_ROWS]))


class MoveOrganisationsForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label="要移动的单位",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    division = forms.ModelChoiceField(
        label="移到行政区划", queryset=Division.objects.filter(is_admin_division=True)
    )

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = Organisation.objects.select_related("division").order_by("kind", "name")
        if source:
            rows = rows.filter(division_id=source)
        self.fields["organisations"].queryset = _first_rows(rows)
        self.fields["organisations"].label_from_instance = lambda row: (
            f"{row.name}（{row.get_kind_display()}，{row.division.name}）"
        )


def _require_system_administrator(request):
    if not is_system_administrator(request.user):
        raise PermissionDenied


def move_organisations_view(request):
    """Batch move: pick organisations of one division (``?division=``) and a target division."""
    _require_system_administrator(request)
    source = request.GET.get("division", "").strip()
    form = MoveOrganisationsForm(request.POST or None, source=source or None)
    if request.method == "POST" and form.is_valid():
        ids = [row.pk for row in form.cleaned_data["organisations"]]
        try:
            moved = management.move_organisations(
                administrator_operator(request.user, request),
                ids,
                form.cleaned_data["division"].code,
            )
        except management.ManagementError as error:
            add_problems(form, [(None, message, code) for _, message, code in error.errors])
        else:
            messages.success(request, f"已移动 {moved} 个单位。")
            return redirect("organisations_admin:index")
    return TemplateResponse(
        request,
        "organisations/admin/batch_form.html",
        {
            "form": form,
            "page_title": "批量移动单位",
            "source": source,
            "source_label": "来源区划代码",
        },
    )


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = "组织机构"
    add_to_admin_menu = True
    menu_order = 300
    index_view_class = OrganisationIndexView
    add_view_class = OrganisationCreateView
    edit_view_class = OrganisationEditView
    delete_view_class = OrganisationDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_per_page = 50
    list_display = ["name", "kind", "division", "is_active", "credit_code"]
    filterset_class = OrganisationFilterSet
    search_fields = ["name", "credit_code"]
    ordering = ["division_id", "name"]

    def get_form_class(self, for_update=False):
        return OrganisationForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("move/", move_organisations_view, name="move"),
            path("tree/", division_tree_view, name="tree"),
        ]


class OrganisationAttributeForm(WagtailAdminModelForm):
    options_text = forms.CharField(
        label="可选值",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="数据类型为“选项”时填写，每行一个可选值。",
    )

    class Meta:
        model = OrganisationAttribute
        fields = ["organisation_kind", "name", "data_type", "required", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(self.instance.options)
            # Values are stored per kind; changing the kind would orphan them.
            self.fields["organisation_kind"].disabled = True

    def clean(self):
        cleaned = super().clean()
        self.instance.options = (cleaned.get("options_text") or "").splitlines()
        return cleaned


class OrganisationAttributeViewSet(ModelViewSet):
    model = OrganisationAttribute
    icon = "list-ul"
    menu_label = "单位自定义属性"
    add_to_admin_menu = True
    menu_order = 301
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["name", "organisation_kind", "data_type", "required", "sort_order"]
    list_filter = ["organisation_kind", "data_type"]
    form_fields = ["organisation_kind", "name", "data_type", "required", "sort_order"]

    def get_form_class(self, for_update=False):
        return OrganisationAttributeForm


# --- Business users -------------------------------------------------------------------


class BusinessUserForm(WagtailAdminModelForm):
    # No roles field: the system administrator creates accounts, the security
    # administrator grants roles (业务用户授权, business/access/grants.py).
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    class Meta:
        model = BusinessUser
        fields = ["username", "display_name", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators = []
        # TODO: replace the plain select with a searchable chooser once the platform has
        # thousands of organisations; a select lists every active one.
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "name"
        )
        if self.instance.pk:
            self.fields["username"].disabled = True
            self.fields["organisation"].disabled = True
            self.fields["organisation"].help_text = "调到其他单位请用“批量移动用户”。"
            self.fields["is_active"].initial = self.instance.is_active
        else:
            del self.fields["is_active"]

    def _post_clean(self):
        # The account services check the fields (name clashes, lengths) themselves.
        pass


def _password_response(request, user, password, title):
    """Show a one-time password on its own page, never in a flash message (which may sit in a cookie)."""
    response = TemplateResponse(
        request,
        "organisations/admin/initial_password.html",
        {"page_title": title, "account": user, "password": password},
    )
    response["Cache-Control"] = "no-store"
    return response


class BusinessUserCreateView(generic.CreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        operator = administrator_operator(self.request.user, self.request)
        organisation = data.get("organisation")
        if organisation is None:
            return self.form_invalid(form)
        try:
            created = staff.create_user(
                operator,
                organisation_id=organisation.pk,
                username=data.get("username") or "",
                display_name=data.get("display_name") or "",
                role_ids=[],
            )
        except management.ManagementError as error:
            add_problems(form, error.errors, self)
            return self.form_invalid(form)
        return _password_response(
            self.request, created.user, created.initial_password, "用户已创建"
        )


class BusinessUserEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        operator = administrator_operator(self.request.user, self.request)
        user = BusinessUser.objects.get(pk=self.object.pk)
        user = staff.update_user(operator, user, display_name=data.get("display_name") or "")
        return staff.set_user_active(operator, user, data.get("is_active", False))

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except management.ManagementError as error:
            add_problems(form, error.errors, self)
            return self.form_invalid(form)


def reset_password_view(request, pk):
    _require_system_administrator(request)
    user = get_object_or_404(BusinessUser, pk=pk)
    if request.method == "POST":
        reset = staff.reset_user_password(administrator_operator(request.user, request), user)
        return _password_response(request, reset.user, reset.initial_password, "密码已重置")
    return TemplateResponse(
        request,
        "organisations/admin/confirm.html",
        {
            "page_title": "重置密码",
            "question": f"为“{user}”生成新的一次性密码？该用户的全部登录将结束，下次登录须修改密码。",
            "button": "重置密码",
        },
    )


def unlock_view(request, pk):
    _require_system_administrator(request)
    user = get_object_or_404(BusinessUser, pk=pk)
    if request.method == "POST":
        staff.unlock_user(administrator_operator(request.user, request), user)
        messages.success(request, f"已解除“{user}”的登录锁定。")
        return redirect("business_users_admin:index")
    return TemplateResponse(
        request,
        "organisations/admin/confirm.html",
        {"page_title": "解除锁定", "question": f"解除“{user}”的登录锁定？", "button": "解除锁定"},
    )


class MoveUsersForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label="要移动的用户",
        queryset=BusinessUser.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.ModelChoiceField(
        label="移到单位（须与原单位同类）",
        queryset=Organisation.objects.filter(is_active=True).order_by("kind", "name"),
    )

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = BusinessUser.objects.select_related("organisation").order_by(
            "organisation__name", "username"
        )
        if source:
            rows = rows.filter(organisation_id=source)
        self.fields["users"].queryset = _first_rows(rows)


def move_users_view(request):
    """Batch move: pick users of one organisation (``?organisation=``) and a target organisation."""
    _require_system_administrator(request)
    source = request.GET.get("organisation", "").strip()
    source_id = int(source) if source.isdigit() else None
    form = MoveUsersForm(request.POST or None, source=source_id)
    if request.method == "POST" and form.is_valid():
        ids = [user.pk for user in form.cleaned_data["users"]]
        try:
            moved = staff.move_users(
                administrator_operator(request.user, request),
                ids,
                form.cleaned_data["organisation"].pk,
            )
        except management.ManagementError as error:
            add_problems(form, [(None, message, code) for _, message, code in error.errors])
        else:
            messages.success(request, f"已移动 {moved} 个用户。")
            return redirect("business_users_admin:index")
    return TemplateResponse(
        request,
        "organisations/admin/batch_form.html",
        {
            "form": form,
            "page_title": "批量移动用户",
            "source": source,
            "source_label": "来源单位编号",
        },
    )


class BusinessUserFilterSet(WagtailFilterSet):
    organisation_kind = django_filters.ChoiceFilter(
        label="单位类型", field_name="organisation__kind", choices=Organisation.Kind.choices
    )
    organisation = django_filters.NumberFilter(label="单位编号", field_name="organisation_id")

    class Meta:
        model = BusinessUser
        fields = ["is_active"]


def _user_actions(user) -> str:
    return format_html(
        '<a href="{}">重置密码</a> · <a href="{}">解除锁定</a>',
        reverse("business_users_admin:reset_password", args=[user.pk]),
        reverse("business_users_admin:unlock", args=[user.pk]),
    )


class BusinessUserViewSet(ModelViewSet):
    model = BusinessUser
    icon = "user"
    menu_label = "业务用户"
    add_to_admin_menu = True
    menu_order = 302
    add_view_class = BusinessUserCreateView
    edit_view_class = BusinessUserEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_per_page = 50
    list_display = [
        "username",
        "display_name",
        "organisation",
        "is_active",
        "locked_until",
        Column("actions", label="操作", accessor=_user_actions),
    ]
    filterset_class = BusinessUserFilterSet
    search_fields = ["username", "display_name"]
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        return BusinessUserForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("move/", move_users_view, name="move"),
            path("<int:pk>/reset-password/", reset_password_view, name="reset_password"),
            path("<int:pk>/unlock/", unlock_view, name="unlock"),
        ]
