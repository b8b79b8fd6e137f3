import pytest

from tests import factories


@pytest.fixture
def regulator_admin(db):
    return factories.business_user(
        factories.regulator("郑州市市场监督管理局", "410100"),
        roles=["regulator_admin"],
        display_name="周杰",
    )


@pytest.fixture
def enterprise_user(db):
    return factories.business_user(
        factories.enterprise(), roles=["enterprise_staff"], display_name="李娜"
    )


@pytest.fixture
def institution_user(db):
    return factories.business_user(factories.institution(), roles=["verifier"], display_name="吴刚")
