from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from business.accounts import admin_security


class Command(BaseCommand):
    help = (
        "Unlock an admin account of the Wagtail admin, or remove its TOTP secret when "
        "the phone is lost (the account then signs in with the password and may enrol again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="admin sign-in name")
        parser.add_argument("--unlock", action="store_true", help="end the lockout")
        parser.add_argument("--reset-totp", action="store_true", help="remove the TOTP secret")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为 {options['username']} 的管理员账号。")
        if not (options["unlock"] or options["reset_totp"]):
            raise CommandError("请指定 --unlock 或 --reset-totp。")
        if options["unlock"]:
            admin_security.unlock_admin(user)
            self.stdout.write(f"已解除管理员 {user.username} 的登录锁定。")
        if options["reset_totp"]:
            admin_security.reset_admin_totp(user)
            self.stdout.write(f"已清除管理员 {user.username} 的动态口令，可重新绑定。")
