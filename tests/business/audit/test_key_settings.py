"""Audit and field keys read from the environment, checked in a fresh interpreter."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

LOAD_SETTINGS = "import django; django.setup(); print('started')"

KEY_VARIABLES = {
    "SECRET_KEY",
    "PLATFORM_DATA_KEY",
    "PLATFORM_ENV",
    "DEBUG",
    "AUDIT_MAC_KEY",
    "PLATFORM_FIELD_KEYS",
    "PLATFORM_BLIND_INDEX_KEY",
}

KEYS = {
    "AUDIT_MAC_KEY": "11" * 16,
    "PLATFORM_FIELD_KEYS": "k1:" + "22" * 16,
    "PLATFORM_BLIND_INDEX_KEY": "33" * 16,
}
# Every other setting that production requires before the keys are read.
OTHER_PRODUCTION_SETTINGS = {
    "PLATFORM_ENV": "production",
    "SECRET_KEY": "x" * 50,
    "PLATFORM_DATA_KEY": "00" * 16,
    "PUBLIC_BASE_URL": "https://metrology.example.gov.cn",
}


def start_django(**environment):
    env = {key: value for key, value in os.environ.items() if key not in KEY_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **environment)
    return subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_development_starts_with_given_keys():
    result = start_django(**KEYS)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


@pytest.mark.parametrize("missing", sorted(KEYS))
def test_production_refuses_to_start_without_key(missing):
    keys = {key: value for key, value in KEYS.items() if key != missing}

    result = start_django(**OTHER_PRODUCTION_SETTINGS, **keys)

    assert result.returncode != 0
    assert f"{missing} must be set in the environment in production" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("AUDIT_MAC_KEY", "abc", "AUDIT_MAC_KEY must be 32 hex digits"),
        ("PLATFORM_BLIND_INDEX_KEY", "g" * 32, "PLATFORM_BLIND_INDEX_KEY must be 32 hex digits"),
        ("PLATFORM_FIELD_KEYS", "22" * 16, "entry 1 must look like 'k1:<32 hex digits>'"),
        ("PLATFORM_FIELD_KEYS", "k1:" + "22" * 16 + ",k1:" + "33" * 16, "key id 'k1' twice"),
        ("PLATFORM_FIELD_KEYS", "k2:" + "22" * 15, "key 'k2' must be 32 hex digits"),
    ],
)
def test_malformed_key_stops_start_up(variable, value, message):
    result = start_django(**{**KEYS, variable: value})

    assert result.returncode != 0
    assert message in result.stderr
    # The error names the setting but never repeats the key material.
    assert "22" * 15 not in result.stderr
