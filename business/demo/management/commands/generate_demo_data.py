from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from business.organisations.models import Organisation
from business.reference.models import CatalogueItem, Division

from ...generator import DEMO_ACCOUNTS, DEMO_BUSINESS_ACCOUNTS, DemoDataGenerator


class Command(BaseCommand):
    help = (
        "Generate deterministic demo data (organisations, ledgers, certificates, portal "
        "pages, demo accounts). Sizes scale from a small demo to benchmark volumes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=20, help="number of enterprises")
        parser.add_argument("--instruments", type=int, default=200, help="number of instruments")
        parser.add_argument(
            "--certificates", type=int, default=50, help="number of signed certificates"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when organisations already exist (used by scripts/demo)",
        )

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("演示数据不能在生产环境中生成（PLATFORM_ENV=production）。")
        if not Division.objects.exists() or not CatalogueItem.objects.exists():
            raise CommandError("缺少基础数据，请先运行 python manage.py load_reference_data。")
        for name in ("enterprises", "instruments"):
            if options[name] < 1:
                raise CommandError(f"--{name} 必须至少为 1。")
        if options["certificates"] > options["instruments"]:
            raise CommandError("--certificates 不能大于 --instruments：每张证书对应一台器具。")

        if Organisation.objects.exists():
            if options["if_empty"]:
                self.stdout.write("已有业务数据，跳过演示数据生成。")
                self.print_accounts()
                return
            raise CommandError("数据库中已有组织机构数据；演示数据只能生成到空数据库中。")

        summary = DemoDataGenerator(options["seed"]).run(
            enterprises=options["enterprises"],
            instruments=options["instruments"],
            certificates=options["certificates"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成演示数据：企业 {summary.enterprises} 家，器具 {summary.instruments} 台，"
                f"证书 {summary.certificates} 张。"
            )
        )
        self.print_accounts()

    def print_accounts(self):
        from business.certificates.models import Certificate

        self.stdout.write("\n演示账号（仅用于演示环境）：")
        for username, password, description, *_ in [*DEMO_ACCOUNTS, *DEMO_BUSINESS_ACCOUNTS]:
            self.stdout.write(f"  {description}：用户名 {username}  密码 {password}")

        sample = Certificate.objects.order_by("pk").first()
        if sample is not None:
            self.stdout.write(
                f"\n演示证书：证书编号 {sample.number}  校验码 {sample.check_code}"
                f"\n  在 http://127.0.0.1:8000/certificate-check?number={sample.number}"
                f"&code={sample.check_code} 查看验伪结果。"
            )
