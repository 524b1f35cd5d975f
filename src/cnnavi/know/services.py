"""Writes of the know app: diagnosis versions, answer sets, saving to a company, self-checks.

Anonymous answer sets are stored without any personal data (no user, no IP): they are not
written to the audit log, which records the IP address. Every write by a logged-in user is."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cnnavi.audit.services import audit_record
from cnnavi.core.diagnosis import AnswerError, DefinitionError, parse_definition, score
from cnnavi.know.checksheet import ITEM_NUMBERS
from cnnavi.know.links import HELP_LINKS
from cnnavi.know.models import Diagnosis, DiagnosisVersion, SelfCheck, VersionStatus


def definition_problems(definition) -> list[str]:
    """Every problem of a definition as a readable line ("path: problem"), or []."""
    try:
        parse_definition(definition, help_codes=HELP_LINKS)
    except DefinitionError as exc:
        return [
            f"{p.path}: {_problem_text(p.code)}{' (' + p.detail + ')' if p.detail else ''}"
            for p in exc.problems
        ]
    return []


def _problem_text(code: str) -> str:
    return {
        "missing": _("必要な項目がありません"),
        "not_text": _("日本語（ja）と英語（en）の両方の文章が必要です"),
        "not_list": _("形式が正しくありません"),
        "duplicate": _("コードが重複しています"),
        "unknown_kind": _("質問の種類は yesno・single・multi のいずれかです"),
        "too_few_choices": _("選択肢は2つ以上必要です"),
        "yesno_choices": _("はい・いいえの質問の選択肢は yes と no です"),
        "unknown_dimension": _("定義にない評価軸です"),
        "bad_number": _("0以上の整数を指定してください"),
        "unknown_question": _("定義にない質問です"),
        "unknown_choice": _("質問にない選択肢です"),
        "unknown_help": _("リンク先のコードが正しくありません"),
        "bad_stages": _("ステージは know・measure・reduce・prepare の順に4つ必要です"),
        "exclusive_outside_multi": _("「ほかと同時に選べない」は複数選択の質問だけに指定できます"),
    }.get(code, code)


@transaction.atomic(durable=True)
def diagnosis_version_copy(*, actor, version: DiagnosisVersion, note: str = "") -> DiagnosisVersion:
    """A new draft with the definition of an existing version (published versions never change)."""
    number = (DiagnosisVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
    copy = DiagnosisVersion.objects.create(
        number=number,
        status=VersionStatus.DRAFT,
        definition=version.definition,
        note=note,  # the "based on" column already says where a draft came from
        based_on=version,
        created_by=actor,
    )
    audit_record(
        actor=actor, action="know.version_copy", target=copy, data={"from": version.number}
    )
    return copy


@transaction.atomic(durable=True)
def diagnosis_version_update(*, actor, version: DiagnosisVersion, definition, note: str) -> None:
    version = DiagnosisVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError(_("公開した版は変更できません。新しい版を作ってください。"))
    problems = definition_problems(definition)
    if problems:
        raise ValidationError({"definition": problems})
    version.definition = definition
    version.note = note
    version.save(update_fields=["definition", "note"])
    audit_record(actor=actor, action="know.version_update", target=version)


@transaction.atomic(durable=True)
def diagnosis_version_publish(*, actor, version: DiagnosisVersion) -> DiagnosisVersion:
    """Publish a draft: from now on new answer sets use it; earlier versions are retired but kept,
    so that every answer set given under them still scores with them."""
    version = DiagnosisVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError(_("この版はすでに公開されています。"))
    problems = definition_problems(version.definition)
    if problems:
        raise ValidationError({"definition": problems})
    DiagnosisVersion.objects.filter(status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.RETIRED
    )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, action="know.version_publish", target=version)
    return version


@transaction.atomic(durable=True)
def diagnosis_create(
    *,
    version: DiagnosisVersion,
    answers: dict,
    language: str,
    prefecture: str = "",
    industry: str = "",
    actor=None,
    is_demo: bool = False,
) -> Diagnosis:
    """Score and store an answer set under the version it was given with."""
    definition = parse_definition(version.definition)
    try:
        result = score(definition, answers)
    except AnswerError as exc:
        raise ValidationError({exc.question: _("回答が正しくありません。")}) from exc
    diagnosis = Diagnosis.objects.create(
        version=version,
        answers={
            code: list(chosen) if definition.question(code).kind == "multi" else chosen[0]
            for code, chosen in result.answers.items()
        },
        stage=result.stage,
        language=language[:5],
        prefecture=prefecture or "",
        industry=industry or "",
        is_demo=is_demo,
    )
    if actor is not None and actor.is_authenticated:
        audit_record(actor=actor, action="know.diagnosis_create", target=diagnosis)
    return diagnosis


@transaction.atomic(durable=True)
def diagnosis_save(*, actor, diagnosis: Diagnosis, company) -> Diagnosis:
    """Save an answer set to a company (the caller checked the edit role). The company's
    prefecture and industry fill in what the user did not give."""
    diagnosis = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    if diagnosis.company_id is not None and diagnosis.company_id != company.pk:
        raise ValidationError(_("この結果はすでに別の企業に保存されています。"))
    diagnosis.company = company
    diagnosis.saved_by = actor
    diagnosis.saved_at = diagnosis.saved_at or timezone.now()
    diagnosis.prefecture = diagnosis.prefecture or company.prefecture
    diagnosis.industry = diagnosis.industry or company.industry
    diagnosis.save(update_fields=["company", "saved_by", "saved_at", "prefecture", "industry"])
    audit_record(
        actor=actor,
        action="know.diagnosis_save",
        target=diagnosis,
        company=company,
        data={"stage": diagnosis.stage, "version": diagnosis.version.number},
    )
    return diagnosis


@transaction.atomic(durable=True)
def self_check_create(
    *,
    checked: list[str],
    prefecture: str = "",
    industry: str = "",
    actor=None,
    company=None,
    is_demo: bool = False,
) -> SelfCheck:
    unknown = [c for c in checked if c not in ITEM_NUMBERS]
    if unknown:
        raise ValidationError({"checked": _("チェック項目が正しくありません。")})
    if company is not None:
        prefecture = prefecture or company.prefecture
        industry = industry or company.industry
    ordered = [n for n in ITEM_NUMBERS if n in set(checked)]
    self_check = SelfCheck.objects.create(
        checked=ordered,
        checked_count=len(ordered),
        prefecture=prefecture or "",
        industry=industry or "",
        company=company,
        saved_by=actor if company is not None else None,
        is_demo=is_demo,
    )
    if actor is not None and actor.is_authenticated:
        audit_record(
            actor=actor,
            action="know.self_check_create",
            target=self_check,
            company=company,
            data={"checked": ordered},
        )
    return self_check
