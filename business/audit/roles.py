"""The three separated administrator roles of the admin side (三员分立).

Each is a Wagtail group. The system administrator manages admin accounts and
reference data, the security administrator manages groups and their permissions,
and the audit administrator only reads the audit log. None of the three is given a
permission on business data, and no group combines two of the roles.
"""

SYSTEM_ADMINISTRATORS = "系统管理员"
SECURITY_ADMINISTRATORS = "安全管理员"
AUDIT_ADMINISTRATORS = "审计管理员"

# Permission codenames per group, as "app_label.codename".
ROLE_PERMISSIONS = {
    SYSTEM_ADMINISTRATORS: [
        "wagtailadmin.access_admin",
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "reference.view_division",
        "reference.change_division",
        "reference.view_calendarday",
        "reference.add_calendarday",
        "reference.change_calendarday",
        "reference.delete_calendarday",
        "reference.view_regulation",
        "reference.add_regulation",
        "reference.change_regulation",
        "reference.view_catalogueitem",
        "reference.add_catalogueitem",
        "reference.change_catalogueitem",
        # Granted by migration 0004, which runs after the industry table exists:
        # "reference.view_industry", "reference.add_industry", "reference.change_industry".
    ],
    SECURITY_ADMINISTRATORS: [
        "wagtailadmin.access_admin",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
    ],
    AUDIT_ADMINISTRATORS: [
        "wagtailadmin.access_admin",
        "audit.view_auditevent",
    ],
}


def is_audit_administrator(user) -> bool:
    """Return whether ``user`` belongs to the audit administrator group.

    Group membership, not a permission check, so that a superuser is not an audit
    administrator.
    """
    return user.is_active and user.groups.filter(name=AUDIT_ADMINISTRATORS).exists()
