import datetime

import pytest

from business.qualifications import services
from business.qualifications.models import (
    AuthorisationCertificate,
    AuthorisedItem,
    StaffQualification,
)
from business.reference.models import CatalogueItem, Division
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def authorise(
    institution, item=None, regulation=None, valid_until=datetime.date(2030, 1, 1), **extra
):
    authorisation = AuthorisationCertificate.objects.create(
        institution=institution,
        number=extra.pop("number", f"（豫）法计（2026）{institution.pk:05d}号"),
        issuing_authority="河南省市场监督管理局",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=valid_until,
        **extra,
    )
    AuthorisedItem.objects.create(
        authorisation=authorisation,
        instrument_name=item.item_name if item else regulation.name,
        catalogue_item=item,
        regulation=regulation,
        measuring_range="(0～30) kg",
    )
    return authorisation


def test_institution_with_valid_authorisation_is_capable():
    item = factories.catalogue_item()
    institution = factories.institution()
    authorise(institution, item)
    assert list(services.institutions_capable_of(item, on_date=TODAY)) == [institution]
    assert list(services.institutions_capable_of(item.pk, on_date=TODAY)) == [institution]
    assert services.is_capable(institution, item, TODAY)


def test_expired_revoked_or_inactive_institutions_are_left_out():
    item = factories.catalogue_item()
    expired = factories.institution(name="已过期机构", prefix="GQJG")
    authorise(expired, item, valid_until=datetime.date(2026, 1, 1))
    revoked = factories.institution(name="已撤销机构", prefix="CXJG")
    authorise(revoked, item, is_revoked=True)
    inactive = factories.institution(name="停用机构", prefix="TYJG")
    authorise(inactive, item)
    inactive.is_active = False
    inactive.save()
    assert list(services.institutions_capable_of(item, on_date=TODAY)) == []


def test_other_item_is_not_covered():
    item = factories.catalogue_item()
    other = CatalogueItem.objects.create(
        number=1,
        item_name="体温计",
        usage="medical_care",
        supervision_method="V",
        verification_form="scrap",
    )
    institution = factories.institution()
    authorise(institution, other)
    assert not services.institutions_capable_of(item, on_date=TODAY).exists()


def test_authorisation_by_regulation_covers_the_items_of_that_regulation():
    item = factories.catalogue_item()
    institution = factories.institution()
    authorise(institution, regulation=item.regulations.get())
    assert list(services.institutions_capable_of(item, on_date=TODAY)) == [institution]


def test_division_keeps_institutions_in_it_and_below_without_duplicates():
    item = factories.catalogue_item()
    institution = factories.institution()
    authorise(institution, item, number="A-1")
    authorise(institution, item, number="A-2")
    assert services.institutions_capable_of(item, division="410100", on_date=TODAY).count() == 1
    assert (
        services.institutions_capable_of(
            item, division=Division.objects.get(code="410105"), on_date=TODAY
        ).count()
        == 1
    )
    Division.objects.create(code="410200", name="开封市", level="prefecture", parent_id="410000")
    assert not services.institutions_capable_of(item, division="410200", on_date=TODAY).exists()


def qualify(user, item, valid_until=datetime.date(2028, 1, 1), kind=None, **extra):
    qualification = StaffQualification.objects.create(
        user=user,
        kind=kind or StaffQualification.Kind.VERIFIER_CERTIFICATE,
        number=f"豫检{user.pk:06d}",
        valid_from=datetime.date(2023, 1, 1),
        valid_until=valid_until,
        **extra,
    )
    qualification.catalogue_items.add(item)
    return qualification


def test_verifier_with_valid_certificate_for_item_is_qualified():
    item = factories.catalogue_item()
    user = factories.business_user(factories.institution(), roles=["verifier"])
    qualify(user, item)
    assert services.is_qualified(user, item, TODAY)
    assert services.is_qualified(user, item.pk, TODAY)


def test_expired_revoked_wrong_kind_or_inactive_is_not_qualified():
    item = factories.catalogue_item()
    institution = factories.institution()
    expired = factories.business_user(institution)
    qualify(expired, item, valid_until=datetime.date(2026, 3, 9))
    revoked = factories.business_user(institution)
    qualify(revoked, item, is_revoked=True)
    metrologist = factories.business_user(institution)
    qualify(metrologist, item, kind=StaffQualification.Kind.REGISTERED_METROLOGIST_2)
    inactive = factories.business_user(institution)
    qualify(inactive, item)
    inactive.is_active = False
    inactive.save()
    nobody = factories.business_user(institution)
    for user in (expired, revoked, metrologist, inactive, nobody):
        assert not services.is_qualified(user, item, TODAY), user.username
    assert not services.is_qualified(None, item, TODAY)


def test_valid_until_day_itself_still_counts():
    item = factories.catalogue_item()
    user = factories.business_user(factories.institution())
    qualify(user, item, valid_until=TODAY)
    assert services.is_qualified(user, item, TODAY)
    assert not services.is_qualified(user, item, TODAY + datetime.timedelta(days=1))
