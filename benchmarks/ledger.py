"""The instrument ledger list through GraphQL, and the 10,000-row Excel import.

Generates enterprises spread over Henan's counties and an even share of instruments
for each (on PostgreSQL with COPY, elsewhere with bulk inserts), then measures:

* ``instruments`` list pages of 20 with a random combination of filters (status,
  mandatory, usage, flagged, division, fuzzy text, page 1 to 5), p50 and p95, read
  by an enterprise metrologist (own ledger), by a city regulator and by the
  provincial regulator (their divisions' enterprises);
* ``importInstruments`` with a 10,000-row template for a fresh enterprise, end to end
  (base64 decoding, parsing, checks and the inserts).

On PostgreSQL it also prints EXPLAIN ANALYZE of the slowest list query kinds. The
generated instruments carry no certificates, so every mandatory instrument in use
counts as flagged (the flag reads the instrument's stored copy of its latest
certificate, kept up to date when certificates are issued or voided).
Requests go through Django's test client in this process: no network time is included.
"""

import base64
import csv
import io
import json
import random
import string
import time

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from business.access.builtin_roles import assign_builtin_role
from business.accounts.models import BusinessUser
from business.accounts.sessions import issue_token
from business.instruments.excel.columns import DATA_SHEET_TITLE, HEADERS
from business.instruments.filters import InstrumentFilterSet
from business.instruments.models import Instrument, InstrumentStatusChange
from business.organisations.models import Organisation
from business.reference.models import CatalogueItem, Division, DivisionLevel

from .figures import p95_by_group, percentile

PREFIX = "台账基准"
TARGET_P95_MS = 100.0
TARGET_IMPORT_S = 30.0
BATCH_SIZE = 5000
NAMES = ["电子计价秤", "压力表", "加油机", "水表", "燃气表", "血压计", "出租车计价器", "电能表"]
MANUFACTURERS = 200
PLACES = ["一楼生鲜区", "锅炉房", "加油站 2 号岛", "门诊部", "仓库", "车间"]
# Words of names and places, a model prefix, a manufacturer's word that is in
# every row, and a serial-number prefix (manufacturer code and year). The run adds
# one stored serial number in full, the way people look up one instrument.
SEARCH_TERMS = ["计价", "压力", "锅炉", "ACS", "CK2019", "衡器", "门诊"]

LIST = """
query List($filter: InstrumentFilterInput, $page: Int) {
  instruments(filter: $filter, page: $page, pageSize: 20) {
    totalCount
    items { id name serialNumber statusLabel flagged certificateProblemLabel
            catalogueItem { number itemName } division { name } enterprise { name } }
  }
}
"""

IMPORT = """
mutation Import($file: String!) {
  importInstruments(fileBase64: $file) { createdCount errors { row column code } }
}
"""


def add_arguments(parser) -> None:
    group = parser.add_argument_group("ledger")
    group.add_argument("--ledger-instruments", type=int, default=1_000_000, help="instruments stored")
    group.add_argument("--ledger-enterprises", type=int, default=10_000, help="enterprises owning them")
    group.add_argument("--ledger-requests", type=int, default=200, help="timed list requests per user")
    group.add_argument("--ledger-import-rows", type=int, default=10_000, help="rows of the timed import")


def prepare(instruments: int, enterprises: int) -> list[Organisation]:
    """Store the enterprises and their instruments once and return the enterprises."""
    call_command("migrate", verbosity=0)
    if not Division.objects.exists():
        call_command("load_reference_data", verbosity=0)

    existing = list(Organisation.objects.filter(name__startswith=f"{PREFIX}企业").order_by("pk"))
    stored = Instrument.objects.filter(enterprise__name__startswith=f"{PREFIX}企业").count()
    if len(existing) >= enterprises and stored >= instruments:
        return existing[:enterprises]

    print(f"Generating {enterprises:,} enterprises and {instruments:,} instruments…", flush=True)
    started = time.perf_counter()
    counties = list(Division.objects.filter(level=DivisionLevel.COUNTY, is_admin_division=True))
    with transaction.atomic():
        Instrument.objects.filter(enterprise__name__startswith=f"{PREFIX}企业").delete()
        created = Organisation.objects.bulk_create(
            (
                Organisation(
                    kind=Organisation.Kind.ENTERPRISE,
                    name=f"{PREFIX}企业{number:05d}",
                    division=counties[number % len(counties)],
                )
                for number in range(len(existing), enterprises)
            ),
            batch_size=BATCH_SIZE,
        )
    owners = (existing + created)[:enterprises]
    catalogue = list(CatalogueItem.objects.values_list("pk", "usage"))
    rows = _instrument_rows(instruments, owners, catalogue)
    if connection.vendor == "postgresql":
        _copy_instruments(rows)
    else:
        _bulk_insert(rows)
    with connection.cursor() as cursor:
        # Autovacuum would do the same on a running server after so many inserts.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    return owners


