"""SM2 signatures with SM3 (GB/T 32918.2-2016) and SM2 key conversion to and from PEM.

OpenSSL's libcrypto signs and verifies when it is available (``sm2_openssl``);
otherwise gmssl 3.2.2 does the elliptic-curve arithmetic. This module computes the signed
digest e = SM3(Z || M) itself with hashlib's SM3, which is much faster than gmssl's
pure-Python SM3 on long messages. Z is the SM3 hash of the signer's ID, the curve
parameters and the public key. The ID is always "1234567812345678", the usual
default that gmssl also hard-codes.

OpenSSL 3.0.19 uses an empty ID unless a ``distid`` option sets one. Its command
line therefore needs ``-pkeyopt distid:1234567812345678`` (pkeyutl) or
``-sigopt distid:1234567812345678`` (dgst) to sign or verify compatible signatures.

Keys are hex strings. A private key is 64 hex characters. A public key is an
uncompressed point, "04" followed by X and Y (130 hex characters). Signatures
are DER: SEQUENCE { r INTEGER, s INTEGER }, the form that OpenSSL uses.

NOTE: gmssl's arithmetic is pure Python and not constant-time. Someone who can
time many signatures might learn something about the private key.
"""

import base64
import binascii
import functools
import re
import secrets
from dataclasses import dataclass, field

from gmssl.sm2 import CryptSM2, default_ecc_table

from . import sm2_openssl, sm3

# Parameters of the recommended SM2 curve, taken from gmssl so that this module and
# gmssl cannot disagree.
_P = int(default_ecc_table["p"], 16)
_A = int(default_ecc_table["a"], 16)
_B = int(default_ecc_table["b"], 16)
_N = int(default_ecc_table["n"], 16)
_GENERATOR_XY_HEX = default_ecc_table["g"]

DEFAULT_USER_ID = b"1234567812345678"

# Z hashes the ID's length in bits (2 bytes, big-endian), the ID, then a, b and the
# generator. Only the public key after them differs between signers.
_Z_PREFIX = (
    (len(DEFAULT_USER_ID) * 8).to_bytes(2, "big")
    + DEFAULT_USER_ID
    + bytes.fromhex(default_ecc_table["a"] + default_ecc_table["b"] + _GENERATOR_XY_HEX)
)

_PRIVATE_KEY_PATTERN = re.compile(r"[0-9a-fA-F]{64}")
_PUBLIC_KEY_PATTERN = re.compile(r"04[0-9a-fA-F]{128}")


@dataclass(frozen=True)
class KeyPair:
    """SM2 key pair as lowercase hex strings.

    ``private_key`` is left out of ``repr`` so that it does not end up in logs
    or tracebacks.
    """

    private_key: str = field(repr=False)
    public_key: str


def generate_key_pair() -> KeyPair:
    """Generate a key pair from the operating system's CSPRNG.

    The private key is uniform in [1, n - 2], the range that GB/T 32918.1 allows.
    n - 1 is excluded because signing needs the inverse of 1 + d mod n.
    """
    private_value = secrets.randbelow(_N - 2) + 1
    return KeyPair(
        private_key=f"{private_value:064x}",
        public_key=_derive_public_key(private_value),
    )


def sign(private_key_hex: str, message: bytes, *, public_key_hex: str | None = None) -> bytes:
    """Sign ``message`` with SM2 and SM3 and return the DER-encoded signature.

    Z needs the public key. Without ``public_key_hex`` it is derived from the
    private key, which costs a scalar multiplication. A ``public_key_hex`` that
    does not belong to the private key raises ValueError with the OpenSSL backend.
    With gmssl it goes undetected, and the signature then fails verification. Raises
    ValueError for a malformed key.
    """
    private_value = _parse_private_key(private_key_hex)
    if public_key_hex is None:
        public_key_hex = _derive_public_key(private_value)
    else:
        _parse_public_key(public_key_hex)

    if sm2_openssl.available():
        return sm2_openssl.sign(_openssl_private_pem(private_key_hex, public_key_hex), message)
    return _sign_with_gmssl(private_value, public_key_hex, message)


def _sign_with_gmssl(private_value: int, public_key_hex: str, message: bytes) -> bytes:
    digest = _message_digest(public_key_hex, message)

    signer = _gmssl_engine(private_value_hex=f"{private_value:064x}")
    while True:
        # gmssl draws its nonce from the `random` module, which is not a CSPRNG,
        # so the nonce is passed in. k is uniform in [1, n - 1].
        nonce = secrets.randbelow(_N - 1) + 1
        r_s_hex = signer.sign(digest, f"{nonce:064x}")
        # gmssl returns None when r = 0, r + k = n or s = 0, and GB/T 32918.2
        # then requires a new k.
        if r_s_hex is not None:
            break

    r = int(r_s_hex[:64], 16)
    s = int(r_s_hex[64:], 16)
    return encode_signature_der(r, s)


