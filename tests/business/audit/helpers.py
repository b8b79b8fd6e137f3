"""Helpers shared by the audit tests."""

import contextlib

from django.db import connection

from business.audit.services import SYSTEM_ACTOR, Actor, RequestInfo, record_event

AUDIT_KEY = "00112233445566778899aabbccddeeff"

CLERK = Actor(table="business", id="17", name="张三", role="enterprise_clerk", organisation_id=5)
PC_REQUEST = RequestInfo(
    channel="pc", ip_address="192.0.2.10", user_agent="Mozilla/5.0", request_id="req-1"
)


def record(action="certificate.issue", **kwargs):
    kwargs.setdefault("actor", CLERK)
    kwargs.setdefault("request_info", PC_REQUEST)
    return record_event(action, **kwargs)


def record_many(count):
    return [record(object_type="certificate", object_id=f"HNJY{n:06d}") for n in range(count)]


def system_event(action="system.start"):
    return record_event(action, actor=SYSTEM_ACTOR, request_info=RequestInfo(channel="system"))


@contextlib.contextmanager
def append_only_trigger_disabled():
    """Disable the PostgreSQL trigger for raw edits, as a database superuser could."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")


def raw_execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
