from django.core.management.base import BaseCommand

from business.accounts import second_factor, sessions


class Command(BaseCommand):
    help = (
        "Delete expired mobile tokens, timed-out online-session records, expired "
        "second-factor challenges and one-time codes. Run it daily (cron or a timer)."
    )

    def handle(self, *args, **options):
        tokens = sessions.delete_expired_tokens()
        records = sessions.delete_stale_sessions()
        codes = second_factor.delete_expired()
        self.stdout.write(
            f"已删除过期令牌 {tokens} 个、超时会话记录 {records} 条、过期验证码和登录挑战 {codes} 条。"
        )
