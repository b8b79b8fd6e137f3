"""Demo qualifications, standards, management documents and certificate templates.

Every demo institution gets a valid metrology authorisation covering every catalogue
item, unless the applications demo already gave it one. Each of its users holding the
verifier, checker or approver role gets a verifier certificate. The institution also
gets fee standards and two measurement standards with equipment. One standard
instrument is due for traceability soon, so its warning shows. It also gets
certificate templates of the three kinds and a published quality manual written by one
user and approved by another.
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.utils import timezone

from business.access.models import RoleAssignment
from business.accounts.models import BusinessUser
from business.certificates.models import Certificate
from business.certtemplates.models import DEFAULT_STATEMENTS, DEFAULT_TITLES, CertificateTemplate
from business.core.crypto import sm3
from business.documents.models import DocumentVersion, ManagementDocument
from business.organisations.models import Organisation
from business.qualifications.models import (
    AuthorisationCertificate,
    AuthorisedItem,
    FeeStandard,
    StaffQualification,
)
from business.reference.models import CatalogueItem
from business.standards.models import MeasurementStandard, StandardEquipment

logger = logging.getLogger(__name__)

STAFF_ROLES = ("verifier", "checker", "approver")
ISSUER = "河南省市场监督管理局"
# A minimal one-page PDF standing in for the scanned quality manual.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def create_demo_qualifications() -> None:
    today = timezone.localdate()
    items = list(CatalogueItem.objects.prefetch_related("regulations").order_by("number"))
    institutions = Organisation.objects.filter(kind=Organisation.Kind.INSTITUTION).order_by("pk")
    for institution in institutions:
        _authorise(institution, items, today)
        _qualify_staff(institution, items, today)
        _fees(institution, items[:6])
        _standards(institution, items, today)
        _templates(institution)
        _quality_manual(institution)
    logger.info("Demo qualifications created for %s institutions", institutions.count())


def _authorise(institution, items, today) -> None:
    if AuthorisationCertificate.objects.filter(institution=institution).exists():
        return
    authorisation = AuthorisationCertificate.objects.create(
        institution=institution,
        number=institution.authorisation_number or f"（豫）法计（2026）{institution.pk:05d}号",
        issuing_authority=ISSUER,
        issued_on=today - datetime.timedelta(days=400),
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today + datetime.timedelta(days=4 * 365),
        scope_text="强制检定目录内计量器具的检定（演示数据）",
    )
    AuthorisedItem.objects.bulk_create(
        AuthorisedItem(
            authorisation=authorisation,
            instrument_name=item.item_name,
            catalogue_item=item,
            regulation=next(iter(sorted(item.regulations.all(), key=lambda r: r.code)), None),
            scope_note="检定",
        )
        for item in items
    )


def _qualify_staff(institution, items, today) -> None:
    staff = BusinessUser.objects.filter(
        organisation=institution,
        pk__in=RoleAssignment.objects.filter(role__code__in=STAFF_ROLES).values("user_id"),
    )
    for user in staff:
        if StaffQualification.objects.filter(
            user=user, kind=StaffQualification.Kind.VERIFIER_CERTIFICATE, valid_until__gte=today
        ).exists():
            continue
        qualification = StaffQualification.objects.create(
            user=user,
            kind=StaffQualification.Kind.VERIFIER_CERTIFICATE,
            number=f"豫计检证{user.pk:06d}号（演示）",
            issuing_authority=ISSUER,
            valid_from=today - datetime.timedelta(days=365),
            valid_until=today + datetime.timedelta(days=3 * 365),
        )
        qualification.catalogue_items.set(items)


def _fees(institution, items) -> None:
    if FeeStandard.objects.filter(institution=institution).exists():
        return
    FeeStandard.objects.bulk_create(
        FeeStandard(
            institution=institution,
            item_name=f"{item.item_name}校准",
            catalogue_item=item,
            price=30 + 10 * index,
            basis="本机构收费标准（演示数据）",
        )
        for index, item in enumerate(items)
    )


def _standards(institution, items, today) -> None:
    if MeasurementStandard.objects.filter(institution=institution).exists():
        return
    for index, (name, due_in_days) in enumerate([("衡器检定装置", 400), ("压力表检定装置", 20)]):
        standard = MeasurementStandard.objects.create(
            institution=institution,
            name=f"{name}（演示）",
            certificate_number=f"［2024］豫量标{institution.certificate_prefix}证字第{index + 1:03d}号",
            issuing_authority=ISSUER,
            valid_from=today - datetime.timedelta(days=365),
            valid_until=today + datetime.timedelta(days=3 * 365),
        )
        standard.catalogue_items.set(items)
        StandardEquipment.objects.create(
            institution=institution,
            standard=standard,
            name=f"{name}标准器（演示）",
            serial_number=f"STD{institution.pk:03d}{index:03d}",
            traceability_certificate_number=f"JD2026-{institution.pk:03d}{index:03d}",
            traceability_institution="中国计量科学研究院（演示）",
            traced_on=today - datetime.timedelta(days=365 - due_in_days),
            due_on=today + datetime.timedelta(days=due_in_days),
        )


def _templates(institution) -> None:
    if CertificateTemplate.objects.filter(institution=institution).exists():
        return
    for kind in Certificate.Kind.values:
        CertificateTemplate.objects.create(
            institution=institution,
            kind=kind,
            name=f"{DEFAULT_TITLES[kind]}模板（演示）",
            title=DEFAULT_TITLES[kind],
            address=institution.address or f"{institution.division.name}（演示地址）",
            phone="0371-00000000（演示）",
            statement=DEFAULT_STATEMENTS[kind],
        )


def _quality_manual(institution) -> None:
    users = list(BusinessUser.objects.filter(organisation=institution).order_by("pk")[:2])
    if len(users) < 2 or ManagementDocument.objects.filter(institution=institution).exists():
        return
    author, approver = users
    document = ManagementDocument.objects.create(
        institution=institution,
        kind=ManagementDocument.Kind.QUALITY_MANUAL,
        code=f"{institution.certificate_prefix}-QM-01",
        title="质量手册（演示）",
        created_by=author,
    )
    now = timezone.now()
    version = DocumentVersion(
        document=document,
        version="A/0",
        change_note="首次发布（演示）",
        file_name="质量手册.pdf",
        content_type="application/pdf",
        size=len(DEMO_PDF),
        sm3_digest=sm3.hexdigest(DEMO_PDF),
        status=DocumentVersion.Status.PUBLISHED,
        author=author,
        approver=approver,
        decided_at=now,
        published_at=now,
    )
    version.file.save(f"demo-{institution.pk}-qm.pdf", ContentFile(DEMO_PDF), save=False)
    version.save()
    document.published_version = version
    document.save(update_fields=["published_version"])
