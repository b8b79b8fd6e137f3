"""SM4 block cipher (GB/T 32907-2016) in GCM mode, for encrypting data at rest.

GCM authenticates the ciphertext and the associated data, so decryption detects
tampering and a wrong key. The cipher comes from the ``cryptography`` package,
which calls OpenSSL.
"""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_SIZE = 16
NONCE_SIZE = 12
TAG_SIZE = 16


class DecryptionError(Exception):
    """Raised when a ciphertext fails authentication or is too short to be one."""


def encrypt_gcm(key: bytes, plaintext: bytes, associated_data: bytes = b"") -> bytes:
    """Encrypt ``plaintext`` with SM4-GCM and return nonce || ciphertext || tag.

    The 12-byte nonce is random for each call. GCM loses its security if a nonce
    repeats under one key, so limit the number of messages per key. After 2**32
    messages the chance of any repeat is about 2**-33 (birthday bound).
    ``associated_data`` is authenticated but not encrypted, and decryption
    needs the same value.
    """
    _check_key(key)
    nonce = os.urandom(NONCE_SIZE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated_data)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def decrypt_gcm(key: bytes, blob: bytes, associated_data: bytes = b"") -> bytes:
    """Decrypt a blob made by ``encrypt_gcm`` and return the plaintext.

    Raises DecryptionError if the blob is shorter than a nonce and a tag, or if
    authentication fails. Authentication fails when the blob or the associated
    data was changed or the key is wrong, and GCM cannot tell these cases apart.
    Raises ValueError if the key is not 16 bytes long.
    """
    _check_key(key)
    if len(blob) < NONCE_SIZE + TAG_SIZE:
        raise DecryptionError(
            f"SM4-GCM ciphertext is {len(blob)} bytes long, but it must be at least "
            f"{NONCE_SIZE + TAG_SIZE} bytes (nonce and tag)"
        )

    nonce = blob[:NONCE_SIZE]
    ciphertext = blob[NONCE_SIZE:-TAG_SIZE]
    tag = blob[-TAG_SIZE:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated_data)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError(
            "SM4-GCM authentication failed: the key is wrong, or the ciphertext "
            "or associated data was changed"
        ) from None


def _check_key(key: bytes) -> None:
    if len(key) != KEY_SIZE:
        raise ValueError(f"SM4 key must be {KEY_SIZE} bytes long, got {len(key)} bytes")
