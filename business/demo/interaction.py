"""Demo rows of the interaction centre, surveys, notices and convenience look-ups.

Runs after the generator created organisations and the demo accounts. The regulator
account "jianguan" publishes one survey and one notice. Two consultations are
submitted, and one of them is answered and published. The look-up lists get a few rows.
Every change goes through the same services as the screens use.
"""

import datetime
import logging

from django.utils import timezone

from business.accounts.models import BusinessUser
from business.audit.services import RequestInfo
from business.interaction import services as interaction_services
from business.lookups.models import (
    CommitteeExpert,
    InstitutionProfile,
    Manufacturer,
    SelfDeclaration,
)
from business.notices import services as notice_services
from business.organisations.models import Organisation
from business.reference.models import Division
from business.surveys import services as survey_services

logger = logging.getLogger(__name__)

SYSTEM_REQUEST = RequestInfo(channel="system")

EXPERTS = [
    ("陈建国", "河南省衡器计量技术委员会", "衡器", "河南省计量测试科学研究院", "正高级工程师"),
    ("刘淑芬", "河南省流量计量技术委员会", "流量", "郑州市计量技术研究所（演示）", "高级工程师"),
    ("马志远", "河南省电学计量技术委员会", "电能表", "洛阳市计量测试所（演示）", "高级工程师"),
]
MANUFACTURERS = [
    ("郑州示例衡器有限公司（演示）", "410105", "电子计价秤、电子台秤", "（豫）2025F101-41"),
    ("洛阳示例仪表有限公司（演示）", "410302", "燃气表、水表", "（豫）2024F033-41"),
]
DECLARATIONS = [
    (
        "河南示例面粉有限公司（演示）",
        "410105",
        "小麦粉",
        "ZS-410105-2026-0001",
        datetime.date(2026, 3, 1),
    ),
    (
        "洛阳示例食用油有限公司（演示）",
        "410302",
        "食用植物油",
        "ZS-410302-2026-0007",
        datetime.date(2026, 5, 18),
    ),
]


def create_demo_interaction() -> None:
    regulator_user = BusinessUser.objects.filter(username="jianguan").first()
    if regulator_user is None:
        logger.warning("demo account jianguan missing; no survey, notice or replies created")
        return
    _create_lookup_rows()
    _create_survey(regulator_user)
    _create_notice(regulator_user)
    _create_consultations(regulator_user)


def _create_lookup_rows() -> None:
    for name, committee, specialty, employer, title in EXPERTS:
        CommitteeExpert.objects.create(
            name=name, committee=committee, specialty=specialty, employer=employer, title=title
        )
    for name, code, products, approvals in MANUFACTURERS:
        if Division.objects.filter(code=code).exists():
            Manufacturer.objects.create(
                name=name, division_id=code, products=products, pattern_approval_numbers=approvals
            )
    for name, code, products, number, declared_on in DECLARATIONS:
        if Division.objects.filter(code=code).exists():
            SelfDeclaration.objects.create(
                enterprise_name=name,
                division_id=code,
                products=products,
                declaration_number=number,
                declared_on=declared_on,
            )
    first = Organisation.objects.filter(kind=Organisation.Kind.INSTITUTION).order_by("pk").first()
    if first is not None:
        InstitutionProfile.objects.create(
            institution=first,
            offers_verification=True,
            offers_calibration=True,
            service_scope="衡器、压力、流量、电学等强制检定和校准（演示）",
            service_phone="0371-00000000",
        )


def _create_survey(user) -> None:
    now = timezone.now()
    survey = survey_services.save_survey(
        user,
        survey=None,
        title="2026 年计量服务满意度调查（演示）",
        description="请根据近一年办理计量业务的体验作答，调查结果用于改进服务。",
        audience="public",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=60),
        questions=[
            survey_services.QuestionSpec("single", "您的身份", True, ["企业", "技术机构", "个人"]),
            survey_services.QuestionSpec(
                "multiple",
                "您办理过哪些业务",
                True,
                ["器具备案", "检定申请", "证书验伪", "咨询投诉"],
            ),
            survey_services.QuestionSpec("rating", "对计量服务的总体满意度", True),
            survey_services.QuestionSpec("text", "意见和建议", False),
        ],
        request_info=SYSTEM_REQUEST,
    )
    survey_services.set_status(survey, user, "published", request_info=SYSTEM_REQUEST)


def _create_notice(user) -> None:
    notice = notice_services.save_notice(
        user,
        notice=None,
        title="关于开展 2026 年度强制检定计量器具自查的通知（演示）",
        body="各企业、技术机构：\n请于 6 月 30 日前完成在用强制检定计量器具的自查，"
        "并在器具台账中更新状态。\n特此通知。",
        for_enterprises=True,
        for_institutions=True,
        target_division_code=user.organisation.division_id,
        request_info=SYSTEM_REQUEST,
    )
    notice_services.publish_notice(notice, user, request_info=SYSTEM_REQUEST)


def _create_consultations(user) -> None:
    county = Division.objects.filter(code="410105").first()
    if county is None:
        return
    answered = interaction_services.submit_interaction(
        kind="consultation",
        title="超市使用的电子计价秤是否需要强制检定？（演示）",
        body="我店新购一台电子计价秤用于称重收费，请问是否需要送检，多久检一次？",
        division_code=county.code,
        contact_name="王小明",
        contact_phone="13800000000",
        publish_consent=True,
        request_info=SYSTEM_REQUEST,
    ).interaction
    handler = _handler_of(answered.handling_organisation) or user
    interaction_services.reply_interaction(
        answered,
        handler,
        "用于贸易结算的电子计价秤属于强制检定的计量器具，使用前应申请首次检定，"
        "之后按检定周期（一般为 1 年）定期检定。",
        request_info=SYSTEM_REQUEST,
    )
    interaction_services.submit_interaction(
        kind="suggestion",
        title="建议增加周末预约送检（演示）",
        body="企业工作日生产繁忙，建议检定机构开放周末预约。",
        division_code=county.code,
        contact_name="李华",
        contact_phone="13900000000",
        request_info=SYSTEM_REQUEST,
    )


def _handler_of(organisation):
    from business.access import has_permission

    for candidate in organisation.business_users.filter(is_active=True):
        if has_permission(candidate, "interactions.handle"):
            return candidate
    return None
