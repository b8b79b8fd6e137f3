"""Copy each instrument's enterprise division onto the instrument (see Instrument.enterprise_division)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_divisions(apps, schema_editor):
    Instrument = apps.get_model("instruments", "Instrument")
    Organisation = apps.get_model("organisations", "Organisation")
    if schema_editor.connection.vendor == "postgresql":
        # One statement instead of one update per enterprise for large ledgers.
        schema_editor.execute(
            "UPDATE instruments_instrument AS instrument SET enterprise_division_id = organisation.division_id "
            "FROM organisations_organisation AS organisation WHERE organisation.id = instrument.enterprise_id"
        )
        return
    enterprises = Organisation.objects.filter(pk__in=Instrument.objects.values("enterprise_id"))
    for enterprise_id, division_id in enterprises.values_list("pk", "division_id"):
        Instrument.objects.filter(enterprise_id=enterprise_id).update(enterprise_division_id=division_id)


def enterprise_division(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="reference.division",
        verbose_name="使用单位所在行政区划",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0005_ledger_text_grams"),
        ("organisations", "0001_initial"),
        ("reference", "0001_initial"),
    ]

    operations = [
        # Nullable until the copy is filled in, then required.
        migrations.AddField(model_name="instrument", name="enterprise_division", field=enterprise_division(True)),
        migrations.RunPython(copy_divisions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="instrument", name="enterprise_division", field=enterprise_division(False)
        ),
        migrations.AddIndex(
            model_name="instrument",
            index=models.Index(fields=["enterprise_division"], name="instrument_enterprise_division"),
        ),
    ]
