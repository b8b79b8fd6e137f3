"""Consultations and complaints through the GraphQL endpoint: submit, route, handle, look up."""

import pytest
from django.db import connection
from django.test import Client

from business.audit.models import AuditEvent
from business.interaction.models import Interaction
from business.messages.models import Message
from tests.api.client import bearer, data, error_codes, post

from .conftest import CAPTCHA_ANSWER

pytestmark = pytest.mark.django_db

SUBMIT = """
mutation Submit($input: SubmitInteractionInput!) {
  submitInteraction(input: $input) { errors { field message code } number queryCode }
}
"""
LOOKUP = """
query Lookup($number: String!, $code: String!) {
  myInteractionLookup(number: $number, queryCode: $code) {
    number title body status contactNameMasked contactPhoneMasked reply
    steps { action organisationName targetOrganisationName comment }
  }
}
"""
HANDLED = """
query Handled($status: InteractionStatus, $search: String) {
  handledInteractions(status: $status, search: $search) {
    totalCount items { id number title contactName contactPhone idNumberMasked status }
  }
}
"""
HANDLED_ONE = """
query One($id: ID!) { handledInteraction(id: $id) { number steps { action } } }
"""
REPLY = """
mutation Reply($id: ID!, $reply: String!) {
  replyInteraction(id: $id, reply: $reply) { errors { field code } interaction { status reply } }
}
"""
TRANSFER = """
mutation Transfer($id: ID!, $target: ID!, $comment: String!) {
  transferInteraction(id: $id, targetOrganisationId: $target, comment: $comment) {
    errors { field code } interaction { status handlingOrganisationName }
  }
}
"""
CLOSE = """
mutation Close($id: ID!, $comment: String) {
  closeInteraction(id: $id, comment: $comment) { errors { field code } interaction { status } }
}
"""
PUBLISHED = """
query { publishedReplies { totalCount items { number title body contactNameMasked reply } } }
"""
MINE = """
query { myInteractions { totalCount items { number title status reply } } }
"""

SCRIPT_BODY = '<script>alert("x")</script> 电子秤称重不准，请核查。'


def anonymous_input(captcha_id, **overrides):
    values = {
        "kind": "CONSULTATION",
        "title": "超市电子秤是否需要强制检定",
        "body": SCRIPT_BODY,
        "divisionCode": "410105",
        "contactName": "王小明",
        "contactPhone": "13812345678",
        "idNumber": "",
        "publishConsent": True,
        "captchaId": captcha_id,
        "captchaAnswer": CAPTCHA_ANSWER,
    }
    values.update(overrides)
    return values


def submit_anonymous(known_captcha, **overrides):
    response = post(Client(), SUBMIT, {"input": anonymous_input(known_captcha(), **overrides)})
    return data(response)["submitInteraction"]


def test_anonymous_submission_routed_to_division_regulator(
    known_captcha, zhengzhou_regulator, luoyang_regulator
):
    payload = submit_anonymous(known_captcha)

    assert payload["errors"] == []
    assert payload["number"].startswith("ZX")
    assert len(payload["queryCode"]) == 8
    interaction = Interaction.objects.get(number=payload["number"])
    assert interaction.handling_organisation == zhengzhou_regulator
    assert interaction.body == SCRIPT_BODY
    assert AuditEvent.objects.filter(
        action="interaction.submit", object_id=payload["number"]
    ).exists()


