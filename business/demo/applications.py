"""Demo staff of the first institution for the verification chain: a verifier, a checker
and an approver with distinct names, each holding a verifier certificate for every
catalogue item, so the whole chain from application to certificate can be tried.

When no other demo module gave the first institution an authorisation and a
measurement standard, this one adds a demo authorisation for every catalogue item and
one valid standard, because an application needs the first and a record the second.
"""

import datetime

from django.utils import timezone

from business.accounts.models import BusinessUser
from business.organisations.models import Organisation
from business.qualifications.models import (
    AuthorisationCertificate,
    AuthorisedItem,
    StaffQualification,
)
from business.reference.models import CatalogueItem
from business.standards.models import MeasurementStandard

# (username, password, description, organisation kind, role codes, display name). The
# first five fields have the shape of generator.DEMO_BUSINESS_ACCOUNTS: the generator
# adds them there, creates the accounts with the others and prints them.
DEMO_STAFF_ACCOUNTS = [
    (
        "jiandingyuan",
        "Jiliang-Jd#2026",
        "演示检定员（在 /login 登录）",
        "institution",
        ["verifier"],
        "周建国",
    ),
    (
        "heyanyuan",
        "Jiliang-Hy#2026",
        "演示核验员（在 /login 登录）",
        "institution",
        ["checker"],
        "吴秀兰",
    ),
    (
        "pizhunren",
        "Jiliang-Pz#2026",
        "演示批准人（在 /login 登录）",
        "institution",
        ["approver"],
        "郑志强",
    ),
]
PRINTED_ACCOUNTS = [account[:5] for account in DEMO_STAFF_ACCOUNTS]


def create_demo_staff() -> None:
    """Give the staff accounts their distinct names and a verifier certificate for every item.

    Runs after the generator created the accounts from DEMO_BUSINESS_ACCOUNTS.
    """
    today = timezone.localdate()
    items = list(CatalogueItem.objects.all())
    for username, _, _, _, _, display_name in DEMO_STAFF_ACCOUNTS:
        user = BusinessUser.objects.filter(username=username).first()
        if user is None:
            continue
        user.display_name = display_name
        user.save(update_fields=["display_name"])
        qualification = StaffQualification.objects.create(
            user=user,
            kind=StaffQualification.Kind.VERIFIER_CERTIFICATE,
            number=f"豫计检证{user.pk:06d}号（演示）",
            issuing_authority="河南省市场监督管理局",
            valid_from=today - datetime.timedelta(days=365),
            valid_until=today + datetime.timedelta(days=3 * 365),
        )
        qualification.catalogue_items.set(items)

    institution = (
        Organisation.objects.filter(kind=Organisation.Kind.INSTITUTION).order_by("pk").first()
    )
    if institution is not None:
        _authorise_and_equip(institution, items, today)


def _authorise_and_equip(institution, items, today) -> None:
    if not AuthorisationCertificate.objects.filter(institution=institution).exists():
        authorisation = AuthorisationCertificate.objects.create(
            institution=institution,
            number=institution.authorisation_number or "（豫）法计（2026）演示号",
            issuing_authority="河南省市场监督管理局",
            valid_from=today - datetime.timedelta(days=365),
            valid_until=today + datetime.timedelta(days=4 * 365),
        )
        AuthorisedItem.objects.bulk_create(
            AuthorisedItem(
                authorisation=authorisation, instrument_name=item.item_name, catalogue_item=item
            )
            for item in items
        )
    if not MeasurementStandard.objects.filter(institution=institution).exists():
        standard = MeasurementStandard.objects.create(
            institution=institution,
            name="综合检定装置（演示）",
            certificate_number="［2026］豫量标法证字第001号（演示）",
            issuing_authority="河南省市场监督管理局",
            valid_until=today + datetime.timedelta(days=4 * 365),
        )
        standard.catalogue_items.set(items)
