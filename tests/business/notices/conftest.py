import pytest

from business.organisations.models import Organisation
from business.reference.models import Division
from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def jianxi(db) -> Division:
    province = factories.division().parent.parent
    luoyang, _ = Division.objects.get_or_create(
        code="410300", defaults={"name": "洛阳市", "level": "prefecture", "parent": province}
    )
    county, _ = Division.objects.get_or_create(
        code="410305", defaults={"name": "涧西区", "level": "county", "parent": luoyang}
    )
    return county


@pytest.fixture
def publisher(db):
    return factories.business_user(
        factories.regulator("郑州市市场监督管理局", "410100"),
        roles=["regulator_admin"],
        display_name="周杰",
    )


@pytest.fixture
def zhengzhou_enterprise_user(db):
    return factories.business_user(
        factories.enterprise(), roles=["enterprise_staff"], display_name="李娜"
    )


@pytest.fixture
def zhengzhou_institution_user(db):
    return factories.business_user(factories.institution(), roles=["verifier"], display_name="吴刚")


@pytest.fixture
def luoyang_enterprise_user(jianxi):
    enterprise = Organisation.objects.create(
        kind="enterprise", name="洛阳示例轴承有限公司", division=jianxi
    )
    return factories.business_user(enterprise, roles=["enterprise_staff"], display_name="郑伟")
