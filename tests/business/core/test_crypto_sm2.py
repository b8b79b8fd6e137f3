"""Tests for SM2 signing, DER and PEM, with gmssl and the openssl command line as
independent implementations to check against."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from gmssl.sm2 import CryptSM2

from business.core.crypto import sm2

# Order n of the base point G of the recommended SM2 curve.
N = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)

# 11 * G has an X coordinate that starts with "04". gmssl's CryptSM2 constructor strips
# that prefix from a bare X || Y key by mistake, so this key guards the workaround.
PRIVATE_KEY_WITH_X_STARTING_04 = f"{11:064x}"

MESSAGE = b"Calibration certificate 2024-000123: gauge block 10 mm, deviation +0.12 um"

DEFAULT_DISTID = "distid:1234567812345678"

requires_openssl = pytest.mark.skipif(
    shutil.which("openssl") is None,
    reason="the openssl command line tool is not on PATH, so interop cannot be checked",
)


@pytest.fixture(scope="module")
def key_pair() -> sm2.KeyPair:
    return sm2.generate_key_pair()


# --- Keys -------------------------------------------------------------------


def test_generated_key_pair_format(key_pair):
    assert len(key_pair.private_key) == 64
    assert 1 <= int(key_pair.private_key, 16) <= N - 2
    assert len(key_pair.public_key) == 130
    assert key_pair.public_key.startswith("04")
    assert key_pair.public_key == key_pair.public_key.lower()


def test_generated_key_pairs_differ():
    first = sm2.generate_key_pair()
    second = sm2.generate_key_pair()

    assert first.private_key != second.private_key
    assert first.public_key != second.public_key


def test_key_pair_repr_hides_private_key(key_pair):
    assert key_pair.private_key not in repr(key_pair)
    assert key_pair.public_key in repr(key_pair)


@pytest.mark.parametrize(
    "private_key",
    [f"{0:064x}", f"{N - 1:064x}", f"{N:064x}", "ab" * 31, "ab" * 33, "zz" * 32, " " + "a" * 63],
    ids=["zero", "n-1", "n", "too short", "too long", "not hex", "space"],
)
def test_sign_rejects_invalid_private_key(private_key):
    with pytest.raises(ValueError, match="SM2 private key"):
        sm2.sign(private_key, MESSAGE)


# --- Sign and verify ----------------------------------------------------------


def test_sign_verify_round_trip(key_pair):
    signature = sm2.sign(key_pair.private_key, MESSAGE)

    assert sm2.verify(key_pair.public_key, MESSAGE, signature)


def test_sign_with_given_public_key_verifies(key_pair):
    signature = sm2.sign(key_pair.private_key, MESSAGE, public_key_hex=key_pair.public_key)

    assert sm2.verify(key_pair.public_key, MESSAGE, signature)


def test_sign_empty_message_verifies(key_pair):
    signature = sm2.sign(key_pair.private_key, b"")

    assert sm2.verify(key_pair.public_key, b"", signature)


def test_sign_uses_fresh_nonce(key_pair):
    first = sm2.sign(key_pair.private_key, MESSAGE)
    second = sm2.sign(key_pair.private_key, MESSAGE)

    assert first != second


def test_sign_verify_key_with_x_starting_04():
    public_key = sm2._derive_public_key(11)
    assert public_key.startswith("0404")

    signature = sm2.sign(PRIVATE_KEY_WITH_X_STARTING_04, MESSAGE)

    assert sm2.verify(public_key, MESSAGE, signature)


def test_verify_rejects_tampered_message(key_pair):
    signature = sm2.sign(key_pair.private_key, MESSAGE)

    assert not sm2.verify(key_pair.public_key, MESSAGE + b" ", signature)
    assert not sm2.verify(key_pair.public_key, MESSAGE.replace(b"+0.12", b"+0.13"), signature)


def test_verify_rejects_tampered_signature(key_pair):
    r, s = sm2.decode_signature_der(sm2.sign(key_pair.private_key, MESSAGE))

    # Well-formed DER with a changed value, so only the signature check can reject it.
    assert not sm2.verify(key_pair.public_key, MESSAGE, sm2.encode_signature_der(r, s ^ 1))
    assert not sm2.verify(key_pair.public_key, MESSAGE, sm2.encode_signature_der(r ^ 1, s))
    assert not sm2.verify(key_pair.public_key, MESSAGE, sm2.encode_signature_der(s, r))


def test_verify_rejects_other_public_key(key_pair):
    signature = sm2.sign(key_pair.private_key, MESSAGE)
    other = sm2.generate_key_pair()

    assert not sm2.verify(other.public_key, MESSAGE, signature)


def test_sign_mismatched_public_key_fails_with_gmssl(key_pair, monkeypatch):
    monkeypatch.setattr(sm2.sm2_openssl, "available", lambda: False)
    other = sm2.generate_key_pair()

    signature = sm2.sign(key_pair.private_key, MESSAGE, public_key_hex=other.public_key)

    assert not sm2.verify(key_pair.public_key, MESSAGE, signature)
    assert not sm2.verify(other.public_key, MESSAGE, signature)


def test_sign_mismatched_public_key_rejected_with_openssl(key_pair):
    if not sm2.sm2_openssl.available():
        pytest.skip("libcrypto 3 with SM2 is not available")
    other = sm2.generate_key_pair()

    with pytest.raises(ValueError):
        sm2.sign(key_pair.private_key, MESSAGE, public_key_hex=other.public_key)


def der_integer_field(content_hex: str) -> str:
    return "02" + f"{len(content_hex) // 2:02x}" + content_hex


def der_sequence(content_hex: str) -> bytes:
    return bytes.fromhex("30" + f"{len(content_hex) // 2:02x}" + content_hex)


ONE = der_integer_field("01")


@pytest.mark.parametrize(
    "signature",
    [
        b"",
        b"\x30",
        b"\x30\x00",
        os.urandom(70),
        b"\x00" * 72,
        der_sequence(ONE + ONE) + b"\x00",
        der_sequence(ONE),
        der_sequence(ONE + ONE + ONE),
        der_sequence(ONE + der_integer_field("0001")),
        der_sequence(ONE + der_integer_field("ff")),
        der_sequence(ONE + der_integer_field("")),
        der_sequence(ONE + "0401" + "01"),
        bytes.fromhex("3106" + ONE + ONE),
        bytes.fromhex("308106" + ONE + ONE),
        bytes.fromhex("3080" + ONE + ONE + "0000"),
        bytes.fromhex("3007" + ONE + ONE),
        der_sequence(ONE + der_integer_field("00")),
        der_sequence(der_integer_field("00") + ONE),
        der_sequence(ONE + der_integer_field(f"00{N:064x}")),
        der_sequence(der_integer_field(f"00{N:064x}") + ONE),
        der_sequence(der_integer_field(f"{N - 1:064x}") + ONE),
    ],
    ids=[
        "empty",
        "tag only",
        "empty sequence",
        "random bytes",
        "zeros",
        "trailing byte",
        "one integer",
        "three integers",
        "non-minimal integer",
        "negative integer",
        "empty integer",
        "octet string instead of integer",
        "set instead of sequence",
        "non-minimal length",
        "indefinite length",
        "length beyond input",
        "s is zero",
        "r is zero",
        "s equals n",
        "r equals n",
        "r plus s equals n",
    ],
)
def test_verify_rejects_malformed_signature(key_pair, signature):
    assert sm2.verify(key_pair.public_key, MESSAGE, signature) is False


@pytest.mark.parametrize(
    "public_key",
    ["", "04", "04" + "00" * 64, "05" + "11" * 64, "04" + "zz" * 64, "04" + "ab" * 65],
    ids=["empty", "prefix only", "not on curve", "wrong prefix", "not hex", "too long"],
)
def test_verify_rejects_malformed_public_key(key_pair, public_key):
    signature = sm2.sign(key_pair.private_key, MESSAGE)

    assert sm2.verify(public_key, MESSAGE, signature) is False


# --- Agreement with gmssl's own Z computation ---------------------------------------


def gmssl_engine(key_pair: sm2.KeyPair) -> CryptSM2:
    engine = CryptSM2(private_key=key_pair.private_key, public_key="")
    engine.public_key = key_pair.public_key[2:]
    return engine


def test_gmssl_verifies_our_signature(key_pair):
    signature = sm2.sign(key_pair.private_key, MESSAGE)
    r, s = sm2.decode_signature_der(signature)

    assert gmssl_engine(key_pair).verify_with_sm3(f"{r:064x}{s:064x}", MESSAGE)


def test_verify_accepts_gmssl_signature(key_pair):
    r_s_hex = gmssl_engine(key_pair).sign_with_sm3(MESSAGE)
    signature = sm2.encode_signature_der(int(r_s_hex[:64], 16), int(r_s_hex[64:], 16))

    assert sm2.verify(key_pair.public_key, MESSAGE, signature)


# --- DER helpers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("r", "s"),
    [(1, 1), (0x7F, 0x80), (0xFF, 0x100), (N - 1, N - 2), (2**255, 2**255 - 1)],
)
def test_signature_der_matches_cryptography(r, s):
    encoded = sm2.encode_signature_der(r, s)

    assert encoded == encode_dss_signature(r, s)
    assert sm2.decode_signature_der(encoded) == (r, s)
    assert decode_dss_signature(encoded) == (r, s)


def test_encode_signature_der_rejects_negative():
    with pytest.raises(ValueError, match="negative"):
        sm2.encode_signature_der(-1, 1)


@pytest.mark.parametrize(
    "signature",
    [
        der_sequence(ONE + ONE) + b"\x00",
        der_sequence(ONE + der_integer_field("007f")),
        der_sequence(ONE + der_integer_field("80")),
        bytes.fromhex("308106" + ONE + ONE),
    ],
    ids=["trailing byte", "non-minimal integer", "negative integer", "non-minimal length"],
)
def test_decode_signature_der_rejects_non_strict_der(signature):
    with pytest.raises(ValueError, match="invalid DER"):
        sm2.decode_signature_der(signature)


# --- PEM ----------------------------------------------------------------------


def test_public_key_pem_round_trip(key_pair):
    pem = sm2.public_key_to_pem(key_pair.public_key)

    assert pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    assert sm2.public_key_from_pem(pem) == key_pair.public_key


def test_private_key_pem_round_trip(key_pair):
    pem = sm2.private_key_to_pem(key_pair.private_key, key_pair.public_key)

    assert pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert sm2.private_key_from_pem(pem) == key_pair


def test_private_key_pem_round_trip_x_starting_04():
    key_pair = sm2.KeyPair(
        private_key=PRIVATE_KEY_WITH_X_STARTING_04, public_key=sm2._derive_public_key(11)
    )

    pem = sm2.private_key_to_pem(key_pair.private_key, key_pair.public_key)

    assert sm2.private_key_from_pem(pem) == key_pair


def test_private_key_to_pem_rejects_mismatched_public_key(key_pair):
    other = sm2.generate_key_pair()

    with pytest.raises(ValueError, match="does not belong"):
        sm2.private_key_to_pem(key_pair.private_key, other.public_key)


def test_public_key_from_pem_rejects_other_block(key_pair):
    pem = sm2.private_key_to_pem(key_pair.private_key, key_pair.public_key)

    with pytest.raises(ValueError, match="no 'PUBLIC KEY' block"):
        sm2.public_key_from_pem(pem)


def test_public_key_from_pem_rejects_bad_base64(key_pair):
    pem = sm2.public_key_to_pem(key_pair.public_key).replace("M", "!", 1)

    with pytest.raises(ValueError, match="invalid base64"):
        sm2.public_key_from_pem(pem)


def test_private_key_from_pem_rejects_encrypted_key():
    pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"

    with pytest.raises(ValueError, match="encrypted private keys are not supported"):
        sm2.private_key_from_pem(pem)


# --- Interop with the openssl command line --------------------------------------
# OpenSSL 3.0 has its own SM2 implementation. When no distid is set it computes Z
# with an empty ID, so every command that must match our default ID sets it.


def run_openssl(*arguments: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["openssl", *map(str, arguments)], capture_output=True, text=True, check=False
    )


def run_openssl_checked(*arguments: str | Path) -> None:
    result = run_openssl(*arguments)
    assert result.returncode == 0, f"openssl {' '.join(map(str, arguments))}: {result.stderr}"


def write_files(directory: Path, key_pair: sm2.KeyPair, message: bytes) -> dict[str, Path]:
    paths = {
        "public": directory / "public.pem",
        "private": directory / "private.pem",
        "message": directory / "message.bin",
    }
    paths["public"].write_text(sm2.public_key_to_pem(key_pair.public_key))
    paths["private"].write_text(sm2.private_key_to_pem(key_pair.private_key, key_pair.public_key))
    paths["message"].write_bytes(message)
    return paths


def openssl_pkeyutl_verify(paths: dict[str, Path], signature_path: Path, *options: str) -> int:
    result = run_openssl(
        "pkeyutl", "-verify", "-pubin", "-inkey", paths["public"],
        "-rawin", "-digest", "sm3", *options,
        "-in", paths["message"], "-sigfile", signature_path,
    )  # fmt: skip
    return result.returncode


@requires_openssl
def test_sign_verifies_with_openssl_pkeyutl(tmp_path, key_pair):
    paths = write_files(tmp_path, key_pair, MESSAGE)
    signature_path = tmp_path / "signature.der"
    signature_path.write_bytes(sm2.sign(key_pair.private_key, MESSAGE))

    assert openssl_pkeyutl_verify(paths, signature_path, "-pkeyopt", DEFAULT_DISTID) == 0


@requires_openssl
def test_openssl_rejects_signature_with_wrong_distid(tmp_path, key_pair):
    paths = write_files(tmp_path, key_pair, MESSAGE)
    signature_path = tmp_path / "signature.der"
    signature_path.write_bytes(sm2.sign(key_pair.private_key, MESSAGE))

    assert openssl_pkeyutl_verify(paths, signature_path, "-pkeyopt", "distid:1234567812345679") == 1
    # Without distid OpenSSL 3.0 uses an empty ID, which also differs from ours.
    assert openssl_pkeyutl_verify(paths, signature_path) == 1


@requires_openssl
def test_openssl_rejects_tampered_message(tmp_path, key_pair):
    paths = write_files(tmp_path, key_pair, MESSAGE + b"!")
    signature_path = tmp_path / "signature.der"
    signature_path.write_bytes(sm2.sign(key_pair.private_key, MESSAGE))

    assert openssl_pkeyutl_verify(paths, signature_path, "-pkeyopt", DEFAULT_DISTID) == 1


@requires_openssl
def test_sign_verifies_with_openssl_dgst(tmp_path, key_pair):
    message = os.urandom(100_000)
    paths = write_files(tmp_path, key_pair, message)
    signature_path = tmp_path / "signature.der"
    signature_path.write_bytes(sm2.sign(key_pair.private_key, message))

    result = run_openssl(
        "dgst", "-sm3", "-verify", paths["public"], "-sigopt", DEFAULT_DISTID,
        "-signature", signature_path, paths["message"],
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Verified OK" in result.stdout


@requires_openssl
def test_openssl_verifies_x_starting_04_key(tmp_path):
    key_pair = sm2.KeyPair(
        private_key=PRIVATE_KEY_WITH_X_STARTING_04, public_key=sm2._derive_public_key(11)
    )
    paths = write_files(tmp_path, key_pair, MESSAGE)
    signature_path = tmp_path / "signature.der"
    signature_path.write_bytes(sm2.sign(key_pair.private_key, MESSAGE))

    assert openssl_pkeyutl_verify(paths, signature_path, "-pkeyopt", DEFAULT_DISTID) == 0


@requires_openssl
def test_openssl_generated_key_signature_verifies(tmp_path):
    private_path = tmp_path / "openssl-private.pem"
    public_path = tmp_path / "openssl-public.pem"
    message_path = tmp_path / "message.bin"
    signature_path = tmp_path / "signature.der"
    message_path.write_bytes(MESSAGE)
    run_openssl_checked(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", private_path
    )
    run_openssl_checked("pkey", "-in", private_path, "-pubout", "-out", public_path)
    run_openssl_checked(
        "pkeyutl", "-sign", "-inkey", private_path, "-rawin", "-digest", "sm3",
        "-pkeyopt", DEFAULT_DISTID, "-in", message_path, "-out", signature_path,
    )  # fmt: skip

    public_key = sm2.public_key_from_pem(public_path.read_text())
    signature = signature_path.read_bytes()

    assert sm2.verify(public_key, MESSAGE, signature)
    assert not sm2.verify(public_key, MESSAGE + b"!", signature)


@requires_openssl
def test_openssl_dgst_signature_verifies(tmp_path):
    private_path = tmp_path / "openssl-private.pem"
    public_path = tmp_path / "openssl-public.pem"
    message_path = tmp_path / "message.bin"
    signature_path = tmp_path / "signature.der"
    message_path.write_bytes(MESSAGE)
    run_openssl_checked(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", private_path
    )
    run_openssl_checked("pkey", "-in", private_path, "-pubout", "-out", public_path)
    run_openssl_checked(
        "dgst", "-sm3", "-sign", private_path, "-sigopt", DEFAULT_DISTID,
        "-out", signature_path, message_path,
    )  # fmt: skip

    public_key = sm2.public_key_from_pem(public_path.read_text())

    assert sm2.verify(public_key, MESSAGE, signature_path.read_bytes())


@requires_openssl
def test_openssl_signature_without_distid_fails(tmp_path):
    private_path = tmp_path / "openssl-private.pem"
    public_path = tmp_path / "openssl-public.pem"
    message_path = tmp_path / "message.bin"
    signature_path = tmp_path / "signature.der"
    message_path.write_bytes(MESSAGE)
    run_openssl_checked(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", private_path
    )
    run_openssl_checked("pkey", "-in", private_path, "-pubout", "-out", public_path)
    run_openssl_checked(
        "pkeyutl", "-sign", "-inkey", private_path, "-rawin", "-digest", "sm3",
        "-in", message_path, "-out", signature_path,
    )  # fmt: skip

    public_key = sm2.public_key_from_pem(public_path.read_text())

    assert not sm2.verify(public_key, MESSAGE, signature_path.read_bytes())


@requires_openssl
def test_openssl_key_public_key_matches(tmp_path):
    private_path = tmp_path / "openssl-private.pem"
    public_path = tmp_path / "openssl-public.pem"
    run_openssl_checked(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", private_path
    )
    run_openssl_checked("pkey", "-in", private_path, "-pubout", "-out", public_path)

    key_pair = sm2.private_key_from_pem(private_path.read_text())

    assert key_pair.public_key == sm2.public_key_from_pem(public_path.read_text())


@requires_openssl
def test_openssl_ecparam_key_is_read(tmp_path):
    # OpenSSL 3.0 writes an "SM2 PARAMETERS" block followed by a PKCS#8 key here.
    private_path = tmp_path / "openssl-ecparam.pem"
    run_openssl_checked("ecparam", "-genkey", "-name", "SM2", "-out", private_path)

    key_pair = sm2.private_key_from_pem(private_path.read_text())
    signature = sm2.sign(key_pair.private_key, MESSAGE)

    assert sm2.verify(key_pair.public_key, MESSAGE, signature)


@requires_openssl
def test_openssl_sec1_key_is_read(tmp_path):
    # `openssl ec` converts to SEC1 and labels SM2 keys "SM2 PRIVATE KEY".
    pkcs8_path = tmp_path / "openssl-pkcs8.pem"
    sec1_path = tmp_path / "openssl-sec1.pem"
    run_openssl_checked(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", pkcs8_path
    )
    run_openssl_checked("ec", "-in", pkcs8_path, "-out", sec1_path)

    sec1_pem = sec1_path.read_text()
    assert "-----BEGIN SM2 PRIVATE KEY-----" in sec1_pem

    assert sm2.private_key_from_pem(sec1_pem) == sm2.private_key_from_pem(pkcs8_path.read_text())


@requires_openssl
def test_public_key_from_pem_rejects_other_curve(tmp_path):
    private_path = tmp_path / "p256-private.pem"
    public_path = tmp_path / "p256-public.pem"
    run_openssl_checked(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", private_path
    )
    run_openssl_checked("pkey", "-in", private_path, "-pubout", "-out", public_path)

    with pytest.raises(ValueError, match="not on the SM2 curve"):
        sm2.public_key_from_pem(public_path.read_text())
    with pytest.raises(ValueError, match="not on the SM2 curve"):
        sm2.private_key_from_pem(private_path.read_text())


@requires_openssl
def test_public_key_from_pem_rejects_compressed_point(tmp_path, key_pair):
    paths = write_files(tmp_path, key_pair, MESSAGE)
    compressed_path = tmp_path / "compressed.pem"
    run_openssl_checked(
        "ec", "-pubin", "-in", paths["public"], "-pubout", "-conv_form", "compressed",
        "-out", compressed_path,
    )  # fmt: skip

    with pytest.raises(ValueError, match="compressed SM2 public keys are not supported"):
        sm2.public_key_from_pem(compressed_path.read_text())


@requires_openssl
def test_openssl_reads_our_public_key(tmp_path, key_pair):
    paths = write_files(tmp_path, key_pair, MESSAGE)

    result = run_openssl("pkey", "-pubin", "-in", paths["public"], "-pubout")

    assert result.returncode == 0, result.stderr
    assert result.stdout == paths["public"].read_text()


@requires_openssl
def test_openssl_signs_with_our_private_key(tmp_path, key_pair):
    paths = write_files(tmp_path, key_pair, MESSAGE)
    signature_path = tmp_path / "signature.der"
    run_openssl_checked(
        "pkeyutl", "-sign", "-inkey", paths["private"], "-rawin", "-digest", "sm3",
        "-pkeyopt", DEFAULT_DISTID, "-in", paths["message"], "-out", signature_path,
    )  # fmt: skip

    signature = signature_path.read_bytes()

    assert sm2.verify(key_pair.public_key, MESSAGE, signature)
    assert openssl_pkeyutl_verify(paths, signature_path, "-pkeyopt", DEFAULT_DISTID) == 0


@requires_openssl
def test_openssl_reads_our_private_key(tmp_path, key_pair):
    paths = write_files(tmp_path, key_pair, MESSAGE)

    result = run_openssl("pkey", "-in", paths["private"])

    assert result.returncode == 0, result.stderr
    assert result.stdout == paths["private"].read_text()