def verify(public_key_hex: str, message: bytes, signature_der: bytes) -> bool:
    """Return True if ``signature_der`` is a valid SM2 signature of ``message``.

    Returns False, without raising, for a malformed public key, malformed or
    non-minimal DER, trailing bytes, r or s outside [1, n - 1], and a signature
    that does not match. It raises TypeError only for arguments of the wrong type.
    """
    try:
        _parse_public_key(public_key_hex)
        r, s = decode_signature_der(signature_der)
    except ValueError:
        return False
    if not (1 <= r < _N and 1 <= s < _N):
        return False
    if (r + s) % _N == 0:
        return False

    if sm2_openssl.available():
        return sm2_openssl.verify(public_key_to_pem(public_key_hex), message, signature_der)
    return _verify_with_gmssl(public_key_hex, message, r, s)


def _verify_with_gmssl(public_key_hex: str, message: bytes, r: int, s: int) -> bool:
    digest = _message_digest(public_key_hex, message)
    verifier = _gmssl_engine(public_xy_hex=public_key_hex[2:].lower())
    try:
        return verifier.verify(f"{r:064x}{s:064x}", digest) is True
    except TypeError:
        # gmssl returns None for the point at infinity and then fails on it.
        # s*G + t*P is infinity only for an invalid signature.
        return False


@functools.lru_cache(maxsize=16)
def _openssl_private_pem(private_key_hex: str, public_key_hex: str) -> str:
    # Building the PEM checks that the keys match, which costs a scalar
    # multiplication in Python; the cache pays it once per signing key. The private
    # key is in this process's memory while it signs anyway.
    return private_key_to_pem(private_key_hex, public_key_hex)


def _message_digest(public_key_hex: str, message: bytes) -> bytes:
    """Compute e = SM3(Z || M) as GB/T 32918.2 defines it, for the default ID."""
    z = sm3.digest(_Z_PREFIX + bytes.fromhex(public_key_hex[2:]))
    return sm3.digest(z + message)


def _gmssl_engine(private_value_hex: str = "", public_xy_hex: str = "") -> CryptSM2:
    """Create a gmssl CryptSM2 with the public key set exactly as given.

    CryptSM2's constructor removes a leading "04" with ``str.lstrip("04")``, which
    strips every leading "0" and "4" character. It thus corrupts X when the
    prefixed key is passed and X starts with 0 or 4, or when the bare key is
    passed and X starts with "04". Setting the attribute afterwards avoids both.
    """
    engine = CryptSM2(private_key=private_value_hex, public_key="")
    engine.public_key = public_xy_hex
    return engine


def _derive_public_key(private_value: int) -> str:
    # gmssl has no public API for d*G, so this calls the helper that its own
    # sign() uses. The tests check the result against OpenSSL.
    point_xy_hex = _gmssl_engine()._kg(private_value, _GENERATOR_XY_HEX)
    return "04" + point_xy_hex


def _parse_private_key(private_key_hex: str) -> int:
    if not _PRIVATE_KEY_PATTERN.fullmatch(private_key_hex):
        raise ValueError(
            "SM2 private key must be 64 hex characters (0-9, a-f), "
            f"got {len(private_key_hex)} characters"
        )
    private_value = int(private_key_hex, 16)
    if not 1 <= private_value <= _N - 2:
        raise ValueError("SM2 private key is out of range: it must be between 1 and n - 2")
    return private_value


def _parse_public_key(public_key_hex: str) -> tuple[int, int]:
    if not _PUBLIC_KEY_PATTERN.fullmatch(public_key_hex):
        raise ValueError(
            "SM2 public key must be 130 hex characters (0-9, a-f): '04' followed by X and Y, "
            f"got {len(public_key_hex)} characters starting with {public_key_hex[:2]!r}"
        )
    x = int(public_key_hex[2:66], 16)
    y = int(public_key_hex[66:], 16)
    if x >= _P or y >= _P or (y * y - (x * x * x + _A * x + _B)) % _P != 0:
        raise ValueError("SM2 public key is not a point on the SM2 curve")
    return x, y


# --- DER --------------------------------------------------------------------
# A minimal strict DER writer and reader for the few structures this module needs.
# The `cryptography` package cannot load keys on the SM2 curve, so it cannot parse
# these key files.

