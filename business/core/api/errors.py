"""Errors the GraphQL API shows to users.

Only ``PublicError`` messages reach the client verbatim. Any other exception raised in
a resolver is logged with its traceback and replaced by a generic Chinese message, so
SQL, file paths and stack traces never leave the server.
"""

import graphene
from graphql import GraphQLError


class PublicError(GraphQLError):
    """A top-level error whose Chinese message and code are safe to show."""

    def __init__(self, message: str, code: str):
        super().__init__(message, extensions={"code": code})


class RateLimitedError(PublicError):
    def __init__(self):
        super().__init__("查询过于频繁，请稍后再试。", code="RATE_LIMITED")


class FieldError(graphene.ObjectType):
    """One rejected input field, returned in a payload's ``errors`` list."""

    field = graphene.String(description="出错的输入字段名")
    message = graphene.String(required=True, description="中文错误说明，包括如何修改")
    code = graphene.String(required=True, description="机器可读的错误代码")

    class Meta:
        description = "输入校验错误"


def field_errors(problems) -> list[FieldError]:
    """Build the payload's ``errors`` list from ``(field, message, code)`` tuples."""
    return [
        FieldError(field=field, message=message, code=code) for field, message, code in problems
    ]
