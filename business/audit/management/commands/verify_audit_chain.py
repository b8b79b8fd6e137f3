"""Walk the audit chain and report the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from business.audit.verification import DEFAULT_BATCH_SIZE, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain: sequence numbers without gaps, links to the "
        "previous event and HMAC-SM3 MACs. Exits with status 1 at the first broken event."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"events read per query (default {DEFAULT_BATCH_SIZE})",
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError(f"--batch-size must be at least 1, got {batch_size}")
        outcome = verify_chain(batch_size=batch_size)
        if not outcome.ok:
            raise CommandError(outcome.message)
        self.stdout.write(self.style.SUCCESS(outcome.message))
