"""Registration review through business.access: the permission, the division rule and the licence scan."""

import base64

import pytest

from business.access.models import RoleAssignment
from business.audit.models import AuditEvent
from tests.api.client import post

from .conftest import make_regulator, make_user, signed_in_client
from .test_registration_api import submit_valid

pytestmark = pytest.mark.django_db

DETAIL = """query ($id: ID!) { enterpriseRegistration(id: $id) { id enterpriseName status } }"""
LICENCE = """query ($id: ID!) { registrationLicence(id: $id) { contentType contentBase64 } }"""


def test_reviewer_reads_detail_and_licence(zhengzhou_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("zz_reviewer")

    detail = post(reviewer, DETAIL, {"id": str(registration.pk)}).json()["data"][
        "enterpriseRegistration"
    ]
    licence = post(reviewer, LICENCE, {"id": str(registration.pk)}).json()["data"][
        "registrationLicence"
    ]

    assert detail["status"] == "PENDING"
    assert licence["contentType"] == "image/png"
    assert base64.b64decode(licence["contentBase64"]).startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(
        action="registration.view_licence", object_id=str(registration.pk)
    ).exists()


def test_other_city_cannot_read_licence(luoyang_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("ly_reviewer")

    body = post(reviewer, LICENCE, {"id": str(registration.pk)}).json()

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not AuditEvent.objects.filter(action="registration.view_licence").exists()


def test_regulator_without_review_permission_refused(jinshui):
    regulator = make_regulator("金水区市场监督管理局", jinshui)
    make_user("no_review", regulator)
    registration = submit_valid()

    body = post(signed_in_client("no_review"), DETAIL, {"id": str(registration.pk)}).json()

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "审核企业注册" in body["errors"][0]["message"]


def test_review_permission_removed_stops_review(zhengzhou_reviewer, jinshui):
    registration = submit_valid()
    RoleAssignment.objects.filter(user=zhengzhou_reviewer).delete()

    body = post(signed_in_client("zz_reviewer"), LICENCE, {"id": str(registration.pk)}).json()

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
