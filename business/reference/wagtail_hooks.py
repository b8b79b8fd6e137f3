"""Wagtail admin views for the reference data, grouped in the menu 基础数据.

Access follows the model permissions (view, add, change, delete) of each model, which
superusers have and other groups get in Wagtail's group settings.
"""

from django import forms
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import CalendarDay, CatalogueItem, Division, Regulation


class DivisionViewSet(ModelViewSet):
    model = Division
    icon = "site"
    list_display = ["code", "name", "level", "parent", "is_admin_division"]
    list_filter = ["level", "is_admin_division"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    list_per_page = 50
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


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    icon = "date"
    list_display = ["date", "name", "is_workday", "source"]
    list_filter = ["is_workday", "date"]
    search_fields = ["name"]
    ordering = ["-date"]
    list_per_page = 50
    form_fields = ["date", "is_workday", "name", "source"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "date":
            kwargs["widget"] = forms.DateInput(attrs={"type": "date"})
        return super().formfield_for_dbfield(db_field, **kwargs)


class RegulationViewSet(ModelViewSet):
    model = Regulation
    icon = "doc-full"
    list_display = ["code", "name", "kind", "confidence"]
    list_filter = ["confidence", "kind"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    list_per_page = 50
    form_fields = ["code", "name", "kind", "confidence", "source"]
    inspect_view_enabled = True


class CatalogueItemViewSet(ModelViewSet):
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
    list_per_page = 50
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
