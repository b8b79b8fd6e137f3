from django.core.management.base import BaseCommand

from business.accounts import services

from .reset_business_user_password import find_business_user


class Command(BaseCommand):
    help = "End a business user's sign-in lockout before it expires and clear the failure count."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="sign-in name, case-insensitive")

    def handle(self, *args, **options):
        user = find_business_user(options["username"])
        services.unlock_business_user(user)
        self.stdout.write(f"已解除业务用户 {user.username} 的登录锁定。")
