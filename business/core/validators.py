"""Validation and normalisation of personal identifiers: resident ID numbers and mobile numbers.

Each validator raises django.core.exceptions.ValidationError with a Chinese message
that names the field, so forms and GraphQL mutations can show it as it is.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# GB 11643-1999: weights of the first 17 digits, and the check character for each
# value of the weighted sum modulo 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARACTERS = "10X98765432"
_ID_PATTERN = re.compile(r"\d{17}[\dX]")
_EARLIEST_BIRTH_YEAR = 1900

# Mainland mobile numbers are 11 digits and start with 13 to 19.
_MOBILE_PATTERN = re.compile(r"1[3-9]\d{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s-]")


def normalise_resident_id_number(value: str) -> str:
    """Strip surrounding spaces and upper-case the check character 'x'."""
    return value.strip().upper()


def normalise_mobile_number(value: str) -> str:
    """Remove spaces and hyphens and a leading +86 or 0086 country code."""
    digits = _MOBILE_SEPARATORS.sub("", value)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def id_check_character(first_17_digits: str) -> str:
    """Return the GB 11643 check character of the first 17 digits of an ID number."""
    pairs = zip(first_17_digits, _ID_WEIGHTS, strict=True)
    weighted_sum = sum(int(digit) * weight for digit, weight in pairs)
    return _ID_CHECK_CHARACTERS[weighted_sum % 11]


def validate_resident_id_number(value: str, label: str = "身份证号码") -> None:
    """Raise ValidationError unless ``value`` is a valid 18-character resident ID number.

    Checks the format, the birth date (a real date from 1900 up to today) and the
    GB 11643 check character. The caller normalises first, so a lower-case 'x' fails.
    """
    if not _ID_PATTERN.fullmatch(value):
        raise ValidationError(
            f"{label}应为 18 位：前 17 位是数字，最后一位是数字或大写字母 X。",
            code="invalid_format",
        )

    birth_text = value[6:14]
    try:
        birth_date = datetime.date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        birth_date = None
    if (
        birth_date is None
        or birth_date.year < _EARLIEST_BIRTH_YEAR
        or birth_date > timezone.localdate()
    ):
        raise ValidationError(
            f"{label}中的出生日期 {birth_text} 无效，请核对第 7 至 14 位。",
            code="invalid_birth_date",
        )

    if id_check_character(value[:17]) != value[17]:
        raise ValidationError(
            f"{label}的校验位不正确，请核对是否有输错的数字。", code="invalid_check_character"
        )


def validate_mobile_number(value: str, label: str = "手机号码") -> None:
    """Raise ValidationError unless ``value`` is an 11-digit mainland mobile number."""
    if not _MOBILE_PATTERN.fullmatch(value):
        raise ValidationError(
            f"{label}应为以 13 至 19 开头的 11 位数字，例如 13812345678。",
            code="invalid_mobile_number",
        )


@deconstructible
class ResidentIdNumberValidator:
    """Model or form field validator that wraps validate_resident_id_number."""

    def __init__(self, label: str = "身份证号码"):
        self.label = label

    def __call__(self, value: str) -> None:
        validate_resident_id_number(value, self.label)

    def __eq__(self, other) -> bool:
        return isinstance(other, ResidentIdNumberValidator) and other.label == self.label


@deconstructible
class MobileNumberValidator:
    """Model or form field validator that wraps validate_mobile_number."""

    def __init__(self, label: str = "手机号码"):
        self.label = label

    def __call__(self, value: str) -> None:
        validate_mobile_number(value, self.label)

    def __eq__(self, other) -> bool:
        return isinstance(other, MobileNumberValidator) and other.label == self.label
