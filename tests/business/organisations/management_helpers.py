"""Divisions, organisations and signed-in operators for the management tests.

Zhengzhou (410100, county 410105 金水区) and Luoyang (410300, county 410305 涧西区)
each get a city regulator, so tests can check that one city's regulator never
reaches the other city's organisations and users.
"""

from django.test import Client

from business.organisations.models import Organisation
from business.reference.models import Division
from tests import factories
from tests.api.client import bearer, post


def luoyang_county() -> Division:
    province = factories.division().parent.parent
    city, _ = Division.objects.get_or_create(
        code="410300", defaults={"name": "洛阳市", "level": "prefecture", "parent": province}
    )
    county, _ = Division.objects.get_or_create(
        code="410305", defaults={"name": "涧西区", "level": "county", "parent": city}
    )
    return county


def regulator_admin(city_code="410100", name="郑州市市场监督管理局"):
    factories.division()
    luoyang_county()
    regulator = Organisation.objects.create(
        kind=Organisation.Kind.REGULATOR, name=name, division=Division.objects.get(code=city_code)
    )
    return factories.business_user(regulator, roles=["regulator_admin"])


def enterprise_in(county_code="410105", name="示例超市有限公司") -> Organisation:
    county = Division.objects.get(code=county_code)
    return Organisation.objects.create(
        kind=Organisation.Kind.ENTERPRISE,
        name=name,
        division=county,
        credit_code=factories._credit_code(county_code),
    )


def call(user, query, variables=None):
    """Run one operation as ``user`` and return the whole JSON body."""
    return post(Client(), query, variables or {}, **bearer(user)).json()
