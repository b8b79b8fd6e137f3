"""The daily expiry job and the home-screen counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from business.certificates import services as certificates
from business.expiry import services
from business.expiry.models import OVERDUE, ExpiryWarning, ExpiryWarningSettings, parse_lead_days
from business.instruments import services as ledger
from business.instruments.models import Instrument
from business.messages.models import Message
from tests import factories
from tests.api.client import bearer, data, post

pytestmark = pytest.mark.django_db

# A verification on 2026-03-10 with a 12-month cycle is valid until 2027-03-09.
VALID_UNTIL = datetime.date(2027, 3, 9)

SUMMARY = """
query { expirySummary { totalCount bands { leadDays overdue label count } } }
"""


def days_before(days: int) -> datetime.date:
    return VALID_UNTIL - datetime.timedelta(days=days)


@pytest.fixture
def institution():
    return factories.institution()


@pytest.fixture
def enterprise():
    return factories.enterprise()


@pytest.fixture
def users(enterprise):
    admin = factories.business_user(enterprise, roles=["enterprise_admin"])
    staff = factories.business_user(enterprise, roles=["enterprise_staff"])
    # Holds no instruments.view, so receives nothing.
    other_enterprise_user = factories.business_user(
        factories.enterprise(name="洛阳示例燃气有限公司"), roles=["enterprise_admin"]
    )
    return admin, staff, other_enterprise_user


def verified_instrument(enterprise, institution, verification_date=datetime.date(2026, 3, 10)):
    instrument = factories.instrument(owner=enterprise)
    record = factories.record(
        verified_instrument=instrument,
        verifying_institution=institution,
        verification_date=verification_date,
    )
    certificates.issue_certificate(record)
    return instrument


def test_job_messages_each_recipient_once(enterprise, institution, users):
    admin, staff, _ = users
    instrument = verified_instrument(enterprise, institution)

    first = services.send_expiry_warnings(days_before(20))
    again = services.send_expiry_warnings(days_before(20))
    later = services.send_expiry_warnings(days_before(19))

    assert (first.instruments, first.messages) == (1, 2)
    assert (again.instruments, again.messages) == (0, 0)
    assert (later.instruments, later.messages) == (0, 0)
    messages = Message.objects.filter(kind=Message.Kind.EXPIRY)
    assert {message.recipient_id for message in messages} == {admin.pk, staff.pk}
    message = messages.first()
    assert message.link == f"/workbench/ledger/{instrument.pk}"
    assert message.dedupe_key == f"expiry:{instrument.pk}:20270309:30"
    assert "2027年3月9日" in message.title
    assert "16–30 天内到期" in message.body


def test_job_walks_through_bands(enterprise, institution, users):
    verified_instrument(enterprise, institution)

    sent_bands = []
    for days_left in [40, 30, 16, 15, 8, 7, 0, -1, -30]:
        services.send_expiry_warnings(days_before(days_left))
        sent_bands.append(
            sorted(ExpiryWarning.objects.values_list("lead_days", flat=True), reverse=True)
        )

    assert sent_bands[0] == []
    assert sent_bands[1] == [30]
    assert sent_bands[2] == [30]
    assert sent_bands[3] == [30, 15]
    assert sent_bands[5] == [30, 15, 7]
    assert sent_bands[6] == [30, 15, 7]
    assert sent_bands[7] == [30, 15, 7, OVERDUE]
    assert sent_bands[8] == [30, 15, 7, OVERDUE]
    overdue = Message.objects.filter(dedupe_key__endswith=":0").first()
    assert "已届满" in overdue.title


def test_job_skips_a_missed_band(enterprise, institution, users):
    verified_instrument(enterprise, institution)

    services.send_expiry_warnings(days_before(5))

    assert list(ExpiryWarning.objects.values_list("lead_days", flat=True)) == [7]


def test_new_certificate_starts_the_warnings_again(enterprise, institution, users):
    instrument = verified_instrument(enterprise, institution)
    services.send_expiry_warnings(days_before(10))
    record = factories.record(
        verified_instrument=instrument,
        verifying_institution=institution,
        verification_date=datetime.date(2027, 3, 1),
    )
    certificates.issue_certificate(record)

    # Valid until 2028-02-29 now, so nothing is due on the same day.
    result = services.send_expiry_warnings(days_before(10))

    assert result.instruments == 0


def test_job_ignores_disabled_and_void(enterprise, institution, users):
    admin, _, _ = users
    disabled = verified_instrument(enterprise, institution)
    ledger.disable_instrument(disabled, reason="维修", actor=admin)
    voided = verified_instrument(enterprise, institution)
    certificates.void_certificate(voided.certificates.get(), "结论填写错误")

    result = services.send_expiry_warnings(days_before(3))

    assert result.instruments == 0


def test_job_counts_enterprises_without_recipients(enterprise, institution):
    verified_instrument(enterprise, institution)

    result = services.send_expiry_warnings(days_before(3))

    assert (result.instruments, result.messages, result.without_recipients) == (1, 0, 1)


def test_lead_days_come_from_the_settings(enterprise, institution, users):
    settings = ExpiryWarningSettings.load()
    settings.lead_days = "60"
    settings.warn_overdue = False
    settings.save()
    verified_instrument(enterprise, institution)

    services.send_expiry_warnings(days_before(45))
    services.send_expiry_warnings(days_before(-5))

    assert list(ExpiryWarning.objects.values_list("lead_days", flat=True)) == [60]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "至少"), ("30,abc", "“abc”"), ("30,30", "重复"), ("400", "365"), ("1,2,3,4,5,6,7", "最多")],
)
def test_lead_days_reject_bad_input(text, fragment):
    with pytest.raises(ValidationError) as raised:
        parse_lead_days(text)

    assert fragment in raised.value.messages[0]


def test_lead_days_accept_chinese_commas():
    assert parse_lead_days("7，30, 15") == [30, 15, 7]


def test_replace_instrument_uses_service_life_end(enterprise, institution, users):
    if not services.has_service_life_end():
        pytest.skip("Instrument.service_life_end is not in the ledger yet")
    item = factories.catalogue_item(
        number=77, verification_form="replace", cycle_months=None, service_life_months=72
    )
    instrument = factories.instrument(owner=enterprise, item=item)
    Instrument.objects.filter(pk=instrument.pk).update(service_life_end=datetime.date(2030, 6, 30))

    services.send_expiry_warnings(datetime.date(2030, 6, 25))

    message = Message.objects.filter(kind=Message.Kind.EXPIRY).first()
    assert "使用期限" in message.title
    assert message.dedupe_key == f"expiry:{instrument.pk}:20300630:7"


def test_command_runs_for_a_date(enterprise, institution, users, capsys):
    verified_instrument(enterprise, institution)

    call_command("send_expiry_warnings", "--date", days_before(10).isoformat())

    assert "已提醒 1 台器具，发送 2 条消息" in capsys.readouterr().out


def test_summary_counts_bands_in_scope(
    client, enterprise, institution, users, monkeypatch
):
    admin, _, other_enterprise_user = users
    verified_instrument(enterprise, institution)
    verified_instrument(enterprise, institution, verification_date=datetime.date(2026, 2, 1))
    monkeypatch.setattr(services.timezone, "localdate", lambda: days_before(10))
    officer = factories.business_user(factories.regulator(), roles=["regulator_officer"])

    own = data(post(client, SUMMARY, **bearer(admin)))["expirySummary"]
    other = data(post(client, SUMMARY, **bearer(other_enterprise_user)))["expirySummary"]
    regulator = data(post(client, SUMMARY, **bearer(officer)))["expirySummary"]

    assert [(band["label"], band["count"]) for band in own["bands"]] == [
        ("16–30 天内到期", 0),
        ("8–15 天内到期", 1),
        ("7 天内到期", 0),
        ("已过期", 1),
    ]
    assert own["bands"][-1] == {"leadDays": None, "overdue": True, "label": "已过期", "count": 1}
    assert other["totalCount"] == 0
    assert regulator["totalCount"] == 2


def test_system_administrators_edit_settings():
    from django.contrib.auth.models import Group

    from business.audit.roles import SYSTEM_ADMINISTRATORS

    codenames = set(
        Group.objects.get(name=SYSTEM_ADMINISTRATORS).permissions.values_list("codename", flat=True)
    )

    assert "change_expirywarningsettings" in codenames


def test_settings_page_rejects_bad_lead_days(admin_client):
    page = admin_client.get("/admin/settings/expiry/expirywarningsettings/", follow=True)
    # The settings row's own edit address, whatever primary key it was given.
    url = page.redirect_chain[-1][0]
    response = admin_client.post(url, {"lead_days": "30,abc", "warn_overdue": "on"})

    assert page.status_code == 200
    assert "提前提醒天数" in page.content.decode()
    assert "“abc”不是 1 至 365 之间的整数天数" in response.content.decode()
    assert ExpiryWarningSettings.load().lead_days == "30,15,7"
