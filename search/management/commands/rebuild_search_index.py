"""Rebuild the search index from the pages and business data."""

import logging

from django.core.management.base import BaseCommand

from search import indexing
from search.backends import backend_name, get_backend
from search.models import SearchDocument

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "重建全文检索索引：按批重写门户文章、技术机构、计量技术法规和证书的检索条目；"
        "配置了 Elasticsearch 时再建新索引并切换别名。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            choices=SearchDocument.Kind.values,
            action="append",
            help="只重建这一类（可重复）；默认全部",
        )

    def handle(self, *args, kind=None, **options):
        kinds = kind or SearchDocument.Kind.values
        logger.info("Rebuilding search index for %s", ", ".join(kinds))
        for each in kinds:
            count = indexing.rebuild_kind(each)
            self.stdout.write(f"{SearchDocument.Kind(each).label}：{count} 条")

        if backend_name() == "elasticsearch":
            count = get_backend().rebuild()
            self.stdout.write(f"Elasticsearch：已写入 {count} 条并切换别名")
        self.stdout.write(self.style.SUCCESS("检索索引重建完成。"))
