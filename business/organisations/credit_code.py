"""Unified social credit code (统一社会信用代码) check, as defined by GB 32100-2015.

The code has 18 characters from a 31-character alphabet (digits and upper-case
letters without I, O, Z, S and V). The 18th character is a check character computed
from the first 17 with fixed position weights.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first_17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first_17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    if len(code) != 18 or any(char not in ALPHABET for char in code):
        return False
    return check_character(code[:17]) == code[17]
