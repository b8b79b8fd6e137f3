"""The OpenSSL and gmssl SM2 backends accept each other's signatures."""

import pytest

from business.core.crypto import sm2, sm2_openssl

pytestmark = pytest.mark.skipif(
    not sm2_openssl.available(), reason="libcrypto 3 with SM2 is not available"
)

MESSAGE = "检定证书 HNJY2026000001".encode()


@pytest.fixture(scope="module")
def key_pair():
    return sm2.generate_key_pair()


def test_openssl_signature_verifies_with_gmssl(key_pair):
    signature = sm2.sign(key_pair.private_key, MESSAGE, public_key_hex=key_pair.public_key)

    r, s = sm2.decode_signature_der(signature)

    assert sm2._verify_with_gmssl(key_pair.public_key, MESSAGE, r, s)


def test_gmssl_signature_verifies_with_openssl(key_pair):
    signature = sm2._sign_with_gmssl(int(key_pair.private_key, 16), key_pair.public_key, MESSAGE)

    assert sm2_openssl.verify(sm2.public_key_to_pem(key_pair.public_key), MESSAGE, signature)


def test_openssl_rejects_tampered_message(key_pair):
    signature = sm2.sign(key_pair.private_key, MESSAGE, public_key_hex=key_pair.public_key)

    assert not sm2.verify(key_pair.public_key, MESSAGE + b"!", signature)


def test_gmssl_fallback_when_openssl_missing(key_pair, monkeypatch):
    monkeypatch.setattr(sm2_openssl, "available", lambda: False)

    signature = sm2.sign(key_pair.private_key, MESSAGE, public_key_hex=key_pair.public_key)

    assert sm2.verify(key_pair.public_key, MESSAGE, signature)
    monkeypatch.undo()
    assert sm2.verify(key_pair.public_key, MESSAGE, signature)


def test_openssl_rejects_unreadable_public_key():
    unreadable = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"

    assert not sm2_openssl.verify(unreadable, MESSAGE, b"0")
