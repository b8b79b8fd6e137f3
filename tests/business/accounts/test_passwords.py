"""Password rules, applied through Django's validate_password to both user tables."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from business.accounts import services
from business.accounts.models import BusinessUser, PasswordHistory

from .conftest import GOOD_PASSWORD


def rejection_codes(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [problem.code for problem in error.error_list]
    return []


def rejection_messages(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [problem.message for problem in error.error_list]
    return []


def business_user(username="zhangsan") -> BusinessUser:
    return BusinessUser(username=username)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!xyz", "password_too_short"),
        ("Ab1!" + "x" * 125, "password_too_long"),
        ("abcdefgh12", "password_too_simple"),
        ("ABCDEFGH!!", "password_too_simple"),
        ("P@ssw0rd", "password_too_common"),
    ],
)
def test_rule_rejects(password, code):
    assert rejection_codes(password, business_user()) == [code]


@pytest.mark.parametrize(
    "password",
    [
        "Ab1!xyzw",  # exactly 8 characters, all four classes
        "Ab1!" + "x" * 124,  # exactly 128 characters
        "abcdefgh12!",  # lower, digit, symbol
        "ABCDEFGH12!",  # upper, digit, symbol
        "Abcdefgh12",  # upper, lower, digit
        "Abcdefgh!!",  # upper, lower, symbol
        "计量Abcd 123",  # the space is the symbol; Chinese characters count as no class
        GOOD_PASSWORD,
    ],
)
def test_rule_allows(password):
    assert rejection_codes(password, business_user()) == []


def test_messages_say_what_to_fix():
    assert rejection_messages("Ab1!xyz") == ["密码至少需要 8 个字符。"]
    assert rejection_messages("abcdefgh12") == ["密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"]
    assert "常见密码" in rejection_messages("P@ssw0rd")[0]
    assert rejection_messages("Zhangsan-2026", business_user()) == [
        "密码不能等于或包含用户名（包括倒序的用户名）。"
    ]


def test_several_broken_rules_each_reported():
    codes = rejection_codes("abc", business_user("abc"))

    assert "password_too_short" in codes
    assert "password_too_simple" in codes
    assert "password_contains_username" in codes


@pytest.mark.parametrize(
    "password",
    ["Zhangsan-2026", "x-ZHANGSAN-9y", "Nasgnahz-2026", "ZhangSan"],
)
def test_username_or_reverse_rejected(password):
    assert "password_contains_username" in rejection_codes(password, business_user("zhangsan"))


def test_short_username_only_checked_for_equality():
    assert rejection_codes("Li-Scale-2026", business_user("li")) == []
    assert "password_contains_username" in rejection_codes("Li", business_user("li"))


def test_username_rule_applies_to_admin_accounts():
    admin = User(username="editor")

    assert rejection_codes("Editor-2026!", admin) == ["password_contains_username"]
    assert rejection_codes("P@ssw0rd", admin) == ["password_too_common"]


@pytest.mark.django_db
def test_history_rejects_last_five(make_user, clock, settings):
    user = make_user(password="History-Start-0")
    passwords = ["History-Start-0"]
    for number in range(1, 6):
        clock.advance(minutes=1)
        new_password = f"History-Pass-{number}"
        user = services.change_password(user, passwords[-1], new_password)
        passwords.append(new_password)

    # The latest five are History-Pass-1 to History-Pass-5; History-Start-0 is sixth.
    assert PasswordHistory.objects.filter(user=user).count() == settings.PASSWORD_HISTORY_COUNT
    for old_password in passwords[1:]:
        assert rejection_codes(old_password, user) == ["password_reused"], old_password
    assert rejection_codes("History-Start-0", user) == []
    assert "最近 5 次" in rejection_messages("History-Pass-3", user)[0]


def test_history_skipped_for_admin_accounts():
    assert rejection_codes(GOOD_PASSWORD, User(username="editor")) == []


@pytest.mark.django_db
def test_expired_password_requires_change(make_user, clock, settings):
    user = make_user()
    assert not user.password_change_required

    clock.advance(days=settings.PASSWORD_MAX_AGE_DAYS - 1)
    assert not user.password_change_required

    clock.advance(days=1)
    assert user.password_change_required


@pytest.mark.django_db
def test_max_age_setting_respected(make_user, clock, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    user = make_user()

    clock.advance(days=30)

    assert user.password_change_required
    assert user.password_expired(clock.now)
    assert not user.password_expired(clock.now - datetime.timedelta(seconds=1))
