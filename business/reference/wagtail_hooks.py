"""Wagtail admin views for the reference data, grouped in the menu 基础数据.

Access follows the model permissions (view, add, change, delete) of each model, which
superusers have and other groups get in Wagtail's group settings.
"""

from django import forms
from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import CalendarDay, CatalogueItem, Division, Regulation


class ReferenceDeleteView(generic.DeleteView):
    """Delete view that reports a row still in use instead of failing with a server error.

    Wagtail blocks the deletion itself only for references recorded in its reference
    index. Rows of other apps that point here with on_delete=PROTECT may not be
    indexed, and then Django raises ProtectedError.
    """

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError as error:
            messages.error(
                self.request,
                f"无法删除“{self.object}”：仍有 {len(error.protected_objects)} 条记录引用它。"
                "请先修改或删除这些记录。",
            )
            return redirect(self.get_success_url())


class ReferenceViewSet(ModelViewSet):
    delete_view_class = ReferenceDeleteView
    list_per_page = 50


class DivisionViewSet(ReferenceViewSet):
    model = Division
    icon = "site"
    list_display = ["code", "name", "level", "parent", "is_admin_division"]
    list_filter = ["level", "is_admin_division"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    form_fields = ["code", "name", "level", "parent", "is_admin_division"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        if not for_update:
            return form_class

        class DivisionEditForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # The code is the primary key. Changing it in the edit form would
                # insert a second row, so it can only be set when the row is added.
                self.fields["code"].disabled = True

        return DivisionEditForm


class CalendarDayViewSet(ReferenceViewSet):
    model = CalendarDay
    icon = "date"
    list_display = ["date", "name", "is_workday", "source"]
    list_filter = ["is_workday", "date"]
    search_fields = ["name"]
    ordering = ["-date"]
    form_fields = ["date", "is_workday", "name", "source"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "date":
            kwargs["widget"] = forms.DateInput(attrs={"type": "date"})
        if db_field.name == "source":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)


class RegulationViewSet(ReferenceViewSet):
    model = Regulation
    icon = "doc-full"
    list_display = ["code", "name", "kind", "confidence"]
    list_filter = ["confidence", "kind"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    form_fields = ["code", "name", "kind", "confidence", "source"]
    inspect_view_enabled = True


class CatalogueItemViewSet(ReferenceViewSet):
    model = CatalogueItem
    icon = "list-ul"
    list_display = [
        "number",
        "item_name",
        "usage",
        "supervision_method",
        "verification_form",
        "cycle_months",
        "service_life_months",
        "confidence",
        "reviewed_by_admin",
    ]
    list_filter = [
        "confidence",
        "reviewed_by_admin",
        "usage",
        "supervision_method",
        "verification_form",
    ]
    search_fields = ["item_name", "kinds", "scope"]
    ordering = ["number"]
    form_fields = [
        "number",
        "item_name",
        "kinds",
        "usage",
        "supervision_method",
        "verification_form",
        "scope",
        "regulations",
        "cycle_months",
        "service_life_months",
        "interval_note",
        "confidence",
        "source",
        "reviewed_by_admin",
    ]
    inspect_view_enabled = True

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "regulations":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_dbfield(db_field, **kwargs)


class ReferenceDataGroup(ModelViewSetGroup):
    menu_label = "基础数据"
    menu_icon = "folder-open-inverse"
    menu_order = 900
    items = (CatalogueItemViewSet, RegulationViewSet, CalendarDayViewSet, DivisionViewSet)


@hooks.register("register_admin_viewset")
def register_reference_viewsets():
    return ReferenceDataGroup()
