"""The acceptance receipt PDF and the demo staff accounts."""

import datetime
import shutil
import subprocess

import pytest
from django.core.management import call_command

from business.accounts.models import BusinessUser
from business.applications import receipt, services
from business.demo import applications as demo_applications
from business.demo.generator import DEMO_BUSINESS_ACCOUNTS, DemoDataGenerator
from business.qualifications.services import institutions_capable_of, is_qualified
from business.reference.models import CatalogueItem
from tests.business.verification.helpers import build_chain
from tests.business.verification.test_records import received

pytestmark = pytest.mark.django_db


def pdf_text(tmp_path, content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install Debian's poppler-utils package.")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_receipt_lists_samples_with_rare_characters(tmp_path):
    chain = build_chain(instrument_count=1)
    chain.enterprise.name = "𠮷野家䶮餐饮有限公司"
    chain.enterprise.save()
    application, [item] = received(chain)
    item.refresh_from_db()

    text = pdf_text(tmp_path, receipt.render_receipt_pdf(application))

    assert "检定受理回执" in text
    assert item.sample_number in text
    assert "𠮷野家䶮餐饮有限公司" in text


def test_receipt_needs_received_instruments():
    chain = build_chain(instrument_count=1)
    application = services.submit_application(
        chain.applicant,
        instrument_ids=[chain.instruments[0].pk],
        preferred_date=datetime.date.today(),
        delivery_mode="send",
        institution_id=chain.institution.pk,
    )

    with pytest.raises(ValueError):
        receipt.render_receipt_pdf(application)


def test_demo_staff_can_run_the_chain():
    call_command("load_reference_data", verbosity=0)
    DemoDataGenerator(seed=7).run(enterprises=1, instruments=2, certificates=1)
    item = CatalogueItem.objects.order_by("number").first()

    users = [
        BusinessUser.objects.get(username=account[0])
        for account in demo_applications.DEMO_STAFF_ACCOUNTS
    ]

    assert len({user.display_name for user in users}) == 3
    assert all(is_qualified(user, item, datetime.date.today()) for user in users)
    assert institutions_capable_of(item).filter(pk=users[0].organisation_id).exists()
    assert all(account in DEMO_BUSINESS_ACCOUNTS for account in demo_applications.PRINTED_ACCOUNTS)
