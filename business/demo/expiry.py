"""Demo expiry warnings: runs the daily job once so the demo message centres are not empty.

Runs after the generator issued the demo certificates; the warnings sent depend on
the certificates' valid-until dates relative to today.
"""

import logging

from business.expiry import services

logger = logging.getLogger(__name__)


def send_demo_warnings() -> int:
    """Run the daily expiry job for today and return the number of messages sent."""
    result = services.send_expiry_warnings()
    logger.info("demo expiry warnings: %d instruments, %d messages", result.instruments, result.messages)
    return result.messages
