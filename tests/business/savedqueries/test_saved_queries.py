"""Saved query conditions: each user reads and changes only their own."""

import json

import pytest
from django.test import Client

from business.savedqueries.models import SavedQuery
from tests import factories
from tests.api.client import bearer, post

pytestmark = pytest.mark.django_db

LIST = """query ($screen: String!) { savedQueries(screen: $screen) { id name conditions isDefault } }"""
SAVE = """mutation ($screen: String!, $name: String!, $conditions: JSONString!, $default: Boolean) {
  saveQuery(screen: $screen, name: $name, conditions: $conditions, isDefault: $default) {
    errors { field code message } savedQuery { id name isDefault } } }"""
DELETE = """mutation ($id: ID!) { deleteSavedQuery(id: $id) { errors { field code } } }"""


def call(user, query, variables):
    # JSONString arguments travel as JSON text, the way the frontend sends them.
    if "conditions" in variables:
        variables = {**variables, "conditions": json.dumps(variables["conditions"])}
    return post(Client(), query, variables, **bearer(user)).json()


def test_save_list_and_default_switch():
    user = factories.business_user()
    call(
        user,
        SAVE,
        {
            "screen": "organisations.list",
            "name": "金水区企业",
            "conditions": {"divisionCode": "410105"},
            "default": True,
        },
    )
    call(
        user,
        SAVE,
        {
            "screen": "organisations.list",
            "name": "停用的",
            "conditions": {"isActive": False},
            "default": True,
        },
    )

    rows = call(user, LIST, {"screen": "organisations.list"})["data"]["savedQueries"]

    assert [(row["name"], row["isDefault"]) for row in rows] == [
        ("停用的", True),
        ("金水区企业", False),
    ]
    assert json.loads(rows[1]["conditions"]) == {"divisionCode": "410105"}


def test_same_name_overwrites():
    user = factories.business_user()
    for value in ("410105", "410305"):
        call(
            user,
            SAVE,
            {"screen": "users.list", "name": "常用", "conditions": {"divisionCode": value}},
        )

    assert SavedQuery.objects.get(user=user, name="常用").conditions == {"divisionCode": "410305"}


def test_other_user_sees_and_deletes_nothing():
    owner, other = factories.business_user(), factories.business_user()
    saved = call(owner, SAVE, {"screen": "users.list", "name": "我的", "conditions": {}})["data"][
        "saveQuery"
    ]["savedQuery"]

    listed = call(other, LIST, {"screen": "users.list"})["data"]["savedQueries"]
    deleted = call(other, DELETE, {"id": saved["id"]})["data"]["deleteSavedQuery"]

    assert listed == []
    assert deleted["errors"][0]["code"] == "not_found"
    assert SavedQuery.objects.filter(pk=saved["id"]).exists()


def test_owner_deletes():
    owner = factories.business_user()
    saved = call(owner, SAVE, {"screen": "users.list", "name": "我的", "conditions": {}})["data"][
        "saveQuery"
    ]["savedQuery"]

    assert call(owner, DELETE, {"id": saved["id"]})["data"]["deleteSavedQuery"]["errors"] == []
    assert not SavedQuery.objects.exists()


@pytest.mark.parametrize(
    "variables, field",
    [
        ({"screen": "Bad Screen!", "name": "x", "conditions": {}}, "screen"),
        ({"screen": "users.list", "name": "", "conditions": {}}, "name"),
        ({"screen": "users.list", "name": "x", "conditions": [1, 2]}, "conditions"),
        ({"screen": "users.list", "name": "x", "conditions": {"k": "v" * 5000}}, "conditions"),
    ],
)
def test_invalid_input_named(variables, field):
    user = factories.business_user()

    errors = call(user, SAVE, variables)["data"]["saveQuery"]["errors"]

    assert field in [error["field"] for error in errors]


def test_anonymous_refused():
    body = post(Client(), LIST, {"screen": "users.list"}).json()

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
