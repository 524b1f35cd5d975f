"""Background work of the energy import (docs/decisions/1005): parsing a file into its preview,
and writing a confirmed file. Web requests only store the file and read the stored preview."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks import task

from cnnavi.accounts.models import User
from cnnavi.measure import services
from cnnavi.measure.models import EnergyImport, ImportStatus, ImportWork
from cnnavi.measure.selectors.imports import plan_import

logger = logging.getLogger(__name__)


def _store_progress(import_id: int):
    """Keeps how far the parse is on the import (every few thousand rows, not every row) for
    the polling preview page and the API's status."""

    def store(read: int, total: int) -> None:
        EnergyImport.objects.filter(pk=import_id, work=ImportWork.RUNNING).update(
            preview={"progress": {"read": read, "total": total}}
        )

    return store


@task()
def import_plan(*, import_id: int, commit: bool = False, actor_id: int | None = None) -> None:
    """Parse the file, match and check every row, keep the preview. ``commit`` (the API's
    ``dry_run=false``): write the file right after a preview without errors."""
    with transaction.atomic():
        imp = EnergyImport.objects.select_for_update().filter(pk=import_id).first()
        if imp is None or imp.status != ImportStatus.PENDING or imp.work != ImportWork.QUEUED:
            return
        imp.work = ImportWork.RUNNING
        imp.save(update_fields=["work"])
    try:
        plan = plan_import(
            company=imp.company,
            data=services.import_file_bytes(imp),
            filename=imp.filename,
            co2_rows=services.PREVIEW_ROWS,
            progress=_store_progress(import_id),
        )
    except BaseException:
        # Recorded so that the preview page stops waiting; the task result keeps the trace.
        logger.exception("import %s could not be parsed", import_id)
        EnergyImport.objects.filter(pk=import_id).update(work=ImportWork.FAILED)
        raise
    services.import_store_preview(energy_import=imp, plan=plan)
    if commit and plan.ok:
        services.import_queue_commit(energy_import=imp)
        import_commit.call(import_id=import_id, actor_id=actor_id)


@task()
def import_commit(*, import_id: int, actor_id: int | None) -> None:
    """Write a confirmed file in one transaction (services.import_commit checks it again
    against the data stored now)."""
    imp = EnergyImport.objects.filter(pk=import_id).first()
    if imp is None or imp.status != ImportStatus.PENDING:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        services.import_commit(actor=actor, energy_import=imp)
    except ValidationError as exc:
        EnergyImport.objects.filter(pk=import_id).update(work=ImportWork.READY)
        preview = dict(imp.preview, commit_error=" ".join(exc.messages))
        EnergyImport.objects.filter(pk=import_id).update(preview=preview)
