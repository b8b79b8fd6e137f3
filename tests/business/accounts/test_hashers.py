"""PBKDF2-HMAC-SM3 password hasher."""

import base64
import hashlib

import pytest
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    check_password,
    get_hasher,
    identify_hasher,
    make_password,
)
from django.contrib.auth.models import User

from business.accounts.hashers import PBKDF2SM3PasswordHasher

from .conftest import CONFIGURED_SM3_ITERATIONS


def test_configured_iterations_default():
    assert CONFIGURED_SM3_ITERATIONS == 150_000


def test_hasher_is_the_default():
    assert isinstance(get_hasher("default"), PBKDF2SM3PasswordHasher)


def test_round_trip():
    encoded = make_password("Correct-Horse-9")

    assert encoded.startswith("pbkdf2_sm3$")
    assert check_password("Correct-Horse-9", encoded)
    assert not check_password("Correct-Horse-8", encoded)
    assert not check_password("", encoded)


def test_encoded_hash_matches_hashlib(settings):
    settings.PASSWORD_SM3_ITERATIONS = 2_000

    encoded = make_password("Correct-Horse-9")

    algorithm, iterations, salt, key_text = encoded.split("$")
    expected = hashlib.pbkdf2_hmac("sm3", b"Correct-Horse-9", salt.encode(), 2_000)
    assert algorithm == "pbkdf2_sm3"
    assert int(iterations) == 2_000
    assert base64.b64decode(key_text) == expected
    assert len(expected) == 32


def test_salt_random_and_long_enough():
    hasher = PBKDF2SM3PasswordHasher()
    first = hasher.decode(make_password("Correct-Horse-9"))["salt"]
    second = hasher.decode(make_password("Correct-Horse-9"))["salt"]

    assert len(bytes.fromhex(first)) >= 16
    assert first != second


def test_same_password_hashes_differ():
    assert make_password("Correct-Horse-9") != make_password("Correct-Horse-9")


def test_configured_iterations_used_at_full_strength(settings):
    settings.PASSWORD_SM3_ITERATIONS = CONFIGURED_SM3_ITERATIONS

    encoded = make_password("Correct-Horse-9")

    assert encoded.split("$")[1] == str(CONFIGURED_SM3_ITERATIONS)
    assert check_password("Correct-Horse-9", encoded)


def test_changed_iteration_count_needs_update(settings):
    encoded = make_password("Correct-Horse-9")
    hasher = identify_hasher(encoded)

    assert not hasher.must_update(encoded)
    settings.PASSWORD_SM3_ITERATIONS = 1_500
    assert hasher.must_update(encoded)


@pytest.mark.django_db
def test_old_sha256_admin_hash_verifies_and_upgrades():
    old_hash = PBKDF2PasswordHasher().encode("Demo-Admin-2026!", "saltsaltsaltsaltsaltsa", 1_000)
    admin = User.objects.create(username="admin", password=old_hash)

    assert admin.check_password("Demo-Admin-2026!")

    admin.refresh_from_db()
    assert admin.password.startswith("pbkdf2_sm3$")
    assert admin.check_password("Demo-Admin-2026!")
