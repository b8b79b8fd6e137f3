import csv

import pytest

from business.reference.loading import DEFAULT_DATA_DIR
from business.reference.models import Division

pytestmark = pytest.mark.django_db


def test_city_code_of_jiyuan(reference_data):
    jiyuan = Division.objects.select_related("parent").get(code="419001")

    assert jiyuan.name == "济源市"
    assert jiyuan.parent_id == "419000"
    assert jiyuan.city_code == "419001"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("410105", "410100"),  # 金水区 under 郑州市
        ("410171", "410100"),  # statistical zone under 郑州市
        ("410783", "410700"),  # 长垣市 under 新乡市
        ("410100", "410100"),  # a city is its own city
        ("410000", None),  # the province belongs to no city
        ("419000", None),  # the group is not a city
    ],
)
def test_city_code_by_level(reference_data, code, expected):
    assert Division.objects.get(code=code).city_code == expected


def test_descendant_codes_of_city(reference_data):
    with open(DEFAULT_DATA_DIR / "divisions" / "henan.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    zhengzhou_counties = {row["code"] for row in rows if row["parent_code"] == "410100"}

    codes = Division.objects.get(code="410100").descendant_codes()

    assert codes == zhengzhou_counties | {"410100"}
    assert "410105" in codes
    assert "410200" not in codes


def test_descendant_codes_of_province(reference_data):
    codes = Division.objects.get(code="410000").descendant_codes()

    assert len(codes) == 200
    assert "419001" in codes


def test_descendant_codes_of_county(reference_data):
    assert Division.objects.get(code="419001").descendant_codes() == {"419001"}


def test_within_filters_own_division_and_below(reference_data):
    names = set(Division.objects.within("419000").values_list("name", flat=True))

    assert names == {"省直辖县级行政区划", "济源市"}


def test_statistical_zone_is_not_admin_division(reference_data):
    zone = Division.objects.get(code="410171")

    assert zone.name == "郑州经济技术开发区"
    assert zone.is_admin_division is False


def test_descendant_codes_follow_saved_divisions(reference_data):
    before = Division.collect_descendant_codes("410100")

    Division.objects.create(code="410199", name="示例新区", level="county", parent_id="410100")
    after = Division.collect_descendant_codes("410100")

    assert "410105" in before
    assert "410199" not in before
    assert "410199" in after


def test_descendant_codes_forget_deleted_divisions(reference_data):
    Division.objects.create(code="410199", name="示例新区", level="county", parent_id="410100")
    assert "410199" in Division.collect_descendant_codes("410100")

    Division.objects.filter(code="410199").first().delete()

    assert "410199" not in Division.collect_descendant_codes("410100")
