"""Demo organisation attributes: two enterprise attributes with values, so the attribute
filters of the organisation lists have something to find."""

import logging

from business.organisations.models import Organisation, OrganisationAttribute

logger = logging.getLogger(__name__)

SCALES = ["大型", "中型", "小型", "微型"]


def create_demo_attributes() -> int:
    """Define 企业规模 and 注册资本（万元） for enterprises and fill them in; return how many were filled."""
    scale, _ = OrganisationAttribute.objects.get_or_create(
        organisation_kind=Organisation.Kind.ENTERPRISE,
        name="企业规模",
        defaults={"data_type": OrganisationAttribute.DataType.CHOICE, "options": SCALES, "sort_order": 1},
    )
    capital, _ = OrganisationAttribute.objects.get_or_create(
        organisation_kind=Organisation.Kind.ENTERPRISE,
        name="注册资本（万元）",
        defaults={"data_type": OrganisationAttribute.DataType.NUMBER, "sort_order": 2},
    )

    enterprises = list(Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE).order_by("pk"))
    for position, enterprise in enumerate(enterprises):
        enterprise.attributes = {
            scale.key: SCALES[position % len(SCALES)],
            capital.key: str(50 * (position % 20 + 1)),
        }
    Organisation.objects.bulk_update(enterprises, ["attributes"], batch_size=500)
    logger.info("demo organisation attributes set on %d enterprises", len(enterprises))
    return len(enterprises)
