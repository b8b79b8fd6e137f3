"""Divisions, regulators, users and licence files for the registration tests.

Zhengzhou (410100) and Luoyang (410300) each have one county and a city-level
regulator, so data-scope tests can check that neither city's regulator can list or
review the other city's registrations.
"""

import base64
import io

import pytest
from django.test import Client
from PIL import Image

from business.access.builtin_roles import assign_builtin_role
from business.accounts import services as accounts
from business.organisations.models import Organisation
from business.reference.models import Division
from tests import factories
from tests.api.client import post

from .graphql_operations import LOGIN, REGISTER

# Meets every password rule.
GOOD_PASSWORD = "Jinshui-Scale-2026"
REVIEWER_PASSWORD = "Zhengzhou#Meter77"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_SM3_ITERATIONS = 1_000


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Point both upload folders at the test's own directory; returns the private one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def jinshui(db) -> Division:
    return factories.division("410105", "金水区")


@pytest.fixture
def jianxi(jinshui) -> Division:
    province = jinshui.parent.parent
    luoyang, _ = Division.objects.get_or_create(
        code="410300", defaults={"name": "洛阳市", "level": "prefecture", "parent": province}
    )
    county, _ = Division.objects.get_or_create(
        code="410305", defaults={"name": "涧西区", "level": "county", "parent": luoyang}
    )
    return county


def make_regulator(name: str, division: Division) -> Organisation:
    return Organisation.objects.create(
        kind=Organisation.Kind.REGULATOR, name=name, division=division
    )


def make_user(username: str, organisation: Organisation, password=REVIEWER_PASSWORD, roles=()):
    user = accounts.create_business_user(
        username=username,
        display_name="李审核",
        organisation=organisation,
        password=password,
        must_change_password=False,
    )
    for code in roles:
        assign_builtin_role(user, code)
    return user


@pytest.fixture
def zhengzhou_reviewer(jinshui):
    regulator = make_regulator("郑州市市场监督管理局", jinshui.parent)
    return make_user("zz_reviewer", regulator, roles=["regulator_officer"])


@pytest.fixture
def luoyang_reviewer(jianxi):
    regulator = make_regulator("洛阳市市场监督管理局", jianxi.parent)
    return make_user("ly_reviewer", regulator, roles=["regulator_officer"])


@pytest.fixture
def enterprise_user(jinshui):
    return make_user("shop_user", factories.enterprise(), roles=["enterprise_admin"])


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def encode(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def registration_input(**overrides) -> dict:
    values = {
        "enterpriseName": "郑州市金水区示例眼镜有限公司",
        "creditCode": factories._credit_code("410105"),
        "divisionCode": "410105",
        "address": "郑州市金水区花园路 88 号",
        "contactName": "王敏",
        "contactPhone": "13812345678",
        "username": "glasses_shop",
        "password": GOOD_PASSWORD,
    }
    values.update(overrides)
    return values


def register(client, licence: bytes | None = None, file_name="licence.png", encoded=None, **fields):
    variables = {
        "input": registration_input(**fields),
        "licence": encoded if encoded is not None else encode(licence or png_bytes()),
        "fileName": file_name,
    }
    return post(client, REGISTER, variables, REMOTE_ADDR="203.0.113.9").json()


def signed_in_client(username: str, password=REVIEWER_PASSWORD) -> Client:
    client = Client()
    variables = {"username": username, "password": password, "channel": "PC"}
    payload = post(client, LOGIN, variables).json()["data"]["login"]
    assert payload["errors"] == [], payload
    return client
