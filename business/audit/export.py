"""CSV export of audit events for the audit administrator.

The function checks no permission. Only the audit administrator may export the
audit log, so every caller (the admin API, a management command) must check that
role first and record an ``audit.export`` event itself.
"""

import csv
import datetime
import json
from typing import TextIO

from django.utils import timezone

from .models import AuditEvent

BATCH_SIZE = 1000

COLUMNS = (
    ("sequence", "序号"),
    ("occurred_at", "时间"),
    ("actor_table", "操作者类型"),
    ("actor_id", "操作者 ID"),
    ("actor_name", "操作者"),
    ("actor_role", "角色"),
    ("organisation_id", "所属机构 ID"),
    ("action", "操作"),
    ("object_type", "对象类型"),
    ("object_id", "对象 ID"),
    ("changes", "变更内容"),
    ("ip_address", "IP 地址"),
    ("user_agent", "客户端"),
    ("channel", "终端"),
    ("request_id", "请求 ID"),
    ("result", "结果"),
    ("reason", "原因"),
    ("previous_mac", "前一条记录的 MAC"),
    ("mac", "MAC"),
)

# Spreadsheets run a cell that starts with one of these as a formula, so such
# text gets a leading apostrophe (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_CHOICE_LABELS = {
    "actor_table": dict(AuditEvent.ActorTable.choices),
    "channel": dict(AuditEvent.Channel.choices),
    "result": dict(AuditEvent.Result.choices),
}


def write_events_csv(stream: TextIO, start: datetime.datetime, end: datetime.datetime) -> int:
    """Write the events with ``start <= occurred_at < end`` to ``stream`` and return their count.

    Open ``stream`` with ``encoding="utf-8", newline=""``. The output starts with a
    byte order mark, so Excel detects UTF-8 and shows the Chinese text. Times are
    in the platform's time zone. The MAC columns let a reader check an exported
    event against the database later.
    """
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("export start and end must be timezone-aware")
    if end <= start:
        raise ValueError(f"export end {end.isoformat()} must be after start {start.isoformat()}")

    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow([header for _, header in COLUMNS])

    events = AuditEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    count = 0
    last_sequence = 0
    while True:
        batch = list(events.filter(sequence__gt=last_sequence).order_by("sequence")[:BATCH_SIZE])
        for event in batch:
            writer.writerow([_cell(event, name) for name, _ in COLUMNS])
        count += len(batch)
        if len(batch) < BATCH_SIZE:
            return count
        last_sequence = batch[-1].sequence


def _cell(event: AuditEvent, name: str) -> str:
    value = getattr(event, name)
    if value is None:
        return ""
    if name == "occurred_at":
        return timezone.localtime(value).isoformat(timespec="microseconds")
    if name == "changes":
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if name in _CHOICE_LABELS:
        return _CHOICE_LABELS[name].get(value, value)
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
