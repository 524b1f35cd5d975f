"""Reads of the know app: the current version, results as shown, history, suggestions, counts."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cnnavi.common import charts
from cnnavi.common.choices import Industry, Prefecture
from cnnavi.core.diagnosis import (
    Definition,
    DefinitionError,
    Result,
    compare,
    parse_definition,
    score,
    text,
)
from cnnavi.core.periods import month_of, month_text, months_between
from cnnavi.know.links import help_items
from cnnavi.know.models import Diagnosis, DiagnosisVersion, SelfCheck, Stage, VersionStatus
from cnnavi.measure.calc import energy_data_summary

TOKYO = ZoneInfo("Asia/Tokyo")


def current_version() -> DiagnosisVersion | None:
    """The published version new answer sets are given under (the highest number)."""
    return (
        DiagnosisVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
    )


def definition_of(version: DiagnosisVersion) -> Definition:
    return parse_definition(version.definition)


def scored(diagnosis: Diagnosis) -> tuple[Definition, Result]:
    """An answer set scored with the version it was given under."""
    definition = definition_of(diagnosis.version)
    return definition, score(definition, diagnosis.answers)


def latest_stage(*, company) -> str | None:
    """The stage of the company's latest saved diagnosis: "know" | "measure" | "reduce" |
    "prepare", or None."""
    return (
        Diagnosis.objects.filter(company=company)
        .order_by("-saved_at", "-id")
        .values_list("stage", flat=True)
        .first()
    )


def company_diagnoses(*, company) -> QuerySet[Diagnosis]:
    return (
        Diagnosis.objects.filter(company=company)
        .select_related("version", "saved_by")
        .order_by("-saved_at", "-id")
    )


def previous_diagnosis(*, diagnosis: Diagnosis) -> Diagnosis | None:
    """The company's saved diagnosis just before this one."""
    return (
        Diagnosis.objects.filter(company_id=diagnosis.company_id, saved_at__lt=diagnosis.saved_at)
        .select_related("version")
        .order_by("-saved_at", "-id")
        .first()
    )


def company_self_checks(*, company) -> QuerySet[SelfCheck]:
    return SelfCheck.objects.filter(company=company).order_by("-created_at", "-id")


# --- Answers CN Navi already knows -------------------------------------------------------------
def known_facts(*, company) -> dict[str, str]:
    """Facts CN Navi knows about the company, as the choice a question should suggest.
    Only what the data shows is suggested; the absence of data suggests nothing."""
    summary = energy_data_summary(company=company)
    facts = {}
    if summary.months_with_data_last_12 >= 12:
        facts["energy_monthly"] = "yes"
    if summary.has_co2:
        facts["co2_calculated"] = "yes"
    if summary.has_use_breakdown:
        facts["use_breakdown"] = "yes"
    return facts


def suggested_answers(*, company, definition: Definition) -> dict[str, str]:
    """question code -> suggested choice code, for questions whose ``suggest`` fact is known."""
    if company is None:
        return {}
    facts = known_facts(company=company)
    suggestions = {}
    for question in definition.questions():
        choice = facts.get(question.suggest) if question.suggest else None
        if choice and question.choice(choice) is not None:
            suggestions[question.code] = choice
    return suggestions


# --- A result as shown on pages and in the PDF ---------------------------------------------------
@dataclass(frozen=True)
class ResultView:
    stage: str
    stage_title: str
    stage_summary: str
    ladder: list[dict]
    reasoning: list[dict]
    scores: list[dict]
    risks: list[dict]
    next_steps: list[dict]
    help: list[dict]
    answers: list[dict]


def _answer_text(definition: Definition, ref, language: str) -> dict:
    return {
        "question": text(ref.question_text, language),
        "answer": text(ref.choice_label, language),
    }


def _ladder(definition: Definition, result: Result) -> list[dict]:
    """The stages in order, marking the one reached and those passed."""
    labels = dict(Stage.choices)
    return [
        {
            "code": s.code,
            "label": str(labels[s.code]),
            "current": s.code == result.stage,
            "passed": i < result.stage_index,
        }
        for i, s in enumerate(definition.stages)
    ]


