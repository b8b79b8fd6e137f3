"""The single GraphQL endpoint: grapple's CMS schema plus the business schema.

CSRF protection stays on (graphene-django's view sets the cookie; the frontend sends
it back in X-CSRFToken). Only JSON bodies are accepted on POST, because form-encoded
and multipart bodies are "simple" requests that another site could forge.
"""

import logging
import re
import threading
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, OperationType, execute, parse, validate
from graphql.utilities import get_operation_ast

from .errors import PublicError
from .validation import build_validation_rules, validation_limits

logger = logging.getLogger(__name__)

_SUGGESTION = re.compile(r"\s*Did you mean .*\?$")

# Largest number of lexical tokens one document may contain; the frontend's largest
# operation has under 200. Parsing stops early on anything bigger.
MAX_DOCUMENT_TOKENS = 5000

# Documents that passed validation, by their text and the limits they were checked
# against. Validating a document against the whole schema costs about a third of a
# simple request, and clients send the same few documents over and over.
VALIDATED_DOCUMENT_CACHE_SIZE = 500
_validated_documents: OrderedDict = OrderedDict()
_validated_documents_lock = threading.Lock()


def _validated_document(schema, query: str):
    """Return the parsed document, or raise _InvalidDocument with the errors."""
    key = (query, *validation_limits())
    with _validated_documents_lock:
        document = _validated_documents.get(key)
        if document is not None:
            _validated_documents.move_to_end(key)
            return document

    try:
        document = parse(query, max_tokens=MAX_DOCUMENT_TOKENS)
    except GraphQLError as error:
        raise _InvalidDocument([error]) from None
    errors = validate(schema, document, build_validation_rules())
    if errors:
        raise _InvalidDocument(errors)

    with _validated_documents_lock:
        _validated_documents[key] = document
        if len(_validated_documents) > VALIDATED_DOCUMENT_CACHE_SIZE:
            _validated_documents.popitem(last=False)
    return document


class _InvalidDocument(Exception):
    def __init__(self, errors):
        super().__init__("invalid GraphQL document")
        self.errors = errors


class PlatformGraphQLView(GraphQLView):
    graphiql = False
    batch = False

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        # Replaces graphene-django's version to parse and validate each distinct
        # document once. Mutations manage their own transactions in the services, so
        # graphene's ATOMIC_MUTATIONS wrapping is not used.
        if not query:
            raise HttpError(HttpResponseBadRequest("请求中缺少 GraphQL 查询。"))
        schema = self.schema.graphql_schema

        try:
            document = _validated_document(schema, query)
        except _InvalidDocument as invalid:
            return ExecutionResult(data=None, errors=invalid.errors)

        operation = get_operation_ast(document, operation_name)
        if (
            request.method == "GET"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            raise HttpError(HttpResponseNotAllowed(["POST"], "修改数据的操作只能以 POST 发送。"))

        try:
            return execute(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
            )
        except Exception as error:  # noqa: BLE001 - reported as a GraphQL error
            return ExecutionResult(errors=[error])

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and self.get_content_type(request) != "application/json":
            response = HttpResponse(
                '{"errors":[{"message":"请求格式错误：GraphQL 请求须以 application/json 发送。"}]}',
                status=415,
                content_type="application/json",
            )
            return response
        response = super().dispatch(request, *args, **kwargs)
        # Responses may carry personal data once users sign in; never let a proxy or
        # browser cache them.
        response["Cache-Control"] = "no-store"
        return response

    def parse_body(self, request):
        try:
            return super().parse_body(request)
        except HttpError:
            raise
        except Exception:  # noqa: BLE001 - any parse failure is the client's error
            raise HttpError(HttpResponse(status=400)) from None

    @staticmethod
    def format_error(error):
        if not isinstance(error, GraphQLError):
            return {"message": "请求无法处理，请检查后重试。"}

        original = error.original_error
        if original is None or isinstance(original, PublicError):
            formatted = error.formatted
            if not settings.DEBUG:
                # Suggestions would reveal field names even with introspection off.
                formatted["message"] = _SUGGESTION.sub("", formatted["message"])
            return formatted

        logger.error(
            "Unhandled error in GraphQL resolver at %s", error.path, exc_info=original
        )
        return {
            "message": "服务器内部错误，请稍后重试。",
            "locations": error.formatted.get("locations"),
            "path": error.path,
            "extensions": {"code": "INTERNAL_ERROR"},
        }
