"""Audit chain: MAC construction, appending, verification and every kind of tampering."""

import datetime
import io
import threading

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from business.audit import chain, services
from business.audit.models import AuditChainHead, AuditEvent, AuditLogAppendOnlyError
from business.audit.verification import Problem, verify_chain
from tests.business.core.test_crypto_sm3_sm4 import reference_hmac_sm3

from .helpers import (
    AUDIT_KEY,
    append_only_trigger_disabled,
    raw_execute,
    record,
    record_many,
    system_event,
)


def is_postgresql():
    return connection.vendor == "postgresql"


# --- MAC construction ----------------------------------------------------------


def known_event():
    return AuditEvent(
        sequence=1,
        occurred_at=datetime.datetime(
            2026, 3, 1, 8, 30, 15, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
        ),
        actor_table="business",
        actor_id="17",
        actor_name="张三",
        actor_role="enterprise_clerk",
        organisation_id=5,
        action="certificate.void",
        object_type="certificate",
        object_id="HNJY2026000001",
        changes={"status": {"before": "valid", "after": "void"}},
        ip_address="192.0.2.10",
        user_agent="",
        channel="pc",
        request_id="req-1",
        result="success",
        reason="",
        previous_mac=chain.GENESIS_MAC,
    )


def test_canonical_content_is_sorted_utc_json():
    expected = (
        '{"action":"certificate.void","actor_id":"17","actor_name":"张三",'
        '"actor_role":"enterprise_clerk","actor_table":"business",'
        '"changes":{"status":{"after":"void","before":"valid"}},"channel":"pc",'
        '"ip_address":"192.0.2.10","mac_version":1,"object_id":"HNJY2026000001",'
        '"object_type":"certificate","occurred_at":"2026-03-01T00:30:15.123456+00:00",'
        '"organisation_id":5,"previous_mac":"' + "0" * 64 + '","reason":"",'
        '"request_id":"req-1","result":"success","sequence":1,"user_agent":""}'
    )

    assert chain.canonical_content(known_event()) == expected.encode("utf-8")


def test_mac_known_answer():
    # Computed once with this construction, and cross-checked below against an
    # HMAC built from RFC 2104 on gmssl's independent SM3.
    expected = "3dba8baaaaed32a1651d6edffb76590e4fc009da41e0794a360f5cb77daf3c00"
    event = known_event()

    assert chain.compute_mac(event) == expected
    reference = reference_hmac_sm3(bytes.fromhex(AUDIT_KEY), chain.canonical_content(event))
    assert reference.hex() == expected


def test_mac_depends_on_key(settings):
    event = known_event()
    first = chain.compute_mac(event)

    settings.AUDIT_MAC_KEY = "ff" * 16

    assert chain.compute_mac(event) != first


def test_naive_time_rejected():
    event = known_event()
    event.occurred_at = datetime.datetime(2026, 3, 1, 8, 30)

    with pytest.raises(ValueError, match="timezone-aware"):
        chain.canonical_content(event)


# --- Appending ---------------------------------------------------------------------


@pytest.mark.django_db
def test_record_event_stores_all_fields():
    event = record(
        "certificate.void",
        object_type="certificate",
        object_id="HNJY2026000001",
        changes={"status": ("valid", "void")},
        reason="",
    )
    stored = AuditEvent.objects.get(pk=event.pk)

    assert stored.sequence == 1
    assert stored.previous_mac == chain.GENESIS_MAC
    assert stored.mac == chain.compute_mac(stored)
    assert stored.occurred_at.tzinfo is not None
    assert stored.actor_table == "business"
    assert stored.actor_id == "17"
    assert stored.actor_name == "张三"
    assert stored.actor_role == "enterprise_clerk"
    assert stored.organisation_id == 5
    assert stored.action == "certificate.void"
    assert stored.object_type == "certificate"
    assert stored.object_id == "HNJY2026000001"
    assert stored.changes == {"status": {"before": "valid", "after": "void"}}
    assert stored.ip_address == "192.0.2.10"
    assert stored.channel == "pc"
    assert stored.request_id == "req-1"
    assert stored.result == "success"


@pytest.mark.django_db
def test_chain_links_consecutive_events():
    events = record_many(5)
    head = AuditChainHead.objects.get()

    assert [event.sequence for event in events] == [1, 2, 3, 4, 5]
    for previous, event in zip(events, events[1:], strict=False):
        assert event.previous_mac == previous.mac
    assert head.last_sequence == 5
    assert head.last_mac == events[-1].mac


@pytest.mark.django_db
def test_sensitive_changes_masked():
    event = record(
        "person.update",
        changes={
            "phone": ("13812345678", "13987654321"),
            "id_number": {"before": None, "after": "41010519900307123X"},
            "contact_name": ("张三", "欧阳娜娜"),
            "note": ("a", "b"),
        },
        sensitive_fields={"contact_name": "name"},
    )
    stored = AuditEvent.objects.get(pk=event.pk).changes

    assert stored["phone"] == {"before": "138****5678", "after": "139****4321"}
    assert stored["id_number"] == {"before": None, "after": "410105********123X"}
    assert stored["contact_name"] == {"before": "张*", "after": "欧阳**"}
    assert stored["note"] == {"before": "a", "after": "b"}


