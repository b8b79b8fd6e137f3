"""The single GraphQL endpoint: grapple's CMS schema plus the business schema.

CSRF protection stays on (graphene-django's view sets the cookie; the frontend sends
it back in X-CSRFToken). Only JSON bodies are accepted on POST, because form-encoded
and multipart bodies are "simple" requests that another site could forge.
"""

import logging
import re

from django.conf import settings
from django.http import HttpResponse
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError

from .errors import PublicError
from .validation import build_validation_rules

logger = logging.getLogger(__name__)

_SUGGESTION = re.compile(r"\s*Did you mean .*\?$")


class PlatformGraphQLView(GraphQLView):
    graphiql = False
    batch = False

    def __init__(self, **kwargs):
        kwargs.setdefault("validation_rules", build_validation_rules())
        super().__init__(**kwargs)

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
