from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cnnavi.audit.services import audit_record
from cnnavi.pages.models import LegalDocument, LegalKind
from cnnavi.pages.selectors import DEFAULT_VERSION


@transaction.atomic(durable=True)
def legal_document_save(*, actor, kind: str, body: str, body_en: str = "") -> LegalDocument:
    """Write a legal text; a changed text gets the next version (sign-ups record the terms'
    version they accepted)."""
    if kind not in LegalKind.values:
        raise ValidationError({"kind": _("種類を選んでください。")})
    if not body.strip():
        raise ValidationError({"body": _("本文を入力してください。")})
    doc = LegalDocument.objects.select_for_update().filter(kind=kind).first()
    if doc is None:  # replaces the default text, which is version 1
        doc = LegalDocument(kind=kind, version=DEFAULT_VERSION)
    if doc.pk is None or doc.body != body.strip() or doc.body_en != body_en.strip():
        doc.version += 1
    doc.body, doc.body_en, doc.updated_by = body.strip(), body_en.strip(), actor
    doc.save()
    audit_record(
        actor=actor, action="legal.save", target=doc, data={"kind": kind, "version": doc.version}
    )
    return doc
