"""Deterministic demo data: organisations, ledgers, verifications, certificates,
portal pages and demo accounts.

The same seed gives the same organisations, instruments and records. Signatures and
the check codes derived from them differ on every run, because SM2 signing draws a
fresh random number each time, as it must.
"""

import datetime
import logging
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from faker import Faker
from wagtail.models import Locale, Page, Site

from business.access.builtin_roles import assign_builtin_role
from business.accounts.services import create_business_user
from business.certificates import keys, services
from business.certificates.models import Certificate
from business.instruments.models import Instrument
from business.organisations import credit_code
from business.organisations.models import Organisation
from business.reference.models import CatalogueItem, Division
from business.verification.models import VerificationRecord
from cms.models import HomePage, LawPage, NoticePage, SectionIndexPage, WorkUpdatePage

from . import accounts as demo_accounts
from . import applications as demo_applications
from . import content, portal
from . import expiry as demo_expiry
from . import interaction as demo_interaction
from . import ledger as demo_ledger
from . import organisations as demo_organisations
from . import qualifications as demo_qualifications

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000

# Demo passwords are printed on the console and must never reach production; the
# command refuses to run there.
DEMO_ACCOUNTS = [
    ("admin", "Jiliang-Gl#2026", "演示超级管理员（仅演示环境，可登录 /admin/）", True, None),
    ("editor", "Jiliang-Bj#2026", "演示门户编辑（可登录 /admin/ 编辑门户内容）", False, "Editors"),
    ("xitong", "Jiliang-Xt#2026", "演示系统管理员（/admin/，管理账号和基础数据）", False, "系统管理员"),
    ("anquan", "Jiliang-Aq#2026", "演示安全管理员（/admin/，管理角色和权限）", False, "安全管理员"),
    ("shenji", "Jiliang-Sj#2026", "演示审计管理员（/admin/，只读审计日志）", False, "审计管理员"),
]

# Business users sign in on the frontend at /login. Keys name the organisation they
# belong to: the first enterprise, the first institution, the provincial regulator.
DEMO_BUSINESS_ACCOUNTS = [
    ("qiye", "Jiliang-Qy#2026", "演示企业用户（在 /login 登录）", "enterprise", ["enterprise_admin"]),
    (
        "jigou",
        "Jiliang-Jg#2026",
        "演示技术机构用户（在 /login 登录）",
        "institution",
        ["institution_admin", "institution_clerk"],
    ),
    ("jianguan", "Jiliang-Jm#2026", "演示监管部门用户（在 /login 登录）", "regulator", ["regulator_admin"]),
]
DEMO_BUSINESS_ACCOUNTS += demo_applications.PRINTED_ACCOUNTS

INSTITUTIONS = [
    ("河南省计量测试科学研究院", "410105", "HNJY", "（豫）法计（2026）01001号"),
    ("洛阳市计量测试所（演示）", "410302", "LYJC", "（豫）法计（2026）03001号"),
]
REGULATORS = [
    ("河南省市场监督管理局", "410000"),
    ("郑州市市场监督管理局", "410100"),
    ("洛阳市市场监督管理局", "410300"),
]


@dataclass
class DemoSummary:
    enterprises: int
    instruments: int
    certificates: int
    sample_number: str
    sample_check_code: str


