"""The application and record chain through the GraphQL endpoint, with real sign-in and scopes."""

import pytest
from django.utils import timezone

from tests.api.client import bearer, data, error_codes, post
from tests.business.verification.helpers import GOOD_DATA, build_chain

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()

SUBMIT = """
mutation Submit($input: SubmitVerificationApplicationInput!) {
  submitVerificationApplication(input: $input) {
    errors { field message code }
    application { id number status items { id } }
  }
}
"""
LIST = """
query List($status: [VerificationApplicationStatus!]) {
  verificationApplications(status: $status, page: 1, pageSize: 20) {
    totalCount items { id number status institutionName instrumentCount }
  }
}
"""
CONFIRM = """
mutation Confirm($id: ID!, $date: Date!) {
  confirmBooking(id: $id, appointmentDate: $date) { errors { field message } application { status } }
}
"""
RECEIVE = """
mutation Receive($id: ID!, $samples: [ApplicationSampleNumberInput!]!) {
  receiveInstruments(id: $id, samples: $samples) {
    errors { field message } application { status hasReceipt }
  }
}
"""
SAMPLE = """
query Sample($id: ID!) {
  verificationSample(id: $id) { sampleNumber template { id fields { key required } } standards { id } }
}
"""
ENTER = """
mutation Enter($input: EnterVerificationRecordInput!) {
  enterVerificationRecord(input: $input) { errors { field message code } record { id status } }
}
"""
CHECK = """
mutation Check($id: ID!) { checkVerificationRecord(id: $id) { errors { message code } record { status } } }
"""
APPROVE = """
mutation Approve($id: ID!) {
  approveVerificationRecord(id: $id) {
    errors { message code } record { status certificateNumber certificateKindLabel certificateCheckCode }
  }
}
"""
PDF = """
query Pdf($id: ID!) { recordCertificatePdf(id: $id) { fileName contentBase64 } }
"""


def submit(client, chain):
    response = post(
        client,
        SUBMIT,
        {
            "input": {
                "instrumentIds": [str(instrument.pk) for instrument in chain.instruments],
                "institutionId": str(chain.institution.pk),
                "preferredDate": TODAY,
                "deliveryMode": "send",
            }
        },
        **bearer(chain.applicant),
    )
    return data(response)["submitVerificationApplication"]


def test_submit_reports_field_errors(client):
    chain = build_chain(instrument_count=1)

    response = post(
        client,
        SUBMIT,
        {
            "input": {
                "instrumentIds": [],
                "institutionId": str(chain.institution.pk),
                "preferredDate": TODAY,
                "deliveryMode": "send",
            }
        },
        **bearer(chain.applicant),
    )

    payload = data(response)["submitVerificationApplication"]
    assert payload["application"] is None
    assert payload["errors"][0]["field"] == "instrumentIds"
    assert "请至少选择一台" in payload["errors"][0]["message"]


def test_lists_follow_scope(client):
    chain = build_chain(instrument_count=2)
    submitted = submit(client, chain)["application"]

    for user in (chain.applicant, chain.clerk, chain.regulator_user):
        page = data(post(client, LIST, {}, **bearer(user)))["verificationApplications"]
        assert [row["number"] for row in page["items"]] == [submitted["number"]]
        assert page["items"][0]["instrumentCount"] == 2
    filtered = data(post(client, LIST, {"status": ["SUBMITTED"]}, **bearer(chain.clerk)))[
        "verificationApplications"
    ]
    assert filtered["totalCount"] == 1
    other = data(post(client, LIST, {"status": ["COMPLETED"]}, **bearer(chain.clerk)))[
        "verificationApplications"
    ]
    assert other["totalCount"] == 0
    staff_page = data(post(client, LIST, {}, **bearer(chain.staff_member)))[
        "verificationApplications"
    ]
    assert staff_page["totalCount"] == 0
    response = post(client, LIST, {}, **bearer(chain.verifier))
    assert error_codes(response) == ["FORBIDDEN"]


