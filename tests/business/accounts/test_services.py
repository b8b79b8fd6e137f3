"""Creating business users, the lockout rules and the login log, through the services."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from business.accounts import hashers, services
from business.accounts.models import BusinessUser, LoginLog, PasswordHistory
from business.accounts.services import GENERIC_LOGIN_FAILURE, LoginStatus
from tests import factories

from .conftest import GOOD_PASSWORD, OTHER_GOOD_PASSWORD

pytestmark = pytest.mark.django_db

PC = LoginLog.Channel.PC
MOBILE = LoginLog.Channel.MOBILE


def create(organisation, username="zhangsan", password=GOOD_PASSWORD, **overrides):
    return services.create_business_user(
        username=username,
        display_name=overrides.pop("display_name", "张三"),
        organisation=organisation,
        password=password,
        **overrides,
    )


def problem_codes(error: services.AccountError) -> list[tuple[str, str]]:
    return [(field, code) for field, _, code in error.errors]


# --- create_business_user -----------------------------------------------------------


def test_created_user_must_change_initial_password(organisation, clock):
    user = create(organisation)

    assert user.must_change_password
    assert user.password_change_required
    assert user.password.startswith("pbkdf2_sm3$")
    assert user.check_password(GOOD_PASSWORD)
    assert user.password_changed_at == clock.now
    assert PasswordHistory.objects.filter(user=user).count() == 1


def test_username_taken_by_admin_rejected(organisation):
    User.objects.create_user(username="Wangwu")

    with pytest.raises(services.AccountError) as raised:
        create(organisation, username="wangwu")

    assert problem_codes(raised.value) == [("username", "username_taken")]
    assert "管理员账号" in raised.value.errors[0][1]
    assert not BusinessUser.objects.exists()


def test_username_taken_ignoring_case_rejected(organisation):
    create(organisation, username="zhangsan")

    with pytest.raises(services.AccountError) as raised:
        create(organisation, username="ZhangSan")

    assert problem_codes(raised.value) == [("username", "username_taken")]


def test_clean_rejects_admin_username(organisation):
    User.objects.create_user(username="lisi")
    user = BusinessUser(username="LiSi", display_name="李四", organisation=organisation)
    user.set_password(GOOD_PASSWORD)

    with pytest.raises(ValidationError) as raised:
        user.full_clean()

    assert "username" in raised.value.message_dict


def test_admin_username_check_function(organisation):
    from business.accounts.models import admin_username_exists

    create(organisation, username="zhaoliu")

    assert not admin_username_exists("zhaoliu")
    User.objects.create_user(username="ZhaoLiu")
    assert admin_username_exists("zhaoliu")


def test_invalid_input_lists_every_problem(organisation):
    with pytest.raises(services.AccountError) as raised:
        create(organisation, username="bad name", password="short", display_name=" ")

    codes = problem_codes(raised.value)
    assert ("username", "invalid") in codes
    assert ("displayName", "required") in codes
    assert ("password", "password_too_short") in codes


def test_inactive_organisation_rejected():
    closed = factories.enterprise(name="已注销的示例公司")
    closed.is_active = False
    closed.save()

    with pytest.raises(services.AccountError) as raised:
        create(closed)

    assert problem_codes(raised.value) == [("organisation", "inactive")]


# --- authenticate_business_user -------------------------------------------------------


def attempt(login_request, username, password, channel=PC, address="203.0.113.7"):
    return services.authenticate_business_user(
        login_request(address), username, password, channel
    )


def test_right_password_signs_in(make_user, login_request, clock):
    user = make_user()

    outcome = attempt(login_request, "ZhangSan", GOOD_PASSWORD)

    assert outcome.status == LoginStatus.SUCCESS
    assert outcome.user == user
    user.refresh_from_db()
    assert user.last_login_at == clock.now


def test_lockout_after_five_failures(make_user, login_request, clock, settings):
    user = make_user()

    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        outcome = attempt(login_request, "zhangsan", "Wrong-Pass-1")
        assert outcome.status == LoginStatus.INVALID_CREDENTIALS
    user.refresh_from_db()
    assert user.failed_login_count == 4
    assert user.locked_until is None

    # After four failures the right password still works, and resets the count.
    assert attempt(login_request, "zhangsan", GOOD_PASSWORD).status == LoginStatus.SUCCESS
    user.refresh_from_db()
    assert user.failed_login_count == 0

    for _ in range(settings.LOGIN_MAX_FAILURES):
        attempt(login_request, "zhangsan", "Wrong-Pass-1")
    user.refresh_from_db()
    assert user.locked_until == clock.now + datetime.timedelta(minutes=30)

    locked = attempt(login_request, "zhangsan", GOOD_PASSWORD)
    assert locked.status == LoginStatus.INVALID_CREDENTIALS
    assert locked.message == GENERIC_LOGIN_FAILURE


def test_lock_ends_after_lockout_period(make_user, login_request, clock):
    make_user()
    for _ in range(5):
        attempt(login_request, "zhangsan", "Wrong-Pass-1")

    clock.advance(minutes=29, seconds=59)
    still_locked = attempt(login_request, "zhangsan", GOOD_PASSWORD)
    assert still_locked.status == LoginStatus.INVALID_CREDENTIALS

    clock.advance(seconds=1)
    assert attempt(login_request, "zhangsan", GOOD_PASSWORD).status == LoginStatus.SUCCESS


def test_failures_after_lock_count_afresh(make_user, login_request, clock):
    user = make_user()
    for _ in range(5):
        attempt(login_request, "zhangsan", "Wrong-Pass-1")
    clock.advance(minutes=31)

    attempt(login_request, "zhangsan", "Wrong-Pass-1")

    user.refresh_from_db()
    assert user.failed_login_count == 1
    assert user.locked_until is None


def test_lock_set_on_pc_refuses_mobile(make_user, login_request):
    make_user()
    for _ in range(5):
        attempt(login_request, "zhangsan", "Wrong-Pass-1", channel=PC)

    outcome = attempt(login_request, "zhangsan", GOOD_PASSWORD, channel=MOBILE)

    assert outcome.status == LoginStatus.INVALID_CREDENTIALS
    assert LoginLog.objects.filter(channel=MOBILE).get().reason == LoginLog.Reason.ACCOUNT_LOCKED


def test_unknown_user_same_message(make_user, login_request):
    make_user()

    unknown = attempt(login_request, "nobody", GOOD_PASSWORD)
    wrong = attempt(login_request, "zhangsan", "Wrong-Pass-1")

    assert unknown.status == wrong.status == LoginStatus.INVALID_CREDENTIALS
    assert unknown.message == wrong.message == GENERIC_LOGIN_FAILURE


def test_every_outcome_costs_one_hash(make_user, login_request):
    make_user()
    for _ in range(5):
        attempt(login_request, "zhangsan", "Wrong-Pass-1")
    real_pbkdf2 = hashers.hashlib.pbkdf2_hmac

    cases = [("nobody", GOOD_PASSWORD), ("zhangsan", GOOD_PASSWORD), ("zhangsan", "Wrong-Pass-1")]
    for username, password in cases:
        with mock.patch.object(hashers.hashlib, "pbkdf2_hmac", side_effect=real_pbkdf2) as pbkdf2:
            attempt(login_request, username, password)
        assert pbkdf2.call_count == 1, username


def test_inactive_user_refused_with_generic_message(make_user, login_request):
    make_user(is_active=False)

    outcome = attempt(login_request, "zhangsan", GOOD_PASSWORD)

    assert outcome.status == LoginStatus.INVALID_CREDENTIALS
    assert LoginLog.objects.get().reason == LoginLog.Reason.INACTIVE_USER


def test_inactive_organisation_refused(make_user, login_request, organisation):
    make_user()
    organisation.is_active = False
    organisation.save()

    outcome = attempt(login_request, "zhangsan", GOOD_PASSWORD)

    assert outcome.status == LoginStatus.INVALID_CREDENTIALS
    assert LoginLog.objects.get().reason == LoginLog.Reason.INACTIVE_ORGANISATION


def test_login_log_rows(make_user, login_request, clock):
    user = make_user()

    attempt(login_request, "nobody", "Wrong-Pass-1", channel=PC, address="198.51.100.4")
    for _ in range(4):
        attempt(login_request, "zhangsan", "Wrong-Pass-1", channel=MOBILE)
    attempt(login_request, "zhangsan", "Wrong-Pass-1", channel=MOBILE)
    attempt(login_request, "zhangsan", GOOD_PASSWORD, channel=PC)

    rows = list(LoginLog.objects.order_by("pk"))
    assert len(rows) == 7
    unknown = rows[0]
    assert unknown.username == "nobody"
    assert unknown.user is None
    assert unknown.ip_address == "198.51.100.4"
    assert unknown.channel == PC
    assert unknown.result == LoginLog.Result.FAILURE
    assert unknown.reason == LoginLog.Reason.UNKNOWN_USER
    assert unknown.user_agent == "Mozilla/5.0 测试浏览器"
    assert unknown.created_at == clock.now
    assert [row.reason for row in rows[1:5]] == [LoginLog.Reason.WRONG_PASSWORD] * 4
    assert rows[1].user == user
    assert rows[1].channel == MOBILE
    assert rows[1].ip_address == "203.0.113.7"
    assert rows[5].result == LoginLog.Result.LOCKED
    assert rows[5].reason == LoginLog.Reason.LOCKOUT_STARTED
    assert rows[6].result == LoginLog.Result.LOCKED
    assert rows[6].reason == LoginLog.Reason.ACCOUNT_LOCKED
    assert rows[6].channel == PC


def test_client_ip_header_used_when_configured(make_user, login_request, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    make_user()
    request = login_request("127.0.0.1")
    request.META["HTTP_X_REAL_IP"] = "2001:db8::5"

    services.authenticate_business_user(request, "zhangsan", GOOD_PASSWORD, PC)

    assert LoginLog.objects.get().ip_address == "2001:db8::5"


def test_invalid_client_address_stored_as_null(make_user, login_request):
    make_user()

    attempt(login_request, "zhangsan", GOOD_PASSWORD, address="not-an-address")

    assert LoginLog.objects.get().ip_address is None


def test_per_address_rate_limit(make_user, login_request, settings):
    settings.LOGIN_RATE_LIMIT = 3
    make_user()

    statuses = [attempt(login_request, "zhangsan", GOOD_PASSWORD).status for _ in range(4)]
    other_address = attempt(login_request, "zhangsan", GOOD_PASSWORD, address="198.51.100.9")

    assert statuses == [LoginStatus.SUCCESS] * 3 + [LoginStatus.RATE_LIMITED]
    assert other_address.status == LoginStatus.SUCCESS
    assert LoginLog.objects.filter(reason=LoginLog.Reason.RATE_LIMITED).count() == 1


def test_rehash_on_sign_in_after_iteration_change(make_user, login_request, settings):
    user = make_user()
    settings.PASSWORD_SM3_ITERATIONS = 1_200

    attempt(login_request, "zhangsan", GOOD_PASSWORD)

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sm3$1200$")
    assert user.check_password(GOOD_PASSWORD)


# --- change_password, reset_password, unlock ---------------------------------------------


def test_change_password_clears_must_change(make_user, clock):
    user = make_user(must_change=True)
    clock.advance(hours=1)

    user = services.change_password(user, GOOD_PASSWORD, OTHER_GOOD_PASSWORD)

    assert not user.must_change_password
    assert user.password_changed_at == clock.now
    assert user.check_password(OTHER_GOOD_PASSWORD)
    assert PasswordHistory.objects.filter(user=user).count() == 2


def test_change_password_wrong_old_counts_failure(make_user):
    user = make_user()

    for _ in range(5):
        with pytest.raises(services.AccountError) as raised:
            services.change_password(user, "Wrong-Pass-1", OTHER_GOOD_PASSWORD)
        assert problem_codes(raised.value) == [("oldPassword", "invalid_password")]

    user.refresh_from_db()
    assert user.locked_until is not None
    with pytest.raises(services.AccountError) as raised:
        services.change_password(user, GOOD_PASSWORD, OTHER_GOOD_PASSWORD)
    assert problem_codes(raised.value)[0] == ("oldPassword", "account_locked")


def test_change_password_policy_problems(make_user):
    user = make_user()

    with pytest.raises(services.AccountError) as raised:
        services.change_password(user, GOOD_PASSWORD, "weak")
    assert ("newPassword", "password_too_short") in problem_codes(raised.value)

    with pytest.raises(services.AccountError) as raised:
        services.change_password(user, GOOD_PASSWORD, GOOD_PASSWORD)
    assert problem_codes(raised.value) == [("newPassword", "password_unchanged")]

    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_reset_password_requires_change_and_unlocks(make_user, login_request):
    user = make_user()
    for _ in range(5):
        attempt(login_request, "zhangsan", "Wrong-Pass-1")

    user = services.reset_password(user, OTHER_GOOD_PASSWORD)

    assert user.must_change_password
    assert user.locked_until is None
    assert attempt(login_request, "zhangsan", OTHER_GOOD_PASSWORD).status == LoginStatus.SUCCESS


def test_unlock_ends_lock_early(make_user, login_request):
    user = make_user()
    for _ in range(5):
        attempt(login_request, "zhangsan", "Wrong-Pass-1")

    services.unlock_business_user(user)

    assert attempt(login_request, "zhangsan", GOOD_PASSWORD).status == LoginStatus.SUCCESS
