from django.db import migrations

SYSTEM_ADMINISTRATORS = "系统管理员"
CODENAMES = ["view_expirywarningsettings", "change_expirywarningsettings"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the grant needs them now.
    app_config = apps.get_app_config("expiry")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    group = apps.get_model("auth", "Group").objects.filter(name=SYSTEM_ADMINISTRATORS).first()
    if group is None:
        return
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="expiry", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=SYSTEM_ADMINISTRATORS).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="expiry", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    """The system administrator maintains the expiry lead times, like other reference data."""

    dependencies = [
        ("expiry", "0001_initial"),
        ("audit", "0003_administrator_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
