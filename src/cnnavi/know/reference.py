"""Reference data every installation needs: version 1 of the stage diagnosis, published.
The data migration 0002 creates it; ``load()`` (run by ``cnnavi load_reference``) restores it
where a database was emptied (e.g. after a flush), and changes nothing otherwise."""

from django.utils import timezone
from django.utils.translation import gettext_noop

from cnnavi.core.diagnosis import initial_definition
from cnnavi.know.models import DiagnosisVersion, VersionStatus

# Stored in Japanese; the versions page translates it like any UI text.
FIRST_NOTE = gettext_noop("初版（パンフレットの診断ツールの考え方に沿って作成）")


def load() -> None:
    if DiagnosisVersion.objects.exists():
        return
    DiagnosisVersion.objects.create(
        number=1,
        status=VersionStatus.PUBLISHED,
        definition=initial_definition(),
        note=FIRST_NOTE,
        published_at=timezone.now(),
    )
