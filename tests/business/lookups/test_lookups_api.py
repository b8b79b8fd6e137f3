"""Public convenience look-ups: fuzzy filters, pagination, no personal data, rate limit."""

import datetime

import pytest
from django.test import Client

from business.lookups.models import (
    CommitteeExpert,
    InstitutionProfile,
    Manufacturer,
    SelfDeclaration,
)
from tests import factories
from tests.api.client import data, error_codes, post

pytestmark = pytest.mark.django_db

INSTITUTIONS = """
query I($name: String, $service: LookupInstitutionService, $division: String) {
  lookupInstitutions(name: $name, service: $service, divisionCode: $division, pageSize: 10) {
    totalCount items { name divisionName offersCalibration }
  }
}
"""
USERS = """
query U($name: String) { lookupInstrumentUsers(name: $name) { totalCount items { name divisionName } } }
"""
EXPERTS = """
query E($name: String, $specialty: String) {
  lookupExperts(name: $name, specialty: $specialty) { totalCount items { name committee employer } }
}
"""
MANUFACTURERS = """
query M($product: String) { lookupManufacturers(product: $product) { totalCount items { name products } } }
"""
DECLARATIONS = """
query D($name: String) {
  lookupSelfDeclarations(name: $name) { totalCount items { enterpriseName statusLabel } }
}
"""
STAFF = "query { lookupTechnicalStaff { totalCount } }"


def test_institutions_filtered_by_name_and_service():
    institute = factories.institution()
    factories.institution(name="郑州市计量技术研究所", prefix="ZZJL")
    InstitutionProfile.objects.create(institution=institute, offers_calibration=True)

    by_name = data(post(Client(), INSTITUTIONS, {"name": "科学研究"}))["lookupInstitutions"]
    calibration = data(post(Client(), INSTITUTIONS, {"service": "CALIBRATION"}))[
        "lookupInstitutions"
    ]
    in_division = data(post(Client(), INSTITUTIONS, {"division": "410100"}))["lookupInstitutions"]

    assert [item["name"] for item in by_name["items"]] == ["河南省计量测试科学研究院"]
    assert calibration["totalCount"] == 1
    assert in_division["totalCount"] == 2


def test_instrument_users_show_name_and_division_only():
    factories.enterprise(name="郑州市金水区示例超市有限公司")

    result = data(post(Client(), USERS, {"name": "超市"}))["lookupInstrumentUsers"]

    assert result["items"] == [{"name": "郑州市金水区示例超市有限公司", "divisionName": "金水区"}]


def test_experts_manufacturers_declarations_fuzzy():
    county = factories.division()
    CommitteeExpert.objects.create(
        name="陈建国",
        committee="河南省衡器计量技术委员会",
        specialty="衡器",
        employer="河南省计量测试科学研究院",
    )
    Manufacturer.objects.create(
        name="郑州示例衡器有限公司", division=county, products="电子计价秤、电子台秤"
    )
    SelfDeclaration.objects.create(
        enterprise_name="河南示例面粉有限公司",
        division=county,
        products="小麦粉",
        declaration_number="ZS-2026-0001",
        declared_on=datetime.date(2026, 3, 1),
    )

    experts = data(post(Client(), EXPERTS, {"specialty": "衡器"}))["lookupExperts"]
    makers = data(post(Client(), MANUFACTURERS, {"product": "台秤"}))["lookupManufacturers"]
    declarations = data(post(Client(), DECLARATIONS, {"name": "面粉"}))["lookupSelfDeclarations"]

    assert experts["items"][0]["name"] == "陈建国"
    assert makers["totalCount"] == 1
    assert declarations["items"][0]["statusLabel"] == "有效"


@pytest.mark.parametrize("keyword", ["秤", "%", "_", "' OR 1=1 --", "名" * 50])
def test_odd_keywords_return_results_without_errors(keyword):
    result = data(post(Client(), USERS, {"name": keyword}))["lookupInstrumentUsers"]

    assert result["totalCount"] >= 0


def test_overlong_keyword_rejected():
    response = post(Client(), USERS, {"name": "名" * 51})

    assert error_codes(response) == ["INVALID_ARGUMENT"]


def test_technical_staff_query_answers():
    assert data(post(Client(), STAFF))["lookupTechnicalStaff"]["totalCount"] == 0


def test_lookups_rate_limited(settings):
    settings.LOOKUP_RATE_LIMIT = 2
    post(Client(), USERS, {"name": "秤"})
    post(Client(), USERS, {"name": "秤"})

    assert error_codes(post(Client(), USERS, {"name": "秤"})) == ["RATE_LIMITED"]
