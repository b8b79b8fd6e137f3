"""The daily expiry job (send_expiry_warnings) over a large ledger.

Generates, with bulk inserts, enterprises that each have two users holding
instruments.view and an even share of the instruments. Nine in ten instruments have
a verification certificate whose valid-until date is spread evenly from 60 days ago
to 365 days ahead. The rest are "replace" instruments with a service-life end in the
same range. Then it times three runs of the job: the first run with the whole
backlog, a rerun on the same day (nothing new to send), and the next day's run.
The job runs in this process against BENCH_DATABASE_URL, so no network time is
included.
"""

import datetime
import random
import time

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from business.access.models import Role, RoleAssignment
from business.accounts.models import BusinessUser
from business.certificates import keys
from business.certificates.models import Certificate
from business.expiry import services
from business.expiry.models import ExpiryWarning
from business.instruments.models import Instrument
from business.messages.models import Message
from business.organisations.models import Organisation
from business.reference.models import CatalogueItem, Division
from business.verification.models import VerificationRecord

BATCH_SIZE = 5000
# Names mark the generated rows, so that other benchmarks' data in the same database
# neither counts nor gets in the way.
ENTERPRISE_PREFIX = "到期基准企业"
INSTITUTION_PREFIX = "EXPB"
RECIPIENT_ROLES = ["enterprise_admin", "enterprise_metrologist"]


def add_arguments(parser) -> None:
    group = parser.add_argument_group("expiry")
    group.add_argument(
        "--expiry-instruments", type=int, default=1_000_000, help="instruments in the ledger"
    )
    group.add_argument(
        "--expiry-enterprises", type=int, default=10_000, help="enterprises owning them"
    )


def run(arguments) -> None:
    instruments, enterprises = arguments.expiry_instruments, arguments.expiry_enterprises
    call_command("migrate", verbosity=0)
    prepare(instruments, enterprises)
    today = timezone.localdate()

    _forget_sent_warnings()
    first = _timed(today)
    rerun = _timed(today)
    next_day = _timed(today + datetime.timedelta(days=1))

    stored = Instrument.objects.filter(enterprise__name__startswith=ENTERPRISE_PREFIX).count()
    print(f"\nDaily expiry job ({connection.vendor}, {stored} instruments of {enterprises} enterprises)")
    for label, (seconds, result) in [
        ("first run", first),
        ("rerun", rerun),
        ("next day", next_day),
    ]:
        print(
            f"  {label:10} {seconds:7.2f} s   {result.instruments:8d} instruments warned"
            f"   {result.messages:8d} messages"
        )


def _timed(today):
    started = time.perf_counter()
    result = services.send_expiry_warnings(today)
    return time.perf_counter() - started, result


def _forget_sent_warnings() -> None:
    # Each benchmark run starts from an empty message centre, so the first run always
    # carries the whole backlog.
    ExpiryWarning.objects.all().delete()
    Message.objects.filter(kind=Message.Kind.EXPIRY).delete()


def prepare(instruments: int, enterprises: int) -> None:
    stored = Instrument.objects.filter(enterprise__name__startswith=ENTERPRISE_PREFIX).count()
    if stored >= instruments:
        return
    if stored or Organisation.objects.filter(name__startswith=ENTERPRISE_PREFIX).exists():
        raise SystemExit(
            f"The benchmark database contains {stored} generated instruments, fewer than "
            f"{instruments}. Point BENCH_DATABASE_URL at an empty database and run again."
        )
    print(f"Generating {instruments} instruments of {enterprises} enterprises…", flush=True)
    started = time.perf_counter()
    _generate(instruments, enterprises)
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would have them on a running server.
        cursor.execute("ANALYZE")
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)


def _generate(instrument_count: int, enterprise_count: int) -> None:
    county = _county()
    periodic, replace = _catalogue_items()
    institution = _institution(county)
    enterprise_ids = _enterprises(enterprise_count, county)
    _users(enterprise_ids)

    sampler = random.Random(2026)
    today = timezone.localdate()
    for start in range(0, instrument_count, BATCH_SIZE):
        size = min(BATCH_SIZE, instrument_count - start)
        with transaction.atomic():
            _instrument_batch(
                start, size, enterprise_ids, county, periodic, replace, institution, sampler, today
            )


def _county() -> Division:
    province, _ = Division.objects.get_or_create(
        code="410000", defaults={"name": "河南省", "level": "province"}
    )
    city, _ = Division.objects.get_or_create(
        code="410100", defaults={"name": "郑州市", "level": "prefecture", "parent": province}
    )
    county, _ = Division.objects.get_or_create(
        code="410105", defaults={"name": "金水区", "level": "county", "parent": city}
    )
    return county


