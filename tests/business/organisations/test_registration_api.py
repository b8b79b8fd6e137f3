"""Enterprise self-registration and its review, through the GraphQL endpoint."""

import io
import logging

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test import Client
from PIL import Image

from business.accounts.models import BusinessUser
from business.audit.models import AuditEvent
from business.organisations import uploads
from business.organisations.models import EnterpriseRegistration, Organisation
from tests import factories
from tests.api.client import post

from .conftest import (
    GOOD_PASSWORD,
    encode,
    jpeg_bytes,
    png_bytes,
    register,
    signed_in_client,
)
from .graphql_operations import APPROVE, LOGIN, PENDING, REJECT

pytestmark = pytest.mark.django_db


def payload_of(response: dict) -> dict:
    assert "errors" not in response, response
    return response["data"]["registerEnterprise"]


def error_codes(payload: dict) -> dict:
    return {error["field"]: error["code"] for error in payload["errors"]}


def submit_valid(client=None, **fields) -> EnterpriseRegistration:
    payload = payload_of(register(client or Client(), **fields))
    assert payload["errors"] == [], payload
    return EnterpriseRegistration.objects.get(pk=payload["registrationId"])


def top_level_error_code(response: dict) -> str:
    return response["errors"][0]["extensions"]["code"]


# --- Submitting --------------------------------------------------------------------------


def test_valid_registration_stored_pending(client, jinshui):
    payload = payload_of(register(client))

    assert payload["errors"] == []
    registration = EnterpriseRegistration.objects.get(pk=payload["registrationId"])
    assert registration.status == EnterpriseRegistration.Status.PENDING
    assert registration.division_id == "410105"
    assert registration.contact_phone == "13812345678"
    assert registration.licence_content_type == "image/png"
    assert registration.licence_file.name.startswith("registration_licences/")
    assert "licence" not in registration.licence_file.name.rsplit("/", 1)[1]
    assert check_password(GOOD_PASSWORD, registration.password_hash)
    assert registration.reviewer is None


def test_username_cannot_sign_in_before_approval(client, jinshui):
    submit_valid(client)

    variables = {"username": "glasses_shop", "password": GOOD_PASSWORD, "channel": "PC"}
    login = post(client, LOGIN, variables).json()["data"]["login"]

    assert login["user"] is None
    assert login["errors"][0]["code"] == "invalid_credentials"


def test_phone_stored_encrypted(client, jinshui):
    registration = submit_valid(client)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_phone FROM organisations_enterpriseregistration WHERE id = %s",
            [registration.pk],
        )
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored
    assert registration.contact_phone_index


@pytest.mark.parametrize("code", ["12345", "91410105MA4OOOOOO1", "9141010500000000I1"])
def test_invalid_credit_code_rejected(client, jinshui, code):
    payload = payload_of(register(client, creditCode=code))

    assert error_codes(payload) == {"creditCode": "invalid_credit_code"}
    assert "统一社会信用代码" in payload["errors"][0]["message"]
    assert "核对" in payload["errors"][0]["message"]
    assert not EnterpriseRegistration.objects.exists()


def test_wrong_check_character_rejected(client, jinshui):
    valid = factories._credit_code("410105")
    wrong_last = "0" if valid[-1] != "0" else "1"

    payload = payload_of(register(client, creditCode=valid[:17] + wrong_last))

    assert error_codes(payload) == {"creditCode": "invalid_check_character"}
    assert "统一社会信用代码" in payload["errors"][0]["message"]
    assert "校验码" in payload["errors"][0]["message"]


def test_lower_case_credit_code_accepted(client, jinshui):
    code = factories._credit_code("410105")

    registration = submit_valid(client, creditCode=code.lower())

    assert registration.credit_code == code


@pytest.mark.parametrize("division_code", ["410100", "410000"])
def test_non_county_division_rejected(client, jinshui, division_code):
    payload = payload_of(register(client, divisionCode=division_code))

    assert error_codes(payload) == {"divisionCode": "not_county"}
    assert "不是县级行政区划" in payload["errors"][0]["message"]


def test_unknown_division_rejected(client, jinshui):
    payload = payload_of(register(client, divisionCode="999999"))

    assert error_codes(payload) == {"divisionCode": "not_found"}


@pytest.mark.parametrize("phone", ["12345678901", "1381234567", "0371-6666666", "abc"])
def test_bad_phone_rejected(client, jinshui, phone):
    payload = payload_of(register(client, contactPhone=phone))

    assert error_codes(payload) == {"contactPhone": "invalid_mobile_number"}
    assert "联系人手机号码" in payload["errors"][0]["message"]