def _reasoning(result: Result, language: str) -> list[dict]:
    """Each stage's check: its conditions, the score each needs and has, whether it is met."""
    return [
        {
            "stage": check.stage,
            "title": text(check.title, language),
            "met": check.met,
            "current": check.stage == result.stage,
            "conditions": [
                {
                    "label": text(c.label, language),
                    "minimum": c.minimum,
                    "score": c.score,
                    "met": c.met,
                }
                for c in check.conditions
            ],
        }
        for check in result.checks
    ]


def _answers(definition: Definition, result: Result, language: str) -> list[dict]:
    """The answers given, step by step: each question with the choices' labels."""
    sep = "、" if language == "ja" else ", "
    answers = []
    for step in definition.steps:
        items = [
            {
                "question": text(q.text, language),
                "answer": sep.join(
                    text(q.choice(c).label, language) for c in result.answers.get(q.code, ())
                ),
            }
            for q in step.questions
        ]
        answers.append({"title": text(step.title, language), "items": items})
    return answers


def _risks(definition: Definition, result: Result, language: str) -> list[dict]:
    """The risks raised, each with the answers that raised it and its help."""
    return [
        {
            "code": r.code,
            "title": text(r.title, language),
            "text": text(r.text, language),
            "because": [_answer_text(definition, b, language) for b in r.because],
            "help": help_items(r.help),
        }
        for r in result.risks
    ]


def result_view(definition: Definition, result: Result, language: str) -> ResultView:
    stage = definition.stage(result.stage)
    return ResultView(
        stage=result.stage,
        stage_title=text(stage.title, language),
        stage_summary=text(stage.summary, language),
        ladder=_ladder(definition, result),
        reasoning=_reasoning(result, language),
        scores=[
            {"label": text(d.label, language), "score": result.scores.get(d.code, 0)}
            for d in definition.dimensions
        ],
        risks=_risks(definition, result, language),
        next_steps=[
            {
                "text": text(s.text, language),
                "because": _answer_text(definition, s.because, language) if s.because else None,
                "help": help_items(s.help),
            }
            for s in result.next_steps
        ],
        help=help_items(result.help),
        answers=_answers(definition, result, language),
    )


def comparison_view(before: Diagnosis, after: Diagnosis, language: str) -> dict:
    diff = compare(scored(before), scored(after))
    labels = dict(Stage.choices)
    sep = "、" if language == "ja" else ", "
    return {
        "before": before,
        "stage_before": str(labels[diff.stage_before]),
        "stage_after": str(labels[diff.stage_after]),
        "direction": diff.direction,
        "changes": [
            {
                "question": text(c.question_text, language),
                "before": sep.join(text(t, language) for t in c.before),
                "after": sep.join(text(t, language) for t in c.after),
            }
            for c in diff.changes
        ],
        "risks_new": [text(r.title, language) for r in diff.risks_new],
        "risks_resolved": [text(r.title, language) for r in diff.risks_resolved],
    }


# --- Counts for support staff (no personal data) ------------------------------------------------
def _filtered(qs, *, date_from=None, date_to=None, prefecture="", industry=""):
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if prefecture:
        qs = qs.filter(prefecture=prefecture)
    if industry:
        qs = qs.filter(industry=industry)
    return qs


def usage_counts(**filters) -> dict:
    """Counts of diagnoses and self-checks by stage, prefecture, industry and month (Tokyo).
    Six aggregate queries whatever the data."""
    diagnoses = _filtered(Diagnosis.objects.all(), **filters)
    checks = _filtered(SelfCheck.objects.all(), **filters)
    by_stage = dict(diagnoses.values_list("stage").annotate(n=Count("id")).order_by())
    return {
        "stages": [
            {"key": code, "label": label, "diagnoses": by_stage.get(code, 0)}
            for code, label in Stage.choices
        ],
        "prefectures": _side_by_side(diagnoses, checks, "prefecture", dict(Prefecture.choices)),
        "industries": _side_by_side(diagnoses, checks, "industry", dict(Industry.choices)),
        "months": _by_month(diagnoses, checks),
        "total_diagnoses": sum(by_stage.values()),
        "total_self_checks": checks.count(),
    }


