"""Masking of personal information for display, exports and the audit log.

Mask on the server, so that the full value never reaches a client that may only
see the masked one. Every function works on code points, not UTF-16 units, so a
rare character outside the Basic Multilingual Plane such as 𠮷 (U+20BB7) counts as
one character. Combining marks and variation selectors count as characters of their
own. Each function returns None and "" unchanged.

Rules:

=============  ===============================  ==========================
function       kept visible                     example
=============  ===============================  ==========================
mask_phone     11 digits or more: first 3 and   13812345678 -> 138****5678
               last 4. 7 to 10: last 4.
               Fewer: nothing.
mask_id_number 15 characters or more: first 6   410105199001011234 ->
               and last 4. 3 to 14: first and   410105********1234
               last. Fewer: nothing.
mask_name      1 character: nothing. 2 to 3:    张三 -> 张*, 欧阳娜娜 ->
               the first. 4 or more: the first  欧阳**
               two, because four-character
               names usually start with a
               two-character surname.
mask_email     first character of the local     zhangsan@example.com ->
               part, always followed by three   z***@example.com
               asterisks, and the domain.
=============  ===============================  ==========================
"""

import re
from collections.abc import Callable

MASK_CHARACTER = "*"
_PHONE_SEPARATORS = re.compile(r"[\s-]")


def mask_phone(value: str | None) -> str | None:
    if not value:
        return value
    phone = _PHONE_SEPARATORS.sub("", value)
    length = len(phone)
    if length >= 11:
        return phone[:3] + MASK_CHARACTER * (length - 7) + phone[-4:]
    if length >= 7:
        return MASK_CHARACTER * (length - 4) + phone[-4:]
    return MASK_CHARACTER * length


def mask_id_number(value: str | None) -> str | None:
    if not value:
        return value
    number = value.strip()
    length = len(number)
    if length >= 15:
        return number[:6] + MASK_CHARACTER * (length - 10) + number[-4:]
    if length >= 3:
        return number[0] + MASK_CHARACTER * (length - 2) + number[-1]
    return MASK_CHARACTER * length


def mask_name(value: str | None) -> str | None:
    if not value:
        return value
    name = value.strip()
    length = len(name)
    if length >= 4:
        visible = 2
    elif length >= 2:
        visible = 1
    else:
        visible = 0
    return name[:visible] + MASK_CHARACTER * (length - visible)


def mask_email(value: str | None) -> str | None:
    if not value:
        return value
    local_part, separator, domain = value.strip().rpartition("@")
    if not separator:
        # Not an e-mail address: treat the whole value as the local part.
        local_part = domain
        domain = ""
    masked_local = local_part[:1] + MASK_CHARACTER * 3 if len(local_part) > 1 else MASK_CHARACTER
    return masked_local + separator + domain


def mask_secret(value: str | None) -> str | None:
    """Replace a password, key or token completely, without revealing its length."""
    if not value:
        return value
    return MASK_CHARACTER * 6


MASKS_BY_KIND: dict[str, Callable[[str | None], str | None]] = {
    "phone": mask_phone,
    "id_number": mask_id_number,
    "name": mask_name,
    "email": mask_email,
    "secret": mask_secret,
}
