from cnnavi.pages.models import LegalDocument, LegalKind

DEFAULT_VERSION = 1  # the default texts shipped with the app


def legal_document(*, kind: str) -> LegalDocument | None:
    return LegalDocument.objects.filter(kind=kind).first()


def terms_version() -> int:
    """The version of the terms of use in force (recorded when someone signs up)."""
    doc = legal_document(kind=LegalKind.TERMS)
    return doc.version if doc else DEFAULT_VERSION
