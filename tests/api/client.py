import json

URL = "/graphql/"


def post(client, query, variables=None, **headers):
    """POST one GraphQL operation as JSON, the way the frontend sends it."""
    body = json.dumps({"query": query, "variables": variables or {}})
    return client.post(URL, body, content_type="application/json", **headers)
