"""Surveys through the GraphQL endpoint: create, publish, fill once, count, export."""

import base64
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from business.audit.models import AuditEvent
from business.surveys.models import Response, Survey
from tests.api.client import bearer, data, error_codes, post

pytestmark = pytest.mark.django_db

SAVE = """
mutation Save($id: ID, $input: SurveyInput!) {
  saveSurvey(id: $id, input: $input) {
    errors { field message code } survey { id status questions { id kind } }
  }
}
"""
PUBLISH = "mutation P($id: ID!) { publishSurvey(id: $id) { errors { code } survey { status } } }"
CLOSE = "mutation C($id: ID!) { closeSurvey(id: $id) { errors { code } survey { status } } }"
OPEN = "query { openSurveys { totalCount items { id title audience } } }"
FILL = """
query Fill($id: ID!, $token: String) {
  surveyToFill(id: $id, browserToken: $token) { id answered questions { id kind options } }
}
"""
SUBMIT = """
mutation Submit($id: ID!, $answers: [SurveyAnswerInput!]!, $token: String) {
  submitSurveyResponse(surveyId: $id, answers: $answers, browserToken: $token) { ok errors { field code } }
}
"""
RESULTS = """
query R($id: ID!) {
  surveyResults(id: $id) { responseCount questions { answered counts { label count } texts } }
}
"""
EXPORT = """
mutation E($id: ID!) { exportSurveyResponses(id: $id) { errors { code } file { fileName contentBase64 } } }
"""
TOKEN = "browser-token-0123456789abcdef"


def survey_input(audience="PUBLIC", **overrides):
    now = timezone.now()
    values = {
        "title": "计量服务满意度调查",
        "description": "请根据近一年办理业务的体验作答。",
        "audience": audience,
        "opensAt": (now - datetime.timedelta(days=1)).isoformat(),
        "closesAt": (now + datetime.timedelta(days=30)).isoformat(),
        "questions": [
            {"kind": "SINGLE", "text": "您所在单位的类型", "options": ["企业", "技术机构", "个人"]},
            {
                "kind": "MULTIPLE",
                "text": "您办理过的业务",
                "options": ["器具备案", "检定申请", "证书查询"],
            },
            {"kind": "RATING", "text": "总体满意度"},
            {"kind": "TEXT", "text": "意见和建议", "required": False},
        ],
    }
    values.update(overrides)
    return values


def published_survey(regulator_admin, audience="PUBLIC") -> dict:
    saved = data(post(Client(), SAVE, {"input": survey_input(audience)}, **bearer(regulator_admin)))
    survey = saved["saveSurvey"]["survey"]
    data(post(Client(), PUBLISH, {"id": survey["id"]}, **bearer(regulator_admin)))
    return survey


def full_answers(survey) -> list[dict]:
    single, multiple, rating, text = [q["id"] for q in survey["questions"]]
    return [
        {"questionId": single, "optionIndexes": [0]},
        {"questionId": multiple, "optionIndexes": [0, 2]},
        {"questionId": rating, "rating": 4},
        {"questionId": text, "text": '=HYPERLINK("http://example.com")'},
    ]


def test_invalid_survey_lists_every_problem(regulator_admin):
    bad = survey_input(
        title="", questions=[{"kind": "SINGLE", "text": "只有一个选项", "options": ["是"]}]
    )
    bad["closesAt"] = bad["opensAt"]

    payload = data(post(Client(), SAVE, {"input": bad}, **bearer(regulator_admin)))["saveSurvey"]

    assert {error["field"] for error in payload["errors"]} == {"title", "closesAt", "questions.0"}
    assert Survey.objects.count() == 0


def test_anonymous_visitor_answers_once(regulator_admin):
    survey = published_survey(regulator_admin)

    first = data(
        post(
            Client(), SUBMIT, {"id": survey["id"], "answers": full_answers(survey), "token": TOKEN}
        )
    )
    second = data(
        post(
            Client(), SUBMIT, {"id": survey["id"], "answers": full_answers(survey), "token": TOKEN}
        )
    )
    fill = data(post(Client(), FILL, {"id": survey["id"], "token": TOKEN}))

    assert first["submitSurveyResponse"] == {"ok": True, "errors": []}
    assert second["submitSurveyResponse"]["errors"][0]["code"] == "already_answered"
    assert fill["surveyToFill"]["answered"] is True
    assert Response.objects.count() == 1