def _side_by_side(diagnoses, checks, field: str, labels: dict) -> list[dict]:
    """Diagnoses and self-checks per value of ``field``, in the labels' order; the blank
    value (not given) last."""
    d = dict(diagnoses.values_list(field).annotate(n=Count("id")).order_by())
    s = dict(checks.values_list(field).annotate(n=Count("id")).order_by())
    keys = [k for k in labels if k in d or k in s]
    if "" in d or "" in s:
        keys.append("")
    return [
        {"key": k, "label": labels.get(k, ""), "diagnoses": d.get(k, 0), "self_checks": s.get(k, 0)}
        for k in keys
    ]


def _by_month(diagnoses, checks) -> list[dict]:
    """Diagnoses by stage and self-checks per month (Tokyo), every month between the first
    and the last, so that gaps show as zeros."""
    stages = [code for code, _ in Stage.choices]
    months: dict = {}

    def row(month) -> dict:
        return months.setdefault(month, {s: 0 for s in stages} | {"self_checks": 0})

    for month, stage, n in (
        diagnoses.annotate(month=TruncMonth("created_at", tzinfo=TOKYO))
        .values_list("month", "stage")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(month.strftime("%Y-%m"))[stage] += n
    for month, n in (
        checks.annotate(month=TruncMonth("created_at", tzinfo=TOKYO))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(month.strftime("%Y-%m"))["self_checks"] += n
    if months:
        for month in months_between(month_of(min(months)), month_of(max(months))):
            row(month_text(month))
    return [
        {
            "month": m,
            "by_stage": [counts[s] for s in stages],
            "diagnoses": sum(counts[s] for s in stages),
            "self_checks": counts["self_checks"],
        }
        for m, counts in sorted(months.items())
    ]


def versions_with_counts() -> QuerySet[DiagnosisVersion]:
    return DiagnosisVersion.objects.annotate(answer_count=Count("diagnoses")).select_related(
        "created_by", "based_on"
    )


def version_preview(version: DiagnosisVersion) -> list[dict] | None:
    """The version's steps, questions and choices (with points) as shown in Japanese and in
    English, side by side; None if the stored definition does not parse."""
    try:
        definition = parse_definition(version.definition)
    except DefinitionError:
        return None
    previews = []
    for language in ("ja", "en"):
        dimensions = {d.code: text(d.label, language) for d in definition.dimensions}
        steps = [
            {
                "title": text(step.title, language),
                "intro": text(step.intro, language),
                "questions": [
                    {
                        "code": q.code,
                        "kind": q.kind,
                        "text": text(q.text, language),
                        "help": text(q.help, language),
                        "choices": [
                            {
                                "code": c.code,
                                "label": text(c.label, language),
                                "points": [
                                    (dimensions.get(dim, dim), n) for dim, n in c.points.items()
                                ],
                            }
                            for c in q.choices
                        ],
                    }
                    for q in step.questions
                ],
            }
            for step in definition.steps
        ]
        previews.append({"language": language, "steps": steps})
    return previews


def member_companies(*, user, editable: bool = False):
    """Companies the user is a member of (with the owner or editor role if ``editable``)."""
    from cnnavi.orgs.models import Company, Role

    if not user.is_authenticated:
        return Company.objects.none()
    roles = [Role.OWNER, Role.EDITOR] if editable else [r for r, _ in Role.choices]
    # One filter() call, so that the user and the role are those of the same membership.
    return Company.objects.filter(memberships__user=user, memberships__role__in=roles).order_by(
        "name", "id"
    )


STAGE_COLOURS = ("#9ccfb5", "#4f9c78", "#1b6b4a", "#0b3b27")


def usage_chart(counts: dict) -> charts.Figure:
    """Diagnoses per month stacked by stage, self-checks as a line (the month table's figures)."""
    months = counts["months"]
    return charts.figure(
        charts.bars,
        [m["month"] for m in months],
        [
            charts.Series(s["label"], [m["by_stage"][i] for m in months], STAGE_COLOURS[i % 4])
            for i, s in enumerate(counts["stages"])
        ],
        lines=[charts.Series(_("セルフチェック"), [m["self_checks"] for m in months], "#b35c00")],
        key="know-usage",
        title=_("月別の件数"),
        desc=_("月別・ステージ別のステージ診断の件数とセルフチェックの件数（下の表と同じ内容）"),
        y_title=_("件数"),
    )
