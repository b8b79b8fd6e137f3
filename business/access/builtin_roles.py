"""The roles every installation starts with, created by a data migration.

The security administrator may change their permissions later, so code refers to them
only to give a new user a sensible first role (such as the first user of an approved
enterprise)."""

ENTERPRISE_COMMON = [
    "organisation.view",
    "messages.view",
    "interactions.submit",
    "surveys.respond",
]

BUILTIN_ROLES = [
    {
        "code": "enterprise_admin",
        "name": "企业管理员",
        "organisation_kind": "enterprise",
        "scope": "organisation",
        "description": "维护本企业信息、用户和全部器具业务。",
        "permissions": ENTERPRISE_COMMON
        + [
            "organisation.edit",
            "users.manage",
            "instruments.view",
            "instruments.manage",
            "instruments.export",
            "instruments.print_labels",
            "certificates.view",
            "applications.view",
            "applications.submit",
            "applications.assign",
        ],
    },
    {
        "code": "enterprise_metrologist",
        "name": "企业计量员",
        "organisation_kind": "enterprise",
        "scope": "organisation",
        "description": "管理本企业器具台账并申请检定。",
        "permissions": ENTERPRISE_COMMON
        + [
            "instruments.view",
            "instruments.manage",
            "instruments.export",
            "instruments.print_labels",
            "certificates.view",
            "applications.view",
            "applications.submit",
        ],
    },
    {
        "code": "enterprise_staff",
        "name": "企业员工",
        "organisation_kind": "enterprise",
        "scope": "own",
        "description": "查看分派给本人的任务和相关器具。",
        "permissions": ENTERPRISE_COMMON + ["instruments.view", "applications.view"],
    },
    {
        "code": "institution_admin",
        "name": "机构管理员",
        "organisation_kind": "institution",
        "scope": "organisation",
        "description": "维护本机构信息、资质、质量体系、标准和证书模板。",
        "permissions": ENTERPRISE_COMMON
        + [
            "organisation.edit",
            "users.manage",
            "qualifications.view",
            "qualifications.manage",
            "documents.view",
            "documents.manage",
            "documents.approve",
            "standards.view",
            "standards.manage",
            "certificates.manage_templates",
            "institution_certificates.view",
            "interactions.answer",
        ],
    },
    {
        "code": "institution_clerk",
        "name": "业务受理员",
        "organisation_kind": "institution",
        "scope": "organisation",
        "description": "确认预约、受理送检器具、打印证书。",
        "permissions": ENTERPRISE_COMMON
        + [
            "bookings.confirm",
            "acceptance.receive",
            "certificates.issue",
            "institution_certificates.view",
            "documents.view",
        ],
    },
    {
        "code": "verifier",
        "name": "检定员",
        "organisation_kind": "institution",
        "scope": "organisation",
        "description": "录入检定原始记录。",
        "permissions": ENTERPRISE_COMMON
        + ["records.enter", "standards.view", "qualifications.view", "documents.view"],
    },
    {
        "code": "checker",
        "name": "核验员",
        "organisation_kind": "institution",
        "scope": "organisation",
        "description": "核验检定原始记录。",
        "permissions": ENTERPRISE_COMMON
        + ["records.check", "standards.view", "qualifications.view", "documents.view"],
    },
    {
        "code": "approver",
        "name": "批准人",
        "organisation_kind": "institution",
        "scope": "organisation",
        "description": "批准检定结果，签发、作废和重新签发证书。",
        "permissions": ENTERPRISE_COMMON
        + [
            "records.approve",
            "certificates.issue",
            "certificates.void",
            "institution_certificates.view",
            "standards.view",
            "qualifications.view",
            "documents.view",
        ],
    },
    {
        "code": "regulator_officer",
        "name": "监管人员",
        "organisation_kind": "regulator",
        "scope": "division",
        "description": "查看辖区内单位、器具、证书和申请，审核注册，受理咨询投诉。",
        "permissions": ENTERPRISE_COMMON
        + [
            "organisations.view",
            "registrations.review",
            "instruments.view",
            "instruments.export",
            "certificates.view",
            "applications.view",
            "qualifications.view",
            "standards.view",
            "supervision.view",
            "interactions.handle",
        ],
    },
    {
        "code": "regulator_admin",
        "name": "监管管理员",
        "organisation_kind": "regulator",
        "scope": "division",
        "description": "在监管人员的基础上管理辖区单位和用户、发布通知、发起问卷、确认省外检定申请。",
        "permissions": ENTERPRISE_COMMON
        + [
            "organisation.edit",
            "users.manage",
            "organisations.view",
            "organisations.manage",
            "registrations.review",
            "instruments.view",
            "instruments.export",
            "certificates.view",
            "applications.view",
            "applications.confirm_out_of_province",
            "qualifications.view",
            "standards.view",
            "supervision.view",
            "interactions.handle",
            "notices.publish",
            "surveys.manage",
        ],
    },
]


def assign_builtin_role(user, code: str) -> None:
    """Give ``user`` the built-in role ``code`` (no-op when already held)."""
    from .models import Role, RoleAssignment
    from .scope import forget_access

    role = Role.objects.get(code=code)
    RoleAssignment.objects.get_or_create(user=user, role=role)
    forget_access(user)
