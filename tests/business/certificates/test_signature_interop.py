"""An issued certificate's signature verifies with the OpenSSL command line."""

import shutil
import subprocess

import pytest

from business.certificates import content, services
from business.core.crypto import sm2
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("openssl") is None, reason="openssl command line not installed"
    ),
]


def openssl_verify(tmp_path, public_key_pem: str, message: bytes, signature: bytes) -> bool:
    (tmp_path / "public.pem").write_text(public_key_pem)
    (tmp_path / "content.json").write_bytes(message)
    (tmp_path / "signature.der").write_bytes(signature)
    result = subprocess.run(
        [
            "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "public.pem",
            "-rawin", "-digest", "sm3",
            # GB/T 32918 default signer ID; OpenSSL 3.0 uses an empty ID unless one is set.
            "-pkeyopt", "distid:1234567812345678",
            "-in", "content.json", "-sigfile", "signature.der",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result.returncode == 0


def test_certificate_signature_verifies_with_openssl(tmp_path):
    certificate = services.issue_certificate(factories.record())
    public_key_pem = sm2.public_key_to_pem(certificate.signing_key.public_key)

    message = content.canonical_content(certificate)

    verified = openssl_verify(tmp_path, public_key_pem, message, bytes(certificate.signature))

    assert verified


def test_altered_certificate_fails_openssl_verification(tmp_path):
    certificate = services.issue_certificate(factories.record())
    certificate.conclusion = "不合格"
    public_key_pem = sm2.public_key_to_pem(certificate.signing_key.public_key)

    message = content.canonical_content(certificate)

    verified = openssl_verify(tmp_path, public_key_pem, message, bytes(certificate.signature))

    assert not verified
