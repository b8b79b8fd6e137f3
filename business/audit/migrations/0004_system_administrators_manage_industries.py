from django.db import migrations

# Added after 0003: the GB/T 4754 industry sections are reference data, which the
# system administrator maintains.
INDUSTRY_PERMISSIONS = ["view_industry", "add_industry", "change_industry"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from business.audit.roles import SYSTEM_ADMINISTRATORS

    reference = apps.get_app_config("reference")
    reference.models_module = True
    create_permissions(reference, apps=apps, verbosity=0)
    reference.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=SYSTEM_ADMINISTRATORS).first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reference", codename__in=INDUSTRY_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_administrator_roles"),
        ("reference", "0002_industries"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