def _catalogue_items():
    periodic, _ = CatalogueItem.objects.get_or_create(
        number=9001,
        defaults={
            "item_name": "非自动衡器（基准）",
            "usage": "trade_settlement",
            "supervision_method": "P+V",
            "verification_form": "periodic",
            "cycle_months": 12,
        },
    )
    replace, _ = CatalogueItem.objects.get_or_create(
        number=9002,
        defaults={
            "item_name": "电能表（基准）",
            "usage": "trade_settlement",
            "supervision_method": "P+V",
            "verification_form": "replace",
            "service_life_months": 96,
        },
    )
    return periodic, replace


def _institution(county) -> Organisation:
    institution = Organisation.objects.create(
        kind=Organisation.Kind.INSTITUTION,
        name="到期基准检定机构",
        division=county,
        certificate_prefix=INSTITUTION_PREFIX,
    )
    keys.create_signing_key(institution)
    return institution


def _enterprises(count: int, county) -> list[int]:
    rows = [
        Organisation(
            kind=Organisation.Kind.ENTERPRISE,
            name=f"{ENTERPRISE_PREFIX}{index:05d}",
            division=county,
        )
        for index in range(count)
    ]
    created = Organisation.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return [organisation.pk for organisation in created]


def _users(enterprise_ids: list[int]) -> None:
    roles = {role.code: role for role in Role.objects.filter(code__in=RECIPIENT_ROLES)}
    now = timezone.now()
    users = [
        BusinessUser(
            username=f"expiry-bench-{enterprise_id}-{code}",
            display_name="基准用户",
            organisation_id=enterprise_id,
            password="!",
            must_change_password=False,
            password_changed_at=now,
        )
        for enterprise_id in enterprise_ids
        for code in RECIPIENT_ROLES
    ]
    created = BusinessUser.objects.bulk_create(users, batch_size=BATCH_SIZE)
    assignments = [
        RoleAssignment(user=user, role=roles[RECIPIENT_ROLES[index % len(RECIPIENT_ROLES)]])
        for index, user in enumerate(created)
    ]
    RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)


def _instrument_batch(start, size, enterprise_ids, county, periodic, replace, institution, sampler, today):
    signing_key = institution.signing_keys.get(is_active=True)
    # Bulk inserts bypass the signal that keeps the ledger's copy of the latest
    # certificate state, so the copy is written here with the instrument.
    keeps_copy = services.has_certificate_copy()
    instruments = []
    valid_untils = []
    for index in range(start, start + size):
        is_replace = index % 10 == 9
        instrument = Instrument(
            enterprise_id=enterprise_ids[index % len(enterprise_ids)],
            catalogue_item=replace if is_replace else periodic,
            usage="trade_settlement",
            name="电能表" if is_replace else "电子计价秤",
            model="DDS-1",
            serial_number=f"EXP{index:09d}",
            manufacturer="基准制造厂",
            division=county,
        )
        due = today + datetime.timedelta(days=sampler.randint(-60, 365))
        if is_replace:
            instrument.service_life_end = due
        else:
            valid_untils.append(due)
            if keeps_copy:
                instrument.certificate_state = "valid"
                instrument.certificate_valid_until = due
        instruments.append(instrument)
    Instrument.objects.bulk_create(instruments)

    periodic_instruments = [item for item in instruments if item.catalogue_item_id == periodic.pk]
    records = [
        VerificationRecord(
            instrument=instrument,
            institution=institution,
            record_number=f"EXPR{instrument.pk:09d}",
            verification_date=valid_until - datetime.timedelta(days=364),
            conclusion=VerificationRecord.Conclusion.QUALIFIED,
            verifier_name="基准检定员",
            checker_name="基准核验员",
            approver_name="基准批准人",
        )
        for instrument, valid_until in zip(periodic_instruments, valid_untils, strict=True)
    ]
    VerificationRecord.objects.bulk_create(records)
    issued_at = timezone.now()
    # The certificates are not really signed: the job reads only their dates and state.
    certificates = [
        Certificate(
            number=f"{INSTITUTION_PREFIX}{record.instrument_id:012d}",
            kind=Certificate.Kind.VERIFICATION,
            record=record,
            institution=institution,
            instrument_id=record.instrument_id,
            institution_name=institution.name,
            client_name="基准企业",
            instrument_name="电子计价秤",
            serial_number=f"EXP{record.instrument_id:09d}",
            record_number=record.record_number,
            conclusion="合格",
            verification_date=record.verification_date,
            valid_until=valid_until,
            verifier_name="基准检定员",
            checker_name="基准核验员",
            approver_name="基准批准人",
            issued_at=issued_at,
            content_digest="0" * 64,
            signature=b"",
            signing_key=signing_key,
            check_code="00000000",
        )
        for record, valid_until in zip(records, valid_untils, strict=True)
    ]
    Certificate.objects.bulk_create(certificates)
