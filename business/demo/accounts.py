"""Demo contact details for account recovery and the SMS second factor.

The demo enterprise user gets a verified (fictitious) mobile number, so that
"忘记密码" can be tried. With the development sender the code is not delivered; run
with LOG_LEVEL=DEBUG to read it from the log.
"""

from django.utils import timezone

from business.accounts.models import BusinessUser

DEMO_PHONES = {"qiye": "13800138000"}


def add_demo_contacts() -> None:
    for username, phone in DEMO_PHONES.items():
        user = BusinessUser.objects.filter(username=username).first()
        if user is None:
            continue
        user.phone = phone
        user.phone_verified_at = timezone.now()
        user.save(update_fields=["phone", "phone_index", "phone_verified_at"])
