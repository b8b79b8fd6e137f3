"""graphql/schema.graphql is the API contract the frontend builds against.

Regenerate it with `make schema` after changing a GraphQL type.
"""

from pathlib import Path

from django.conf import settings

from business.core.api.contract import printed_schema


def test_committed_schema_matches_code():
    committed = Path(settings.GRAPHENE["SCHEMA_OUTPUT"]).read_text(encoding="utf-8")

    assert committed == printed_schema(), "graphql/schema.graphql is stale: run `make schema`"


def test_schema_exposes_no_secret_fields():
    from graphql import GraphQLInterfaceType, GraphQLObjectType
    from grapple.schema import schema

    output_fields = {
        field_name
        for graphql_type in schema.graphql_schema.type_map.values()
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType)
        for field_name in graphql_type.fields
    }

    for secret in ("password", "encryptedPrivateKey", "isSuperuser", "signature"):
        assert secret not in output_fields


def test_public_certificate_names_no_staff():
    """The public check shows no personal names; signed-in, scoped types may (they are
    printed on the certificate the enterprise holds)."""
    from grapple.schema import schema

    public_fields = schema.graphql_schema.type_map["PublicCertificate"].fields

    for personal in ("verifierName", "checkerName", "approverName"):
        assert personal not in public_fields


def test_graphql_core_is_not_shadowed_by_contract_folder():
    import graphql

    assert "site-packages" in graphql.__file__
