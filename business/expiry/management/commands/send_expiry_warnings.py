"""Daily job: deliver expiry warnings to the message centre (run from cron or a systemd timer)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from business.expiry import services


class Command(BaseCommand):
    help = "向企业用户的消息中心发送检定证书和使用期限的到期提醒；重复运行不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="按哪一天计算到期（YYYY-MM-DD），默认今天；用于补发或测试",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=services.DEFAULT_BATCH_SIZE,
            help=f"每个事务处理的器具台数，默认 {services.DEFAULT_BATCH_SIZE}",
        )

    def handle(self, *args, date=None, batch_size=services.DEFAULT_BATCH_SIZE, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"日期 {date!r} 无效，请写成 YYYY-MM-DD，例如 2026-03-01。") from None
        if batch_size < 1:
            raise CommandError("--batch-size 应为正整数。")

        result = services.send_expiry_warnings(today, batch_size=batch_size)
        self.stdout.write(
            f"已提醒 {result.instruments} 台器具，发送 {result.messages} 条消息；"
            f"其中 {result.without_recipients} 台器具所属企业没有可接收提醒的用户。"
        )
