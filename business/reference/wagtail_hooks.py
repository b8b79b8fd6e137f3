"""Wagtail admin views for the reference data, grouped in the menu 基础数据.

Access follows the model permissions (view, add, change, delete) of each model, which
superusers have and other groups get in Wagtail's group settings.
"""

import calendar
import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import workdays
from .models import CalendarDay, CatalogueItem, Division, Industry, Regulation


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


class CalendarDayCreateView(generic.CreateView):
    """Add view that takes the date from ?date=YYYY-MM-DD, as the calendar links it."""

    def get_initial(self):
        initial = super().get_initial()
        try:
            initial["date"] = datetime.date.fromisoformat(self.request.GET.get("date", ""))
        except ValueError:
            pass
        return initial


class CalendarDayViewSet(ReferenceViewSet):
    model = CalendarDay
    add_view_class = CalendarDayCreateView
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


class IndustryViewSet(ReferenceViewSet):
    model = Industry
    icon = "tasks"
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    form_fields = ["code", "name", "level", "parent"]
    copy_view_enabled = False


# --- holiday calendar ----------------------------------------------------------------------

CALENDAR_PERMISSION = "reference.view_calendarday"
WEEKDAY_NAMES = ["一", "二", "三", "四", "五", "六", "日"]


def _month_weeks(year: int, month: int, exceptions: dict, can_edit: bool) -> list[list[dict | None]]:
    """Return the weeks of a month, Monday first, each day with its working-day state."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        days = []
        for day in week:
            if day.month != month:
                days.append(None)
                continue
            row = exceptions.get(day)
            working = workdays.is_workday(day)
            if row is not None:
                url = reverse("calendarday:edit", args=[row.pk]) if can_edit else ""
                state = "makeup" if row.is_workday else "holiday"
            else:
                url = reverse("calendarday:add") + f"?date={day.isoformat()}" if can_edit else ""
                state = "workday" if working else "weekend"
            days.append(
                {"date": day, "working": working, "state": state, "name": row.name if row else "", "url": url}
            )
        weeks.append(days)
    return weeks


class HolidayCalendarView(WagtailAdminTemplateMixin, TemplateView):
    """A whole year as twelve month grids, with the working-day calculator's answer per day."""

    page_title = "节假日日历"
    header_icon = "date"
    template_name = "reference/holiday_calendar.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CALENDAR_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        rows = CalendarDay.objects.filter(date__year=year)
        exceptions = {row.date: row for row in rows}
        can_edit = self.request.user.has_perm("reference.add_calendarday")
        context.update(
            year=year,
            previous_year=year - 1,
            next_year=year + 1,
            weekday_names=WEEKDAY_NAMES,
            months=[
                {"number": month, "weeks": _month_weeks(year, month, exceptions, can_edit)}
                for month in range(1, 13)
            ],
            holiday_count=sum(1 for row in rows if not row.is_workday),
            makeup_count=sum(1 for row in rows if row.is_workday),
            has_rows=bool(exceptions),
        )
        return context


class CalendarMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(CALENDAR_PERMISSION)


class HolidayCalendarViewSet(ViewSet):
    name = "holiday_calendar"
    icon = "date"
    menu_label = "节假日日历"

    def get_urlpatterns(self):
        return [path("", HolidayCalendarView.as_view(), name="index")]

    def get_menu_item(self, order=None):
        return CalendarMenuItem(
            self.menu_label, self.menu_url, icon_name=self.menu_icon, order=order or self.menu_order
        )


class ReferenceDataGroup(ModelViewSetGroup):
    menu_label = "基础数据"
    menu_icon = "folder-open-inverse"
    menu_order = 900
    items = (
        CatalogueItemViewSet,
        RegulationViewSet,
        HolidayCalendarViewSet,
        CalendarDayViewSet,
        DivisionViewSet,
        IndustryViewSet,
    )


@hooks.register("register_admin_viewset")
def register_reference_viewsets():
    return ReferenceDataGroup()