_TAG_INTEGER = 0x02
_TAG_BIT_STRING = 0x03
_TAG_OCTET_STRING = 0x04
_TAG_OBJECT_IDENTIFIER = 0x06
_TAG_SEQUENCE = 0x30
_TAG_CONTEXT_0 = 0xA0
_TAG_CONTEXT_1 = 0xA1

# Encoded content of OBJECT IDENTIFIER values, as `openssl asn1parse` shows them.
_OID_EC_PUBLIC_KEY = bytes.fromhex("2a8648ce3d0201")  # 1.2.840.10045.2.1
_OID_SM2_CURVE = bytes.fromhex("2a811ccf5501822d")  # 1.2.156.10197.1.301


def encode_signature_der(r: int, s: int) -> bytes:
    """Encode r and s as DER SEQUENCE { r INTEGER, s INTEGER }."""
    return _der_element(_TAG_SEQUENCE, _der_integer(r) + _der_integer(s))


def decode_signature_der(signature_der: bytes) -> tuple[int, int]:
    """Decode a DER SEQUENCE of two non-negative INTEGERs into (r, s).

    Raises ValueError for anything that is not strict DER, including trailing
    bytes, non-minimal lengths or integers, and negative integers. The range of
    r and s is left to the caller.
    """
    outer = _DerReader(signature_der)
    body = _DerReader(outer.read(_TAG_SEQUENCE))
    outer.expect_end()
    r = body.read_unsigned_integer()
    s = body.read_unsigned_integer()
    body.expect_end()
    return r, s


