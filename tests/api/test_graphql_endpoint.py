"""The GraphQL endpoint's protections, exercised through the HTTP client."""

import json

import pytest
from django.test import Client, override_settings

from tests.api.client import URL, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_post_without_csrf_token_forbidden(csrf_client):
    response = post(csrf_client, "{ __typename }")

    assert response.status_code == 403


def test_post_with_csrf_token_accepted(csrf_client):
    csrf_client.get(URL, {"query": "{ __typename }"})
    token = csrf_client.cookies["csrftoken"].value

    response = post(csrf_client, "{ __typename }", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_form_encoded_post_rejected(client):
    response = client.post(URL, {"query": "{ __typename }"})

    assert response.status_code == 415
    assert "application/json" in response.json()["errors"][0]["message"]


def test_batched_request_rejected(client):
    body = json.dumps([{"query": "{ __typename }"}, {"query": "{ __typename }"}])

    response = client.post(URL, body, content_type="application/json")

    assert response.status_code == 400


def test_unknown_field_reported_without_suggestion(client):
    response = post(client, "{ pagez { id } }")

    message = response.json()["errors"][0]["message"]
    assert "Cannot query field 'pagez'" in message
    assert "Did you mean" not in message


def test_query_deeper_than_limit_rejected(client, settings):
    settings.GRAPHQL_MAX_DEPTH = 3
    query = "{ pages { children { children { children { id } } } } }"

    response = post(client, query)

    assert "exceeds maximum operation depth" in response.json()["errors"][0]["message"]


def test_too_many_aliases_rejected(client):
    aliases = " ".join(f"a{index}: __typename" for index in range(31))

    response = post(client, f"{{ {aliases} }}")

    assert "别名超过 30 个" in response.json()["errors"][0]["message"]


def test_undefined_fragment_is_validation_error(client):
    response = post(client, "{ pages { ...Missing } }")

    assert response.status_code == 400
    assert 'Unknown fragment' in response.json()["errors"][0]["message"]


@override_settings(GRAPHQL_INTROSPECTION=False)
def test_introspection_off_keeps_typename(client):
    schema_response = post(client, "{ __schema { types { name } } }")
    typename_response = post(client, "{ __typename }")

    assert "introspection" in schema_response.json()["errors"][0]["message"]
    assert typename_response.json() == {"data": {"__typename": "Query"}}


def test_responses_are_not_cached(client):
    response = post(client, "{ __typename }")

    assert response["Cache-Control"] == "no-store"


def test_document_over_token_limit_rejected(client):
    fields = " ".join("__typename" for _ in range(6000))

    response = post(client, f"{{ {fields} }}")

    assert response.status_code == 400
    assert "tokens" in response.json()["errors"][0]["message"]


def test_invalid_document_rejected_every_time(client):
    first = post(client, "{ pagez { id } }")
    second = post(client, "{ pagez { id } }")

    assert first.status_code == second.status_code == 400
    assert first.json() == second.json()


def test_cached_document_still_checks_limits(client, settings):
    query = "{ pages { children { children { id } } } }"
    assert "errors" not in post(client, query).json()

    settings.GRAPHQL_MAX_DEPTH = 2

    assert "exceeds maximum operation depth" in post(client, query).json()["errors"][0]["message"]


def test_query_over_get_allowed_without_csrf(csrf_client):
    response = csrf_client.get(URL, {"query": "{ __typename }"})

    assert response.json() == {"data": {"__typename": "Query"}}


def test_too_many_fields_rejected(client, settings):
    settings.GRAPHQL_MAX_FIELDS = 5
    fields = " ".join(f"f{index}: __typename" for index in range(6))

    response = post(client, f"{{ {fields} }}")

    assert "字段超过 5 个" in response.json()["errors"][0]["message"]