def _instrument_rows(count: int, owners: list[Organisation], catalogue: list[tuple[int, str]]):
    """Yield tuples of INSTRUMENT_COLUMNS: two in three mandatory, one in ten not in use.

    Each attribute is drawn on its own. Attributes taken from one counter modulo
    small numbers made some combinations empty by construction (no mandatory
    instrument in any 门诊, no 压力表 ever disabled). Real ledgers have no such gaps,
    and those filters read the whole scope to find nothing.

    Serial numbers follow each manufacturer's own scheme: a two-letter code, the
    year of manufacture and the manufacturer's running number, like CK2019000123.
    One running number across the province (SN000000000 upward) is no real
    ledger, and made "SN0001" match one block of 100,000 old rows that neither the
    gram index nor the newest rows could reach quickly.
    """
    sampler = random.Random(2026)
    now = timezone.now().isoformat()
    running_numbers = [0] * MANUFACTURERS
    for number in range(count):
        owner = owners[number % len(owners)]
        mandatory = sampler.random() < 2 / 3
        item_id, usage = sampler.choice(catalogue) if mandatory else (None, "")
        status = "in_use"
        if sampler.random() < 0.1:
            status = sampler.choice(["disabled", "scrapped"])
        name = sampler.choice(NAMES)
        maker = sampler.randrange(MANUFACTURERS)
        running_numbers[maker] += 1
        code = string.ascii_uppercase[maker // 26] + string.ascii_uppercase[maker % 26]
        yield (
            owner.pk,
            item_id,
            name if mandatory else "",
            usage,
            name,
            f"ACS-{sampler.randrange(50)}",
            "(0～30) kg",
            "Ⅲ级",
            f"{code}{sampler.randint(2012, 2026)}{running_numbers[maker]:06d}",
            f"示例衡器厂{maker:03d}",
            sampler.choice(PLACES),
            owner.division_id,
            owner.division_id,
            "send" if sampler.random() < 0.75 else "on_site",
            status,
            None,
            "none",
            None,
            now,
            now,
        )


INSTRUMENT_COLUMNS = (
    "enterprise_id",
    "catalogue_item_id",
    "kind",
    "usage",
    "name",
    "model",
    "measuring_range",
    "accuracy_class",
    "serial_number",
    "manufacturer",
    "installation_place",
    "division_id",
    "enterprise_division_id",
    "delivery_mode",
    "status",
    "service_life_end",
    "certificate_state",
    "certificate_valid_until",
    "created_at",
    "updated_at",
)


def _copy_instruments(rows) -> None:
    """Load the rows with COPY in chunks of 100,000 rows.

    The GIN index of the text grams (instruments migration 0005) is dropped during
    the load and built again after it, which is several times faster than
    updating it row by row.
    """
    table = Instrument._meta.db_table
    statement = f"COPY {table} ({', '.join(INSTRUMENT_COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    buffer, pending = io.StringIO(), 0
    writer = csv.writer(buffer)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS instrument_search_grams")
        for row in rows:
            writer.writerow(["\\N" if value is None else value for value in row])
            pending += 1
            if pending == 100_000:
                buffer.seek(0)
                cursor.cursor.copy_expert(statement, buffer)
                buffer, pending = io.StringIO(), 0
                writer = csv.writer(buffer)
        if pending:
            buffer.seek(0)
            cursor.cursor.copy_expert(statement, buffer)
        cursor.execute(f"CREATE INDEX instrument_search_grams ON {table} USING gin (search_grams)")


def _bulk_insert(rows) -> None:
    batch = []
    for row in rows:
        values = dict(zip(INSTRUMENT_COLUMNS, row, strict=True))
        values.pop("created_at")
        values.pop("updated_at")
        batch.append(Instrument(**values))
        if len(batch) == BATCH_SIZE:
            Instrument.objects.bulk_create(batch)
            batch = []
    if batch:
        Instrument.objects.bulk_create(batch)


def _user(username: str, organisation: Organisation, role: str) -> BusinessUser:
    user = BusinessUser.objects.filter(username=username).first()
    if user is None:
        user = BusinessUser.objects.create(
            username=username,
            display_name="基准用户",
            organisation=organisation,
            password="!",
            must_change_password=False,
            password_changed_at=timezone.now(),
        )
        assign_builtin_role(user, role)
    return user


def _regulator(division: Division) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        kind=Organisation.Kind.REGULATOR,
        name=f"{PREFIX}{division.name}市场监督管理局",
        defaults={"division": division},
    )
    return organisation