def test_signed_in_user_answers_once(regulator_admin, enterprise_user):
    survey = published_survey(regulator_admin, "ENTERPRISES")
    answers = full_answers(survey)

    first = data(
        post(Client(), SUBMIT, {"id": survey["id"], "answers": answers}, **bearer(enterprise_user))
    )
    # A new browser token does not help a signed-in user answer again.
    second = data(
        post(
            Client(),
            SUBMIT,
            {"id": survey["id"], "answers": answers, "token": "another-token-abcdef123"},
            **bearer(enterprise_user),
        )
    )

    assert first["submitSurveyResponse"]["ok"] is True
    assert second["submitSurveyResponse"]["errors"][0]["code"] == "already_answered"


def test_audience_limits_who_sees_survey(regulator_admin, enterprise_user, institution_user):
    survey = published_survey(regulator_admin, "ENTERPRISES")

    anonymous = data(post(Client(), OPEN))["openSurveys"]
    enterprise = data(post(Client(), OPEN, **bearer(enterprise_user)))["openSurveys"]
    institution = post(Client(), FILL, {"id": survey["id"]}, **bearer(institution_user))

    assert anonymous["totalCount"] == 0
    assert enterprise["totalCount"] == 1
    assert error_codes(institution) == ["NOT_FOUND"]


def test_required_and_invalid_answers_rejected(regulator_admin):
    survey = published_survey(regulator_admin)
    single, multiple, rating, _ = [q["id"] for q in survey["questions"]]
    answers = [
        {"questionId": single, "optionIndexes": [0, 1]},
        {"questionId": rating, "rating": 9},
    ]

    payload = data(post(Client(), SUBMIT, {"id": survey["id"], "answers": answers, "token": TOKEN}))

    codes = {error["field"]: error["code"] for error in payload["submitSurveyResponse"]["errors"]}
    assert codes == {
        f"question.{single}": "single_choice",
        f"question.{multiple}": "required",
        f"question.{rating}": "invalid_rating",
    }
    assert Response.objects.count() == 0


def test_results_count_each_option(regulator_admin):
    survey = published_survey(regulator_admin)
    for index in range(3):
        post(
            Client(),
            SUBMIT,
            {"id": survey["id"], "answers": full_answers(survey), "token": f"{TOKEN}-{index}"},
        )

    results = data(post(Client(), RESULTS, {"id": survey["id"]}, **bearer(regulator_admin)))[
        "surveyResults"
    ]

    assert results["responseCount"] == 3
    single, multiple, rating, text = results["questions"]
    assert single["counts"] == [
        {"label": "企业", "count": 3},
        {"label": "技术机构", "count": 0},
        {"label": "个人", "count": 0},
    ]
    assert [c["count"] for c in multiple["counts"]] == [3, 0, 3]
    assert rating["counts"][3] == {"label": "4 分", "count": 3}
    assert len(text["texts"]) == 3


def test_export_keeps_formulas_as_text(regulator_admin):
    survey = published_survey(regulator_admin)
    post(Client(), SUBMIT, {"id": survey["id"], "answers": full_answers(survey), "token": TOKEN})

    payload = data(post(Client(), EXPORT, {"id": survey["id"]}, **bearer(regulator_admin)))
    content = base64.b64decode(payload["exportSurveyResponses"]["file"]["contentBase64"])
    rows = list(load_workbook(io.BytesIO(content)).active.values)

    assert rows[0][3] == "1. 您所在单位的类型"
    assert rows[1][3] == "企业"
    assert rows[1][4] == "器具备案、证书查询"
    assert rows[1][5] == 4
    assert rows[1][6] == '=HYPERLINK("http://example.com")'
    assert AuditEvent.objects.filter(action="survey.export").count() == 1


def test_closed_survey_refuses_answers(regulator_admin):
    survey = published_survey(regulator_admin)
    data(post(Client(), CLOSE, {"id": survey["id"]}, **bearer(regulator_admin)))

    response = post(
        Client(), SUBMIT, {"id": survey["id"], "answers": full_answers(survey), "token": TOKEN}
    )

    assert error_codes(response) == ["NOT_FOUND"]


def test_enterprise_cannot_manage_surveys(enterprise_user):
    response = post(Client(), SAVE, {"input": survey_input()}, **bearer(enterprise_user))

    assert error_codes(response) == ["FORBIDDEN"]
