"""The demo enterprise information for the demo account."""

import pytest

from business.demo.ledger import create_demo_enterprise_info
from business.enterprises.models import Attachment, MaintenanceRecord, TrainingRecord
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_enterprise_info_created_once():
    enterprise = factories.enterprise()
    factories.instrument(owner=enterprise)
    factories.business_user(enterprise, roles=["enterprise_admin"], username="qiye")

    create_demo_enterprise_info()
    create_demo_enterprise_info()

    assert Attachment.objects.filter(organisation=enterprise).count() == 1
    assert TrainingRecord.objects.filter(organisation=enterprise).count() == 2
    assert MaintenanceRecord.objects.filter(instrument__enterprise=enterprise).count() == 1
    assert enterprise.enterprise_profile.contact_name == "王芳"
