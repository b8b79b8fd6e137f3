import json

URL = "/graphql/"


def post(client, query, variables=None, **headers):
    """POST one GraphQL operation as JSON, the way the frontend sends it."""
    body = json.dumps({"query": query, "variables": variables or {}})
    return client.post(URL, body, content_type="application/json", **headers)


def bearer(user) -> dict:
    """Headers that sign ``user`` in through the mobile channel, without a password."""
    from business.accounts.sessions import issue_token

    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def data(response) -> dict:
    """Return the ``data`` of a GraphQL response, failing on any top-level error."""
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def error_codes(response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json().get("errors", [])]
