"""GraphQL API of expiry warnings: the counts per band for the workbench home screen."""

import graphene

from business.accounts.permissions import require_business_user

from . import services
from .models import OVERDUE


class ExpiryBand(graphene.ObjectType):
    lead_days = graphene.Int(description="提前天数；已过期的一档为 null")
    overdue = graphene.Boolean(required=True, description="是否为已过期的一档")
    label = graphene.String(required=True, description="这一档的中文名称，例如“8–15 天内到期”")
    count = graphene.Int(required=True, description="处于这一档的在用器具台数")

    class Meta:
        description = "到期提醒的一档及其器具台数"


class ExpirySummary(graphene.ObjectType):
    bands = graphene.List(
        graphene.NonNull(ExpiryBand), required=True, description="各档，按提前天数从多到少，已过期在最后"
    )
    total_count = graphene.Int(required=True, description="各档合计")

    class Meta:
        description = "在用器具的到期情况"


class ExpiryQuery(graphene.ObjectType):
    expiry_summary = graphene.Field(
        ExpirySummary,
        required=True,
        description="当前用户可查看的在用器具（企业为本企业，监管部门为本辖区）按到期提醒分档的台数，"
        "按检定证书有效期或使用期限计算。需要“查看器具台账”权限。",
    )

    @staticmethod
    def resolve_expiry_summary(root, info):
        user = require_business_user(info)
        counts = services.expiry_summary(user)
        bands = [
            ExpiryBand(
                lead_days=None if item.band == OVERDUE else item.band,
                overdue=item.band == OVERDUE,
                label=item.label,
                count=item.count,
            )
            for item in counts
        ]
        return ExpirySummary(bands=bands, total_count=sum(item.count for item in counts))
