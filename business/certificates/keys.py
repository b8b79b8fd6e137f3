"""Generation, storage and use of institutions' SM2 signing keys."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from business.core.crypto import sm2, sm4

from .models import SigningKey

logger = logging.getLogger(__name__)


def _data_key() -> bytes:
    return bytes.fromhex(settings.PLATFORM_DATA_KEY)


def _associated_data(institution_id: int, public_key: str) -> bytes:
    # Binds the ciphertext to its row: a private key copied onto another
    # institution's row no longer decrypts.
    return f"signing-key:{institution_id}:{public_key}".encode()


@transaction.atomic
def create_signing_key(institution) -> SigningKey:
    """Generate a new key pair for ``institution`` and make it the active one.

    The previous active key is retired but kept, so that certificates it signed can
    still be verified.
    """
    key_pair = sm2.generate_key_pair()
    encrypted = sm4.encrypt_gcm(
        _data_key(),
        bytes.fromhex(key_pair.private_key),
        _associated_data(institution.pk, key_pair.public_key),
    )

    SigningKey.objects.filter(institution=institution, is_active=True).update(
        is_active=False, retired_at=timezone.now()
    )
    signing_key = SigningKey.objects.create(
        institution=institution,
        public_key=key_pair.public_key,
        encrypted_private_key=encrypted,
    )
    logger.info("Created signing key %s for institution %s", signing_key.pk, institution.pk)
    return signing_key


def active_signing_key(institution) -> SigningKey | None:
    return SigningKey.objects.filter(institution=institution, is_active=True).first()


def sign(signing_key: SigningKey, message: bytes) -> bytes:
    private_key = sm4.decrypt_gcm(
        _data_key(),
        bytes(signing_key.encrypted_private_key),
        _associated_data(signing_key.institution_id, signing_key.public_key),
    )
    return sm2.sign(private_key.hex(), message, public_key_hex=signing_key.public_key)


def verify(signing_key: SigningKey, message: bytes, signature: bytes) -> bool:
    return sm2.verify(signing_key.public_key, message, bytes(signature))
