"""Ship the starting catalogue of reduction measures (reference data; see reduce/reference.py)."""

from django.db import migrations


def forward(apps, schema_editor):
    from cnnavi.reduce.reference import load

    load(apps.get_model("reduce", "CatalogueMeasure"))


class Migration(migrations.Migration):
    dependencies = [("reduce", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
