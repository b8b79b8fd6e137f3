"""The canonical signed content of a certificate.

The digest covers every printed field in a fixed JSON form (sorted keys, no
whitespace, UTF-8), so any change to a stored field after signing changes the
digest. ``CONTENT_VERSION`` goes into the content too: a future change of the field
list gets a new version and old certificates keep verifying under the old one.
"""

import json

from business.core.crypto import sm3

CONTENT_VERSION = 1

SIGNED_FIELDS = (
    "number",
    "kind",
    "institution_name",
    "authorisation_number",
    "client_name",
    "instrument_name",
    "model",
    "serial_number",
    "manufacturer",
    "regulation",
    "record_number",
    "conclusion",
    "verification_date",
    "valid_until",
    "verifier_name",
    "checker_name",
    "approver_name",
    "issued_at",
)

# Check codes avoid characters that are easy to misread on paper (0/O, 1/I/L, U/V).
CHECK_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CHECK_CODE_LENGTH = 8


def canonical_content(certificate) -> bytes:
    content = {"content_version": CONTENT_VERSION}
    for field in SIGNED_FIELDS:
        value = getattr(certificate, field)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        content[field] = value
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_digest(certificate) -> str:
    return sm3.hexdigest(canonical_content(certificate))


def check_code_for(signature: bytes) -> str:
    """Derive the short code printed on the certificate from its signature.

    Someone holding only a certificate number cannot produce the code, so the public
    check cannot be used to enumerate certificates by number.
    """
    value = int.from_bytes(sm3.digest(bytes(signature)), "big")
    characters = []
    for _ in range(CHECK_CODE_LENGTH):
        value, index = divmod(value, len(CHECK_CODE_ALPHABET))
        characters.append(CHECK_CODE_ALPHABET[index])
    return "".join(characters)

