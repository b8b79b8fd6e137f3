from django.core.management.base import BaseCommand, CommandError

from business.accounts import services
from business.accounts.models import BusinessUser

from ._passwords import add_password_arguments, read_password


class Command(BaseCommand):
    help = (
        "Set a new password for a business user, who must change it at the next "
        "sign-in. Also ends a lockout and revokes the user's mobile tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="sign-in name, case-insensitive")
        add_password_arguments(parser)

    def handle(self, *args, **options):
        user = find_business_user(options["username"])
        password = read_password(options)
        try:
            services.reset_password(user, password)
        except services.AccountError as error:
            lines = [message for _, message, _ in error.errors]
            raise CommandError("未能重置密码：\n" + "\n".join(lines)) from None

        self.stdout.write(f"已重置业务用户 {user.username} 的密码，并解除锁定。")
        if options["generate_password"]:
            self.stdout.write(f"新密码：{password}")
        self.stdout.write("用户下次登录后须修改该密码。")


def find_business_user(username: str) -> BusinessUser:
    user = BusinessUser.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        raise CommandError(f"未找到业务用户“{username}”，请核对用户名。")
    return user
