"""Industries base data (GB/T 4754 sections) and the holiday calendar view in the admin."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from business.reference import workdays
from business.reference.models import CalendarDay, Industry

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.business.reference.admin_urls")]


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "unused")
    client.force_login(user)
    return client


def test_twenty_industry_sections_loaded():
    sections = dict(Industry.objects.filter(level="section").values_list("code", "name"))

    assert len(sections) == 20
    assert sections["A"] == "农、林、牧、渔业"
    assert sections["C"] == "制造业"
    assert sections["T"] == "国际组织"


def test_industry_listing_opens(admin_client):
    response = admin_client.get(reverse("industry:index"))

    assert response.status_code == 200
    assert "信息传输、软件和信息技术服务业" in response.content.decode()


def test_calendar_marks_holidays_and_makeup_days(admin_client):
    CalendarDay.objects.create(date=datetime.date(2026, 10, 1), name="国庆节", is_workday=False)
    CalendarDay.objects.create(date=datetime.date(2026, 10, 10), name="国庆节", is_workday=True)

    response = admin_client.get(reverse("holiday_calendar:index"), {"year": 2026})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2026-10-01" data-working="0"' in content
    assert 'data-date="2026-10-10" data-working="1"' in content
    # A plain Saturday stays a day off.
    assert 'data-date="2026-10-17" data-working="0"' in content
    assert reverse("calendarday:add") + "?date=2026-10-02" in content


def test_calendar_warns_about_missing_year(admin_client):
    response = admin_client.get(reverse("holiday_calendar:index"), {"year": 2031})

    assert "本年尚未录入节假日" in response.content.decode()


def test_add_view_takes_date_from_calendar_link(admin_client):
    response = admin_client.get(reverse("calendarday:add"), {"date": "2027-01-01"})

    assert response.context["form"].initial["date"] == datetime.date(2027, 1, 1)


def test_day_added_in_admin_used_by_working_day_calculator(admin_client):
    workdays.clear_cache()
    assert workdays.is_workday(datetime.date(2027, 1, 1)) is True

    admin_client.post(
        reverse("calendarday:add"), {"date": "2027-01-01", "name": "元旦", "source": ""}
    )

    assert workdays.is_workday(datetime.date(2027, 1, 1)) is False


def test_calendar_needs_view_permission(db):
    user = User.objects.create_user("clerk", password="Bianji#2026x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)

    response = client.get(reverse("holiday_calendar:index"))

    assert response.status_code in {302, 403}
