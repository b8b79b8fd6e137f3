"""Delete visitor analytics older than the retention and salts of past periods."""

from django.core.management.base import BaseCommand

from business.analytics import services


class Command(BaseCommand):
    help = (
        "清理门户统计：删除超过保留期（ANALYTICS_RETENTION_DAYS）的浏览和检索记录，"
        "并删除以往周期的访客标识盐值，使旧的访客标识无法再与 IP 地址对应。建议每天运行一次。"
    )

    def handle(self, *args, **options):
        counts = services.purge()
        self.stdout.write(
            f"已删除页面浏览 {counts['page_views']} 条、检索记录 {counts['searches']} 条、"
            f"盐值 {counts['salts']} 个。"
        )
