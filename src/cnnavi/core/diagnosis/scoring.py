"""Score an answer set with its definition, and compare two results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .definition import STAGES, Definition, Question, Text

Answers = Mapping[str, "str | Sequence[str]"]


class AnswerError(ValueError):
    """An answer names a question or a choice the definition does not have."""

    def __init__(self, question: str, code: str, detail: str = ""):
        self.question = question
        self.code = code
        super().__init__(f"{question}: {code} {detail}".strip())


@dataclass(frozen=True)
class AnswerRef:
    """An answer given: the question and the choice, with their texts."""

    question: str
    question_text: Text
    choice: str
    choice_label: Text


@dataclass(frozen=True)
class Condition:
    dimension: str
    label: Text
    minimum: int
    score: int

    @property
    def met(self) -> bool:
        return self.score >= self.minimum


@dataclass(frozen=True)
class StageCheck:
    """Why a stage was or was not reached: each minimum score against the company's score."""

    stage: str
    title: Text
    conditions: tuple[Condition, ...]

    @property
    def met(self) -> bool:
        return all(c.met for c in self.conditions)


@dataclass(frozen=True)
class RaisedRisk:
    code: str
    title: Text
    text: Text
    help: tuple[str, ...]
    because: tuple[AnswerRef, ...]  # the answers that raised it


@dataclass(frozen=True)
class NextStep:
    text: Text
    help: tuple[str, ...]
    because: AnswerRef | None = None  # None: a next step of the stage itself


@dataclass(frozen=True)
class Result:
    stage: str
    scores: dict[str, int]
    checks: tuple[StageCheck, ...]  # every stage from the top down; the first met is the stage
    risks: tuple[RaisedRisk, ...]
    next_steps: tuple[NextStep, ...]
    help: tuple[str, ...]  # every help code of the next steps and risks, first mention first
    answers: dict[str, tuple[str, ...]]  # normalised: question -> chosen codes
    unanswered: tuple[str, ...]

    @property
    def stage_index(self) -> int:
        return STAGES.index(self.stage)


def _chosen(question: Question, value) -> tuple[str, ...]:
    if value is None or value == "" or value == []:
        return ()
    if question.kind == "multi":
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise AnswerError(question.code, "not_a_list")
        codes = tuple(dict.fromkeys(value))
    else:
        if not isinstance(value, str):
            raise AnswerError(question.code, "not_one_choice")
        codes = (value,)
    for code in codes:
        if question.choice(code) is None:
            raise AnswerError(question.code, "invalid_choice", repr(code))
    if len(codes) > 1 and any(question.choice(c).exclusive for c in codes):
        raise AnswerError(question.code, "exclusive_combined")
    return codes


def check_step(definition: Definition, step_index: int, answers: Answers) -> dict[str, str]:
    """Problems with the answers of one step: question code -> required | invalid_choice |
    not_a_list | not_one_choice | exclusive_combined. Empty when the step is complete."""
    problems = {}
    for question in definition.steps[step_index].questions:
        try:
            if not _chosen(question, answers.get(question.code)):
                problems[question.code] = "required"
        except AnswerError as exc:
            problems[question.code] = exc.code
    return problems


