"""Parse and validate a diagnosis definition (plain data) into frozen objects."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The four stages of the brochure's diagnosis tool, in order: 知る・測る・減らす・備える.
STAGES = ("know", "measure", "reduce", "prepare")
# yesno and single take one choice code; multi takes a list of choice codes.
KINDS = ("yesno", "single", "multi")
LANGUAGES = ("ja", "en")

Text = dict[str, str]


def text(value: Text | None, language: str) -> str:
    """The text in the language, falling back to Japanese (the source language)."""
    if not value:
        return ""
    return value.get(language) or value.get("ja") or ""


@dataclass(frozen=True)
class Problem:
    path: str  # where in the definition, e.g. "steps[1].questions[0].choices[2].points"
    code: str  # missing, not_text, duplicate, unknown_kind, ... (see DefinitionError)
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.code}{' ' + self.detail if self.detail else ''}"


class DefinitionError(ValueError):
    """Every problem of a definition at once. Codes: missing, not_text, not_list, duplicate,
    unknown_kind, too_few_choices, yesno_choices, unknown_dimension, bad_number,
    unknown_question, unknown_choice, unknown_help, bad_stages, exclusive_outside_multi."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class Advice:
    text: Text
    help: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    code: str
    label: Text
    points: dict[str, int] = field(default_factory=dict)
    exclusive: bool = False  # in a multi question: cannot be combined ("none of these")
    advice: Advice | None = None  # a next step when this choice is given


@dataclass(frozen=True)
class Question:
    code: str
    kind: str
    text: Text
    help: Text
    choices: tuple[Choice, ...]
    suggest: str = ""  # a fact the web app may know (e.g. "energy_monthly") -> a choice code

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)


@dataclass(frozen=True)
class Step:
    code: str
    title: Text
    intro: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Stage:
    code: str
    title: Text
    summary: Text
    requires: dict[str, int]  # dimension -> minimum score (all must hold)
    next_steps: tuple[Advice, ...]


@dataclass(frozen=True)
class Trigger:
    question: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Risk:
    code: str
    title: Text
    text: Text
    when: tuple[Trigger, ...]  # raised when any trigger matches an answer
    help: tuple[str, ...]


@dataclass(frozen=True)
class Dimension:
    code: str
    label: Text


@dataclass(frozen=True)
class Definition:
    dimensions: tuple[Dimension, ...]
    steps: tuple[Step, ...]
    stages: tuple[Stage, ...]
    risks: tuple[Risk, ...]

    def questions(self) -> list[Question]:
        return [q for s in self.steps for q in s.questions]

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions() if q.code == code), None)

    def stage(self, code: str) -> Stage:
        return next(s for s in self.stages if s.code == code)

    def dimension(self, code: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.code == code), None)


class _Parser:
    def __init__(self, help_codes):
        self.problems: list[Problem] = []
        self.help_codes = set(help_codes) if help_codes is not None else None

    def fail(self, path, code, detail=""):
        self.problems.append(Problem(path, code, detail))

    def list(self, data, key, path) -> list:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            self.fail(f"{path}.{key}", "missing")
            return []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "not_list")
            return []
        return value

    def code(self, data, path) -> str:
        value = data.get("code") if isinstance(data, dict) else None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{path}.code", "missing")
            return ""
        return value

    def text(self, data, key, path, *, required=True) -> Text:
        value = data.get(key) if isinstance(data, dict) else None
        if value in (None, "", {}) and not required:
            return {}
        if (
            not isinstance(value, dict)
            or not all(
                isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGUAGES
            )
            or not set(value) <= set(LANGUAGES)
        ):
            self.fail(f"{path}.{key}", "not_text", "needs non-empty 'ja' and 'en'")
            return {}
        return {lang: value[lang] for lang in LANGUAGES}

    def help(self, data, path) -> tuple[str, ...]:
        value = data.get("help", []) if isinstance(data, dict) else []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"{path}.help", "not_list")
            return ()
        if self.help_codes is not None:
            for v in value:
                if v not in self.help_codes:
                    self.fail(f"{path}.help", "unknown_help", v)
        return tuple(value)

    def advice(self, data, path) -> Advice:
        return Advice(text=self.text(data, "text", path), help=self.help(data, path))

    def points(self, data, path, dimensions) -> dict[str, int]:
        value = data.get("points", {}) if isinstance(data, dict) else {}
        if not isinstance(value, dict):
            self.fail(f"{path}.points", "not_list")
            return {}
        out = {}
        for dim, n in value.items():
            if dim not in dimensions:
                self.fail(f"{path}.points", "unknown_dimension", dim)
            elif not isinstance(n, int) or isinstance(n, bool) or n < 0:
                self.fail(f"{path}.points.{dim}", "bad_number", repr(n))
            else:
                out[dim] = n
        return out


