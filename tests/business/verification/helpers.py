"""Builders for the verification chain: an authorised institution with its three
qualified staff, a valid measurement standard and an enterprise with instruments."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from business.qualifications.models import (
    AuthorisationCertificate,
    AuthorisedItem,
    StaffQualification,
)
from business.standards.models import MeasurementStandard
from tests import factories


def authorise(institution, item) -> None:
    today = timezone.localdate()
    certificate = AuthorisationCertificate.objects.create(
        institution=institution,
        number=f"（豫）法计（2026）{institution.pk:05d}号",
        issuing_authority="河南省市场监督管理局",
        valid_from=today - datetime.timedelta(days=365),
        valid_until=today + datetime.timedelta(days=365),
    )
    AuthorisedItem.objects.create(
        authorisation=certificate, instrument_name=item.item_name, catalogue_item=item
    )


def qualify(user, item, valid_until=None) -> StaffQualification:
    today = timezone.localdate()
    qualification = StaffQualification.objects.create(
        user=user,
        kind=StaffQualification.Kind.VERIFIER_CERTIFICATE,
        number=f"JDY{user.pk:06d}",
        valid_from=today - datetime.timedelta(days=365),
        valid_until=valid_until or today + datetime.timedelta(days=365),
    )
    qualification.catalogue_items.add(item)
    return qualification


def standard(institution, item, valid_until=None, name="电子天平检定装置") -> MeasurementStandard:
    today = timezone.localdate()
    row = MeasurementStandard.objects.create(
        institution=institution,
        name=name,
        certificate_number=f"［2026］豫量标法证字第{MeasurementStandard.objects.count() + 1:03d}号",
        valid_until=valid_until or today + datetime.timedelta(days=365),
    )
    row.catalogue_items.add(item)
    return row


@dataclass
class Chain:
    item: object
    institution: object
    enterprise: object
    instruments: list
    applicant: object
    staff_member: object
    clerk: object
    verifier: object
    checker: object
    approver: object
    standard: object
    regulator_user: object


def build_chain(instrument_count=2) -> Chain:
    item = factories.catalogue_item()
    institution = factories.institution()
    authorise(institution, item)
    enterprise = factories.enterprise()
    instruments = [
        factories.instrument(owner=enterprise, item=item) for _ in range(instrument_count)
    ]
    province = factories.division().parent.parent
    regulator_org = factories.regulator(name="河南省市场监督管理局", division_code=province.code)
    chain = Chain(
        item=item,
        institution=institution,
        enterprise=enterprise,
        instruments=instruments,
        applicant=factories.business_user(enterprise, ["enterprise_admin"], display_name="赵敏"),
        staff_member=factories.business_user(enterprise, ["enterprise_staff"], display_name="钱进"),
        clerk=factories.business_user(institution, ["institution_clerk"], display_name="孙丽"),
        verifier=factories.business_user(institution, ["verifier"], display_name="周检"),
        checker=factories.business_user(institution, ["checker"], display_name="吴核"),
        approver=factories.business_user(institution, ["approver"], display_name="郑批"),
        standard=standard(institution, item),
        regulator_user=factories.business_user(
            regulator_org, ["regulator_admin"], display_name="冯管"
        ),
    )
    for user in (chain.verifier, chain.checker, chain.approver):
        qualify(user, item)
    return chain


GOOD_DATA = {
    "temperature": "20.5",
    "humidity": "55",
    "appearance": "合格",
    "indication_error": "0.5",
    "max_permissible_error": "1",
}