def random_filter(sampler: random.Random, county_codes: list[str], terms: list[str]) -> dict:
    """Return a random combination of the list filters a user would set."""
    filter_input = {}
    if sampler.random() < 0.4:
        filter_input["status"] = sampler.choice(["IN_USE", "DISABLED", "SCRAPPED"])
    if sampler.random() < 0.3:
        filter_input["mandatory"] = sampler.random() < 0.7
    if sampler.random() < 0.2:
        filter_input["usage"] = "TRADE_SETTLEMENT"
    if sampler.random() < 0.25:
        filter_input["flagged"] = True
    if sampler.random() < 0.3:
        filter_input["search"] = sampler.choice(terms)
    if sampler.random() < 0.2:
        filter_input["divisionCode"] = sampler.choice(county_codes)
    return filter_input


def measure_list(
    label: str, user: BusinessUser, requests: int, county_codes: list[str], terms: list[str]
) -> list[dict]:
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")
    sampler = random.Random(len(label))
    # One untimed request builds the GraphQL schema and warms the caches.
    client.post("/graphql/", json.dumps({"query": LIST, "variables": {}}), content_type="application/json")
    timings = []
    for _ in range(requests):
        variables = {"filter": random_filter(sampler, county_codes, terms), "page": sampler.randint(1, 5)}
        body = json.dumps({"query": LIST, "variables": variables})
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.post("/graphql/", body, content_type="application/json")
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu_started) * 1000
        result = response.json()
        if "errors" in result:
            raise SystemExit(f"The ledger list failed during the benchmark: {result['errors']}")
        total = result["data"]["instruments"]["totalCount"]
        timings.append({"ms": elapsed, "cpu": cpu, "filter": variables["filter"], "total": total})

    latencies = [timing["ms"] for timing in timings]
    cpu_times = [timing["cpu"] for timing in timings]
    p95 = percentile(latencies, 0.95)
    verdict = "met" if p95 < TARGET_P95_MS else "MISSED"
    print(
        f"instruments list, {label}: {requests} requests, p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(latencies):.0f} ms "
        f"(target p95 under {TARGET_P95_MS:.0f} ms: {verdict}); "
        f"CPU time of this process p50 {percentile(cpu_times, 0.5):.1f} ms, "
        f"p95 {percentile(cpu_times, 0.95):.1f} ms"
    )
    by_term: dict[str, list[float]] = {}
    for timing in timings:
        by_term.setdefault(timing["filter"].get("search", "（无关键字）"), []).append(timing["ms"])
    print(p95_by_group("fuzzy text", by_term))
    # NOTE: on a shared machine the wall-clock figures include waiting for a core.
    # The CPU time is what the Python side of one request costs, without the database.
    slowest = sorted(timings, key=lambda timing: -timing["ms"])[:3]
    for timing in slowest:
        print(f"    slow: {timing['ms']:.0f} ms, {timing['total']:,} rows, filter {timing['filter']}")
    return slowest


def explain(user: BusinessUser, filter_data: dict) -> None:
    """Print the PostgreSQL plans that ledger_page() runs for ``filter_data``."""
    from business.instruments.schema import MAX_COUNTED_ROWS, ledger_queryset

    queryset = InstrumentFilterSet(data=filter_data, queryset=ledger_queryset(user)).qs
    ids = queryset.values_list("pk", flat=True)
    _print_plan(
        f"matching ids (count and short results), filter {filter_data}",
        ids.order_by()[: MAX_COUNTED_ROWS + 1],
    )
    _print_plan("page ids in order (only for more than the counted rows)", ids.order_by("-pk")[:20])


