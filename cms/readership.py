"""Who may read a portal page (发放查阅范围), checked on the server for every page served.

A content page has one of three audiences:

- public (公开): everyone, signed in or not;
- signed in (登录用户): any signed-in business user;
- restricted (指定范围): signed-in business users whose organisation is of one of the
  chosen kinds (enterprise, institution, regulator) and sits in one of the chosen
  divisions or below them. An empty kind list or division list does not narrow.

Kinds and division codes are stored as comma-wrapped lists (",enterprise,regulator,")
so that SQL can test membership with one LIKE per value, and the search index copies
the same three values. Wagtail admin accounts read the portal as anonymous visitors:
editors see restricted pages in the admin, not through the public API.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from business.organisations.models import Organisation


class Audience(models.TextChoices):
    PUBLIC = "public", "公开"
    SIGNED_IN = "signed_in", "登录用户"
    RESTRICTED = "restricted", "指定单位类型或行政区划"


ORGANISATION_KIND_CHOICES = [
    (Organisation.Kind.ENTERPRISE.value, "企业"),
    (Organisation.Kind.INSTITUTION.value, "技术机构"),
    (Organisation.Kind.REGULATOR.value, "监管部门"),
]


@dataclass(frozen=True)
class Reader:
    """The requesting visitor as far as readership is concerned."""

    signed_in: bool = False
    organisation_kind: str = ""
    # The organisation's division code and the codes of every division above it.
    division_chain: frozenset[str] = frozenset()


ANONYMOUS = Reader()

_REQUEST_ATTRIBUTE = "_portal_reader"


def pack_codes(values) -> str:
    """Return values as a comma-wrapped list, or "" for none."""
    cleaned = sorted({str(value).strip() for value in values if str(value).strip()})
    return f",{','.join(cleaned)}," if cleaned else ""


def unpack_codes(packed: str) -> list[str]:
    return [value for value in (packed or "").split(",") if value]


def division_chain(division) -> frozenset[str]:
    """Return the code of ``division`` and of each division above it."""
    codes = set()
    current = division
    while current is not None:
        codes.add(current.code)
        current = current.parent
    return frozenset(codes)


def reader_for_user(business_user) -> Reader:
    if business_user is None:
        return ANONYMOUS
    organisation = business_user.organisation
    return Reader(
        signed_in=True,
        organisation_kind=organisation.kind,
        division_chain=division_chain(organisation.division),
    )


def reader_for_request(request) -> Reader:
    """Return the Reader of ``request``, computed once per request.

    Only business users count as signed in. The middleware that sets
    ``request.business_user`` has already rejected expired sessions and tokens.
    """
    if request is None:
        return ANONYMOUS
    cached = getattr(request, _REQUEST_ATTRIBUTE, None)
    if cached is not None:
        return cached
    user = getattr(request, "business_user", None)
    if user is not None:
        # Walk up to the province with at most one query.
        organisation = Organisation.objects.select_related(
            "division__parent__parent__parent"
        ).get(pk=user.organisation_id)
        user.organisation = organisation
    reader = reader_for_user(user)
    setattr(request, _REQUEST_ATTRIBUTE, reader)
    return reader


def allows(audience: str, kinds: str, divisions: str, reader: Reader) -> bool:
    """Return whether ``reader`` may read content with this audience.

    An unknown audience value allows nobody, so a bad row fails closed.
    """
    if audience == Audience.PUBLIC:
        return True
    if not reader.signed_in:
        return False
    if audience == Audience.SIGNED_IN:
        return True
    if audience != Audience.RESTRICTED:
        return False
    kind_list = unpack_codes(kinds)
    if kind_list and reader.organisation_kind not in kind_list:
        return False
    division_list = unpack_codes(divisions)
    if division_list and not reader.division_chain.intersection(division_list):
        return False
    return True


def audience_filter(reader: Reader, prefix: str = "") -> Q:
    """Return a filter that keeps rows ``reader`` may read.

    ``prefix`` names the fields: "" for a page model with ReadershipMixin,
    "audience" fields of the search index use the same names.
    """
    audience, kinds, divisions = f"{prefix}audience", f"{prefix}audience_kinds", f"{prefix}audience_divisions"
    condition = Q(**{audience: Audience.PUBLIC})
    if not reader.signed_in:
        return condition

    kind_condition = Q(**{kinds: ""})
    if reader.organisation_kind:
        kind_condition |= Q(**{f"{kinds}__contains": f",{reader.organisation_kind},"})
    division_condition = Q(**{divisions: ""})
    for code in reader.division_chain:
        division_condition |= Q(**{f"{divisions}__contains": f",{code},"})

    condition |= Q(**{audience: Audience.SIGNED_IN})
    condition |= Q(**{audience: Audience.RESTRICTED}) & kind_condition & division_condition
    return condition


def describe(audience: str, kinds: str, divisions: str) -> str:
    """Return the readership in words, for editors and the page footer."""
    if audience == Audience.PUBLIC:
        return "公开"
    if audience == Audience.SIGNED_IN:
        return "登录用户"
    kind_labels = dict(ORGANISATION_KIND_CHOICES)
    parts = [kind_labels.get(kind, kind) for kind in unpack_codes(kinds)]
    codes = unpack_codes(divisions)
    if codes:
        from business.reference.models import Division

        names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
        parts.append("、".join(f"{names.get(code, code)}及下级" for code in codes))
    return "指定范围：" + ("；".join(parts) if parts else "未设置")
