"""Demo enterprise information for the demo enterprise account "qiye".

Runs after the generator created the enterprises, their instruments and the demo
accounts. The first enterprise gets a profile, one attachment (a generated PNG), two
training records and maintenance records for two of its instruments, all through the
same services the screens use.
"""

import datetime
import io
import logging

from PIL import Image, ImageDraw

from business.accounts.models import BusinessUser
from business.audit.services import RequestInfo
from business.enterprises import services
from business.enterprises.models import Attachment
from business.instruments.models import Instrument

logger = logging.getLogger(__name__)

DEMO_USERNAME = "qiye"
SYSTEM_REQUEST = RequestInfo(channel="system")

TRAININGS = [
    ("王芳", "《计量法》与强制检定管理", "河南省计量测试科学研究院", datetime.date(2026, 3, 12), 16),
    ("李强", "电子计价秤的日常核查", "郑州市计量技术研究所（演示）", datetime.date(2026, 6, 5), 8),
]
MAINTENANCE = [
    ("servicing", "清洁秤盘和传感器，检查水平泡", "正常"),
    ("inspection", "用 10 kg 砝码做期间核查，示值误差在允许范围内", "合格"),
]


def _licence_image() -> bytes:
    image = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 580, 380), outline="red", width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def create_demo_enterprise_info() -> None:
    """Add the profile, an attachment, training and maintenance rows for the demo enterprise."""
    user = BusinessUser.objects.filter(username=DEMO_USERNAME).select_related("organisation").first()
    if user is None:
        logger.warning("Demo user %s is missing; no demo enterprise information created", DEMO_USERNAME)
        return
    organisation = user.organisation
    if Attachment.objects.filter(organisation=organisation).exists():
        return

    services.update_profile(
        organisation,
        actor=user,
        request_info=SYSTEM_REQUEST,
        legal_representative="张伟",
        contact_name="王芳",
        contact_phone="0371-65500000",
        industry="零售业",
        business_scope="日用百货、生鲜食品零售（演示数据）",
        metrology_officer="王芳",
    )
    services.add_attachment(
        organisation,
        category=Attachment.Category.BUSINESS_LICENCE,
        title="营业执照副本（演示）",
        content=_licence_image(),
        original_name="营业执照.png",
        actor=user,
        request_info=SYSTEM_REQUEST,
    )
    for trainee, course, organiser, start_date, hours in TRAININGS:
        services.create_training_record(
            organisation,
            actor=user,
            request_info=SYSTEM_REQUEST,
            trainee_name=trainee,
            course=course,
            organiser=organiser,
            start_date=start_date,
            hours=hours,
        )
    instruments = Instrument.objects.filter(
        enterprise=organisation, status=Instrument.Status.IN_USE
    ).order_by("pk")[:2]
    for instrument, (kind, description, result) in zip(instruments, MAINTENANCE, strict=False):
        services.create_maintenance_record(
            instrument,
            actor=user,
            request_info=SYSTEM_REQUEST,
            kind=kind,
            performed_on=datetime.date(2026, 9, 1),
            performed_by="王芳",
            description=description,
            result=result,
        )
    logger.info("Created demo enterprise information for organisation %s", organisation.pk)
