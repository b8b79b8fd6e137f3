"""Re-encrypt every encrypted personal-data column under the current field key."""

from django.core.management.base import BaseCommand, CommandError

from business.core.crypto import keyring
from business.core.crypto.fields import encrypted_fields, reencrypt_field


class Command(BaseCommand):
    help = (
        "Re-encrypt the values of every EncryptedTextField that are not under the current "
        "(first) key of PLATFORM_FIELD_KEYS. Remove an old key only after this reports 0 "
        "remaining values for it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="rows re-encrypted per transaction (default 500)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only count the values that would be re-encrypted",
        )

    def handle(self, *args, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError(f"--batch-size must be at least 1, got {batch_size}")

        current_id = keyring.field_keyring().current_id
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(f"Current field key: {current_id}")
        for model, model_field in encrypted_fields():
            count = reencrypt_field(model, model_field, batch_size=batch_size, dry_run=dry_run)
            self.stdout.write(f"{count.label}: {count.reencrypted} {verb}, {count.total} values")
