"""The MAC that links audit events into a hash chain.

mac = HMAC-SM3(AUDIT_MAC_KEY, canonical JSON of the event's content, including its
sequence and the previous event's MAC). The canonical JSON has sorted keys, no
spaces, UTF-8 without escaping and the time in UTC with microseconds, so the MAC
can be recomputed from the stored row on any database.

Changing the content, its order or this construction invalidates every stored MAC.
"""

import datetime
import hmac
import json

from business.core.crypto import keyring, sm3

# Version marker inside the MAC input, so a later construction cannot be confused
# with this one.
MAC_VERSION = 1

# previous_mac of the first event.
GENESIS_MAC = "0" * (2 * sm3.DIGEST_SIZE)

# Every stored field the MAC covers, in the order of the export columns.
CONTENT_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_table",
    "actor_id",
    "actor_name",
    "actor_role",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "changes",
    "ip_address",
    "user_agent",
    "channel",
    "request_id",
    "result",
    "reason",
    "previous_mac",
)


def canonical_content(event) -> bytes:
    """Return the bytes the MAC of ``event`` covers."""
    content = {name: getattr(event, name) for name in CONTENT_FIELDS}
    content["occurred_at"] = _utc_timestamp(event.occurred_at)
    content["mac_version"] = MAC_VERSION
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def compute_mac(event) -> str:
    """Return the HMAC-SM3 of ``event``'s content as 64 lowercase hex characters."""
    return sm3.hmac_sm3(keyring.audit_mac_key(), canonical_content(event)).hex()


def mac_matches(event) -> bool:
    return hmac.compare_digest(compute_mac(event), event.mac)


def _utc_timestamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit event time must be timezone-aware")
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")
