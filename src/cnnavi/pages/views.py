from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from cnnavi.common.navigation import MENUS
from cnnavi.pages import selectors
from cnnavi.pages.models import LegalKind


def home(request):
    return render(request, "pages/home.html", {"menus": [(m, m.url()) for m in MENUS]})


def legal(request, kind):
    """/legal/privacy/, /legal/terms/, /legal/operator/: the operator's text, or the default."""
    if kind not in LegalKind.values:
        raise Http404
    doc = selectors.legal_document(kind=kind)
    english = get_language() == "en"
    context = {
        "kind": kind,
        "title": LegalKind(kind).label,
        "doc": doc,
        "body": (doc.body_en if english and doc.body_en else doc.body) if doc else "",
        "only_japanese": bool(doc and english and not doc.body_en),
        "version": doc.version if doc else selectors.DEFAULT_VERSION,
    }
    return render(request, "pages/legal/page.html", context)
