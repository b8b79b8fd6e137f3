"""Password input for the account commands, which never take a password from the command line."""

import getpass
import secrets
import string
import sys

from django.core.management.base import CommandError

GENERATED_PASSWORD_LENGTH = 16
GENERATED_PASSWORD_SYMBOLS = "!@#$%^&*-_=+?"


def generate_initial_password() -> str:
    """Return a random password with every character class, for first sign-in only."""
    alphabet = string.ascii_letters + string.digits + GENERATED_PASSWORD_SYMBOLS
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(GENERATED_PASSWORD_LENGTH))
        if (
            any(char.isupper() for char in password)
            and any(char.islower() for char in password)
            and any(char.isdigit() for char in password)
            and any(char in GENERATED_PASSWORD_SYMBOLS for char in password)
        ):
            return password


def add_password_arguments(parser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    source.add_argument(
        "--generate-password",
        action="store_true",
        help="generate a random password and print it once",
    )


def read_password(options) -> str:
    """Return the password chosen by --generate-password, --password-stdin or a prompt."""
    if options["generate_password"]:
        return generate_initial_password()
    if options["password_stdin"]:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CommandError(
            "无法在非交互环境中输入密码：请改用 --password-stdin 或 --generate-password。"
        )
    password = getpass.getpass("密码：")
    if password != getpass.getpass("再次输入密码："):
        raise CommandError("两次输入的密码不一致，未做任何修改。")
    return password
