import pytest
from django.utils import timezone

from business.accounts.models import BusinessUser
from business.demo.generator import DemoDataGenerator
from business.organisations.models import Organisation
from tests import factories


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Keep demo images and uploaded attachments out of var/media."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def portal(db):
    """The demo portal pages, including the restricted ones and the home layout."""
    DemoDataGenerator(seed=1).create_portal_pages()


def _organisation(kind, division_code="410105", division_name="金水区"):
    return Organisation.objects.create(
        kind=kind,
        name=f"测试{kind}{division_code}",
        division=factories.division(division_code, division_name),
    )


@pytest.fixture
def sign_in(monkeypatch):
    """Make every request of the test client come from a business user of the given kind.

    The session machinery has its own tests; here only the readership of the signed-in
    user matters, so the middleware's session look-up is replaced.
    """

    def sign(kind, division_code="410105", division_name="金水区"):
        organisation = _organisation(kind, division_code, division_name)
        user = BusinessUser.objects.create(
            username=f"user{organisation.pk}",
            display_name="测试用户",
            organisation=organisation,
            password="!",
            must_change_password=False,
            password_changed_at=timezone.now(),
        )
        monkeypatch.setattr(
            "business.accounts.middleware.sessions.session_user", lambda request: user
        )
        return user

    return sign
