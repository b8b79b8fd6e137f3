import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from business.reference.loading import DEFAULT_DATA_DIR, DataFileError, load_reference_data
from business.reference.models import CalendarDay, CatalogueItem, Division, Regulation

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """Return a writable copy of data/reference/ for tests that break a file."""
    target = tmp_path / "reference"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def replace_in_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_loader_first_run_creates_everything(reference_data):
    assert vars(reference_data["divisions"]) == {
        "created": 200, "updated": 0, "unchanged": 0, "kept_reviewed": 0
    }
    assert reference_data["calendar_days"].created == 72
    assert reference_data["regulations"].created == 55
    assert reference_data["catalogue_items"].created == 36


def test_loader_loads_henan_levels(reference_data):
    assert Division.objects.filter(level="province").count() == 1
    assert Division.objects.filter(level="prefecture").count() == 17
    assert Division.objects.filter(level="prefecture_group").count() == 1
    assert Division.objects.filter(level="county").count() == 181
    assert Division.objects.filter(level="county", is_admin_division=True).count() == 157


def test_loader_second_run_changes_nothing(reference_data):
    second = load_reference_data()

    for name, counts in second.items():
        assert counts.created == 0, name
        assert counts.updated == 0, name
    assert second["divisions"].unchanged == 200
    assert second["calendar_days"].unchanged == 72
    assert second["regulations"].unchanged == 55
    assert second["catalogue_items"].unchanged == 36


def test_loader_restores_edited_regulation(reference_data):
    Regulation.objects.filter(code="JJG 162-2019").update(name="changed")

    counts = load_reference_data()["regulations"]

    assert counts.updated == 1
    assert counts.unchanged == 54
    assert Regulation.objects.get(code="JJG 162-2019").name == "饮用冷水水表"


def test_loader_restores_catalogue_regulations(reference_data):
    item = CatalogueItem.objects.get(number=4)
    item.regulations.clear()

    counts = load_reference_data()["catalogue_items"]

    assert counts.updated == 1
    codes = set(item.regulations.values_list("code", flat=True))
    assert codes == {"JJG 577-2012", "JJG 1190-2022"}


def test_loader_keeps_reviewed_catalogue_row(reference_data):
    CatalogueItem.objects.filter(number=17).update(
        reviewed_by_admin=True, cycle_months=12, confidence="C"
    )

    counts = load_reference_data()["catalogue_items"]

    assert counts.kept_reviewed == 1
    assert counts.updated == 0
    item = CatalogueItem.objects.get(number=17)
    assert item.reviewed_by_admin is True
    assert item.cycle_months == 12
    assert item.confidence == "C"


def test_loader_never_sets_reviewed_flag(reference_data):
    assert not CatalogueItem.objects.filter(reviewed_by_admin=True).exists()


def test_loader_rejects_unknown_parent(data_copy):
    replace_in_file(
        data_copy / "divisions" / "henan.csv",
        "410102,中原区,county,410100,yes",
        "410102,中原区,county,419900,yes",
    )

    with pytest.raises(DataFileError) as error:
        load_reference_data(data_copy)

    message = str(error.value)
    assert "henan.csv" in message
    assert "line 21" in message
    assert "unknown parent code 419900" in message


def test_loader_rejects_bad_date(data_copy):
    path = data_copy / "holidays" / "2025.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["days"][3]["date"] = "2025-02-30"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(DataFileError) as error:
        load_reference_data(data_copy)

    message = str(error.value)
    assert "2025.json" in message
    assert "days[3]" in message
    assert "'2025-02-30' is not a valid" in message


def test_loader_rejects_unknown_method(data_copy):
    replace_in_file(
        data_copy / "catalogue.csv",
        "trade_settlement,P+V,replace",
        "trade_settlement,PV,replace",
    )

    with pytest.raises(DataFileError) as error:
        load_reference_data(data_copy)

    message = str(error.value)
    assert "catalogue.csv" in message
    assert "line 2" in message
    assert "supervision_method 'PV' is invalid" in message


def test_loader_rejects_unknown_regulation(data_copy):
    replace_in_file(data_copy / "catalogue.csv", ",JJG 720-2016,", ",JJG 720-2099,")

    with pytest.raises(DataFileError, match="line 37: regulation JJG 720-2099 is not listed"):
        load_reference_data(data_copy)


def test_loader_rejects_interval_of_wrong_form(data_copy):
    # Row 27 (体温计) is verified once and scrapped when inaccurate, so it has no interval.
    replace_in_file(
        data_copy / "catalogue.csv",
        "JJG 111-2019,,,",
        "JJG 111-2019,12,,",
    )

    with pytest.raises(DataFileError, match="line 28: cycle_months"):
        load_reference_data(data_copy)


def test_loader_rejects_weekday_makeup_day(data_copy):
    path = data_copy / "holidays" / "2026.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["days"].append({"name": "测试", "date": "2026-12-01", "isOffDay": False})
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(DataFileError, match=r"2026\.json, days\[39\] \(2026-12-01\)"):
        load_reference_data(data_copy)


def test_loader_rejects_missing_column(data_copy):
    replace_in_file(
        data_copy / "regulations.csv",
        "code,name,kind,confidence,source",
        "code,name,kind,source",
    )

    with pytest.raises(DataFileError, match="regulations.csv, header: .*missing: confidence"):
        load_reference_data(data_copy)


def test_loader_writes_nothing_when_a_file_is_invalid(data_copy):
    replace_in_file(data_copy / "catalogue.csv", ",U,", ",X,")

    with pytest.raises(DataFileError):
        load_reference_data(data_copy)

    assert Division.objects.count() == 0
    assert CalendarDay.objects.count() == 0
    assert Regulation.objects.count() == 0


def test_dry_run_rolls_back():
    counts = load_reference_data(dry_run=True)

    assert counts["divisions"].created == 200
    assert Division.objects.count() == 0
    assert CatalogueItem.objects.count() == 0


def test_command_reports_counts_twice():
    first = StringIO()
    second = StringIO()

    call_command("load_reference_data", stdout=first)
    call_command("load_reference_data", stdout=second)

    assert "divisions: 200 created, 0 updated, 0 unchanged" in first.getvalue()
    assert "catalogue items: 36 created" in first.getvalue()
    assert "divisions: 0 created, 0 updated, 200 unchanged" in second.getvalue()
    assert "calendar days: 0 created, 0 updated, 72 unchanged" in second.getvalue()
    assert "regulations: 0 created, 0 updated, 55 unchanged" in second.getvalue()
    assert "catalogue items: 0 created, 0 updated, 36 unchanged" in second.getvalue()


def test_command_error_names_file_and_row(data_copy):
    replace_in_file(
        data_copy / "divisions" / "henan.csv",
        "410100,郑州市,prefecture,410000,yes",
        "410100,郑州市,city,410000,yes",
    )

    with pytest.raises(CommandError) as error:
        call_command("load_reference_data", "--data-dir", str(data_copy))

    message = str(error.value)
    assert "nothing was loaded" in message
    assert "henan.csv, line 3: level 'city' is invalid" in message