@pytest.mark.django_db
def test_non_json_values_stored_as_text():
    event = record(
        "instrument.update",
        changes={"valid_until": (datetime.date(2026, 1, 1), None), "range": (0.5, 1.25)},
    )
    stored = AuditEvent.objects.get(pk=event.pk)

    assert stored.changes["valid_until"] == {"before": "2026-01-01", "after": None}
    assert stored.changes["range"] == {"before": "0.5", "after": "1.25"}
    assert chain.mac_matches(stored)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"action": "Certificate Issue"}, "dotted lower-case"),
        ({"action": "certificate"}, "dotted lower-case"),
        ({"result": "failure"}, "needs a reason"),
        ({"result": "maybe", "reason": "x"}, "result must be one of"),
        ({"request_info": services.RequestInfo(channel="fax")}, "channel must be one of"),
        ({"request_info": services.RequestInfo(channel="pc", ip_address="1.2.3")}, "IP address"),
        ({"actor": services.Actor(table="robot")}, "actor_table must be one of"),
        ({"object_id": "x" * 65}, "object_id is longer than 64"),
        ({"changes": {"phone": ("1", "2")}, "sensitive_fields": {"phone": "colour"}}, "kind"),
    ],
)
def test_invalid_arguments_rejected(arguments, message):
    with pytest.raises(ValueError, match=message):
        record(**arguments)

    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_ipv6_address_normalised():
    request_info = services.RequestInfo(channel="mobile", ip_address="2001:DB8:0:0:0:0:0:1")
    event = record(request_info=request_info)

    assert AuditEvent.objects.get(pk=event.pk).ip_address == "2001:db8::1"


@pytest.mark.django_db
def test_long_user_agent_truncated():
    request_info = services.RequestInfo(channel="pc", user_agent="A" * 1000)
    event = record(request_info=request_info)

    assert len(AuditEvent.objects.get(pk=event.pk).user_agent) == 300


@pytest.mark.django_db
def test_missing_head_with_events_fails_closed():
    record_many(2)
    AuditChainHead.objects.all().delete()

    with pytest.raises(services.AuditChainError, match="verify_audit_chain"):
        system_event()
    assert AuditEvent.objects.count() == 2


# --- Fail-closed behaviour -----------------------------------------------------------


@pytest.mark.django_db
def test_failed_audit_write_rolls_back_business_change(monkeypatch):
    def failing_save(self, *args, **kwargs):
        raise DatabaseError("insert into audit_event failed")

    record("system.start")
    monkeypatch.setattr(AuditEvent, "save", failing_save)

    with pytest.raises(DatabaseError, match="audit_event"):
        with transaction.atomic():
            Group.objects.create(name="检定员")
            record("role.create", object_type="group", object_id="检定员")

    assert not Group.objects.filter(name="检定员").exists()
    assert AuditChainHead.objects.get().last_sequence == 1
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_invalid_audit_event_rolls_back_business_change():
    with pytest.raises(ValueError):
        with transaction.atomic():
            Group.objects.create(name="核验员")
            record("not-a-code")

    assert not Group.objects.filter(name="核验员").exists()


@pytest.mark.django_db
def test_business_change_and_event_commit_together():
    with transaction.atomic():
        Group.objects.create(name="批准人")
        record("role.create", object_type="group", object_id="批准人")

    assert Group.objects.filter(name="批准人").exists()
    assert AuditEvent.objects.get().object_id == "批准人"


# --- ORM refusals -------------------------------------------------------------------


