"""Keys of the audit chain, the encrypted personal-data columns and their blind indexes.

Every key comes from a setting that config/settings.py reads from the environment
(development generates them into var/secrets/). The parsers raise
ImproperlyConfigured with the setting's name and never include key material.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# A key id is stored in front of every encrypted value, so it must never contain
# the ":" that separates it from the ciphertext.
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,16}")
_HEX_KEY_PATTERN = re.compile(r"[0-9a-fA-F]{32}")


@dataclass(frozen=True)
class FieldKeyring:
    """SM4 keys of the encrypted columns by key id. New values use ``current_id``."""

    current_id: str
    keys: dict[str, bytes] = field(repr=False)

    @property
    def current_key(self) -> bytes:
        return self.keys[self.current_id]


def field_keyring() -> FieldKeyring:
    """Return the keyring parsed from ``settings.PLATFORM_FIELD_KEYS``."""
    return parse_field_keys(settings.PLATFORM_FIELD_KEYS)


def blind_index_key() -> bytes:
    """Return the HMAC-SM3 key of blind indexes from ``settings.PLATFORM_BLIND_INDEX_KEY``."""
    return parse_hex_key("PLATFORM_BLIND_INDEX_KEY", settings.PLATFORM_BLIND_INDEX_KEY)


def audit_mac_key() -> bytes:
    """Return the HMAC-SM3 key of the audit chain from ``settings.AUDIT_MAC_KEY``."""
    return parse_hex_key("AUDIT_MAC_KEY", settings.AUDIT_MAC_KEY)


def check_settings() -> None:
    """Parse every key setting once, so that a malformed one stops the start-up."""
    field_keyring()
    blind_index_key()
    audit_mac_key()


@lru_cache(maxsize=8)
def parse_hex_key(setting_name: str, value: str) -> bytes:
    value = value.strip()
    if not _HEX_KEY_PATTERN.fullmatch(value):
        raise ImproperlyConfigured(
            f"{setting_name} must be 32 hex digits (a 16-byte key), "
            f"got {len(value)} characters. Generate one with: python -c "
            "'import secrets; print(secrets.token_hex(16))'"
        )
    return bytes.fromhex(value)


@lru_cache(maxsize=8)
def parse_field_keys(value: str) -> FieldKeyring:
    """Parse ``"id:hex32,id:hex32"``. The first pair is the current key."""
    keys: dict[str, bytes] = {}
    current_id = ""
    for position, item in enumerate(value.split(","), start=1):
        key_id, separator, hex_key = item.strip().partition(":")
        if not separator or not KEY_ID_PATTERN.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"PLATFORM_FIELD_KEYS entry {position} must look like 'k1:<32 hex digits>', "
                "with a key id of 1 to 16 letters, digits, '_' or '-'."
            )
        if key_id in keys:
            raise ImproperlyConfigured(
                f"PLATFORM_FIELD_KEYS lists key id '{key_id}' twice. Each id must be unique."
            )
        keys[key_id] = parse_hex_key(f"PLATFORM_FIELD_KEYS key '{key_id}'", hex_key)
        if not current_id:
            current_id = key_id
    return FieldKeyring(current_id=current_id, keys=keys)