def score(definition: Definition, answers: Answers) -> Result:
    """The stage is the highest stage whose minimum scores are all met (the first needs none);
    a risk is raised by any answer that matches one of its triggers."""
    unknown = [code for code in answers if definition.question(code) is None]
    if unknown:
        raise AnswerError(unknown[0], "unknown_question")
    chosen: dict[str, tuple[str, ...]] = {}
    refs: dict[tuple[str, str], AnswerRef] = {}
    scores = {d.code: 0 for d in definition.dimensions}
    unanswered = []
    next_steps: list[NextStep] = []
    for question in definition.questions():
        codes = _chosen(question, answers.get(question.code))
        if not codes:
            unanswered.append(question.code)
            continue
        chosen[question.code] = codes
        for code in codes:
            choice = question.choice(code)
            refs[(question.code, code)] = ref = AnswerRef(
                question.code, question.text, code, choice.label
            )
            for dim, n in choice.points.items():
                scores[dim] = scores.get(dim, 0) + n
            if choice.advice is not None:
                next_steps.append(NextStep(choice.advice.text, choice.advice.help, ref))

    checks = tuple(
        StageCheck(
            stage=stage.code,
            title=stage.title,
            conditions=tuple(
                Condition(
                    dimension=dim,
                    label=(definition.dimension(dim).label if definition.dimension(dim) else {}),
                    minimum=minimum,
                    score=scores.get(dim, 0),
                )
                for dim, minimum in stage.requires.items()
            ),
        )
        for stage in reversed(definition.stages)
    )
    stage_code = next(check.stage for check in checks if check.met)
    stage = definition.stage(stage_code)
    next_steps = [NextStep(a.text, a.help) for a in stage.next_steps] + next_steps

    risks = []
    for risk in definition.risks:
        because = tuple(
            refs[(t.question, c)]
            for t in risk.when
            for c in t.choices
            if c in chosen.get(t.question, ())
        )
        if because:
            risks.append(RaisedRisk(risk.code, risk.title, risk.text, risk.help, because))

    help_codes: list[str] = []
    for codes in [s.help for s in next_steps] + [r.help for r in risks]:
        help_codes += [c for c in codes if c not in help_codes]
    return Result(
        stage=stage_code,
        scores=scores,
        checks=checks,
        risks=tuple(risks),
        next_steps=tuple(next_steps),
        help=tuple(help_codes),
        answers=chosen,
        unanswered=tuple(unanswered),
    )


@dataclass(frozen=True)
class AnswerChange:
    question: str
    question_text: Text
    before: tuple[Text, ...]  # labels of the earlier choices (empty: not asked or not answered)
    after: tuple[Text, ...]


@dataclass(frozen=True)
class Comparison:
    stage_before: str
    stage_after: str
    changes: tuple[AnswerChange, ...]
    risks_new: tuple[RaisedRisk, ...]
    risks_resolved: tuple[RaisedRisk, ...]

    @property
    def direction(self) -> int:
        """+1 moved up a stage or more, -1 down, 0 the same stage."""
        a, b = STAGES.index(self.stage_before), STAGES.index(self.stage_after)
        return (b > a) - (b < a)


def _labels(definition: Definition, code: str, chosen: tuple[str, ...]) -> tuple[Text, ...]:
    question = definition.question(code)
    if question is None:
        return ()
    return tuple(question.choice(c).label for c in chosen if question.choice(c))


def compare(before: tuple[Definition, Result], after: tuple[Definition, Result]) -> Comparison:
    """What changed from an earlier result to a later one. The two may come from different
    versions: questions are matched by code, in the later version's order."""
    d0, r0 = before
    d1, r1 = after
    order = [q.code for q in d1.questions()] + [
        q.code for q in d0.questions() if d1.question(q.code) is None
    ]
    changes = []
    for code in order:
        a, b = r0.answers.get(code, ()), r1.answers.get(code, ())
        if set(a) == set(b):
            continue
        question = d1.question(code) or d0.question(code)
        changes.append(
            AnswerChange(code, question.text, _labels(d0, code, a), _labels(d1, code, b))
        )
    codes0 = {r.code for r in r0.risks}
    codes1 = {r.code for r in r1.risks}
    return Comparison(
        stage_before=r0.stage,
        stage_after=r1.stage,
        changes=tuple(changes),
        risks_new=tuple(r for r in r1.risks if r.code not in codes0),
        risks_resolved=tuple(r for r in r0.risks if r.code not in codes1),
    )


@dataclass(frozen=True)
class StepCount:
    step: str
    checked: int
    total: int


def selfcheck_summary(
    steps: Sequence[tuple[str, Sequence[str]]], checked: Iterable[str]
) -> list[StepCount]:
    """How many items are in place per step of the self-check sheet.
    ``steps``: (step code, item codes); ``checked``: the item codes ticked."""
    ticked = set(checked)
    return [
        StepCount(code, sum(1 for i in items if i in ticked), len(items)) for code, items in steps
    ]
