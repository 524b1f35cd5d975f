from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.choices import Prefecture
from cnnavi.common.forms import form_status
from cnnavi.orgs.access import Need, get_company_access, get_staff_office, int_or_404
from cnnavi.outcomes import exports, selectors, services
from cnnavi.outcomes.forms import FeedForm, OutcomesFilterForm, default_fiscal_year
from cnnavi.outcomes.models import FeedItem
from cnnavi.programmes.models import HeadlineKind, Topic


def _report(request, office):
    """The filter form and, when it is valid, the report (cached for a minute)."""
    # no parameters: the last fiscal year, no filter (shown as such in the form)
    form = OutcomesFilterForm(request.GET or {"period": "fy", "fiscal_year": default_fiscal_year()})
    if not form.is_valid():
        return form, None
    return form, selectors.report_cached(
        office=office, period=form.period_value(), filters=form.filters_value()
    )


@login_required
def index(request):
    office = get_staff_office(request)
    form, rep = _report(request, office)
    return render(
        request,
        "outcomes/index.html",
        {
            "office": office,
            "form": form,
            "report": rep,
            "query": request.GET.urlencode(),
            "definitions": selectors.DEFINITIONS,
            "min_group": selectors.MIN_GROUP,
        },
        status=200 if rep is not None else 422,
    )


@login_required
def export(request, fmt):
    office = get_staff_office(request)
    form, rep = _report(request, office)
    if rep is None:
        return render(
            request, "outcomes/index.html", {"office": office, "form": form, "report": None},
            status=422,
        )  # fmt: skip
    return exports.report_xlsx(rep) if fmt == "xlsx" else exports.report_csv(rep)


@login_required
def companies(request):
    """The companies behind one figure, those the staff may see (consent in force)."""
    office = get_staff_office(request)
    form, rep = _report(request, office)
    if rep is None:
        return render(
            request, "outcomes/index.html", {"office": office, "form": form, "report": None},
            status=422,
        )  # fmt: skip
    ids = rep.ids_of(request.GET.get("metric", ""))
    if ids is None:
        raise Http404
    visible, hidden = selectors.companies_behind(office=office, ids=ids)
    query = request.GET.copy()
    query.pop("metric", None)
    return render(
        request,
        "outcomes/companies.html",
        {
            "office": office,
            "report": rep,
            "companies": visible,
            "hidden": hidden,
            "metric": request.GET.get("metric", ""),
            "back_query": query.urlencode(),
        },
    )


# --- feeds -------------------------------------------------------------------------------------


@login_required
def feeds(request):
    office = get_staff_office(request)
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feed_save(actor=request.user, office=office, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("フィードを追加しました。"))
            return redirect("outcomes_staff:feeds")
    context = {
        "office": office,
        "form": form,
        **selectors.feeds_to_review(office=office),
        "kind_labels": dict(HeadlineKind.choices),
        "topic_labels": dict(Topic.choices),
        "prefecture_labels": dict(Prefecture.choices),
    }
    return render(request, "outcomes/feeds.html", context, status=form_status(form))


def _item(request, item_id) -> FeedItem:
    office = get_staff_office(request)
    items = FeedItem.objects.filter(office=office).select_related("feed")
    return get_object_or_404(items, pk=int_or_404(item_id))


@login_required
@require_POST
def item_publish(request, item_id):
    item = _item(request, item_id)
    try:
        services.feed_item_publish(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("支援情報ヘッドラインとして掲載しました。"))
    return redirect("outcomes_staff:feeds")


@login_required
@require_POST
def item_dismiss(request, item_id):
    item = _item(request, item_id)
    try:
        services.feed_item_dismiss(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("outcomes_staff:feeds")


# --- the company's benchmark (loaded into the measure dashboard) --------------------------------


@login_required
def benchmark(request, company_id):
    access = get_company_access(request, company_id, need=Need.VIEW)
    context = {"company": access.company, "b": selectors.benchmark(company=access.company)}
    if request.htmx:
        return render(request, "outcomes/_benchmark_card.html", context)
    return render(request, "outcomes/benchmark.html", context)
