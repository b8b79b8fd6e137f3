"""The printed GraphQL contract (graphql/schema.graphql).

Grapple collects page interfaces in a set, so the order of interfaces and fields
changes between processes. Sorting the schema lexicographically makes the printed
contract stable, and a diff shows only real changes.
"""

from graphql import build_schema, lexicographic_sort_schema, print_schema


def printed_schema() -> str:
    from grapple.schema import schema

    # Rebuilding from the printed SDL drops graphene's Python enum values, which
    # lexicographic_sort_schema cannot serialise as argument defaults.
    plain_schema = build_schema(print_schema(schema.graphql_schema))
    return print_schema(lexicographic_sort_schema(plain_schema)) + "\n"
