"""CSV export of audit events."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from business.audit.export import write_events_csv
from business.audit.models import AuditEvent
from business.audit.services import Actor

from .helpers import record

pytestmark = pytest.mark.django_db


def export_rows(start, end):
    stream = io.StringIO()
    count = write_events_csv(stream, start, end)
    return count, stream.getvalue()


def day_range():
    now = timezone.now()
    return now - datetime.timedelta(days=1), now + datetime.timedelta(days=1)


def test_export_starts_with_bom_and_chinese_header():
    _, text = export_rows(*day_range())

    assert text.startswith("\ufeff序号,时间,操作者类型,操作者 ID,操作者,")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_export_writes_event_values():
    event = record(
        "certificate.void",
        object_type="certificate",
        object_id="HNJY2026000001",
        changes={"phone": ("13812345678", None)},
        result="failure",
        reason="证书已作废",
    )

    count, text = export_rows(*day_range())
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))

    assert count == 1
    assert len(rows) == 1
    row = rows[0]
    assert row["序号"] == "1"
    assert row["时间"] == timezone.localtime(event.occurred_at).isoformat(timespec="microseconds")
    assert row["时间"].endswith("+08:00")
    assert row["操作者类型"] == "业务用户"
    assert row["操作者"] == "张三"
    assert row["所属机构 ID"] == "5"
    assert row["操作"] == "certificate.void"
    assert row["对象 ID"] == "HNJY2026000001"
    assert row["变更内容"] == '{"phone": {"after": null, "before": "138****5678"}}'
    assert row["终端"] == "电脑端"
    assert row["结果"] == "失败"
    assert row["原因"] == "证书已作废"
    assert row["MAC"] == event.mac
    assert row["前一条记录的 MAC"] == event.previous_mac


def test_export_limits_time_range():
    first = record()
    record()
    start = first.occurred_at
    end = first.occurred_at + datetime.timedelta(microseconds=1)

    count, text = export_rows(start, end)

    assert count == 1
    assert text.count("\n") == 2


def test_export_streams_across_batches(monkeypatch):
    monkeypatch.setattr("business.audit.export.BATCH_SIZE", 2)
    for _ in range(5):
        record()

    count, text = export_rows(*day_range())
    sequences = [row["序号"] for row in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))]

    assert count == 5
    assert sequences == ["1", "2", "3", "4", "5"]


def test_export_neutralises_formulas():
    record(actor=Actor(table="business", name='=HYPERLINK("http://example.invalid")'))

    _, text = export_rows(*day_range())
    row = next(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))

    assert row["操作者"] == "'" + '=HYPERLINK("http://example.invalid")'


def test_export_rejects_naive_or_empty_range():
    start, end = day_range()

    with pytest.raises(ValueError, match="timezone-aware"):
        export_rows(start.replace(tzinfo=None), end)
    with pytest.raises(ValueError, match="must be after"):
        export_rows(end, start)


def test_export_command_writes_file_and_records_export(tmp_path):
    record()
    output = tmp_path / "audit.csv"
    today = timezone.localdate()

    call_command(
        "export_audit_events",
        "--start", today.isoformat(),
        "--end", (today + datetime.timedelta(days=1)).isoformat(),
        "--output", str(output),
        "--operator", "审计管理员王五",
        stdout=io.StringIO(),
    )

    assert output.read_bytes().startswith("\ufeff序号".encode())
    export_event = AuditEvent.objects.get(action="audit.export")
    assert export_event.actor_name == "审计管理员王五"
    assert export_event.changes["count"] == {"before": None, "after": 1}


def test_export_command_refuses_existing_file(tmp_path):
    output = tmp_path / "audit.csv"
    output.write_text("keep")

    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "export_audit_events",
            "--start", "2026-01-01", "--end", "2026-02-01",
            "--output", str(output), "--operator", "王五",
        )
    assert output.read_text() == "keep"
