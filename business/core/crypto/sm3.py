"""SM3 hash (GB/T 32905-2016) and HMAC-SM3.

Both use OpenSSL's SM3 through hashlib. The pure-Python SM3 in gmssl is much
slower and is only used in the tests, as an independent implementation to check against.
"""

import hashlib
import hmac

# Name of the algorithm in hashlib. It is available only when Python is linked
# against an OpenSSL build that includes SM3 (OpenSSL 1.1.1 or later, not disabled).
ALGORITHM = "sm3"

DIGEST_SIZE = 32


def digest(data: bytes) -> bytes:
    """Return the 32-byte SM3 digest of ``data``."""
    return hashlib.new(ALGORITHM, data).digest()


def hexdigest(data: bytes) -> str:
    """Return the SM3 digest of ``data`` as 64 lowercase hex characters."""
    return hashlib.new(ALGORITHM, data).hexdigest()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    """Return the 32-byte HMAC (RFC 2104) of ``data`` with SM3 as the hash function.

    Compare two tags with ``hmac.compare_digest``, not ``==``, so that the
    comparison time does not reveal how many leading bytes match.
    """
    return hmac.new(key, data, ALGORITHM).digest()
