"""Every audit action code the code writes has a display label in ``audit/labels.py``."""

import ast
from pathlib import Path

from cnnavi.audit.labels import ACTION_LABELS
from cnnavi.consultations.rules import TRANSITIONS

SRC = Path(__file__).resolve().parents[2]  # src/cnnavi
# The calls that write an audit entry with the action code they are given; create_audited and
# update_audited hand their own ``action`` on to audit_record (the calls whose code is a name).
WRITERS = ("audit_record", "create_audited", "update_audited")
PASS_THROUGH = "audit/services.py"


def _collect(node: ast.AST, where: str, codes: dict[str, str]) -> None:
    if isinstance(node, ast.JoinedStr):
        head = node.values[0]
        prefix = head.value if isinstance(head, ast.Constant) else ""
        if prefix == "handson.":  # handson_transition(name=...)
            codes.update({f"handson.{name}": where for name in TRANSITIONS})
        elif prefix != "admin.":  # admin.<model>.<verb> is labelled from the model's name
            raise AssertionError(f"{where}: an action code built at run time")
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        codes[node.value] = where
    elif isinstance(node, ast.IfExp):
        _collect(node.body, where, codes)
        _collect(node.orelse, where, codes)
    else:
        raise AssertionError(f"{where}: an action code this test cannot read; write it out")


def _written_codes() -> dict[str, str]:
    """code -> where it is written: the string constants of every ``audit_record(action=...)``
    and ``create_audited`` / ``update_audited(action=...)`` (conditional expressions included); f-strings must be
    one of the known families."""
    codes: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") in WRITERS):
                continue
            for kw in node.keywords:
                passed_on = isinstance(kw.value, ast.Name) and kw.value.id == "action"
                if passed_on and path.relative_to(SRC).as_posix() == PASS_THROUGH:
                    continue
                if kw.arg == "action":
                    where = f"{path.relative_to(SRC)}:{node.lineno}"
                    _collect(kw.value, where, codes)
    return codes


def test_the_scan_finds_the_codes():
    codes = _written_codes()
    assert "measure.record_create" in codes and "reduce.plan_update" in codes
    assert "handson.accept" in codes and len(codes) > 60
    assert "company.update" in codes and "course.create" in codes  # through *_audited


def test_every_written_action_code_has_a_label():
    missing = {code: where for code, where in _written_codes().items() if code not in ACTION_LABELS}
    assert missing == {}
