"""Reference data: version 1 of the stage diagnosis, published. Its definition is
cnnavi/core/diagnosis/initial.json, which must never change (published versions are immutable;
support staff make new versions from it in the admin)."""

from django.db import migrations
from django.utils import timezone


def create_first_version(apps, schema_editor):
    from cnnavi.core.diagnosis import initial_definition

    DiagnosisVersion = apps.get_model("know", "DiagnosisVersion")
    if not DiagnosisVersion.objects.filter(number=1).exists():
        DiagnosisVersion.objects.create(
            number=1,
            status="published",
            definition=initial_definition(),
            note="初版（パンフレットの診断ツールの考え方に沿って作成）",
            published_at=timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [("know", "0001_initial")]
    operations = [migrations.RunPython(create_first_version, migrations.RunPython.noop)]