class DemoDataGenerator:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.faker = Faker("zh_CN")
        self.faker.seed_instance(seed)

    def run(self, *, enterprises: int, instruments: int, certificates: int) -> DemoSummary:
        self.counties = list(
            Division.objects.filter(level="county", is_admin_division=True).order_by("code")
        )
        self.catalogue = list(CatalogueItem.objects.order_by("number"))
        self.first_regulation = {}
        for item in CatalogueItem.objects.prefetch_related("regulations"):
            regulations = sorted(item.regulations.all(), key=lambda regulation: regulation.code)
            if regulations:
                self.first_regulation[item.pk] = regulations[0]

        with transaction.atomic():
            self.create_accounts()
            self.create_portal_pages()
            Organisation.objects.bulk_create(
                [Organisation(kind=Organisation.Kind.REGULATOR, name=name, division_id=code)
                 for name, code in REGULATORS]
            )
            institutions = self.create_institutions()
            enterprise_ids = self.create_enterprises(enterprises)
            instrument_ids = self.create_instruments(enterprise_ids, instruments)
            self.create_business_accounts()
            demo_accounts.add_demo_contacts()
            demo_applications.create_demo_staff()
            demo_qualifications.create_demo_qualifications()
            demo_interaction.create_demo_interaction()
            demo_ledger.create_demo_enterprise_info()
            demo_organisations.create_demo_attributes()

        issued = self.issue_certificates(institutions, instrument_ids[:certificates])
        demo_expiry.send_demo_warnings()
        sample = issued[0] if issued else None
        return DemoSummary(
            enterprises=len(enterprise_ids),
            instruments=len(instrument_ids),
            certificates=len(issued),
            sample_number=sample.number if sample else "",
            sample_check_code=sample.check_code if sample else "",
        )

    def create_accounts(self) -> None:
        user_model = get_user_model()
        for username, password, _, is_superuser, group_name in DEMO_ACCOUNTS:
            user = user_model(username=username, is_staff=True, is_superuser=is_superuser)
            user.set_password(password)
            user.save()
            group = Group.objects.filter(name=group_name).first() if group_name else None
            if group is not None:
                user.groups.add(group)

    def create_business_accounts(self) -> None:
        for username, password, _, kind, role_codes in DEMO_BUSINESS_ACCOUNTS:
            organisation = Organisation.objects.filter(kind=kind).order_by("pk").first()
            user = create_business_user(
                username=username,
                display_name=f"{organisation.name}演示用户",
                organisation=organisation,
                password=password,
                must_change_password=False,
            )
            for code in role_codes:
                assign_builtin_role(user, code)

    def create_portal_pages(self) -> None:
        root = Page.get_first_root_node()
        if root is None:
            # Wagtail's migrations create the tree root, but a flushed test database
            # has none.
            locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
            root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        # Wagtail's initial migration creates a placeholder "Welcome" page; the portal
        # home replaces it as the site root.
        placeholder = Page.objects.filter(
            depth=2, content_type__app_label="wagtailcore", content_type__model="page"
        ).first()

        home = root.add_child(
            instance=HomePage(
                title="河南省计量综合服务管理平台",
                slug="portal",
                introduction="面向企业、技术机构、监管部门和社会公众的全省计量服务和管理平台。",
            )
        )
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "root_page": home,
                "hostname": "localhost",
                "site_name": "河南省计量综合服务管理平台",
            },
        )
        if placeholder is not None:
            placeholder.delete()

        sections = [
            ("通知公告", "notices", NoticePage, content.NOTICES),
            ("工作动态", "work-updates", WorkUpdatePage, content.WORK_UPDATES),
            ("法律法规", "laws", LawPage, content.LAWS),
        ]
        today = datetime.date(2026, 11, 30)
        for title, slug, page_class, articles in sections:
            section = home.add_child(instance=SectionIndexPage(title=title, slug=slug))
            for offset, (article_title, publisher, summary) in enumerate(articles):
                section.add_child(
                    instance=page_class(
                        title=article_title,
                        slug=f"{slug}-{offset + 1}",
                        date=today - datetime.timedelta(days=offset * 9 + len(slug)),
                        publisher=publisher,
                        summary=summary,
                        body=f"<p>{summary}</p>{content.DEMO_NOTE}",
                    )
                )
        portal.create_portal_extras(home)

    def create_institutions(self) -> list[Organisation]:
        institutions = []
        for name, division, prefix, authorisation in INSTITUTIONS:
            institution = Organisation.objects.create(
                kind=Organisation.Kind.INSTITUTION,
                name=name,
                division_id=division,
                certificate_prefix=prefix,
                authorisation_number=authorisation,
                credit_code=self.credit_code(division, "12"),
            )
            keys.create_signing_key(institution)
            institutions.append(institution)
        return institutions

    def credit_code(self, division_code: str, registration_type: str) -> str:
        alphabet = credit_code.ALPHABET
        body = registration_type + division_code + "".join(
            self.random.choice(alphabet) for _ in range(9)
        )
        return body + credit_code.check_character(body)

    def create_enterprises(self, count: int) -> list[int]:
        batch = []
        for _ in range(count):
            division = self.random.choice(self.counties)
            batch.append(
                Organisation(
                    kind=Organisation.Kind.ENTERPRISE,
                    name=self.faker.unique.company(),
                    credit_code=self.credit_code(division.code, "91"),
                    division=division,
                    address=self.faker.street_address(),
                )
            )
        created = []
        for start in range(0, len(batch), BATCH_SIZE):
            created += Organisation.objects.bulk_create(batch[start : start + BATCH_SIZE])
        return [organisation.pk for organisation in created]

    def create_instruments(self, enterprise_ids: list[int], count: int) -> list[int]:
        enterprise_divisions = dict(
            Organisation.objects.filter(pk__in=enterprise_ids).values_list("pk", "division_id")
        )
        periodic = [
            item
            for item in self.catalogue
            if item.verification_form == "periodic" and item.cycle_months
        ]
        ids = []
        batch = []
        for index in range(count):
            enterprise_id = enterprise_ids[index % len(enterprise_ids)]
            item = self.random.choice(periodic or self.catalogue)
            batch.append(
                Instrument(
                    enterprise_id=enterprise_id,
                    catalogue_item=item,
                    usage=item.usage,
                    name=item.item_name,
                    model=f"{self.random.choice('ABCDEFGHJK')}{self.random.randint(100, 999)}",
                    measuring_range="",
                    accuracy_class=self.random.choice(["", "Ⅰ级", "Ⅱ级", "Ⅲ级", "0.5级"]),
                    serial_number=f"SN{index + 1:09d}",
                    manufacturer=self.faker.company(),
                    installation_place=self.faker.street_address(),
                    division_id=enterprise_divisions[enterprise_id],
                )
            )
            if len(batch) == BATCH_SIZE:
                ids += [instrument.pk for instrument in Instrument.objects.bulk_create(batch)]
                batch = []
        if batch:
            ids += [instrument.pk for instrument in Instrument.objects.bulk_create(batch)]
        return ids

    def issue_certificates(self, institutions, instrument_ids: list[int]) -> list[Certificate]:
        issued = []
        for start in range(0, len(instrument_ids), BATCH_SIZE):
            batch_ids = instrument_ids[start : start + BATCH_SIZE]
            with transaction.atomic():
                records = self.create_records(institutions, batch_ids, first_position=start)
                for institution in institutions:
                    own = [record for record in records if record.institution_id == institution.pk]
                    issued += services.issue_certificates(institution, own)
        return sorted(issued, key=lambda certificate: certificate.record.record_number)

    def create_records(self, institutions, instrument_ids, *, first_position):
        staff = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"]
        instruments = Instrument.objects.select_related("enterprise", "catalogue_item").in_bulk(
            instrument_ids
        )
        records = []
        for offset, instrument_id in enumerate(instrument_ids):
            position = first_position + offset
            instrument = instruments[instrument_id]
            # The first certificate is the demo's sample and always passes.
            passed = position == 0 or self.random.random() > 0.05
            verifier, checker, approver = self.random.sample(staff, 3)
            records.append(
                VerificationRecord(
                    instrument=instrument,
                    institution=institutions[position % len(institutions)],
                    regulation=self.first_regulation.get(instrument.catalogue_item_id),
                    record_number=f"JL{position + 1:08d}",
                    verification_date=datetime.date(2026, 11, 2)
                    - datetime.timedelta(days=self.random.randint(0, 300)),
                    conclusion=VerificationRecord.Conclusion.QUALIFIED
                    if passed
                    else VerificationRecord.Conclusion.UNQUALIFIED,
                    verifier_name=verifier,
                    checker_name=checker,
                    approver_name=approver,
                )
            )
        return VerificationRecord.objects.bulk_create(records)
