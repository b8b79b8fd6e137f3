from django.core.management.base import BaseCommand, CommandError

from business.accounts import services
from business.organisations.models import Organisation

from ._passwords import add_password_arguments, read_password


class Command(BaseCommand):
    help = (
        "Create a business user (not an admin account). The user must change the "
        "initial password at first sign-in. The password is asked for on the terminal, "
        "read from standard input with --password-stdin, or generated with "
        "--generate-password; it is never taken from the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="sign-in name, case-insensitive")
        parser.add_argument("--display-name", required=True, help="the person's name")
        parser.add_argument(
            "--organisation",
            required=True,
            help="the organisation's database id or its unified social credit code",
        )
        add_password_arguments(parser)

    def handle(self, *args, **options):
        organisation = self.find_organisation(options["organisation"])
        password = read_password(options)

        try:
            user = services.create_business_user(
                username=options["username"],
                display_name=options["display_name"],
                organisation=organisation,
                password=password,
            )
        except services.AccountError as error:
            lines = [f"{field or '-'}: {message}" for field, message, _ in error.errors]
            raise CommandError("未能创建业务用户：\n" + "\n".join(lines)) from None

        self.stdout.write(
            f"已创建业务用户 {user.username}（{user.display_name}，{organisation.name}）。"
        )
        if options["generate_password"]:
            self.stdout.write(f"初始密码：{password}")
        self.stdout.write("首次登录后须修改初始密码。")

    @staticmethod
    def find_organisation(value: str) -> Organisation:
        value = value.strip()
        # A credit code has 18 characters and may be all digits; shorter numbers are ids.
        if value.isdigit() and len(value) < 18:
            lookup = {"pk": int(value)}
        else:
            lookup = {"credit_code": value.upper()}
        organisation = Organisation.objects.filter(**lookup).first()
        if organisation is None:
            raise CommandError(f"未找到单位“{value}”：请填写单位的数据库编号或统一社会信用代码。")
        return organisation
