"""The stage diagnosis, boundary by boundary and risk rule by risk rule, with the shipped
first version; plus the validation of definitions and the comparison of two results."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnavi.core.diagnosis import (
    QUIET_ANSWERS,
    AnswerError,
    DefinitionError,
    check_step,
    compare,
    initial_definition,
    parse_definition,
    score,
    selfcheck_summary,
)

HELP = {
    "events",
    "courses",
    "consultation",
    "calc_support",
    "handson",
    "measure",
    "reduce",
    "self_check",
    "headlines",
}
V1 = parse_definition(initial_definition(), help_codes=HELP)

# Every question answered, no points for awareness, numbers or reduction, and no risk raised.
QUIET = QUIET_ANSWERS


def answers(**changes):
    return {**QUIET, **changes}


def test_the_quiet_answer_set_scores_nothing_and_raises_no_risk():
    result = score(V1, QUIET)
    assert result.stage == "know"
    assert result.scores == {"aware": 0, "measure": 0, "reduce": 0, "prepare": 3}
    assert result.risks == ()
    assert result.unanswered == ()


# --- Stage boundaries (each pair: one point below the line, then on it) -----------------------
AWARE_1 = {"finance_tender": "yes"}
AWARE_2 = {"finance_tender": "yes", "hiring_asked": "yes"}
MEASURE_1 = {"energy_monthly": "yes"}
MEASURE_2 = {"energy_monthly": "yes", "use_breakdown": "yes"}
REDUCE_3 = {"reduction_plan": "yes", "measures_taken": ["led"]}
REDUCE_4 = {"reduction_plan": "yes", "measures_taken": ["led", "audit"]}


@pytest.mark.parametrize(
    ("changes", "stage", "scores"),
    [
        # know | measure: awareness 2 or more
        (AWARE_1, "know", {"aware": 1, "measure": 0}),
        (AWARE_2, "measure", {"aware": 2, "measure": 0}),
        ({"customer_asked": "yes"}, "measure", {"aware": 2}),
        ({"sbt_re100": "heard"}, "know", {"aware": 1}),
        ({"sbt_re100": "requested"}, "measure", {"aware": 2}),
        ({"energy_cost": "large", "finance_tender": "yes"}, "measure", {"aware": 2}),
        # measure | reduce: knowing the numbers 2 or more (awareness not needed)
        ({**AWARE_2, **MEASURE_1}, "measure", {"measure": 1}),
        ({**AWARE_2, **MEASURE_2}, "reduce", {"measure": 2}),
        (MEASURE_2, "reduce", {"aware": 0, "measure": 2}),
        ({"co2_calculated": "yes"}, "reduce", {"measure": 2}),
        # reduce | prepare: numbers 2 or more and reducing 4 or more
        ({**MEASURE_2, **REDUCE_3}, "reduce", {"measure": 2, "reduce": 3}),
        ({**MEASURE_2, **REDUCE_4}, "prepare", {"measure": 2, "reduce": 4}),
        (
            {**MEASURE_2, "electricity_supply": "renewable", "target": "sbt"},
            "prepare",
            {"reduce": 4},
        ),
        ({**MEASURE_2, "electricity_supply": "partly", "target": "sbt"}, "reduce", {"reduce": 3}),
        # reducing without knowing the numbers is not the prepare stage
        ({**MEASURE_1, **REDUCE_4}, "know", {"measure": 1, "reduce": 4}),
        ({**AWARE_2, **MEASURE_1, **REDUCE_4}, "measure", {"measure": 1, "reduce": 4}),
    ],
)
def test_stage_boundaries(changes, stage, scores):
    result = score(V1, answers(**changes))
    assert result.stage == stage
    assert {k: result.scores[k] for k in scores} == scores


def test_the_reasoning_lists_every_stage_from_the_top_with_scores_against_minimums():
    result = score(V1, answers(**MEASURE_2, **REDUCE_3))
    assert [c.stage for c in result.checks] == ["prepare", "reduce", "measure", "know"]
    prepare, reduce, *_ = result.checks
    assert [(c.dimension, c.minimum, c.score, c.met) for c in prepare.conditions] == [
        ("measure", 2, 2, True),
        ("reduce", 4, 3, False),
    ]
    assert not prepare.met and reduce.met
    assert result.checks[-1].conditions == () and result.checks[-1].met


def test_multi_choice_points_add_up_and_none_is_exclusive():
    result = score(V1, answers(measures_taken=["led", "equipment", "operation", "audit", "solar"]))
    assert result.scores["reduce"] == 5
    with pytest.raises(AnswerError) as exc:
        score(V1, answers(measures_taken=["none", "led"]))
    assert exc.value.code == "exclusive_combined"


# --- Risk rules: each trigger alone raises its risk, tied to that answer -----------------------
@pytest.mark.parametrize(
    ("changes", "risk", "because"),
    [
        ({"customer_asked": "yes"}, "supply_chain", [("customer_asked", "yes")]),
        ({"sbt_re100": "requested"}, "supply_chain", [("sbt_re100", "requested")]),
        ({"sbt_re100": "heard"}, "supply_chain", [("sbt_re100", "heard")]),
        ({"energy_cost": "large"}, "energy_cost", [("energy_cost", "large")]),
        ({"energy_cost": "some"}, "energy_cost", [("energy_cost", "some")]),
        ({"price_readiness": "no"}, "energy_cost", [("price_readiness", "no")]),
        ({"fuel_use": "much"}, "carbon_pricing", [("fuel_use", "much")]),
        ({"fuel_use": "some"}, "carbon_pricing", [("fuel_use", "some")]),
        ({"finance_tender": "yes"}, "financing", [("finance_tender", "yes")]),
        ({"hiring_asked": "yes"}, "hiring", [("hiring_asked", "yes")]),
        ({"jigyokei": "none"}, "disaster", [("jigyokei", "none")]),
        ({"outage": "no"}, "disaster", [("outage", "no")]),
    ],
)
def test_each_risk_rule(changes, risk, because):
    result = score(V1, answers(**changes))
    assert [r.code for r in result.risks] == [risk]
    assert [(b.question, b.choice) for b in result.risks[0].because] == because
    assert result.risks[0].because[0].question_text["ja"].endswith("か")


def test_a_risk_lists_every_answer_that_raised_it():
    result = score(V1, answers(jigyokei="none", outage="no"))
    (risk,) = result.risks
    assert [(b.question, b.choice) for b in risk.because] == [
        ("jigyokei", "none"),
        ("outage", "no"),
    ]


def test_next_steps_start_with_the_stage_then_follow_the_answers():
    result = score(V1, answers(co2_calculated="no"))
    assert result.stage == "know"
    stage_steps = [s for s in result.next_steps if s.because is None]
    assert len(stage_steps) == len(V1.stage("know").next_steps)
    advice = [s for s in result.next_steps if s.because is not None]
    assert [s.because.question for s in advice] == [
        "energy_monthly",
        "co2_calculated",
        "use_breakdown",
        "reduction_plan",
        "measures_taken",
        "target",
    ]
    assert "calc_support" in result.help and result.help[0] == "self_check"


def test_unanswered_questions_count_nothing_and_unknown_answers_are_refused():
    result = score(V1, {})
    assert result.stage == "know" and len(result.unanswered) == 16
    with pytest.raises(AnswerError):
        score(V1, {"customer_asked": "maybe"})
    with pytest.raises(AnswerError):
        score(V1, {"no_such_question": "yes"})
    with pytest.raises(AnswerError):
        score(V1, {"measures_taken": "led"})


def test_check_step_names_each_missing_or_bad_answer():
    assert check_step(V1, 0, {"customer_asked": "yes", "sbt_re100": "bogus"}) == {
        "sbt_re100": "invalid_choice",
        "finance_tender": "required",
        "energy_cost": "required",
        "hiring_asked": "required",
    }
    assert check_step(V1, 2, QUIET) == {}


def test_compare_reports_stage_answers_and_risks():
    before = score(V1, answers(customer_asked="yes"))
    after = score(V1, answers(customer_asked="yes", co2_calculated="yes", fuel_use="much"))
    diff = compare((V1, before), (V1, after))
    assert (diff.stage_before, diff.stage_after, diff.direction) == ("measure", "reduce", 1)
    assert [(c.question, c.before[0]["ja"], c.after[0]["ja"]) for c in diff.changes] == [
        ("co2_calculated", "いいえ", "はい"),
        ("fuel_use", "ほとんど使っていない", "生産設備などで多く使っている"),
    ]
    assert [r.code for r in diff.risks_new] == ["carbon_pricing"]
    assert diff.risks_resolved == ()
    back = compare((V1, after), (V1, before))
    assert back.direction == -1 and [r.code for r in back.risks_resolved] == ["carbon_pricing"]


def test_compare_across_versions_matches_questions_by_code():
    data = initial_definition()
    data["steps"][0]["questions"].pop(4)  # v2 drops hiring_asked and its risk
    data["risks"] = [r for r in data["risks"] if r["code"] != "hiring"]
    v2 = parse_definition(data)
    before = score(V1, answers(hiring_asked="yes"))
    after = score(v2, {k: v for k, v in QUIET.items() if k != "hiring_asked"})
    diff = compare((V1, before), (v2, after))
    assert [(c.question, len(c.before), len(c.after)) for c in diff.changes] == [
        ("hiring_asked", 1, 0)
    ]


# --- Definitions are validated as a whole ------------------------------------------------------
def test_the_shipped_definition_is_valid_and_bilingual():
    assert [s.code for s in V1.stages] == ["know", "measure", "reduce", "prepare"]
    assert len(V1.steps) == 4 and len(V1.questions()) == 16
    for q in V1.questions():
        assert q.text["ja"] and q.text["en"]
        assert all(c.label["ja"] and c.label["en"] for c in q.choices)


def test_definition_problems_are_all_reported_with_their_path():
    data = copy.deepcopy(initial_definition())
    data["steps"][0]["questions"][0]["kind"] = "scale"
    data["steps"][0]["questions"][1]["choices"][0]["points"] = {"luck": 1}
    data["steps"][1]["questions"][0]["text"] = {"ja": "日本語だけ"}
    data["steps"][1]["questions"][1]["code"] = "energy_monthly"
    data["stages"][3]["requires"] = {"reduce": -1}
    data["risks"][0]["when"][0]["choices"] = ["perhaps"]
    data["risks"][1]["help"] = ["nowhere"]
    with pytest.raises(DefinitionError) as exc:
        parse_definition(data, help_codes=HELP)
    found = {(p.path, p.code) for p in exc.value.problems}
    assert ("steps[0].questions[0].kind", "unknown_kind") in found
    assert ("steps[0].questions[1].choices[0].points", "unknown_dimension") in found
    assert ("steps[1].questions[0].text", "not_text") in found
    assert ("questions", "duplicate") in found
    assert ("stages[3].requires.reduce", "bad_number") in found
    assert ("risks[0].when[0].choices", "unknown_choice") in found
    assert ("risks[1].help", "unknown_help") in found


def test_stages_must_be_the_four_in_order():
    data = copy.deepcopy(initial_definition())
    data["stages"].reverse()
    with pytest.raises(DefinitionError) as exc:
        parse_definition(data)
    assert [p.code for p in exc.value.problems] == ["bad_stages"]


def test_yesno_needs_yes_and_no():
    data = copy.deepcopy(initial_definition())
    data["steps"][0]["questions"][0]["choices"][1]["code"] = "nope"
    with pytest.raises(DefinitionError) as exc:
        parse_definition(data)
    assert [(p.path, p.code) for p in exc.value.problems] == [
        ("steps[0].questions[0].choices", "yesno_choices")
    ]


def test_selfcheck_summary_counts_per_step():
    steps = [("current", ["1", "2", "3"]), ("action", ["4", "5", "6"]), ("plan", ["7", "8"])]
    summary = selfcheck_summary(steps, ["1", "3", "8", "99"])
    assert [(s.step, s.checked, s.total) for s in summary] == [
        ("current", 2, 3),
        ("action", 0, 3),
        ("plan", 1, 2),
    ]


# --- Properties over every possible answer set ---------------------------------------------------
def _answer_sets():
    parts = {}
    for q in V1.questions():
        codes = [c.code for c in q.choices]
        if q.kind == "multi":
            plain = [c.code for c in q.choices if not c.exclusive]
            parts[q.code] = st.one_of(
                st.just([c.code for c in q.choices if c.exclusive]),
                st.lists(st.sampled_from(plain), min_size=1, unique=True),
            )
        else:
            parts[q.code] = st.sampled_from(codes)
    return st.fixed_dictionaries(parts)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_stage_never_goes_down_when_points_are_added(data):
    answers = data.draw(_answer_sets())
    result = score(V1, answers)
    # The stage is the first stage, from the top, whose minimums are all met.
    assert result.stage == next(c.stage for c in result.checks if c.met)
    # Change one answer to a choice worth at least as much in every dimension: no stage drop.
    question = data.draw(st.sampled_from([q for q in V1.questions() if q.kind != "multi"]))
    now = question.choice(answers[question.code])
    richer = [
        c.code
        for c in question.choices
        if all(c.points.get(d, 0) >= now.points.get(d, 0) for d in ("aware", "measure", "reduce"))
    ]
    better = score(V1, {**answers, question.code: data.draw(st.sampled_from(richer))})
    assert better.stage_index >= result.stage_index
    # Every raised risk names at least one answer actually given.
    for risk in result.risks:
        assert all(b.choice in result.answers[b.question] for b in risk.because)
