"""Small builders for the objects most tests need, with realistic Chinese values."""

import datetime
import itertools

from business.certificates import keys
from business.instruments.models import Instrument
from business.organisations import credit_code
from business.organisations.models import Organisation
from business.reference.models import CatalogueItem, Division, Regulation
from business.verification.models import VerificationRecord

_serial = itertools.count(1)


def division(code="410105", name="金水区") -> Division:
    province, _ = Division.objects.get_or_create(
        code="410000", defaults={"name": "河南省", "level": "province"}
    )
    city, _ = Division.objects.get_or_create(
        code=code[:4] + "00", defaults={"name": "郑州市", "level": "prefecture", "parent": province}
    )
    county, _ = Division.objects.get_or_create(
        code=code, defaults={"name": name, "level": "county", "parent": city}
    )
    return county


def catalogue_item(cycle_months=12, **overrides) -> CatalogueItem:
    regulation, _ = Regulation.objects.get_or_create(
        code="JJG 539-2016", defaults={"name": "数字指示秤", "kind": "JJG"}
    )
    values = {
        "number": 9,
        "item_name": "非自动衡器",
        "usage": "trade_settlement",
        "supervision_method": "P+V",
        "verification_form": "periodic",
        "cycle_months": cycle_months,
        **overrides,
    }
    item, _ = CatalogueItem.objects.get_or_create(number=values.pop("number"), defaults=values)
    item.regulations.add(regulation)
    return item


def _credit_code(division_code: str) -> str:
    body = f"91{division_code}{next(_serial):09d}"
    return body + credit_code.check_character(body)


def institution(name="河南省计量测试科学研究院", prefix="HNJY") -> Organisation:
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.INSTITUTION,
        name=name,
        division=division(),
        certificate_prefix=prefix,
        authorisation_number="（豫）法计（2026）01001号",
    )
    keys.create_signing_key(organisation)
    return organisation


def enterprise(name="郑州市金水区示例超市有限公司") -> Organisation:
    county = division()
    return Organisation.objects.create(
        kind=Organisation.Kind.ENTERPRISE,
        name=name,
        division=county,
        credit_code=_credit_code(county.code),
    )


def instrument(owner=None, item=None, name="电子计价秤") -> Instrument:
    return Instrument.objects.create(
        enterprise=owner or enterprise(),
        catalogue_item=item if item is not None else catalogue_item(),
        usage="trade_settlement",
        name=name,
        model="ACS-15",
        serial_number=f"SN{next(_serial):08d}",
        manufacturer="上海示例衡器有限公司",
        division=division(),
    )


def record(verified_instrument=None, verifying_institution=None, **overrides) -> VerificationRecord:
    verified_instrument = verified_instrument or instrument()
    values = {
        "instrument": verified_instrument,
        "institution": verifying_institution or institution(),
        "record_number": f"JL{next(_serial):08d}",
        "verification_date": datetime.date(2026, 3, 10),
        "conclusion": VerificationRecord.Conclusion.QUALIFIED,
        "verifier_name": "张伟",
        "checker_name": "王芳",
        "approver_name": "李娜",
        **overrides,
    }
    return VerificationRecord.objects.create(**values)


def business_user(organisation=None, roles=(), username=None, display_name="张伟"):
    """A signed-up business user holding the built-in ``roles`` (codes).

    The password is not usable; tests sign in with tests.api.client.bearer(user).
    """
    from django.utils import timezone

    from business.access.builtin_roles import assign_builtin_role
    from business.accounts.models import BusinessUser

    user = BusinessUser.objects.create(
        username=username or f"user{next(_serial)}",
        display_name=display_name,
        organisation=organisation or enterprise(),
        password="!",
        must_change_password=False,
        password_changed_at=timezone.now(),
    )
    for code in roles:
        assign_builtin_role(user, code)
    return user


def regulator(name="郑州市市场监督管理局", division_code="410100") -> Organisation:
    county = division()
    city = Division.objects.get(code=division_code) if division_code != county.code else county
    return Organisation.objects.create(kind=Organisation.Kind.REGULATOR, name=name, division=city)