@pytest.mark.django_db
def test_save_of_existing_event_rejected():
    event = record()
    event.reason = "changed"

    with pytest.raises(AuditLogAppendOnlyError, match="cannot be changed"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db
def test_delete_of_event_rejected():
    event = record()

    with pytest.raises(AuditLogAppendOnlyError, match="cannot be deleted"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_queryset_update_and_delete_rejected():
    record_many(2)

    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.update(reason="changed")
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.filter(sequence=1).delete()
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.bulk_update(list(AuditEvent.objects.all()), ["reason"])
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db
def test_direct_create_rejected():
    with pytest.raises(AuditLogAppendOnlyError, match="record_event"):
        AuditEvent.objects.create(action="certificate.issue", actor_table="system")
    with pytest.raises(AuditLogAppendOnlyError, match="record_event"):
        AuditEvent.objects.bulk_create([AuditEvent(action="certificate.issue")])


@pytest.mark.django_db
def test_trigger_rejects_raw_update_and_delete():
    if not is_postgresql():
        pytest.skip("the append-only trigger exists only on PostgreSQL")
    record_many(2)

    for sql in ("UPDATE audit_event SET reason = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic():
                raw_execute(sql)
    assert AuditEvent.objects.count() == 2


# --- Verification and tampering ----------------------------------------------------


@pytest.mark.django_db
def test_intact_chain_verifies():
    record_many(7)

    outcome = verify_chain(batch_size=3)

    assert outcome.ok
    assert outcome.checked == 7
    assert outcome.last_sequence == 7


@pytest.mark.django_db
def test_empty_chain_verifies():
    outcome = verify_chain()

    assert outcome.ok
    assert outcome.checked == 0


@pytest.mark.django_db
def test_edited_content_detected():
    record_many(6)
    with append_only_trigger_disabled():
        raw_execute("UPDATE audit_event SET actor_name = %s WHERE sequence = %s", ["李四", 4])

    outcome = verify_chain(batch_size=2)

    assert outcome.problem is Problem.MAC_MISMATCH
    assert outcome.first_broken_sequence == 4
    assert outcome.checked == 3


@pytest.mark.django_db
def test_edited_changes_json_detected():
    record(changes={"status": ("valid", "void")})
    record_many(1)
    with append_only_trigger_disabled():
        raw_execute(
            "UPDATE audit_event SET changes = %s WHERE sequence = 1",
            ['{"status": {"before": "valid", "after": "valid"}}'],
        )

    outcome = verify_chain()

    assert outcome.problem is Problem.MAC_MISMATCH
    assert outcome.first_broken_sequence == 1


@pytest.mark.django_db
def test_edited_mac_detected():
    events = record_many(5)
    forged = "f" * 64
    with append_only_trigger_disabled():
        raw_execute("UPDATE audit_event SET mac = %s WHERE sequence = 2", [forged])

    outcome = verify_chain()

    assert events[1].mac != forged
    assert outcome.problem is Problem.MAC_MISMATCH
    assert outcome.first_broken_sequence == 2


@pytest.mark.django_db
def test_deleted_row_detected():
    record_many(5)
    with append_only_trigger_disabled():
        raw_execute("DELETE FROM audit_event WHERE sequence = 3")

    outcome = verify_chain(batch_size=2)

    assert outcome.problem is Problem.MISSING
    assert outcome.first_broken_sequence == 3


@pytest.mark.django_db
def test_deleted_last_row_detected():
    record_many(5)
    with append_only_trigger_disabled():
        raw_execute("DELETE FROM audit_event WHERE sequence = 5")

    outcome = verify_chain()

    assert outcome.problem is Problem.HEAD_MISMATCH
    assert outcome.first_broken_sequence == 5


@pytest.mark.django_db
def test_swapped_sequence_detected():
    record_many(5)
    with append_only_trigger_disabled():
        # Via a free number, because sequence is unique.
        raw_execute("UPDATE audit_event SET sequence = 1000 WHERE sequence = 2")
        raw_execute("UPDATE audit_event SET sequence = 2 WHERE sequence = 4")
        raw_execute("UPDATE audit_event SET sequence = 4 WHERE sequence = 1000")

    outcome = verify_chain()

    assert outcome.problem is Problem.LINK_BROKEN
    assert outcome.first_broken_sequence == 2


@pytest.mark.django_db
def test_relinked_forgery_without_key_detected():
    # Someone without the key rewrites row 3's link to point at row 1, hiding row 2.
    events = record_many(4)
    with append_only_trigger_disabled():
        raw_execute("DELETE FROM audit_event WHERE sequence = 2")
        raw_execute("UPDATE audit_event SET sequence = 2 WHERE sequence = 3")
        raw_execute(
            "UPDATE audit_event SET previous_mac = %s WHERE sequence = 2", [events[0].mac]
        )

    outcome = verify_chain()

    assert outcome.problem is Problem.MAC_MISMATCH
    assert outcome.first_broken_sequence == 2


@pytest.mark.django_db
def test_verify_command_reports_intact_chain():
    record_many(3)
    output = io.StringIO()

    call_command("verify_audit_chain", "--batch-size", "2", stdout=output)

    assert "审计链校验通过：共 3 条记录，最后序号 3" in output.getvalue()


@pytest.mark.django_db
def test_verify_command_fails_with_sequence():
    record_many(4)
    with append_only_trigger_disabled():
        raw_execute("UPDATE audit_event SET reason = 'x' WHERE sequence = 3")

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")

    assert "序号 3 的记录内容与其 MAC 不符" in str(error.value)
    assert "报告安全管理员" in str(error.value)


@pytest.mark.django_db
def test_verify_command_exit_status():
    record_many(2)
    with append_only_trigger_disabled():
        raw_execute("DELETE FROM audit_event WHERE sequence = 1")

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")

    assert error.value.returncode == 1
    assert "序号 1 的审计记录缺失" in str(error.value)


# --- Concurrency ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    if not is_postgresql():
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises its writers")
    writers = 4
    events_per_writer = 15
    errors = []

    def write_events(writer):
        try:
            for number in range(events_per_writer):
                with transaction.atomic():
                    Group.objects.create(name=f"writer-{writer}-{number}")
                    record("role.create", object_id=f"{writer}-{number}")
        except Exception as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write_events, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    total = writers * events_per_writer
    sequences = list(AuditEvent.objects.values_list("sequence", flat=True))
    assert errors == []
    assert sequences == list(range(1, total + 1))
    assert verify_chain(batch_size=7).ok
    assert AuditChainHead.objects.get().last_sequence == total