def test_weak_password_rejected(client, jinshui):
    payload = payload_of(register(client, password="abc"))

    assert "password" in error_codes(payload)


def test_every_problem_listed_at_once(client, jinshui):
    payload = payload_of(
        register(client, enterpriseName="", contactPhone="1", divisionCode="410100")
    )

    assert set(error_codes(payload)) == {"enterpriseName", "contactPhone", "divisionCode"}


def test_exe_renamed_png_rejected(client, jinshui):
    executable = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200

    payload = payload_of(register(client, licence=executable, file_name="licence.png"))

    assert error_codes(payload) == {"businessLicence": "invalid_file_type"}
    assert not EnterpriseRegistration.objects.exists()


def test_oversized_file_rejected(client, jinshui, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * uploads.MAX_LICENCE_BYTES
    oversized = b"%PDF-1.7\n" + b"0" * uploads.MAX_LICENCE_BYTES + b"%%EOF"

    payload = payload_of(register(client, licence=oversized, file_name="licence.pdf"))

    assert error_codes(payload) == {"businessLicence": "file_too_large"}
    assert f"{uploads.MAX_LICENCE_MEGABYTES} MB" in payload["errors"][0]["message"]


def test_bad_base64_rejected(client, jinshui):
    payload = payload_of(register(client, encoded="这不是base64!!"))

    assert error_codes(payload) == {"businessLicence": "invalid_base64"}
    assert "Base64" in payload["errors"][0]["message"]


def test_png_with_trailing_junk_reencoded(client, jinshui):
    original = png_bytes()
    uploaded = original + b"<?php system($_GET['c']); ?>"

    registration = submit_valid(client, licence=uploaded)

    stored = registration.licence_file.read()
    assert stored != uploaded
    assert b"<?php" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        image.load()
        assert image.format == "PNG"
        assert image.size == (40, 30)


def test_jpeg_accepted_as_jpeg(client, jinshui):
    registration = submit_valid(client, licence=jpeg_bytes(), file_name="scan.png")

    assert registration.licence_content_type == "image/jpeg"
    assert registration.licence_file.name.endswith(".jpg")


def test_duplicate_pending_credit_code_rejected(client, jinshui):
    first = submit_valid(client)

    payload = payload_of(
        register(client, creditCode=first.credit_code, username="another_shop")
    )

    assert error_codes(payload) == {"creditCode": "credit_code_pending"}


def test_registered_credit_code_rejected(client, jinshui):
    existing = factories.enterprise()

    payload = payload_of(register(client, creditCode=existing.credit_code))

    assert error_codes(payload) == {"creditCode": "credit_code_registered"}


def test_username_taken_by_business_user(client, enterprise_user):
    payload = payload_of(register(client, username="SHOP_USER"))

    assert error_codes(payload) == {"username": "username_taken"}


def test_username_taken_by_admin(client, jinshui, django_user_model):
    django_user_model.objects.create_user(username="admin_li", password="x")

    payload = payload_of(register(client, username="admin_li"))

    assert error_codes(payload) == {"username": "username_taken"}


def test_username_of_pending_registration_taken(client, jinshui):
    submit_valid(client)

    payload = payload_of(register(client, username="Glasses_Shop"))

    assert error_codes(payload) == {"username": "username_taken"}


def test_submissions_rate_limited_per_address(client, jinshui, settings):
    settings.REGISTRATION_RATE_LIMIT = 2
    for number in range(2):
        submit_valid(client, username=f"shop_{number}")

    response = register(client, username="shop_3")

    assert top_level_error_code(response) == "RATE_LIMITED"
    assert EnterpriseRegistration.objects.count() == 2


# --- Listing and scope ----------------------------------------------------------------


def pending(client, **variables) -> dict:
    return post(client, PENDING, variables).json()


def test_city_regulator_lists_county_registration(zhengzhou_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("zz_reviewer")

    page = pending(reviewer)["data"]["pendingRegistrations"]

    assert page["totalCount"] == 1
    item = page["items"][0]
    assert item["id"] == str(registration.pk)
    assert item["contactPhoneMasked"] == "138****5678"
    assert item["status"] == "PENDING"
    assert "password" not in str(item).lower()


def test_listing_newest_first_and_capped(zhengzhou_reviewer, jinshui):
    first = submit_valid(username="shop_a", creditCode=factories._credit_code("410105"))
    second = submit_valid(username="shop_b", creditCode=factories._credit_code("410105"))
    reviewer = signed_in_client("zz_reviewer")

    page = pending(reviewer)["data"]["pendingRegistrations"]
    too_large = pending(reviewer, first=1000)

    assert [item["id"] for item in page["items"]] == [str(second.pk), str(first.pk)]
    assert top_level_error_code(too_large) == "INVALID_ARGUMENT"


def test_other_city_regulator_sees_nothing(luoyang_reviewer, jinshui):
    submit_valid()
    reviewer = signed_in_client("ly_reviewer")

    page = pending(reviewer)["data"]["pendingRegistrations"]

    assert page == {"totalCount": 0, "items": []}


def test_enterprise_user_cannot_list(enterprise_user):
    submit_valid()
    shop = signed_in_client("shop_user")

    response = pending(shop)

    assert response["data"] is None
    assert top_level_error_code(response) == "FORBIDDEN"
    assert "审核企业注册" in response["errors"][0]["message"]


def test_anonymous_cannot_list(client, jinshui):
    response = pending(client)

    assert top_level_error_code(response) == "UNAUTHENTICATED"


# --- Approving ----------------------------------------------------------------------------


def approve(client, registration_id, comment="材料齐全") -> dict:
    return post(client, APPROVE, {"id": str(registration_id), "comment": comment}).json()


def reject(client, registration_id, comment) -> dict:
    return post(client, REJECT, {"id": str(registration_id), "comment": comment}).json()


def test_approval_creates_enterprise_and_user(zhengzhou_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("zz_reviewer")

    result = approve(reviewer, registration.pk)["data"]["approveRegistration"]

    assert result["errors"] == []
    assert result["registration"]["status"] == "APPROVED"
    registration.refresh_from_db()
    assert registration.status == EnterpriseRegistration.Status.APPROVED
    assert registration.reviewer == zhengzhou_reviewer
    assert registration.reviewed_at is not None
    assert registration.review_comment == "材料齐全"
    assert registration.password_hash == ""
    organisation = registration.organisation
    assert organisation.kind == Organisation.Kind.ENTERPRISE
    assert organisation.credit_code == registration.credit_code
    assert organisation.division_id == "410105"
    user = BusinessUser.objects.get(username="glasses_shop")
    assert user.organisation == organisation
    assert user.display_name == "王敏"
    assert user.must_change_password is True


def test_approved_user_signs_in(zhengzhou_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("zz_reviewer")
    initial = approve(reviewer, registration.pk)["data"]["approveRegistration"]["initialPassword"]

    enterprise = Client()
    variables = {"username": "glasses_shop", "password": initial, "channel": "PC"}
    login = post(enterprise, LOGIN, variables).json()["data"]["login"]

    assert login["errors"] == []
    assert login["user"]["organisationName"] == "郑州市金水区示例眼镜有限公司"
    assert login["user"]["mustChangePassword"] is True


def test_other_city_regulator_cannot_approve(luoyang_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("ly_reviewer")

    response = approve(reviewer, registration.pk)

    assert top_level_error_code(response) == "FORBIDDEN"
    registration.refresh_from_db()
    assert registration.status == EnterpriseRegistration.Status.PENDING
    assert not BusinessUser.objects.filter(username="glasses_shop").exists()


def test_unknown_id_same_error_as_out_of_scope(luoyang_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("ly_reviewer")

    outside = approve(reviewer, registration.pk)["errors"][0]
    unknown = approve(reviewer, registration.pk + 1000)["errors"][0]

    assert outside["message"] == unknown["message"]
    assert outside["extensions"] == unknown["extensions"]


@pytest.mark.parametrize("bad_id", ["abc", "-1", "0", "1.5", "１"])
def test_malformed_id_rejected(zhengzhou_reviewer, jinshui, bad_id):
    reviewer = signed_in_client("zz_reviewer")

    response = approve(reviewer, bad_id)

    assert top_level_error_code(response) == "INVALID_ID"


def test_enterprise_user_cannot_approve(enterprise_user):
    registration = submit_valid()
    shop = signed_in_client("shop_user")

    response = approve(shop, registration.pk)

    assert top_level_error_code(response) == "FORBIDDEN"


def test_approve_twice_rejected(zhengzhou_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("zz_reviewer")
    approve(reviewer, registration.pk)

    result = approve(reviewer, registration.pk)["data"]["approveRegistration"]

    assert result["errors"][0]["code"] == "already_reviewed"
    assert Organisation.objects.filter(credit_code=registration.credit_code).count() == 1


def test_approval_fails_when_username_taken_meanwhile(zhengzhou_reviewer, jinshui):
    from .conftest import make_user

    registration = submit_valid()
    make_user("glasses_shop", factories.enterprise("另一家企业"))
    reviewer = signed_in_client("zz_reviewer")

    result = approve(reviewer, registration.pk)["data"]["approveRegistration"]

    assert result["errors"][0]["code"] == "username_taken"
    registration.refresh_from_db()
    assert registration.status == EnterpriseRegistration.Status.PENDING
    assert not Organisation.objects.filter(credit_code=registration.credit_code).exists()


# --- Rejecting ----------------------------------------------------------------------------


def test_reject_requires_comment(zhengzhou_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("zz_reviewer")

    result = reject(reviewer, registration.pk, "  ")["data"]["rejectRegistration"]

    assert result["errors"][0]["field"] == "comment"
    assert result["errors"][0]["code"] == "required"
    registration.refresh_from_db()
    assert registration.status == EnterpriseRegistration.Status.PENDING


def test_reject_with_comment(zhengzhou_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("zz_reviewer")

    result = reject(reviewer, registration.pk, "营业执照扫描件不清晰，请重新扫描后提交。")

    payload = result["data"]["rejectRegistration"]
    assert payload["errors"] == []
    assert payload["registration"]["status"] == "REJECTED"
    registration.refresh_from_db()
    assert registration.reviewer == zhengzhou_reviewer
    assert registration.password_hash == ""
    assert not BusinessUser.objects.filter(username="glasses_shop").exists()


def test_rejected_credit_code_may_register_again(zhengzhou_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("zz_reviewer")
    reject(reviewer, registration.pk, "企业名称与营业执照不一致。")

    again = submit_valid(creditCode=registration.credit_code)

    assert again.pk != registration.pk


def test_other_city_regulator_cannot_reject(luoyang_reviewer, jinshui):
    registration = submit_valid()
    reviewer = signed_in_client("ly_reviewer")

    response = reject(reviewer, registration.pk, "不予通过")

    assert top_level_error_code(response) == "FORBIDDEN"


# --- Audit and secrecy --------------------------------------------------------------------


def test_audit_events_for_submit_approve_reject(zhengzhou_reviewer, jinshui):
    approved = submit_valid(username="shop_a", creditCode=factories._credit_code("410105"))
    rejected = submit_valid(username="shop_b", creditCode=factories._credit_code("410105"))
    reviewer = signed_in_client("zz_reviewer")
    approve(reviewer, approved.pk)
    reject(reviewer, rejected.pk, "材料不全")

    events = AuditEvent.objects.filter(object_type="enterprise_registration")
    actions = sorted((event.action, event.object_id) for event in events)
    assert actions == sorted(
        [
            ("registration.submit", str(approved.pk)),
            ("registration.submit", str(rejected.pk)),
            ("registration.approve", str(approved.pk)),
            ("registration.reject", str(rejected.pk)),
        ]
    )
    submit_event = events.get(action="registration.submit", object_id=str(approved.pk))
    assert submit_event.changes["contact_phone"]["after"] == "138****5678"
    approve_event = events.get(action="registration.approve")
    assert approve_event.actor_id == str(zhengzhou_reviewer.pk)


def test_password_never_stored_or_logged(client, zhengzhou_reviewer, jinshui, caplog):
    caplog.set_level(logging.DEBUG)
    registration = submit_valid(client)
    reviewer = signed_in_client("zz_reviewer")
    approve(reviewer, registration.pk)

    registration.refresh_from_db()
    row_values = [str(getattr(registration, field.attname)) for field in registration._meta.fields]
    assert not any(GOOD_PASSWORD in value for value in row_values)
    assert GOOD_PASSWORD not in caplog.text
    for record in caplog.records:
        assert GOOD_PASSWORD not in record.getMessage()
    events = AuditEvent.objects.all()
    assert not any(GOOD_PASSWORD in str(event.changes) for event in events)


def test_pending_row_holds_only_hash(client, jinshui):
    registration = submit_valid(client)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM organisations_enterpriseregistration WHERE id = %s", [registration.pk]
        )
        row = cursor.fetchone()
    assert not any(GOOD_PASSWORD in str(value) for value in row)
    assert registration.password_hash.startswith("pbkdf2_sm3$")


def test_licence_stored_outside_public_media(client, jinshui, media_root, settings):
    registration = submit_valid(client, licence=png_bytes())

    stored_path = media_root / registration.licence_file.name
    assert stored_path.is_file()
    assert not (settings.MEDIA_ROOT / registration.licence_file.name).exists()
    assert encode(stored_path.read_bytes())
