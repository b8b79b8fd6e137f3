"""Helpers of the account-security tests: known captcha answers, TOTP codes, sign-in."""

import pyotp
from django.utils import timezone

from tests.api.client import post

from .conftest import GOOD_PASSWORD
from .graphql_operations import CAPTCHA, LOGIN_WITH_CAPTCHA, VERIFY_SECOND_FACTOR

CAPTCHA_ANSWER = "K7WX"


def fetch_captcha(client) -> str:
    return post(client, CAPTCHA).json()["data"]["captcha"]["id"]


def login(client, username="zhangsan", password=GOOD_PASSWORD, channel="PC", **extra) -> dict:
    variables = {"username": username, "password": password, "channel": channel, **extra}
    return post(client, LOGIN_WITH_CAPTCHA, variables).json()["data"]["login"]


def totp_code(secret: str, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    moment = timezone.now().timestamp() + offset_steps * totp.interval
    return totp.at(moment)


def verify(client, challenge: str, method: str, code: str) -> dict:
    variables = {"challenge": challenge, "method": method, "code": code}
    return post(client, VERIFY_SECOND_FACTOR, variables).json()["data"]["verifyLoginSecondFactor"]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
