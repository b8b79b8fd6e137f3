"""The permission catalogue: every business permission a role can grant.

A permission is a short code ("instruments.manage") with the Chinese label the
security administrator sees when composing roles, and the organisation kinds it makes
sense for. Code never invents a permission on the fly: ``require_permission`` and
``scoped`` reject codes missing here, so a typo fails loudly in tests.
"""

from dataclasses import dataclass

ENTERPRISE = "enterprise"
INSTITUTION = "institution"
REGULATOR = "regulator"
ALL_KINDS = (ENTERPRISE, INSTITUTION, REGULATOR)


@dataclass(frozen=True)
class Permission:
    code: str
    label: str
    kinds: tuple[str, ...]


def _permissions(kinds, *pairs) -> list[Permission]:
    return [Permission(code, label, kinds) for code, label in pairs]


PERMISSIONS: list[Permission] = [
    # Organisation profile and staff, for every kind of organisation.
    *_permissions(
        ALL_KINDS,
        ("organisation.view", "查看单位信息"),
        ("organisation.edit", "维护单位信息与附件"),
        ("users.manage", "管理本单位用户"),
        ("messages.view", "查看消息中心"),
        ("interactions.submit", "提交咨询、建议与投诉"),
        ("surveys.respond", "填写问卷"),
    ),
    # Enterprises (送检单位).
    *_permissions(
        (ENTERPRISE, REGULATOR),
        ("instruments.view", "查看器具台账"),
        ("instruments.export", "导出器具台账"),
        ("certificates.view", "查看和下载证书"),
        ("applications.view", "查看检定申请"),
    ),
    *_permissions(
        (ENTERPRISE,),
        ("instruments.manage", "器具备案、状态变更与批量导入"),
        ("instruments.print_labels", "打印器具二维码标签"),
        ("applications.submit", "提交检定申请"),
        ("applications.assign", "分派内部任务"),
    ),
    # Technical institutions (技术机构).
    *_permissions(
        (INSTITUTION, REGULATOR),
        ("qualifications.view", "查看资质与人员资格"),
        ("standards.view", "查看计量标准与标准设备"),
    ),
    *_permissions(
        (INSTITUTION,),
        ("qualifications.manage", "维护授权证书、人员资格与收费标准"),
        ("documents.view", "查阅管理体系文件"),
        ("documents.manage", "编写和修订管理体系文件"),
        ("documents.approve", "审批和发布管理体系文件"),
        ("standards.manage", "维护计量标准、标准设备与规程库"),
        ("bookings.confirm", "预约确认"),
        ("acceptance.receive", "检定受理"),
        ("records.enter", "录入检定原始记录（检定员）"),
        ("records.check", "核验检定原始记录（核验员）"),
        ("records.approve", "批准检定结果（批准人）"),
        ("certificates.issue", "签发和打印证书"),
        ("certificates.void", "作废和重新签发证书"),
        ("certificates.manage_templates", "维护证书模板"),
        ("institution_certificates.view", "查看本机构签发的证书"),
        ("interactions.answer", "答复关于本机构的咨询"),
    ),
    # Regulators (监管部门).
    *_permissions(
        (REGULATOR,),
        ("organisations.view", "查看辖区单位"),
        ("organisations.manage", "管理辖区单位"),
        ("registrations.review", "审核企业注册"),
        ("applications.confirm_out_of_province", "确认省外检定申请"),
        ("notices.publish", "发布通知公告"),
        ("interactions.handle", "受理和答复咨询投诉"),
        ("surveys.manage", "发起和统计问卷"),
        ("supervision.view", "查看监督检查数据"),
    ),
]

BY_CODE: dict[str, Permission] = {permission.code: permission for permission in PERMISSIONS}


def choices() -> list[tuple[str, str]]:
    return [(permission.code, permission.label) for permission in PERMISSIONS]
