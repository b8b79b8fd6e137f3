"""Two cities with their regulators, an institution and users for the interaction tests.

Zhengzhou (410100, county 410105) and Luoyang (410300, county 410305) each have a
city-level regulator, so scope tests can check that neither sees the other's matters.
"""

import pytest

from business.access.models import Role, RoleAssignment
from business.core import captcha
from business.organisations.models import Organisation
from business.reference.models import Division
from tests import factories

CAPTCHA_ANSWER = "ACDE"


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


@pytest.fixture
def zhengzhou_regulator(jinshui) -> Organisation:
    return factories.regulator("郑州市市场监督管理局", "410100")


@pytest.fixture
def luoyang_regulator(jianxi) -> Organisation:
    return Organisation.objects.create(
        kind=Organisation.Kind.REGULATOR, name="洛阳市市场监督管理局", division=jianxi.parent
    )


@pytest.fixture
def zhengzhou_officer(zhengzhou_regulator):
    return factories.business_user(
        zhengzhou_regulator, roles=["regulator_officer"], display_name="赵强"
    )


@pytest.fixture
def luoyang_officer(luoyang_regulator):
    return factories.business_user(
        luoyang_regulator, roles=["regulator_officer"], display_name="钱敏"
    )


@pytest.fixture
def institution(jinshui) -> Organisation:
    return factories.institution()


@pytest.fixture
def institution_answerer(institution):
    """An institution user holding a role that grants interactions.answer."""
    role = Role.objects.create(
        code="consultation_desk",
        name="咨询答复员",
        organisation_kind="institution",
        scope="organisation",
        permissions=["interactions.answer", "messages.view"],
    )
    user = factories.business_user(institution, display_name="孙丽")
    RoleAssignment.objects.create(user=user, role=role)
    return user


@pytest.fixture
def enterprise_user(jinshui):
    return factories.business_user(
        factories.enterprise(), roles=["enterprise_admin"], display_name="李娜"
    )


@pytest.fixture
def known_captcha(monkeypatch):
    """Issue captchas whose answer is CAPTCHA_ANSWER; returns a function giving a fresh id."""
    monkeypatch.setattr(captcha, "_new_answer", lambda: CAPTCHA_ANSWER)

    def issue() -> str:
        captcha_id, _ = captcha.issue_captcha()
        return captcha_id

    return issue