def parse_definition(data: Any, help_codes=None) -> Definition:
    """Validate the whole definition and report every problem at once (DefinitionError).
    ``help_codes``: the codes of the help the web app can link to; None skips that check."""
    p = _Parser(help_codes)
    if not isinstance(data, dict):
        raise DefinitionError([Problem("$", "missing", "a JSON object is needed")])

    dimensions = []
    for i, d in enumerate(p.list(data, "dimensions", "$")):
        path = f"dimensions[{i}]"
        dimensions.append(Dimension(code=p.code(d, path), label=p.text(d, "label", path)))
    dim_codes = [d.code for d in dimensions]
    _duplicates(p, dim_codes, "dimensions")

    steps = []
    question_codes = []
    for i, s in enumerate(p.list(data, "steps", "$")):
        path = f"steps[{i}]"
        questions = []
        for j, q in enumerate(p.list(s, "questions", path)):
            qpath = f"{path}.questions[{j}]"
            kind = q.get("kind") if isinstance(q, dict) else None
            if kind not in KINDS:
                p.fail(f"{qpath}.kind", "unknown_kind", repr(kind))
            choices = []
            for k, c in enumerate(p.list(q, "choices", qpath)):
                cpath = f"{qpath}.choices[{k}]"
                advice = c.get("advice") if isinstance(c, dict) else None
                exclusive = bool(c.get("exclusive", False)) if isinstance(c, dict) else False
                if exclusive and kind != "multi":
                    p.fail(f"{cpath}.exclusive", "exclusive_outside_multi")
                choices.append(
                    Choice(
                        code=p.code(c, cpath),
                        label=p.text(c, "label", cpath),
                        points=p.points(c, cpath, dim_codes),
                        exclusive=exclusive,
                        advice=p.advice(advice, f"{cpath}.advice") if advice else None,
                    )
                )
            codes = [c.code for c in choices]
            _duplicates(p, codes, f"{qpath}.choices")
            if len(choices) < 2:
                p.fail(f"{qpath}.choices", "too_few_choices")
            if kind == "yesno" and sorted(codes) != ["no", "yes"]:
                p.fail(f"{qpath}.choices", "yesno_choices", "needs exactly 'yes' and 'no'")
            suggest = q.get("suggest", "") if isinstance(q, dict) else ""
            question = Question(
                code=p.code(q, qpath),
                kind=kind if kind in KINDS else "single",
                text=p.text(q, "text", qpath),
                help=p.text(q, "help", qpath, required=False),
                choices=tuple(choices),
                suggest=suggest if isinstance(suggest, str) else "",
            )
            questions.append(question)
            question_codes.append(question.code)
        if not questions:
            p.fail(f"{path}.questions", "missing")
        steps.append(
            Step(
                code=p.code(s, path),
                title=p.text(s, "title", path),
                intro=p.text(s, "intro", path, required=False),
                questions=tuple(questions),
            )
        )
    if not steps:
        p.fail("$.steps", "missing")
    _duplicates(p, [s.code for s in steps], "steps")
    _duplicates(p, question_codes, "questions")

    stages = []
    for i, s in enumerate(p.list(data, "stages", "$")):
        path = f"stages[{i}]"
        requires = s.get("requires", {}) if isinstance(s, dict) else {}
        if not isinstance(requires, dict):
            p.fail(f"{path}.requires", "not_list")
            requires = {}
        for dim, n in requires.items():
            if dim not in dim_codes:
                p.fail(f"{path}.requires", "unknown_dimension", dim)
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                p.fail(f"{path}.requires.{dim}", "bad_number", repr(n))
        stages.append(
            Stage(
                code=p.code(s, path),
                title=p.text(s, "title", path),
                summary=p.text(s, "summary", path),
                requires=dict(requires),
                next_steps=tuple(
                    p.advice(a, f"{path}.next_steps[{j}]")
                    for j, a in enumerate(p.list(s, "next_steps", path))
                ),
            )
        )
    if tuple(s.code for s in stages) != STAGES:
        p.fail("$.stages", "bad_stages", "needs " + ", ".join(STAGES) + " in this order")
    elif stages[0].requires:
        p.fail("stages[0].requires", "bad_stages", "the first stage needs no scores")

    by_code = {q.code: q for s in steps for q in s.questions}
    risks = []
    for i, r in enumerate(p.list(data, "risks", "$")):
        path = f"risks[{i}]"
        triggers = []
        for j, t in enumerate(p.list(r, "when", path)):
            tpath = f"{path}.when[{j}]"
            qcode = t.get("question") if isinstance(t, dict) else None
            choices = t.get("choices") if isinstance(t, dict) else None
            question = by_code.get(qcode)
            if question is None:
                p.fail(f"{tpath}.question", "unknown_question", repr(qcode))
            if not isinstance(choices, list) or not choices:
                p.fail(f"{tpath}.choices", "not_list")
                choices = []
            elif question is not None:
                for c in choices:
                    if question.choice(c) is None:
                        p.fail(f"{tpath}.choices", "unknown_choice", f"{qcode}={c}")
            triggers.append(Trigger(question=qcode or "", choices=tuple(choices)))
        if not triggers:
            p.fail(f"{path}.when", "missing")
        risks.append(
            Risk(
                code=p.code(r, path),
                title=p.text(r, "title", path),
                text=p.text(r, "text", path),
                when=tuple(triggers),
                help=p.help(r, path),
            )
        )
    _duplicates(p, [r.code for r in risks], "risks")

    if p.problems:
        raise DefinitionError(p.problems)
    return Definition(
        dimensions=tuple(dimensions), steps=tuple(steps), stages=tuple(stages), risks=tuple(risks)
    )


def _duplicates(p: _Parser, codes: list[str], path: str) -> None:
    seen = set()
    for code in codes:
        if code and code in seen:
            p.fail(path, "duplicate", code)
        seen.add(code)


# An answer to every question of the initial definition (version 1) that scores no point for
# awareness, numbers or reduction and raises no risk: the base the demo and the tests change.
QUIET_ANSWERS: dict[str, str | list[str]] = {
    "customer_asked": "no",
    "sbt_re100": "no",
    "finance_tender": "no",
    "energy_cost": "little",
    "hiring_asked": "no",
    "energy_monthly": "no",
    "co2_calculated": "no",
    "use_breakdown": "no",
    "fuel_use": "little",
    "reduction_plan": "no",
    "measures_taken": ["none"],
    "electricity_supply": "standard",
    "target": "none",
    "jigyokei": "drafting",
    "outage": "yes",
    "price_readiness": "yes",
}


def initial_definition() -> dict:
    """The first published definition (version 1), shipped as reference data."""
    return json.loads((Path(__file__).parent / "initial.json").read_text(encoding="utf-8"))
