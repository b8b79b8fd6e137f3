"""The user's own online sessions, and forced logout by the security administrator."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from business.accounts.models import AccessToken, OnlineSession
from business.audit.models import AuditEvent
from business.audit.roles import SECURITY_ADMINISTRATORS, SYSTEM_ADMINISTRATORS
from tests.api.client import post

from .graphql_operations import END_OTHER_SESSIONS, END_SESSION, ME, MY_SESSIONS
from .security_helpers import bearer, login

pytestmark = pytest.mark.django_db


def sessions_of(client, **headers) -> list[dict]:
    return post(client, MY_SESSIONS, **headers).json()["data"]["myOnlineSessions"]["items"]


@pytest.fixture
def signed_in_twice(make_user):
    make_user()
    office = Client(HTTP_USER_AGENT="Mozilla/5.0 办公电脑")
    login(office)
    phone = Client()
    token = login(phone, channel="MOBILE")["token"]
    return office, phone, token


def test_lists_own_sessions_with_current_marked(signed_in_twice, make_user):
    office, _phone, _token = signed_in_twice
    make_user(username="lisi", display_name="李四")
    login(Client(), username="lisi")

    listed = sessions_of(office)

    assert len(listed) == 2
    assert {row["channel"] for row in listed} == {"PC", "MOBILE"}
    current = [row for row in listed if row["current"]]
    assert len(current) == 1
    assert current[0]["channel"] == "PC"
    assert current[0]["userAgent"] == "Mozilla/5.0 办公电脑"
    assert current[0]["ipAddress"] == "127.0.0.1"


def test_sign_out_the_phone_from_the_office(signed_in_twice):
    office, phone, token = signed_in_twice
    mobile_row = next(row for row in sessions_of(office) if row["channel"] == "MOBILE")

    ended = post(office, END_SESSION, {"id": mobile_row["id"]}).json()["data"]["endOnlineSession"]

    assert ended["errors"] == []
    assert post(phone, ME, **bearer(token)).json()["data"]["me"] is None
    assert not AccessToken.objects.exists()
    assert post(office, ME).json()["data"]["me"]["username"] == "zhangsan"


def test_sign_out_the_office_from_the_phone(signed_in_twice):
    office, phone, token = signed_in_twice
    pc_row = next(row for row in sessions_of(phone, **bearer(token)) if row["channel"] == "PC")

    post(phone, END_SESSION, {"id": pc_row["id"]}, **bearer(token))

    assert post(office, ME).json()["data"]["me"] is None


def test_sign_out_all_others(signed_in_twice):
    office, phone, token = signed_in_twice
    login(Client())

    result = post(office, END_OTHER_SESSIONS).json()["data"]["endOtherOnlineSessions"]

    assert result["ended"] == 2
    assert post(phone, ME, **bearer(token)).json()["data"]["me"] is None
    assert post(office, ME).json()["data"]["me"]["username"] == "zhangsan"
    assert len(sessions_of(office)) == 1


def test_cannot_end_another_users_session(signed_in_twice, make_user):
    office, _phone, _token = signed_in_twice
    make_user(username="lisi", display_name="李四")
    other = Client()
    login(other, username="lisi")
    their_id = str(OnlineSession.objects.get(user__username="lisi").pk)

    refused = post(office, END_SESSION, {"id": their_id}).json()["data"]["endOnlineSession"]

    assert refused["errors"][0]["code"] == "not_found"
    assert post(other, ME).json()["data"]["me"]["username"] == "lisi"


def test_logout_removes_the_record(signed_in_twice):
    office, _phone, _token = signed_in_twice

    post(office, "mutation { logout { errors { code } } }")

    assert OnlineSession.objects.filter(channel="pc").count() == 0


def test_idle_sessions_not_listed(signed_in_twice, clock, settings):
    office, phone, token = signed_in_twice
    clock.advance(seconds=settings.SESSION_COOKIE_AGE - 30)
    post(office, ME)
    clock.advance(seconds=120)

    listed = sessions_of(office)

    # The phone's token was idle longer than its idle timeout.
    assert [row["channel"] for row in listed] == ["PC"]


# --- Security administrator in the Wagtail admin ---------------------------------------


def admin_in(group_name, username):
    user = User.objects.create_user(username, password="Guanli#2026x", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return user, client


def test_security_administrator_sees_and_ends_sessions(signed_in_twice):
    office, _phone, _token = signed_in_twice
    _admin, admin_client = admin_in(SECURITY_ADMINISTRATORS, "anquan")
    url = reverse("accounts_online_sessions")

    page = admin_client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "张三（zhangsan）" in content
    assert content.count("data-session-id") == 2

    pc_record = OnlineSession.objects.get(channel="pc")
    response = admin_client.post(url, {"id": pc_record.pk})
    assert response.status_code == 302
    assert post(office, ME).json()["data"]["me"] is None
    event = AuditEvent.objects.get(action="account.session.force_end")
    assert event.actor_table == AuditEvent.ActorTable.ADMIN


@pytest.mark.parametrize("group_name", [SYSTEM_ADMINISTRATORS])
def test_other_administrators_refused(signed_in_twice, group_name):
    _admin, admin_client = admin_in(group_name, "xitong")

    # Wagtail redirects a refused admin page to the dashboard.
    listed = admin_client.get(reverse("accounts_online_sessions"))
    assert listed.status_code == 302
    assert listed["Location"] == reverse("wagtailadmin_home")
    pc_record = OnlineSession.objects.get(channel="pc")
    ended = admin_client.post(reverse("accounts_online_sessions"), {"id": pc_record.pk})
    assert ended["Location"] == reverse("wagtailadmin_home")
    assert OnlineSession.objects.filter(pk=pc_record.pk).exists()
