"""Tests for SM3 and SM4, against the published vectors and gmssl's pure-Python code."""

import os

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmssl import sm3 as gmssl_sm3
from gmssl.sm4 import SM4_ENCRYPT, CryptSM4

from business.core.crypto import sm3, sm4

# --- SM3 --------------------------------------------------------------------


def gmssl_sm3_digest(data: bytes) -> bytes:
    return bytes.fromhex(gmssl_sm3.sm3_hash(list(data)))


def reference_hmac_sm3(key: bytes, data: bytes) -> bytes:
    """HMAC from its definition in RFC 2104, built on gmssl's SM3 (block size 64 bytes)."""
    block_size = 64
    if len(key) > block_size:
        key = gmssl_sm3_digest(key)
    key = key.ljust(block_size, b"\x00")
    inner_key = bytes(byte ^ 0x36 for byte in key)
    outer_key = bytes(byte ^ 0x5C for byte in key)
    return gmssl_sm3_digest(outer_key + gmssl_sm3_digest(inner_key + data))


def test_sm3_abc_vector():
    # Test vector from GB/T 32905-2016, message "abc".
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"

    assert sm3.hexdigest(b"abc") == expected
    assert sm3.digest(b"abc") == bytes.fromhex(expected)


def test_sm3_64_byte_vector():
    # Test vector from GB/T 32905-2016, message "abcd" repeated 16 times.
    expected = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"

    assert sm3.hexdigest(b"abcd" * 16) == expected


def test_sm3_matches_gmssl_on_random_input():
    # Lengths around the 64-byte block and the 56-byte padding boundary.
    for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000]:
        data = os.urandom(length)

        assert sm3.digest(data) == gmssl_sm3_digest(data), f"length {length}"


def test_sm3_digest_size():
    assert len(sm3.digest(b"")) == sm3.DIGEST_SIZE
    assert len(sm3.hexdigest(b"")) == 2 * sm3.DIGEST_SIZE


def test_hmac_sm3_matches_reference():
    # A key longer than the 64-byte block is hashed first, so both paths are covered.
    for key_length in [0, 16, 64, 65, 100]:
        key = os.urandom(key_length)
        data = os.urandom(77)

        assert sm3.hmac_sm3(key, data) == reference_hmac_sm3(key, data), f"key length {key_length}"


def test_hmac_sm3_depends_on_key():
    data = b"certificate 2024-001"

    assert sm3.hmac_sm3(b"key one", data) != sm3.hmac_sm3(b"key two", data)


# --- SM4 --------------------------------------------------------------------

SM4_VECTOR_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


def sm4_ecb_encrypt_block(key: bytes, block: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def test_sm4_single_block_vector():
    # Single-block test vector from GB/T 32907-2016, where key and plaintext are equal.
    ciphertext = sm4_ecb_encrypt_block(SM4_VECTOR_KEY, SM4_VECTOR_KEY)

    assert ciphertext.hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_block_matches_gmssl():
    key = os.urandom(16)
    block = os.urandom(16)
    gmssl_cipher = CryptSM4()
    gmssl_cipher.set_key(key, SM4_ENCRYPT)

    # gmssl always adds PKCS#7 padding in ECB mode, so only the first block is compared.
    gmssl_ciphertext = gmssl_cipher.crypt_ecb(block)[:16]

    assert sm4_ecb_encrypt_block(key, block) == gmssl_ciphertext


def test_gcm_round_trip():
    key = os.urandom(16)
    for plaintext in [b"", b"x", os.urandom(1000)]:
        blob = sm4.encrypt_gcm(key, plaintext, associated_data=b"certificate:42")

        assert len(blob) == sm4.NONCE_SIZE + len(plaintext) + sm4.TAG_SIZE
        assert sm4.decrypt_gcm(key, blob, associated_data=b"certificate:42") == plaintext


def test_gcm_round_trip_without_associated_data():
    key = os.urandom(16)

    blob = sm4.encrypt_gcm(key, b"calibration result")

    assert sm4.decrypt_gcm(key, blob) == b"calibration result"


def test_gcm_ciphertext_hides_plaintext():
    key = os.urandom(16)
    plaintext = b"calibration result: 12.000 mm"

    blob = sm4.encrypt_gcm(key, plaintext)

    assert plaintext not in blob


@pytest.mark.parametrize(
    "position",
    [0, sm4.NONCE_SIZE, sm4.NONCE_SIZE + 5, -1],
    ids=["nonce", "ciphertext start", "ciphertext middle", "tag"],
)
def test_gcm_detects_tampered_byte(position):
    key = os.urandom(16)
    blob = bytearray(sm4.encrypt_gcm(key, b"calibration result"))
    blob[position] ^= 0x01

    with pytest.raises(sm4.DecryptionError):
        sm4.decrypt_gcm(key, bytes(blob))


def test_gcm_detects_truncation():
    key = os.urandom(16)
    blob = sm4.encrypt_gcm(key, b"calibration result")

    with pytest.raises(sm4.DecryptionError):
        sm4.decrypt_gcm(key, blob[:-1])


def test_gcm_detects_changed_associated_data():
    key = os.urandom(16)
    blob = sm4.encrypt_gcm(key, b"calibration result", associated_data=b"certificate:42")

    with pytest.raises(sm4.DecryptionError):
        sm4.decrypt_gcm(key, blob, associated_data=b"certificate:43")
    with pytest.raises(sm4.DecryptionError):
        sm4.decrypt_gcm(key, blob)


def test_gcm_detects_wrong_key():
    blob = sm4.encrypt_gcm(os.urandom(16), b"calibration result")

    with pytest.raises(sm4.DecryptionError):
        sm4.decrypt_gcm(os.urandom(16), blob)


def test_gcm_rejects_too_short_blob():
    key = os.urandom(16)

    with pytest.raises(sm4.DecryptionError, match="at least 28 bytes"):
        sm4.decrypt_gcm(key, b"\x00" * 27)


def test_gcm_same_plaintext_gives_distinct_blobs():
    key = os.urandom(16)

    blobs = {sm4.encrypt_gcm(key, b"same plaintext") for _ in range(20)}

    assert len(blobs) == 20


@pytest.mark.parametrize("key_length", [0, 15, 17, 32])
def test_gcm_rejects_wrong_key_length(key_length):
    key = b"\x01" * key_length

    with pytest.raises(ValueError, match="SM4 key must be 16 bytes long"):
        sm4.encrypt_gcm(key, b"data")
    with pytest.raises(ValueError, match="SM4 key must be 16 bytes long"):
        sm4.decrypt_gcm(key, b"\x00" * 40)
