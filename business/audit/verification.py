"""Verification of the audit chain: sequence numbers, links between events and MACs.

The walk reads the events in sequence order, one batch per query (keyset
pagination on ``sequence``), so memory use does not grow with the size of the log.
"""

import enum
import hmac
import logging
from dataclasses import dataclass

from . import chain
from .models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000


class Problem(enum.Enum):
    MISSING = "missing"
    LINK_BROKEN = "link_broken"
    MAC_MISMATCH = "mac_mismatch"
    HEAD_MISMATCH = "head_mismatch"


# Operator messages by problem. {sequence} is the first broken sequence number.
PROBLEM_MESSAGES = {
    Problem.MISSING: "序号 {sequence} 的审计记录缺失（记录被删除）。",
    Problem.LINK_BROKEN: (
        "序号 {sequence} 的记录所存的“前一条记录 MAC”与前一条记录不符"
        "（记录被调换顺序、删除或插入）。"
    ),
    Problem.MAC_MISMATCH: "序号 {sequence} 的记录内容与其 MAC 不符（记录内容或 MAC 被改动）。",
    Problem.HEAD_MISMATCH: (
        "审计链头与最后一条记录不符，从序号 {sequence} 起的记录缺失或链头被改动"
        "（末尾记录被删除）。"
    ),
}

OPERATOR_ADVICE = (
    "请勿修改或删除审计表中的任何数据；立即保全数据库和备份现场，报告安全管理员，"
    "并从该序号起与最近一次校验通过的备份逐条核对。"
)


@dataclass
class ChainVerification:
    """Outcome of a chain walk. ``first_broken_sequence`` is None when the chain is intact."""

    checked: int
    last_sequence: int
    last_mac: str
    first_broken_sequence: int | None = None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def message(self) -> str:
        if self.ok:
            return (
                f"审计链校验通过：共 {self.checked} 条记录，最后序号 {self.last_sequence}，"
                f"最后 MAC {self.last_mac}。"
            )
        detail = PROBLEM_MESSAGES[self.problem].format(sequence=self.first_broken_sequence)
        return f"审计链校验失败：{detail}{OPERATOR_ADVICE}"


def verify_chain(batch_size: int = DEFAULT_BATCH_SIZE) -> ChainVerification:
    """Walk the whole chain and stop at the first broken event."""
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, got {batch_size}")

    outcome = ChainVerification(checked=0, last_sequence=0, last_mac=chain.GENESIS_MAC)
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=outcome.last_sequence).order_by("sequence")[
                :batch_size
            ]
        )
        for event in batch:
            problem = _check_event(event, outcome.last_sequence, outcome.last_mac)
            if problem is not None:
                return _broken(outcome, problem)
            outcome.checked += 1
            outcome.last_sequence = event.sequence
            outcome.last_mac = event.mac
        if len(batch) < batch_size:
            break

    head = AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON_PK).first()
    if head is not None and (
        head.last_sequence != outcome.last_sequence
        or not hmac.compare_digest(head.last_mac, outcome.last_mac)
    ):
        return _broken(outcome, Problem.HEAD_MISMATCH)
    if head is None and outcome.checked:
        return _broken(outcome, Problem.HEAD_MISMATCH)

    logger.info("Audit chain intact: %s events up to sequence %s", outcome.checked,
                outcome.last_sequence)
    return outcome


def _check_event(event: AuditEvent, previous_sequence: int, previous_mac: str) -> Problem | None:
    if event.sequence != previous_sequence + 1:
        return Problem.MISSING
    if not hmac.compare_digest(event.previous_mac, previous_mac):
        return Problem.LINK_BROKEN
    if not chain.mac_matches(event):
        return Problem.MAC_MISMATCH
    return None


def _broken(outcome: ChainVerification, problem: Problem) -> ChainVerification:
    outcome.problem = problem
    outcome.first_broken_sequence = outcome.last_sequence + 1
    logger.error(
        "Audit chain broken at sequence %s: %s (%s events verified before it)",
        outcome.first_broken_sequence,
        problem.value,
        outcome.checked,
    )
    return outcome
