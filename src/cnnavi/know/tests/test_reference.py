import pytest

from cnnavi.core.diagnosis import initial_definition
from cnnavi.know import reference
from cnnavi.know.models import DiagnosisVersion, VersionStatus

pytestmark = pytest.mark.django_db


def test_the_migration_ships_version_1_published_and_load_is_idempotent():
    v1 = DiagnosisVersion.objects.get()
    assert (v1.number, v1.status, v1.definition) == (
        1,
        VersionStatus.PUBLISHED,
        initial_definition(),
    )
    reference.load()
    assert DiagnosisVersion.objects.count() == 1
    DiagnosisVersion.objects.all().delete()
    reference.load()
    assert DiagnosisVersion.objects.get().status == VersionStatus.PUBLISHED
