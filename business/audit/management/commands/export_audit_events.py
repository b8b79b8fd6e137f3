"""Export the audit events of a time range as CSV, for the audit administrator."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from business.audit.export import write_events_csv
from business.audit.models import AuditEvent
from business.audit.services import SYSTEM_REQUEST, Actor, record_event


class Command(BaseCommand):
    help = (
        "Write the audit events from --start (inclusive) to --end (exclusive) to a UTF-8 CSV "
        "file with a byte order mark. Run it only on behalf of the audit administrator; the "
        "export itself is recorded as an audit.export event."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--start", required=True, help="first day, YYYY-MM-DD, in the platform time zone"
        )
        parser.add_argument("--end", required=True, help="day after the last one, YYYY-MM-DD")
        parser.add_argument("--output", required=True, type=Path, help="CSV file to create")
        parser.add_argument(
            "--operator", required=True, help="name of the audit administrator who asked for it"
        )

    def handle(self, *args, start, end, output, operator, **options):
        start_time = _start_of_day(start, "--start")
        end_time = _start_of_day(end, "--end")
        if end_time <= start_time:
            raise CommandError(f"--end {end} must be after --start {start}")
        if output.exists():
            raise CommandError(f"{output} already exists. Choose another --output file.")

        with output.open("x", encoding="utf-8", newline="") as stream:
            count = write_events_csv(stream, start_time, end_time)
        record_event(
            "audit.export",
            actor=Actor(table=AuditEvent.ActorTable.SYSTEM, name=operator, role="audit_admin"),
            request_info=SYSTEM_REQUEST,
            object_type="audit_event",
            changes={"range": (None, f"{start}..{end}"), "count": (None, count)},
        )
        self.stdout.write(f"Wrote {count} audit events to {output}")


def _start_of_day(text: str, option: str) -> datetime.datetime:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date such as 2026-01-31, got {text!r}") from None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
