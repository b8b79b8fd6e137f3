"""PBKDF2 with HMAC-SM3 as a Django password hasher.

Listed first in ``PASSWORD_HASHERS``, so ``make_password`` uses it for business users
and admin accounts alike. Django's own hashers stay in the list after it, so older
``pbkdf2_sha256`` admin hashes still verify and are rewritten with this hasher at the
next successful sign-in.

Stored form: ``pbkdf2_sm3$<iterations>$<salt>$<base64 of the 32-byte derived key>``.
"""

import base64
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils.encoding import force_bytes

# Random bytes in each salt. The salt is stored as their hex text (32 characters),
# and that text is what PBKDF2 takes as its salt, as Django's hashers do.
SALT_BYTES = 16


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sm3"
    digest = None  # hashlib has no sm3 constructor attribute; encode() names the hash

    @property
    def iterations(self) -> int:
        # Read on every use so that a changed setting takes effect, and older hashes are
        # upgraded through must_update() at the next sign-in.
        return settings.PASSWORD_SM3_ITERATIONS

    def salt(self) -> str:
        return secrets.token_hex(SALT_BYTES)

    def encode(self, password, salt, iterations=None) -> str:
        self._check_encode_args(password, salt)
        iterations = iterations or self.iterations
        derived_key = hashlib.pbkdf2_hmac(
            "sm3", force_bytes(password), force_bytes(salt), iterations
        )
        key_text = base64.b64encode(derived_key).decode("ascii").strip()
        return f"{self.algorithm}${iterations}${salt}${key_text}"

    def must_update(self, encoded) -> bool:
        decoded = self.decode(encoded)
        too_short_salt = len(decoded["salt"]) < SALT_BYTES * 2
        return decoded["iterations"] != self.iterations or too_short_salt
