import datetime

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.utils import timezone

from business.accounts import services
from tests import factories

# The configured iteration count, read before the fixture below lowers it.
CONFIGURED_SM3_ITERATIONS = django_settings.PASSWORD_SM3_ITERATIONS

# Meets every password rule.
GOOD_PASSWORD = "Jinshui-Scale-2026"
OTHER_GOOD_PASSWORD = "Zhengzhou#Meter77"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Hash with few iterations; test_hashers checks the configured count separately."""
    settings.PASSWORD_SM3_ITERATIONS = 1_000


@pytest.fixture(autouse=True)
def no_login_captcha(settings):
    """Leave the captcha out of tests about other rules; test_captcha turns it back on."""
    settings.LOGIN_CAPTCHA_AFTER_FAILURES = 1_000


class Clock:
    """A fixed current time that tests move forward by hand."""

    def __init__(self, start: datetime.datetime):
        self.now = start

    def advance(self, **duration) -> None:
        self.now += datetime.timedelta(**duration)


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def organisation(db):
    return factories.enterprise()


@pytest.fixture
def make_user(organisation):
    def make(username="zhangsan", password=GOOD_PASSWORD, must_change=False, **fields):
        user = services.create_business_user(
            username=username,
            display_name=fields.pop("display_name", "张三"),
            organisation=fields.pop("organisation", organisation),
            password=password,
            must_change_password=must_change,
        )
        for name, value in fields.items():
            setattr(user, name, value)
        if fields:
            user.save()
        return user

    return make


@pytest.fixture
def login_request():
    """Build a sign-in request from a fixed client address and browser."""

    def build(address="203.0.113.7"):
        return RequestFactory().post(
            "/graphql/", REMOTE_ADDR=address, HTTP_USER_AGENT="Mozilla/5.0 测试浏览器"
        )

    return build


@pytest.fixture
def known_captcha(monkeypatch):
    """Make every captcha's answer security_helpers.CAPTCHA_ANSWER."""
    from business.core import captcha

    from .security_helpers import CAPTCHA_ANSWER

    monkeypatch.setattr(captcha, "_new_answer", lambda: CAPTCHA_ANSWER)
