"""BusinessUserMiddleware on bearer requests."""

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import RequestFactory

from business.accounts.middleware import BusinessUserMiddleware, bearer_credentials
from business.accounts.models import LoginLog


def run_middleware(request):
    seen = {}

    def view(request):
        seen["request"] = request
        return HttpResponse()

    BusinessUserMiddleware(view)(request)
    return seen["request"]


def test_bearer_request_drops_admin_session_user(db):
    request = RequestFactory().post("/graphql/", HTTP_AUTHORIZATION="Bearer unknown")
    request.user = User(username="admin", is_staff=True, is_superuser=True)

    handled = run_middleware(request)

    assert handled.user.is_anonymous
    assert handled.business_user is None
    assert handled.business_channel == LoginLog.Channel.MOBILE


def test_credentials_parsing():
    factory = RequestFactory()

    assert bearer_credentials(factory.get("/", HTTP_AUTHORIZATION="Bearer abc ")) == "abc"
    assert bearer_credentials(factory.get("/", HTTP_AUTHORIZATION="bearer abc")) == "abc"
    assert bearer_credentials(factory.get("/", HTTP_AUTHORIZATION="Bearer")) == ""
    assert bearer_credentials(factory.get("/", HTTP_AUTHORIZATION="Basic abc")) is None
    assert bearer_credentials(factory.get("/")) is None
