"""Password policy for business users and admin accounts.

Each rule is a Django password validator listed in ``AUTH_PASSWORD_VALIDATORS``, so
``django.contrib.auth.password_validation.validate_password`` applies the same rules
to both user tables (the Wagtail admin forms call it too). Every rule raises its own
Chinese message, which names what to change.
"""

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

DEFAULT_MIN_LENGTH = 8
# PBKDF2 pre-hashes long passwords, so the limit is not about hashing cost. It keeps
# absurd inputs out of the forms and the API.
DEFAULT_MAX_LENGTH = 128


class LengthValidator:
    def __init__(self, min_length: int = DEFAULT_MIN_LENGTH, max_length: int = DEFAULT_MAX_LENGTH):
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码至少需要 {self.min_length} 个字符。", code="password_too_short"
            )
        if len(password) > self.max_length:
            raise ValidationError(
                f"密码不能超过 {self.max_length} 个字符。", code="password_too_long"
            )

    def get_help_text(self) -> str:
        return f"密码长度为 {self.min_length} 至 {self.max_length} 个字符。"


def character_classes(password: str) -> set[str]:
    """Return which of the classes upper, lower, digit and symbol ``password`` uses.

    Letters without case, such as Chinese characters, belong to no class. Any other
    character that is neither a letter nor a digit, including a space, is a symbol.
    """
    classes = set()
    for char in password:
        if char.isupper():
            classes.add("upper")
        elif char.islower():
            classes.add("lower")
        elif char.isdigit():
            classes.add("digit")
        elif not char.isalnum():
            classes.add("symbol")
    return classes


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords, with a Chinese message."""

    def get_error_message(self) -> str:
        return "该密码属于常见密码，容易被猜中，请换一个不常见的密码。"

    def get_help_text(self) -> str:
        return "不能使用常见密码。"


class UsernameInPasswordValidator:
    """Reject a password that equals or contains the user name or its reverse.

    The comparison ignores case. Containment is checked only for user names of at
    least ``min_contained_length`` characters, because a one- or two-letter name
    would rule out too many passwords. Equality is always checked.
    """

    def __init__(self, min_contained_length: int = 3):
        self.min_contained_length = min_contained_length

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").casefold()
        if not username:
            return
        folded = password.casefold()
        for name in (username, username[::-1]):
            found = folded == name or (
                len(name) >= self.min_contained_length and name in folded
            )
            if found:
                raise ValidationError(
                    "密码不能等于或包含用户名（包括倒序的用户名）。",
                    code="password_contains_username",
                )

    def get_help_text(self) -> str:
        return "不能等于或包含用户名，也不能包含倒序的用户名。"


class PasswordHistoryValidator:
    """Reject any of a business user's last ``PASSWORD_HISTORY_COUNT`` passwords.

    Only business users have a password history, so admin accounts (``auth.User``)
    pass this rule unchecked. Each stored password costs one hash to compare.
    """

    def validate(self, password: str, user=None) -> None:
        from .models import BusinessUser, PasswordHistory

        if not isinstance(user, BusinessUser) or user.pk is None:
            return
        count = settings.PASSWORD_HISTORY_COUNT
        recent_hashes = PasswordHistory.objects.filter(user=user).order_by(
            "-created_at", "-pk"
        ).values_list("password", flat=True)[:count]
        for encoded in recent_hashes:
            if check_password(password, encoded):
                raise ValidationError(
                    f"新密码不能与最近 {count} 次使用过的密码相同。",
                    code="password_reused",
                )

    def get_help_text(self) -> str:
        return f"不能与最近 {settings.PASSWORD_HISTORY_COUNT} 次使用过的密码相同。"
