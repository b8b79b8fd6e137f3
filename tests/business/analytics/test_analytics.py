"""Visitor analytics: no raw IP kept, segments, purging, and the admin report."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone

from business.analytics import services
from business.analytics.models import PageView, SearchRecord, VisitorSalt
from tests.api.client import post

pytestmark = pytest.mark.django_db

RECORD = """
mutation Record($path: String!, $pageId: ID, $section: String) {
  recordPageView(path: $path, pageId: $pageId, section: $section) {
    recorded
    errors { field message code }
  }
}
"""

ADDRESS = "198.51.100.23"
PHONE_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile"


def record(client, path="/", **variables):
    response = post(
        client, RECORD, {"path": path, **variables}, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=PHONE_AGENT
    )
    return response.json()["data"]["recordPageView"]


def test_page_view_keeps_no_ip_address(client):
    result = record(client, "/articles/12", pageId="12", section="notices")

    view = PageView.objects.get()
    assert result == {"recorded": True, "errors": []}
    assert view.page_id == 12
    assert view.device == "mobile"
    assert view.visitor_kind == "anonymous"
    assert ADDRESS not in str(PageView.objects.values().get())
    assert len(view.visitor_hash) == 64


def test_same_address_same_hash_within_period(client):
    record(client, "/")
    record(client, "/search")

    assert PageView.objects.values("visitor_hash").distinct().count() == 1


def test_hash_changes_with_salt_period():
    now = timezone.now()
    later = now + datetime.timedelta(days=services.rotation_days())

    assert services.visitor_hash(ADDRESS, now) != services.visitor_hash(ADDRESS, later)


def test_visitor_seen_on_earlier_day_counts_as_returning(client):
    record(client, "/")
    PageView.objects.update(occurred_at=timezone.now() - datetime.timedelta(days=1))

    record(client, "/")

    assert PageView.objects.order_by("-occurred_at").first().returning is True


def test_invalid_path_rejected_in_chinese(client):
    result = record(client, "javascript:alert(1)", pageId="x")

    assert result["recorded"] is False
    assert [error["field"] for error in result["errors"]] == ["path", "pageId"]
    assert PageView.objects.count() == 0


def test_search_recorded_with_numbers_masked(client):
    post(client, '{ search(query: "张三 13812345678") { total } }', REMOTE_ADDR=ADDRESS)

    stored = SearchRecord.objects.get()
    assert stored.query == "张三 ***"
    assert stored.result_count == 0


def test_purge_removes_old_events_and_past_salts(client):
    record(client, "/")
    old = timezone.now() - datetime.timedelta(days=services.retention_days() + 1)
    PageView.objects.update(occurred_at=old)
    VisitorSalt.objects.create(period=1, salt="00")

    counts = services.purge()

    assert counts["page_views"] == 1
    assert PageView.objects.count() == 0
    assert not VisitorSalt.objects.filter(period=1).exists()
    assert VisitorSalt.objects.count() == 1  # The current period's salt stays.


def _admin(permission=None):
    user = User.objects.create_user("editor", password="Bianji#2026x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if permission:
        user.user_permissions.add(Permission.objects.get(codename=permission))
    client = Client()
    client.force_login(user)
    return client


def test_report_needs_permission(db):
    response = _admin().get("/admin/portal-analytics/")

    assert response.status_code in {302, 403}


def test_report_shows_figures_and_segments(client):
    record(client, "/articles/12", pageId="12")
    post(client, '{ search(query: "计量") { total } }', REMOTE_ADDR=ADDRESS)

    response = _admin("view_pageview").get("/admin/portal-analytics/?days=7")

    content = response.content.decode()
    assert response.status_code == 200
    assert "热门检索词" in content
    assert "计量" in content
    assert "手机或平板" in content
    assert "新访客" in content


def test_failed_analytics_write_does_not_fail_search(client, monkeypatch):
    from django.db import DatabaseError

    def locked(*args, **kwargs):
        raise DatabaseError("database table is locked")

    monkeypatch.setattr(SearchRecord.objects, "create", locked)
    monkeypatch.setattr(PageView.objects, "create", locked)

    search = post(client, '{ search(query: "计量") { total errors { code } } }').json()
    view = record(client, "/")

    assert search["data"]["search"] == {"total": 0, "errors": []}
    assert view == {"recorded": False, "errors": []}
