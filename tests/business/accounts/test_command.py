"""The account management commands: create, reset password, unlock."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from business.accounts.management.commands._passwords import generate_initial_password
from business.accounts.models import BusinessUser
from business.accounts.passwords import character_classes

from .conftest import GOOD_PASSWORD

pytestmark = pytest.mark.django_db


def run(*arguments, stdin_text="", command="create_business_user") -> str:
    output = io.StringIO()
    stdin = io.StringIO(stdin_text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", stdin)
        call_command(command, *arguments, stdout=output)
    return output.getvalue()


def test_password_from_stdin(organisation):
    output = run(
        "--username", "wangwu", "--display-name", "王五",
        "--organisation", str(organisation.pk), "--password-stdin",
        stdin_text=GOOD_PASSWORD + "\n",
    )

    user = BusinessUser.objects.get(username="wangwu")
    assert user.check_password(GOOD_PASSWORD)
    assert user.must_change_password
    assert "已创建业务用户 wangwu" in output
    assert GOOD_PASSWORD not in output


def test_generated_password_printed_once(organisation):
    output = run(
        "--username", "wangwu", "--display-name", "王五",
        "--organisation", organisation.credit_code, "--generate-password",
    )

    printed = output.split("初始密码：")[1].split()[0]
    assert BusinessUser.objects.get(username="wangwu").check_password(printed)


def test_weak_password_rejected_with_reasons(organisation):
    with pytest.raises(CommandError) as raised:
        run(
            "--username", "wangwu", "--display-name", "王五",
            "--organisation", str(organisation.pk), "--password-stdin",
            stdin_text="weak\n",
        )

    assert "密码至少需要 8 个字符。" in str(raised.value)
    assert not BusinessUser.objects.exists()


def test_unknown_organisation_rejected(db):
    with pytest.raises(CommandError) as raised:
        run("--username", "wangwu", "--display-name", "王五", "--organisation", "999",
            "--generate-password")

    assert "未找到单位" in str(raised.value)


def test_no_terminal_without_password_option(organisation):
    with pytest.raises(CommandError) as raised:
        run("--username", "wangwu", "--display-name", "王五", "--organisation", str(organisation.pk))

    assert "--password-stdin" in str(raised.value)


def test_generated_passwords_use_all_classes():
    for _ in range(50):
        classes = character_classes(generate_initial_password())
        assert classes == {"upper", "lower", "digit", "symbol"}


def test_reset_password_command(make_user):
    user = make_user()
    user.locked_until = user.created_at + datetime.timedelta(days=1)
    user.save()

    output = run(
        "--username", "ZhangSan", "--generate-password", command="reset_business_user_password"
    )

    printed = output.split("新密码：")[1].split()[0]
    user.refresh_from_db()
    assert user.check_password(printed)
    assert user.must_change_password
    assert user.locked_until is None


def test_reset_password_command_unknown_user(db):
    with pytest.raises(CommandError) as raised:
        run(
            "--username", "nobody", "--generate-password", command="reset_business_user_password"
        )

    assert "未找到业务用户" in str(raised.value)


def test_unlock_command(make_user):
    user = make_user(failed_login_count=5)
    user.locked_until = user.created_at + datetime.timedelta(days=1)
    user.save()

    output = run("--username", "zhangsan", command="unlock_business_user")

    user.refresh_from_db()
    assert user.locked_until is None
    assert user.failed_login_count == 0
    assert "已解除" in output
