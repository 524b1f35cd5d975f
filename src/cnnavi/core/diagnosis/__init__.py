"""The stage diagnosis (診断) and the self-check sheet, as pure logic (no Django).

A *definition* is data (a JSON-ready dict, versioned and edited by support staff in the web
app): steps of questions with choices that add points to dimensions, the four stages with the
minimum scores each needs, risks raised by answers, and next steps. This package parses and
validates a definition, scores an answer set with it, and compares two results.

* ``parse_definition(data, help_codes=None) -> Definition`` (raises ``DefinitionError``)
* ``score(definition, answers) -> Result`` (raises ``AnswerError`` on an unknown choice)
* ``check_step(definition, step_index, answers) -> dict[question_code, error_code]``
* ``compare(before, after) -> Comparison`` (two ``(Definition, Result)`` pairs)
* ``selfcheck_summary(steps, checked) -> list[StepCount]``
* ``initial_definition()`` -> the dict of the first published version (reference data);
  ``QUIET_ANSWERS``, an answer set for it that scores nothing and raises no risk
"""

from .definition import (
    KINDS,
    QUIET_ANSWERS,
    STAGES,
    Choice,
    Definition,
    DefinitionError,
    Question,
    Risk,
    Stage,
    Step,
    initial_definition,
    parse_definition,
    text,
)
from .scoring import (
    AnswerError,
    AnswerRef,
    Comparison,
    Condition,
    NextStep,
    RaisedRisk,
    Result,
    StageCheck,
    StepCount,
    check_step,
    compare,
    score,
    selfcheck_summary,
)

__all__ = [
    "KINDS",
    "QUIET_ANSWERS",
    "STAGES",
    "AnswerError",
    "AnswerRef",
    "Choice",
    "Comparison",
    "Condition",
    "Definition",
    "DefinitionError",
    "NextStep",
    "Question",
    "RaisedRisk",
    "Result",
    "Risk",
    "Stage",
    "StageCheck",
    "Step",
    "StepCount",
    "check_step",
    "compare",
    "initial_definition",
    "parse_definition",
    "score",
    "selfcheck_summary",
    "text",
]
