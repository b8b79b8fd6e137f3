from django.db import migrations


def grant_new_permissions(apps, schema_editor):
    """Add permissions that built-in role definitions gained since 0002.

    Only adds: a security administrator may have removed permissions from a built-in
    role on purpose, and this must not bring them back.
    """
    from business.access.builtin_roles import BUILTIN_ROLES

    Role = apps.get_model("access", "Role")
    added_since_0002 = {"interactions.answer"}
    for definition in BUILTIN_ROLES:
        wanted = added_since_0002 & set(definition["permissions"])
        role = Role.objects.filter(code=definition["code"]).first()
        if role is None or not wanted:
            continue
        role.permissions = sorted(set(role.permissions) | wanted)
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("access", "0002_builtin_roles")]

    operations = [migrations.RunPython(grant_new_permissions, migrations.RunPython.noop)]