def test_whole_chain_through_api(client):
    chain = build_chain(instrument_count=1)
    application = submit(client, chain)["application"]
    item_id = application["items"][0]["id"]

    confirmed = data(
        post(client, CONFIRM, {"id": application["id"], "date": TODAY}, **bearer(chain.clerk))
    )
    assert confirmed["confirmBooking"]["application"]["status"] == "CONFIRMED"
    received = data(
        post(
            client,
            RECEIVE,
            {
                "id": application["id"],
                "samples": [{"itemId": item_id, "sampleNumber": "YP-0001"}],
            },
            **bearer(chain.clerk),
        )
    )["receiveInstruments"]
    assert received["application"] == {"status": "ACCEPTED", "hasReceipt": True}

    sample = data(post(client, SAMPLE, {"id": item_id}, **bearer(chain.verifier)))[
        "verificationSample"
    ]
    assert sample["standards"] == [{"id": str(chain.standard.pk)}]
    entered = data(
        post(
            client,
            ENTER,
            {
                "input": {
                    "sampleId": item_id,
                    "verificationDate": TODAY,
                    "conclusion": "qualified",
                    "data": [
                        {"key": key, "value": value}
                        for key, value in GOOD_DATA.items()
                        if key != "humidity"
                    ],
                    "standardIds": [str(chain.standard.pk)],
                }
            },
            **bearer(chain.verifier),
        )
    )["enterVerificationRecord"]
    assert entered["errors"][0]["field"] == "data.humidity"

    entered = data(
        post(
            client,
            ENTER,
            {
                "input": {
                    "sampleId": item_id,
                    "verificationDate": TODAY,
                    "conclusion": "qualified",
                    "data": [{"key": key, "value": value} for key, value in GOOD_DATA.items()],
                    "standardIds": [str(chain.standard.pk)],
                }
            },
            **bearer(chain.verifier),
        )
    )["enterVerificationRecord"]
    record_id = entered["record"]["id"]

    assert error_codes(post(client, CHECK, {"id": record_id}, **bearer(chain.verifier))) == [
        "FORBIDDEN"
    ]
    checked = data(post(client, CHECK, {"id": record_id}, **bearer(chain.checker)))[
        "checkVerificationRecord"
    ]
    assert checked["record"]["status"] == "CHECKED"

    approved = data(post(client, APPROVE, {"id": record_id}, **bearer(chain.approver)))[
        "approveVerificationRecord"
    ]
    assert approved["errors"] == []
    assert approved["record"]["certificateKindLabel"] == "检定证书"

    pdf = data(post(client, PDF, {"id": record_id}, **bearer(chain.approver)))[
        "recordCertificatePdf"
    ]
    assert pdf["fileName"].endswith(".pdf")
    assert pdf["contentBase64"].startswith("JVBER")  # "%PDF" in Base64


def test_approval_requires_recent_authentication(client, settings):
    chain = build_chain(instrument_count=1)
    settings.STEP_UP_MAX_AGE_MINUTES = 0
    response = post(client, APPROVE, {"id": "1"}, **bearer(chain.approver))
    assert error_codes(response) == ["STEP_UP_REQUIRED"]


def count_queries(client, query, user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = bearer(user)
    with CaptureQueriesContext(connection) as captured:
        data(post(client, query, {}, **headers))
    return len(captured)


def test_list_query_count_does_not_grow(client):
    chain = build_chain(instrument_count=6)
    for instrument in chain.instruments[:3]:
        post(
            client,
            SUBMIT,
            {
                "input": {
                    "instrumentIds": [str(instrument.pk)],
                    "institutionId": str(chain.institution.pk),
                    "preferredDate": TODAY,
                    "deliveryMode": "send",
                }
            },
            **bearer(chain.applicant),
        )
    few = count_queries(client, LIST, chain.applicant)

    for instrument in chain.instruments[3:]:
        post(
            client,
            SUBMIT,
            {
                "input": {
                    "instrumentIds": [str(instrument.pk)],
                    "institutionId": str(chain.institution.pk),
                    "preferredDate": TODAY,
                    "deliveryMode": "send",
                }
            },
            **bearer(chain.applicant),
        )
    many = count_queries(client, LIST, chain.applicant)

    assert many == few
