"""Settings read from the environment, checked in a fresh interpreter each time."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

LOAD_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
)

PRODUCTION = {
    "PLATFORM_ENV": "production",
    "SECRET_KEY": "x" * 50,
    "PLATFORM_DATA_KEY": "00" * 16,
    "PUBLIC_BASE_URL": "https://metrology.example.gov.cn",
    "AUDIT_MAC_KEY": "11" * 16,
    "PLATFORM_FIELD_KEYS": "k1:" + "22" * 16,
    "PLATFORM_BLIND_INDEX_KEY": "33" * 16,
    # A gateway sender the operator writes; settings only check it is not the
    # development sender, which would drop every recovery code.
    "ONE_TIME_CODE_SENDER": "henan_gateway.senders.SmsSender",
}


def load_settings(**environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {*PRODUCTION, "DEBUG"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **environment)
    return subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "PLATFORM_DATA_KEY", "PUBLIC_BASE_URL", "AUDIT_MAC_KEY",
     "PLATFORM_FIELD_KEYS", "PLATFORM_BLIND_INDEX_KEY"],
)
def test_production_refuses_to_start_without_secret(missing):
    environment = {key: value for key, value in PRODUCTION.items() if key != missing}

    result = load_settings(**environment)

    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_defaults_to_debug_off():
    result = load_settings(**PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_unknown_environment_name_rejected():
    result = load_settings(PLATFORM_ENV="staging")

    assert result.returncode != 0
    assert "PLATFORM_ENV" in result.stderr


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_production_refuses_the_logging_code_sender():
    environment = {**PRODUCTION, "ONE_TIME_CODE_SENDER": "business.accounts.senders.LoggingSender"}

    result = load_settings(**environment)

    assert result.returncode != 0
    assert "ONE_TIME_CODE_SENDER" in result.stderr


@pytest.mark.django_db
def test_postgres_connections_use_configured_work_mem():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("work_mem is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == settings.DATABASE_WORK_MEM
