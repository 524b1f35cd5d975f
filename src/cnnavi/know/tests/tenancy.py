"""Ids of tenant A and tenant B for the URL kwargs of the know app."""

from cnnavi.core.diagnosis import initial_definition
from cnnavi.know import reference, services
from cnnavi.know.models import DiagnosisVersion


def provide(world) -> dict[str, tuple]:
    reference.load()
    version = DiagnosisVersion.objects.get(number=1)
    ids = []
    for tenant in (world.a, world.b):
        diagnosis = services.diagnosis_create(
            version=version, answers={"customer_asked": "yes"}, language="ja"
        )
        services.diagnosis_save(actor=tenant.owner, diagnosis=diagnosis, company=tenant.company)
        ids.append(diagnosis.pk)
    assert initial_definition()  # the shipped definition is readable
    return {"diagnosis_id": tuple(ids)}
