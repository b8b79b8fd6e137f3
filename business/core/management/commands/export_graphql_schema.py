from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from business.core.api.contract import printed_schema


class Command(BaseCommand):
    help = "Write the GraphQL contract to graphql/schema.graphql, sorted for stable diffs."

    def handle(self, *args, **options):
        path = Path(settings.GRAPHENE["SCHEMA_OUTPUT"])
        path.write_text(printed_schema(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
