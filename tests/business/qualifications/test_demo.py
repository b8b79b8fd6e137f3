import pytest
from django.core.management import call_command

from business.certtemplates.models import CertificateTemplate
from business.documents.models import ManagementDocument
from business.organisations.models import Organisation
from business.qualifications import services
from business.qualifications.models import StaffQualification
from business.reference.models import CatalogueItem

pytestmark = pytest.mark.django_db


def test_demo_institutions_are_authorised_and_staff_qualified(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    call_command("load_reference_data", verbosity=0)
    call_command("generate_demo_data", enterprises=2, instruments=4, certificates=2, verbosity=0)
    item = CatalogueItem.objects.order_by("number").first()
    institutions = Organisation.objects.filter(kind="institution")
    assert set(services.institutions_capable_of(item)) == set(institutions)
    assert StaffQualification.objects.exists()
    for qualification in StaffQualification.objects.select_related("user"):
        assert services.is_qualified(qualification.user, item, qualification.valid_from)
    assert CertificateTemplate.objects.filter(is_active=True).count() == 3 * institutions.count()
    assert ManagementDocument.objects.filter(published_version__isnull=False).exists()
