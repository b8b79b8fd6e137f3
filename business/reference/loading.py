"""Validation and loading of the reference data files in ``data/reference/``.

load_reference_data() reads and validates every file before it writes anything, then
inserts or updates rows by natural key inside one transaction. Rows that match the
files are left untouched, so a second run changes nothing. Catalogue rows that an
administrator has marked as reviewed are never modified, and no row is ever deleted.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import (
    CalendarDay,
    CatalogueItem,
    Confidence,
    Division,
    DivisionLevel,
    Regulation,
    RegulationKind,
    SupervisionMethod,
    Usage,
    VerificationForm,
)

DEFAULT_DATA_DIR = Path(settings.BASE_DIR) / "data" / "reference"

DIVISION_COLUMNS = ["code", "name", "level", "parent_code", "is_admin_division"]
REGULATION_COLUMNS = ["code", "name", "kind", "confidence", "source"]
CATALOGUE_COLUMNS = [
    "number",
    "item_name",
    "kinds",
    "usage",
    "supervision_method",
    "verification_form",
    "scope",
    "regulations",
    "cycle_months",
    "service_life_months",
    "interval_note",
    "confidence",
    "source",
]

# Depth of each level in the tree. A parent must sit exactly one level higher, which
# also rules out cycles. Prefecture-level cities and the group 419000 share depth 1.
LEVEL_DEPTH = {
    DivisionLevel.PROVINCE: 0,
    DivisionLevel.PREFECTURE: 1,
    DivisionLevel.PREFECTURE_GROUP: 1,
    DivisionLevel.COUNTY: 2,
}


class DataFileError(Exception):
    """Invalid content in a reference data file, with the file and the row."""

    def __init__(self, path: Path, row: str | None, message: str):
        self.path = path
        self.row = row
        location = f"{_display_path(path)}, {row}" if row else _display_path(path)
        super().__init__(f"{location}: {message}")


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Catalogue rows left alone because reviewed_by_admin is set.
    kept_reviewed: int = 0


@dataclass
class ParsedRow:
    """One validated row: the natural key, the field values and where it came from."""

    key: object
    values: dict
    row: str


# ----------------------------------------------------------------- file readers


def _read_csv(path: Path, columns: list[str]) -> list[tuple[str, dict[str, str]]]:
    """Return (row label, stripped values) for each data row of a UTF-8 CSV file.

    The header must list exactly ``columns``. Row labels give the line number, with
    the header on line 1.
    """
    if not path.is_file():
        raise DataFileError(path, None, "file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        message = f"the file is not valid UTF-8 ({error}). Save it as UTF-8."
        raise DataFileError(path, None, message) from None

    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [name for name in columns if name not in header]
    unknown = [name for name in header if name not in columns]
    if missing or unknown:
        raise DataFileError(
            path,
            "header",
            f"expected the columns {', '.join(columns)}. "
            f"missing: {', '.join(missing) or 'none'}. unknown: {', '.join(unknown) or 'none'}.",
        )

    rows = []
    for record in reader:
        label = f"line {reader.line_num}"
        if None in record or any(value is None for value in record.values()):
            raise DataFileError(
                path, label, f"expected {len(columns)} fields, found a different number"
            )
        rows.append((label, {name: value.strip() for name, value in record.items()}))
    return rows


def _check_choice(path: Path, row: str, column: str, value: str, choices) -> None:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise DataFileError(path, row, f"{column} {value!r} is invalid. Use one of: {allowed}.")


def _parse_optional_int(path: Path, row: str, column: str, value: str) -> int | None:
    if value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise DataFileError(path, row, f"{column} {value!r} is not a whole number") from None
    if number <= 0:
        raise DataFileError(path, row, f"{column} must be greater than 0, got {number}")
    return number


def _run_model_validation(path: Path, row: str, instance, exclude: list[str]) -> None:
    """Run the model's field validators and clean() on an unsaved instance.

    Raises DataFileError with every failed field when the instance is invalid.
    """
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        details = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
        raise DataFileError(path, row, details) from None


def read_divisions(path: Path) -> list[ParsedRow]:
    """Read and validate the division CSV, ordered so that parents come before children."""
    parsed: dict[str, ParsedRow] = {}
    for row, record in _read_csv(path, DIVISION_COLUMNS):
        code = record["code"]
        if code in parsed:
            raise DataFileError(path, row, f"code {code} appears twice")
        _check_choice(path, row, "level", record["level"], DivisionLevel)
        flag = record["is_admin_division"]
        if flag not in ("yes", "no"):
            raise DataFileError(path, row, f"is_admin_division {flag!r} is invalid. Use yes or no.")

        values = {
            "name": record["name"],
            "level": record["level"],
            "parent_id": record["parent_code"] or None,
            "is_admin_division": flag == "yes",
        }
        instance = Division(code=code, **values)
        _run_model_validation(path, row, instance, exclude=["parent"])
        parsed[code] = ParsedRow(code, values, row)

    known_levels = dict(Division.objects.values_list("code", "level"))
    known_levels.update({code: item.values["level"] for code, item in parsed.items()})
    for code, item in parsed.items():
        _check_parent(path, item, code, known_levels)

    return sorted(parsed.values(), key=lambda item: LEVEL_DEPTH[item.values["level"]])


def _check_parent(path: Path, item: ParsedRow, code: str, known_levels: dict[str, str]) -> None:
    level = item.values["level"]
    parent_code = item.values["parent_id"]
    if level == DivisionLevel.PROVINCE:
        if parent_code is not None:
            raise DataFileError(path, item.row, f"province {code} must not have a parent_code")
        return
    if parent_code is None:
        raise DataFileError(path, item.row, f"{level} {code} needs a parent_code")
    if parent_code not in known_levels:
        raise DataFileError(
            path,
            item.row,
            f"unknown parent code {parent_code} for {code}. "
            "Add the parent to the file or correct the code.",
        )
    parent_level = known_levels[parent_code]
    if LEVEL_DEPTH[parent_level] != LEVEL_DEPTH[level] - 1:
        raise DataFileError(
            path, item.row, f"a {level} cannot sit under the {parent_level} {parent_code}"
        )


def read_calendar_days(paths: list[Path]) -> list[ParsedRow]:
    """Read and validate the holiday files in the holiday-cn JSON format.

    Each file has ``year``, ``papers`` (URLs of the State Council notice) and ``days``,
    a list of {name, date, isOffDay}. isOffDay false marks a make-up working day.
    """
    parsed: dict[date, ParsedRow] = {}
    for path in paths:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            message = f"the file is not valid UTF-8 ({error}). Save it as UTF-8."
            raise DataFileError(path, None, message) from None
        except json.JSONDecodeError as error:
            raise DataFileError(path, None, f"invalid JSON: {error}") from None
        if not isinstance(document, dict) or not isinstance(document.get("days"), list):
            message = "invalid format: expected an object with a 'days' list"
            raise DataFileError(path, None, message)
        year = document.get("year")
        papers = document.get("papers") or []
        source = papers[0] if papers and isinstance(papers[0], str) else ""

        for index, entry in enumerate(document["days"]):
            row = f"days[{index}]"
            item = _parse_calendar_entry(path, row, entry, year, source)
            if item.key in parsed:
                earlier = parsed[item.key]
                raise DataFileError(path, row, f"date {item.key} is already listed ({earlier.row})")
            parsed[item.key] = item
    return sorted(parsed.values(), key=lambda item: item.key)


def _parse_calendar_entry(path: Path, row: str, entry, year, source: str) -> ParsedRow:
    if not isinstance(entry, dict):
        message = "invalid entry: expected an object with name, date and isOffDay"
        raise DataFileError(path, row, message)
    raw_date = entry.get("date")
    try:
        day = date.fromisoformat(raw_date)
    except (TypeError, ValueError):
        message = f"date {raw_date!r} is not a valid YYYY-MM-DD date"
        raise DataFileError(path, row, message) from None
    row = f"{row} ({raw_date})"
    if isinstance(year, int) and day.year != year:
        raise DataFileError(path, row, f"date is outside the file's year {year}")
    is_off_day = entry.get("isOffDay")
    if not isinstance(is_off_day, bool):
        raise DataFileError(path, row, f"isOffDay must be true or false, got {is_off_day!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DataFileError(path, row, "name is missing")

    values = {"is_workday": not is_off_day, "name": name.strip(), "source": source}
    _run_model_validation(path, row, CalendarDay(date=day, **values), exclude=[])
    return ParsedRow(day, values, row)


def read_regulations(path: Path) -> list[ParsedRow]:
    parsed: dict[str, ParsedRow] = {}
    for row, record in _read_csv(path, REGULATION_COLUMNS):
        code = record["code"]
        if code in parsed:
            raise DataFileError(path, row, f"code {code} appears twice")
        _check_choice(path, row, "kind", record["kind"], RegulationKind)
        _check_choice(path, row, "confidence", record["confidence"], Confidence)
        values = {
            "name": record["name"],
            "kind": record["kind"],
            "confidence": record["confidence"],
            "source": record["source"],
        }
        _run_model_validation(path, row, Regulation(code=code, **values), exclude=[])
        parsed[code] = ParsedRow(code, values, row)
    return list(parsed.values())


def read_catalogue(path: Path, regulation_codes: set[str]) -> list[ParsedRow]:
    """Read and validate the catalogue CSV.

    ``regulation_codes`` are the codes that may appear in the ``regulations`` column.
    The values of a parsed row hold the codes under the key ``regulations``.
    """
    parsed: dict[int, ParsedRow] = {}
    for row, record in _read_csv(path, CATALOGUE_COLUMNS):
        number = _parse_optional_int(path, row, "number", record["number"])
        if number is None:
            raise DataFileError(path, row, "number is missing")
        if number in parsed:
            raise DataFileError(path, row, f"number {number} appears twice")
        _check_choice(path, row, "usage", record["usage"], Usage)
        _check_choice(
            path, row, "supervision_method", record["supervision_method"], SupervisionMethod
        )
        _check_choice(path, row, "verification_form", record["verification_form"], VerificationForm)
        _check_choice(path, row, "confidence", record["confidence"], Confidence)

        codes = [code.strip() for code in record["regulations"].split(";") if code.strip()]
        unknown = [code for code in codes if code not in regulation_codes]
        if unknown:
            raise DataFileError(
                path, row, f"regulation {', '.join(unknown)} is not listed in regulations.csv"
            )

        values = {
            "item_name": record["item_name"],
            "kinds": record["kinds"],
            "usage": record["usage"],
            "supervision_method": record["supervision_method"],
            "verification_form": record["verification_form"],
            "scope": record["scope"],
            "cycle_months": _parse_optional_int(path, row, "cycle_months", record["cycle_months"]),
            "service_life_months": _parse_optional_int(
                path, row, "service_life_months", record["service_life_months"]
            ),
            "interval_note": record["interval_note"],
            "confidence": record["confidence"],
            "source": record["source"],
        }
        _run_model_validation(path, row, CatalogueItem(number=number, **values), exclude=[])
        parsed[number] = ParsedRow(number, {**values, "regulations": frozenset(codes)}, row)
    return list(parsed.values())


# ----------------------------------------------------------------- database writes

# Outcomes of one row, named like the LoadCounts fields.
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _upsert_row(model, key_field: str, item: ParsedRow, instance) -> tuple[object, str]:
    """Insert ``item``, or update the fields of ``instance`` that differ from it.

    Returns the saved instance and the outcome. Each save() sends the model's signals,
    which the working-day cache relies on.
    """
    if instance is None:
        return model.objects.create(**{key_field: item.key}, **item.values), CREATED

    changed = [field for field, value in item.values.items() if getattr(instance, field) != value]
    if not changed:
        return instance, UNCHANGED
    for field in changed:
        setattr(instance, field, item.values[field])
    instance.save(update_fields=changed)
    return instance, UPDATED


def _write_rows(model, key_field: str, rows: list[ParsedRow]) -> LoadCounts:
    counts = LoadCounts()
    existing = model.objects.in_bulk([item.key for item in rows], field_name=key_field)
    for item in rows:
        _, outcome = _upsert_row(model, key_field, item, existing.get(item.key))
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


def _write_catalogue(rows: list[ParsedRow]) -> LoadCounts:
    """Write catalogue rows and their regulations, leaving reviewed rows untouched."""
    counts = LoadCounts()
    regulation_ids = dict(Regulation.objects.values_list("code", "pk"))
    existing = CatalogueItem.objects.in_bulk([item.key for item in rows], field_name="number")

    for item in rows:
        instance = existing.get(item.key)
        if instance is not None and instance.reviewed_by_admin:
            counts.kept_reviewed += 1
            continue

        field_values = {name: value for name, value in item.values.items() if name != "regulations"}
        instance, outcome = _upsert_row(
            CatalogueItem, "number", ParsedRow(item.key, field_values, item.row), instance
        )

        expected_ids = {regulation_ids[code] for code in item.values["regulations"]}
        current_ids = set(instance.regulations.values_list("pk", flat=True))
        if expected_ids != current_ids:
            instance.regulations.set(expected_ids)
            if outcome == UNCHANGED:
                outcome = UPDATED
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


@dataclass
class ReferenceFiles:
    divisions: Path
    holidays: list[Path]
    regulations: Path
    catalogue: Path

    @classmethod
    def in_directory(cls, data_dir: Path) -> "ReferenceFiles":
        holiday_dir = data_dir / "holidays"
        holidays = sorted(holiday_dir.glob("*.json")) if holiday_dir.is_dir() else []
        if not holidays:
            raise DataFileError(holiday_dir, None, "no holiday files (<year>.json) found")
        return cls(
            divisions=data_dir / "divisions" / "henan.csv",
            holidays=holidays,
            regulations=data_dir / "regulations.csv",
            catalogue=data_dir / "catalogue.csv",
        )


def load_reference_data(data_dir: Path = DEFAULT_DATA_DIR, dry_run: bool = False) -> dict:
    """Validate all reference files in ``data_dir`` and write them in one transaction.

    Returns {set name: LoadCounts} for divisions, calendar_days, regulations and
    catalogue_items. Raises DataFileError, before any write, when a file is invalid.
    With ``dry_run`` the writes are rolled back, so the counts show what a real run
    would change.
    """
    files = ReferenceFiles.in_directory(Path(data_dir))
    divisions = read_divisions(files.divisions)
    calendar_days = read_calendar_days(files.holidays)
    regulations = read_regulations(files.regulations)
    regulation_codes = {item.key for item in regulations}
    regulation_codes.update(Regulation.objects.values_list("code", flat=True))
    catalogue = read_catalogue(files.catalogue, regulation_codes)

    with transaction.atomic():
        counts = {
            "divisions": _write_rows(Division, "code", divisions),
            "calendar_days": _write_rows(CalendarDay, "date", calendar_days),
            "regulations": _write_rows(Regulation, "code", regulations),
            "catalogue_items": _write_catalogue(catalogue),
        }
        if dry_run:
            transaction.set_rollback(True)
    return counts
