"""Load divisions, holidays, regulations and the verification catalogue from data files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from business.reference.loading import DEFAULT_DATA_DIR, DataFileError, load_reference_data

SET_LABELS = {
    "divisions": "divisions",
    "calendar_days": "calendar days",
    "regulations": "regulations",
    "catalogue_items": "catalogue items",
}


class Command(BaseCommand):
    help = (
        "Validate the reference data files and insert or update divisions, holidays, "
        "regulations and catalogue items in one transaction. Running it again changes "
        "nothing. Catalogue rows marked as reviewed by an administrator are never "
        "modified, and no row is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help=f"Directory with the reference data files (default: {DEFAULT_DATA_DIR}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and count the changes, then roll them back.",
        )

    def handle(self, *args, data_dir: Path, dry_run: bool, **options):
        try:
            counts = load_reference_data(data_dir, dry_run=dry_run)
        except DataFileError as error:
            raise CommandError(f"Invalid reference data, nothing was loaded. {error}") from error

        if dry_run:
            self.stdout.write(f"Checked reference data in {data_dir} (dry run, nothing was saved):")
        else:
            self.stdout.write(f"Loaded reference data from {data_dir}:")
        for name, label in SET_LABELS.items():
            result = counts[name]
            line = (
                f"  {label}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
            if name == "catalogue_items":
                line += f", {result.kept_reviewed} kept because an administrator reviewed them"
            self.stdout.write(line)