def test_personal_data_encrypted_in_database(known_captcha, zhengzhou_regulator):
    payload = submit_anonymous(known_captcha, idNumber="410105199001011233", kind="COMPLAINT")
    assert payload["errors"] == [], payload["errors"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_name, contact_phone, id_number FROM interaction_interaction")
        name, phone, id_number = cursor.fetchone()
    assert "王小明" not in name
    assert "13812345678" not in phone
    assert "410105199001011233" not in id_number


def test_anonymous_submission_needs_captcha(known_captcha, zhengzhou_regulator):
    missing = submit_anonymous(known_captcha, captchaAnswer="")
    wrong = submit_anonymous(known_captcha, captchaAnswer="ZZZZ")

    assert [error["code"] for error in missing["errors"]] == ["captcha_required"]
    assert [error["code"] for error in wrong["errors"]] == ["captcha_invalid"]
    assert Interaction.objects.count() == 0


def test_anonymous_submissions_rate_limited(known_captcha, zhengzhou_regulator, settings):
    settings.INTERACTION_RATE_LIMIT = 2
    submit_anonymous(known_captcha)
    submit_anonymous(known_captcha)

    response = post(Client(), SUBMIT, {"input": anonymous_input(known_captcha())})

    assert error_codes(response) == ["RATE_LIMITED"]
    assert Interaction.objects.count() == 2


def test_invalid_fields_named_in_chinese(known_captcha, zhengzhou_regulator):
    payload = submit_anonymous(
        known_captcha,
        title="",
        contactPhone="12345",
        idNumber="410105199001011234",
        divisionCode="999999",
    )

    fields = {error["field"] for error in payload["errors"]}
    assert fields == {"title", "contactPhone", "idNumber", "divisionCode"}
    assert all(error["message"] for error in payload["errors"])


def test_lookup_by_number_and_query_code(known_captcha, zhengzhou_regulator):
    payload = submit_anonymous(known_captcha)

    found = data(
        post(Client(), LOOKUP, {"number": payload["number"], "code": payload["queryCode"].lower()})
    )
    wrong = post(Client(), LOOKUP, {"number": payload["number"], "code": "AAAAAAAA"})

    item = found["myInteractionLookup"]
    assert item["body"] == SCRIPT_BODY
    assert item["contactNameMasked"] == "王**"
    assert item["contactPhoneMasked"] == "138****5678"
    assert item["steps"][0]["action"] == "submit"
    assert error_codes(wrong) == ["NOT_FOUND"]


def test_regulator_handles_only_own_division(known_captcha, zhengzhou_officer, luoyang_officer):
    payload = submit_anonymous(known_captcha, idNumber="410105199001011233")
    pk = str(Interaction.objects.get(number=payload["number"]).pk)

    own = data(post(Client(), HANDLED, {}, **bearer(zhengzhou_officer)))["handledInteractions"]
    other = data(post(Client(), HANDLED, {}, **bearer(luoyang_officer)))["handledInteractions"]
    other_one = post(Client(), HANDLED_ONE, {"id": pk}, **bearer(luoyang_officer))

    assert own["totalCount"] == 1
    assert own["items"][0]["contactPhone"] == "13812345678"
    assert own["items"][0]["idNumberMasked"] == "410105********1233"
    assert other["totalCount"] == 0
    assert error_codes(other_one) == ["NOT_FOUND"]


def test_reply_published_with_masked_name(known_captcha, zhengzhou_officer):
    consenting = submit_anonymous(known_captcha)
    private = submit_anonymous(known_captcha, publishConsent=False)
    for number in (consenting["number"], private["number"]):
        pk = str(Interaction.objects.get(number=number).pk)
        result = data(
            post(
                Client(),
                REPLY,
                {"id": pk, "reply": "需要，请送法定计量检定机构检定。"},
                **bearer(zhengzhou_officer),
            )
        )
        assert result["replyInteraction"]["interaction"]["status"] == "REPLIED"

    public = data(post(Client(), PUBLISHED))["publishedReplies"]

    assert public["totalCount"] == 1
    assert public["items"][0]["number"] == consenting["number"]
    assert public["items"][0]["contactNameMasked"] == "王**"
    assert public["items"][0]["body"] == SCRIPT_BODY


def test_signed_in_submitter_gets_reply_message(
    enterprise_user, zhengzhou_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            Client(),
            SUBMIT,
            {
                "input": {
                    "kind": "SUGGESTION",
                    "title": "建议增加夜间受理",
                    "body": "企业白天生产繁忙。",
                    "divisionCode": "410105",
                    "contactPhone": "13912345678",
                }
            },
            **bearer(enterprise_user),
        )
    payload = data(response)["submitInteraction"]
    assert payload["errors"] == []
    pk = str(Interaction.objects.get(number=payload["number"]).pk)
    assert Interaction.objects.get(pk=pk).contact_name == "李娜"

    with django_capture_on_commit_callbacks(execute=True):
        post(
            Client(),
            REPLY,
            {"id": pk, "reply": "已研究，将试行预约夜间受理。"},
            **bearer(zhengzhou_officer),
        )
    mine = data(post(Client(), MINE, **bearer(enterprise_user)))["myInteractions"]

    assert mine["items"][0]["reply"] == "已研究，将试行预约夜间受理。"
    assert Message.objects.filter(recipient=enterprise_user, kind="interaction").count() == 1
    # The regulator's officer received a message about the new matter.
    assert Message.objects.filter(recipient=zhengzhou_officer, kind="interaction").count() == 1


def test_consultation_about_institution_routed_there(
    known_captcha, zhengzhou_officer, institution, institution_answerer
):
    payload = submit_anonymous(known_captcha, aboutInstitutionId=str(institution.pk))
    interaction = Interaction.objects.get(number=payload["number"])

    listed = data(post(Client(), HANDLED, {}, **bearer(institution_answerer)))[
        "handledInteractions"
    ]
    result = data(
        post(
            Client(),
            REPLY,
            {"id": str(interaction.pk), "reply": "本院可检定 30 kg 以下电子秤。"},
            **bearer(institution_answerer),
        )
    )

    assert interaction.handling_organisation == institution
    assert listed["totalCount"] == 1
    assert result["replyInteraction"]["errors"] == []


def test_transfer_and_close_keep_history(
    known_captcha, zhengzhou_officer, luoyang_regulator, luoyang_officer
):
    payload = submit_anonymous(known_captcha)
    pk = str(Interaction.objects.get(number=payload["number"]).pk)

    transferred = data(
        post(
            Client(),
            TRANSFER,
            {
                "id": pk,
                "target": str(luoyang_regulator.pk),
                "comment": "涉及洛阳企业，转洛阳办理。",
            },
            **bearer(zhengzhou_officer),
        )
    )
    unreplied_close = data(post(Client(), CLOSE, {"id": pk}, **bearer(luoyang_officer)))
    closed = data(
        post(Client(), CLOSE, {"id": pk, "comment": "经核实已处理。"}, **bearer(luoyang_officer))
    )
    history = data(
        post(Client(), LOOKUP, {"number": payload["number"], "code": payload["queryCode"]})
    )

    assert (
        transferred["transferInteraction"]["interaction"]["handlingOrganisationName"]
        == "洛阳市市场监督管理局"
    )
    assert [e["code"] for e in unreplied_close["closeInteraction"]["errors"]] == ["required"]
    assert closed["closeInteraction"]["interaction"]["status"] == "CLOSED"
    steps = history["myInteractionLookup"]["steps"]
    assert [step["action"] for step in steps] == ["submit", "transfer", "close"]
    assert steps[1]["targetOrganisationName"] == "洛阳市市场监督管理局"


def test_enterprise_user_cannot_handle(known_captcha, enterprise_user, zhengzhou_regulator):
    response = post(Client(), HANDLED, {}, **bearer(enterprise_user))

    assert error_codes(response) == ["FORBIDDEN"]


def test_handled_list_query_count_constant(
    known_captcha, zhengzhou_officer, django_assert_max_num_queries
):
    for _ in range(5):
        submit_anonymous(known_captcha)
    client = Client()
    headers = bearer(zhengzhou_officer)
    data(post(client, HANDLED, {}, **headers))

    # Sign-in, permissions, the page and its count: independent of the number of rows.
    with django_assert_max_num_queries(12):
        listed = data(post(client, HANDLED, {}, **headers))["handledInteractions"]

    assert listed["totalCount"] == 5


def test_lookups_rate_limited(known_captcha, zhengzhou_regulator, settings):
    payload = submit_anonymous(known_captcha)
    settings.INTERACTION_LOOKUP_RATE_LIMIT = 2
    for _ in range(2):
        post(Client(), LOOKUP, {"number": payload["number"], "code": "WRONG123"})

    response = post(Client(), LOOKUP, {"number": payload["number"], "code": payload["queryCode"]})

    assert error_codes(response) == ["RATE_LIMITED"]