def _print_plan(label: str, queryset) -> None:
    print(f"  EXPLAIN ANALYZE {label}:")
    for line in queryset.explain(analyze=True).splitlines()[:14]:
        print(f"    {line}")


def import_file(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET_TITLE)
    sheet.append(list(HEADERS))
    template = {
        "器具名称": "燃油加油机",
        "强制检定目录序号": 10,
        "器具种类": "燃油加油机",
        "用途": "贸易结算",
        "型号规格": "ACS-15",
        "测量范围": "(0～15) kg",
        "准确度等级": "Ⅲ级",
        "制造单位": "上海示例衡器有限公司",
        "检定方式": "送检",
    }
    for number in range(rows):
        values = {
            **template,
            "出厂编号": f"IMP{number:08d}",
            "安装使用地点": f"{number % 40 + 1} 号收银台",
        }
        sheet.append([values.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_import(rows: int, county: Division) -> None:
    enterprise = Organisation.objects.create(
        kind=Organisation.Kind.ENTERPRISE, name=f"{PREFIX}导入企业{time.time_ns()}", division=county
    )
    user = _user(f"bench_ledger_import_{enterprise.pk}", enterprise, "enterprise_metrologist")
    content = import_file(rows)
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")
    body = json.dumps({"query": IMPORT, "variables": {"file": base64.b64encode(content).decode()}})

    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.post("/graphql/", body, content_type="application/json")
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started

    payload = response.json()["data"]["importInstruments"]
    if payload["errors"]:
        raise SystemExit(f"The import failed during the benchmark: {payload['errors'][:3]}")
    verdict = "met" if elapsed < TARGET_IMPORT_S else "MISSED"
    print(
        f"importInstruments, {payload['createdCount']:,} rows ({len(content) / 1024:.0f} KB file): "
        f"{elapsed:.1f} s (target under {TARGET_IMPORT_S:.0f} s: {verdict}), "
        f"CPU time of this process {cpu:.1f} s"
    )
    # Remove the imported rows so that repeated runs measure the same ledger size.
    InstrumentStatusChange.objects.filter(instrument__enterprise=enterprise).delete()
    Instrument.objects.filter(enterprise=enterprise).delete()


def run(arguments) -> None:
    owners = prepare(arguments.ledger_instruments, arguments.ledger_enterprises)
    province = Division.objects.get(parent__isnull=True)
    zhengzhou = Division.objects.get(code="410100")
    county_codes = list(
        Division.objects.filter(level=DivisionLevel.COUNTY, is_admin_division=True).values_list(
            "code", flat=True
        )
    )
    metrologist = _user("bench_ledger_enterprise", owners[0], "enterprise_metrologist")
    city_officer = _user("bench_ledger_city", _regulator(zhengzhou), "regulator_officer")
    province_officer = _user("bench_ledger_province", _regulator(province), "regulator_officer")
    ledger = Instrument.objects.filter(enterprise__name__startswith=f"{PREFIX}企业")
    total = ledger.count()
    print(f"ledger: {total:,} instruments in {len(owners):,} enterprises ({connection.vendor})")
    middle = ledger.filter(
        pk__gte=ledger.order_by("pk").values_list("pk", flat=True)[0] + total // 2
    )
    terms = [*SEARCH_TERMS, middle.order_by("pk").values_list("serial_number", flat=True)[0]]

    requests = arguments.ledger_requests
    measure_list("enterprise metrologist", metrologist, requests, county_codes, terms)
    city_slowest = measure_list(
        "city regulator (郑州市)", city_officer, requests, county_codes, terms
    )
    measure_list("provincial regulator", province_officer, requests, county_codes, terms)
    if connection.vendor == "postgresql":
        explain(metrologist, {"search": "计价"})
        explain(city_officer, _filterset_data(city_slowest[0]["filter"]))

    measure_import(arguments.ledger_import_rows, owners[0].division)


def _filterset_data(filter_input: dict) -> dict:
    """Turn a GraphQL filter of random_filter() into InstrumentFilterSet data."""
    names = {"divisionCode": "division"}
    data = {}
    for key, value in filter_input.items():
        if isinstance(value, str) and value.isupper():
            value = value.lower()
        data[names.get(key, key)] = value
    return data
