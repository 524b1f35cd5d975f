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
    # Diagnosis versions belong to the whole installation (decision 0501): any office's staff may
    # open them, so there is no other tenant's version. Tenant A's value is a draft (editable,
    # so the edit page is walked); "tenant B's" is an id that does not exist and must be a 404.
    draft = services.diagnosis_version_copy(actor=world.a.owner, version=version)
    return {"diagnosis_id": tuple(ids), "version_id": (draft.pk, draft.pk + 10_000)}
