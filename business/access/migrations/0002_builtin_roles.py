from django.db import migrations


def create_builtin_roles(apps, schema_editor):
    from business.access.builtin_roles import BUILTIN_ROLES

    Role = apps.get_model("access", "Role")
    for definition in BUILTIN_ROLES:
        Role.objects.update_or_create(
            code=definition["code"], defaults={**definition, "is_builtin": True}
        )


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(create_builtin_roles, migrations.RunPython.noop)]