def _der_element(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        encoded_length = bytes([length])
    else:
        length_bytes = length.to_bytes((length.bit_length() + 7) // 8, "big")
        encoded_length = bytes([0x80 | len(length_bytes)]) + length_bytes
    return bytes([tag]) + encoded_length + content


def _der_integer(value: int) -> bytes:
    if value < 0:
        raise ValueError(f"DER INTEGER must not be negative here, got {value}")
    # One byte more than the bit length needs when the top bit would be set,
    # because a set top bit would make the value negative.
    return _der_element(_TAG_INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big"))


class _DerReader:
    """Reader that consumes DER elements from ``data`` in order."""

    # Maximum size of a length field in bytes. 4 bytes allow lengths up to 4 GiB.
    _MAX_LENGTH_BYTES = 4

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._position = 0

    def at_end(self) -> bool:
        return self._position == len(self._data)

    def peek_tag(self) -> int | None:
        return None if self.at_end() else self._data[self._position]

    def expect_end(self) -> None:
        remaining = len(self._data) - self._position
        if remaining:
            raise ValueError(f"invalid DER: {remaining} trailing bytes")

    def read(self, expected_tag: int) -> bytes:
        """Read one element with ``expected_tag`` and return its content."""
        data = self._data
        position = self._position
        if position + 2 > len(data):
            raise ValueError("invalid DER: truncated element header")

        tag = data[position]
        if tag != expected_tag:
            raise ValueError(f"invalid DER: expected tag 0x{expected_tag:02x}, found 0x{tag:02x}")

        first_length_byte = data[position + 1]
        position += 2
        if first_length_byte < 0x80:
            length = first_length_byte
        else:
            length_size = first_length_byte & 0x7F
            if length_size == 0:
                raise ValueError("invalid DER: indefinite length")
            if length_size > self._MAX_LENGTH_BYTES:
                raise ValueError(f"invalid DER: length field of {length_size} bytes is too long")
            length_bytes = data[position : position + length_size]
            if len(length_bytes) != length_size:
                raise ValueError("invalid DER: truncated length")
            length = int.from_bytes(length_bytes, "big")
            if length_bytes[0] == 0 or length < 0x80:
                raise ValueError("invalid DER: non-minimal length")
            position += length_size

        if position + length > len(data):
            raise ValueError("invalid DER: content is longer than the input")
        self._position = position + length
        return data[position : position + length]

    def read_unsigned_integer(self) -> int:
        content = self.read(_TAG_INTEGER)
        if not content:
            raise ValueError("invalid DER: empty INTEGER")
        if content[0] & 0x80:
            raise ValueError("invalid DER: negative INTEGER")
        if len(content) > 1 and content[0] == 0 and content[1] < 0x80:
            raise ValueError("invalid DER: non-minimal INTEGER")
        return int.from_bytes(content, "big")

    def read_public_point(self) -> str:
        """Read a BIT STRING that contains an uncompressed SM2 point and return it as hex."""
        content = self.read(_TAG_BIT_STRING)
        if not content or content[0] != 0:
            raise ValueError("invalid DER: public key BIT STRING must have 0 unused bits")
        public_key_hex = content[1:].hex()
        if public_key_hex[:2] in ("02", "03"):
            raise ValueError(
                "compressed SM2 public keys are not supported, export the key "
                "uncompressed (openssl ec -pubin -pubout -conv_form uncompressed)"
            )
        _parse_public_key(public_key_hex)
        return public_key_hex


# --- PEM --------------------------------------------------------------------
# Public keys are SubjectPublicKeyInfo (RFC 5280). Private keys are written as PKCS#8
# (RFC 5208) around a SEC1 ECPrivateKey (RFC 5915). Both use the algorithm
# id-ecPublicKey with the SM2 curve as parameter, the same layout that
# `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2` writes.


def public_key_to_pem(public_key_hex: str) -> str:
    """Encode a public key as a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo)."""
    _parse_public_key(public_key_hex)
    subject_public_key_info = _der_element(
        _TAG_SEQUENCE,
        _sm2_algorithm_identifier() + _public_point_bit_string(public_key_hex),
    )
    return _pem_encode("PUBLIC KEY", subject_public_key_info)


def private_key_to_pem(private_key_hex: str, public_key_hex: str) -> str:
    """Encode a key pair as an unencrypted PKCS#8 PEM "PRIVATE KEY" block.

    Raises ValueError if the public key does not belong to the private key.
    """
    private_value = _parse_private_key(private_key_hex)
    _parse_public_key(public_key_hex)
    if _derive_public_key(private_value) != public_key_hex.lower():
        raise ValueError("SM2 public key does not belong to the private key")

    ec_private_key = _der_element(
        _TAG_SEQUENCE,
        _der_integer(1)  # ECPrivateKey version
        + _der_element(_TAG_OCTET_STRING, private_value.to_bytes(32, "big"))
        + _der_element(_TAG_CONTEXT_1, _public_point_bit_string(public_key_hex)),
    )
    private_key_info = _der_element(
        _TAG_SEQUENCE,
        _der_integer(0)  # PKCS#8 version
        + _sm2_algorithm_identifier()
        + _der_element(_TAG_OCTET_STRING, ec_private_key),
    )
    return _pem_encode("PRIVATE KEY", private_key_info)


def public_key_from_pem(pem: str) -> str:
    """Decode a PEM "PUBLIC KEY" block on the SM2 curve into a public key hex string.

    Raises ValueError if the PEM has no such block, if the key is not an EC key
    on the SM2 curve, or if the point is compressed or not on the curve.
    """
    der = _pem_decode(pem, "PUBLIC KEY")
    if der is None:
        raise ValueError("no 'PUBLIC KEY' block found in PEM")

    outer = _DerReader(der)
    body = _DerReader(outer.read(_TAG_SEQUENCE))
    outer.expect_end()
    _read_sm2_algorithm_identifier(body)
    public_key_hex = body.read_public_point()
    body.expect_end()
    return public_key_hex


def private_key_from_pem(pem: str) -> KeyPair:
    """Decode an unencrypted SM2 private key from PEM and return the key pair.

    Accepts PKCS#8 "PRIVATE KEY", which openssl genpkey and ecparam -genkey
    write, and SEC1 ECPrivateKey labelled "EC PRIVATE KEY" or "SM2 PRIVATE KEY".
    OpenSSL 3.0's ``openssl ec`` uses the second label for SM2 keys. Other
    blocks in the PEM, such as "SM2 PARAMETERS", are ignored. The public key
    is derived from the private key. If the file contains one, it must match.
    Raises ValueError otherwise or for an encrypted key.
    """
    if "ENCRYPTED" in pem:
        raise ValueError(
            "encrypted private keys are not supported, decrypt the key first "
            "(openssl pkey -in KEY.pem -out PLAIN.pem)"
        )

    pkcs8_der = _pem_decode(pem, "PRIVATE KEY")
    if pkcs8_der is not None:
        private_value, stored_public_key_hex = _parse_pkcs8(pkcs8_der)
    else:
        sec1_der = _pem_decode(pem, "EC PRIVATE KEY")
        if sec1_der is None:
            sec1_der = _pem_decode(pem, "SM2 PRIVATE KEY")
        if sec1_der is None:
            raise ValueError(
                "no 'PRIVATE KEY', 'EC PRIVATE KEY' or 'SM2 PRIVATE KEY' block found in PEM"
            )
        private_value, stored_public_key_hex = _parse_ec_private_key(
            sec1_der, curve_known=False
        )

    public_key_hex = _derive_public_key(private_value)
    if stored_public_key_hex is not None and stored_public_key_hex.lower() != public_key_hex:
        raise ValueError("the public key stored in the PEM does not belong to its private key")
    return KeyPair(private_key=f"{private_value:064x}", public_key=public_key_hex)


def _parse_pkcs8(der: bytes) -> tuple[int, str | None]:
    outer = _DerReader(der)
    body = _DerReader(outer.read(_TAG_SEQUENCE))
    outer.expect_end()
    version = body.read_unsigned_integer()
    if version != 0:
        raise ValueError(f"unsupported PKCS#8 version {version}, expected 0")
    _read_sm2_algorithm_identifier(body)
    ec_private_key = body.read(_TAG_OCTET_STRING)
    if not body.at_end():
        raise ValueError("PKCS#8 attributes are not supported")
    return _parse_ec_private_key(ec_private_key, curve_known=True)


def _parse_ec_private_key(der: bytes, *, curve_known: bool) -> tuple[int, str | None]:
    """Parse a SEC1 ECPrivateKey and return the private value and the stored public key.

    ``curve_known`` is True inside PKCS#8, whose algorithm identifier already
    names the curve. A standalone SEC1 key must name the curve in its [0]
    parameters, and the curve must be SM2.
    """
    outer = _DerReader(der)
    body = _DerReader(outer.read(_TAG_SEQUENCE))
    outer.expect_end()

    version = body.read_unsigned_integer()
    if version != 1:
        raise ValueError(f"unsupported ECPrivateKey version {version}, expected 1")
    private_bytes = body.read(_TAG_OCTET_STRING)
    if not 1 <= len(private_bytes) <= 32:
        raise ValueError(f"SM2 private key must be 1 to 32 bytes long, got {len(private_bytes)}")

    if body.peek_tag() == _TAG_CONTEXT_0:
        parameters = _DerReader(body.read(_TAG_CONTEXT_0))
        _expect_sm2_curve(parameters.read(_TAG_OBJECT_IDENTIFIER))
        parameters.expect_end()
    elif not curve_known:
        raise ValueError("EC private key does not name its curve, expected the SM2 curve")

    stored_public_key_hex = None
    if body.peek_tag() == _TAG_CONTEXT_1:
        public_key_field = _DerReader(body.read(_TAG_CONTEXT_1))
        stored_public_key_hex = public_key_field.read_public_point()
        public_key_field.expect_end()
    body.expect_end()

    private_value = _parse_private_key(private_bytes.rjust(32, b"\x00").hex())
    return private_value, stored_public_key_hex


def _sm2_algorithm_identifier() -> bytes:
    return _der_element(
        _TAG_SEQUENCE,
        _der_element(_TAG_OBJECT_IDENTIFIER, _OID_EC_PUBLIC_KEY)
        + _der_element(_TAG_OBJECT_IDENTIFIER, _OID_SM2_CURVE),
    )


def _read_sm2_algorithm_identifier(reader: _DerReader) -> None:
    algorithm = _DerReader(reader.read(_TAG_SEQUENCE))
    if algorithm.read(_TAG_OBJECT_IDENTIFIER) != _OID_EC_PUBLIC_KEY:
        raise ValueError("key algorithm is not id-ecPublicKey (1.2.840.10045.2.1)")
    _expect_sm2_curve(algorithm.read(_TAG_OBJECT_IDENTIFIER))
    algorithm.expect_end()


def _expect_sm2_curve(oid_content: bytes) -> None:
    if oid_content != _OID_SM2_CURVE:
        raise ValueError("EC key is not on the SM2 curve (1.2.156.10197.1.301)")


def _public_point_bit_string(public_key_hex: str) -> bytes:
    # The leading 0 byte is the number of unused bits in the BIT STRING.
    return _der_element(_TAG_BIT_STRING, b"\x00" + bytes.fromhex(public_key_hex))


def _pem_encode(label: str, der: bytes) -> str:
    encoded = base64.b64encode(der).decode("ascii")
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def _pem_decode(pem: str, label: str) -> bytes | None:
    """Return the DER content of the first PEM block with ``label``, or None if there is none."""
    match = re.search(
        rf"-----BEGIN {label}-----(.*?)-----END {label}-----", pem, flags=re.DOTALL
    )
    if match is None:
        return None
    encoded = "".join(match.group(1).split())
    try:
        return binascii.a2b_base64(encoded, strict_mode=True)
    except binascii.Error as error:
        raise ValueError(f"invalid base64 in PEM block '{label}': {error}") from None
