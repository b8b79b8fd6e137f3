"""Who may verify what: the stable look-ups other apps build on.

``institutions_capable_of`` returns the institutions authorised to verify a catalogue
item (used by applications and the capability look-up). ``is_qualified`` tells whether a
person may verify, check or approve an item on a day (used by verification records).
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from business.organisations.models import Organisation
from business.reference.models import CatalogueItem, Division

from .models import AuthorisedItem, StaffQualification


def _catalogue_item_id(catalogue_item) -> int:
    return catalogue_item.pk if isinstance(catalogue_item, CatalogueItem) else int(catalogue_item)


def _division_code(division) -> str:
    return division.code if isinstance(division, Division) else str(division)


def covering_items(catalogue_item, on_date: date | None = None) -> QuerySet[AuthorisedItem]:
    """Authorised items of valid, unrevoked authorisations that cover ``catalogue_item``.

    A line covers the item when it names it, or when it names only a regulation that
    the catalogue lists for the item.
    """
    on_date = on_date or timezone.localdate()
    item_id = _catalogue_item_id(catalogue_item)
    return AuthorisedItem.objects.filter(
        Q(catalogue_item_id=item_id)
        | Q(catalogue_item__isnull=True, regulation__catalogue_items__id=item_id),
        authorisation__is_revoked=False,
        authorisation__valid_from__lte=on_date,
        authorisation__valid_until__gte=on_date,
    )


def institutions_capable_of(
    catalogue_item, division=None, on_date: date | None = None
) -> QuerySet[Organisation]:
    """Active institutions with a valid authorisation covering ``catalogue_item``.

    ``catalogue_item`` is a CatalogueItem or its id. ``division`` (a Division or its
    code) keeps institutions located in that division or below. ``on_date`` defaults
    to today. The result is a plain queryset without duplicates, ordered by name.
    """
    covering = covering_items(catalogue_item, on_date).filter(
        authorisation__institution=OuterRef("pk")
    )
    institutions = Organisation.objects.filter(
        Exists(covering), kind=Organisation.Kind.INSTITUTION, is_active=True
    )
    if division is not None:
        institutions = institutions.filter(
            division__in=Division.collect_descendant_codes(_division_code(division))
        )
    return institutions.order_by("name", "pk")


def is_capable(institution, catalogue_item, on_date: date | None = None) -> bool:
    """Return whether ``institution`` is authorised for ``catalogue_item`` on ``on_date``."""
    if not institution.is_active:
        return False
    return (
        covering_items(catalogue_item, on_date)
        .filter(authorisation__institution=institution)
        .exists()
    )


def valid_verifier_certificates(user, on_date: date) -> QuerySet[StaffQualification]:
    return StaffQualification.objects.filter(
        user=user,
        kind=StaffQualification.Kind.VERIFIER_CERTIFICATE,
        is_revoked=False,
        valid_from__lte=on_date,
        valid_until__gte=on_date,
    )


def is_qualified(user, catalogue_item, on_date: date) -> bool:
    """Return whether ``user`` has a valid verifier certificate for ``catalogue_item`` on ``on_date``.

    ``user`` is a BusinessUser; an inactive user is never qualified. ``catalogue_item``
    is a CatalogueItem or its id.
    """
    if user is None or not getattr(user, "is_active", False):
        return False
    return (
        valid_verifier_certificates(user, on_date)
        .filter(catalogue_items__id=_catalogue_item_id(catalogue_item))
        .exists()
    )
