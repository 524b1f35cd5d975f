"""Refresh every app's English catalogue, optionally fill translations, and compile.

    python scripts/messages.py                 # makemessages + compilemessages for every app
    python scripts/messages.py --fill FILE.json  # also fill empty msgstr from a JSON {msgid: text}
    python scripts/messages.py --check          # exit 1 listing every msgid without a translation

Needs GNU gettext (xgettext, msgfmt). The compiled .mo files are committed, so running the app
never needs gettext.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "cnnavi"
CNNAVI = str(ROOT / ".venv" / "bin" / "cnnavi")


def apps_with_text() -> list[Path]:
    """App folders with templates or Python files that hold gettext strings."""
    found = []
    for app in sorted(p for p in SRC.iterdir() if (p / "apps.py").exists()):
        if app.name == "core":
            continue
        text = any(
            "translate" in f.read_text(encoding="utf-8", errors="ignore")
            or "gettext" in f.read_text(encoding="utf-8", errors="ignore")
            for f in list(app.rglob("*.py")) + list(app.rglob("*.html")) + list(app.rglob("*.txt"))
            if "tests" not in f.parts and "migrations" not in f.parts
        )
        if text:
            found.append(app)
    return found


def po_path(app: Path) -> Path:
    return app / "locale" / "en" / "LC_MESSAGES" / "django.po"


ENTRY = re.compile(r'(?m)^((?:#[^\n]*\n)*)msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)')


def _is_fuzzy(comments: str) -> bool:
    return bool(re.search(r"(?m)^#,.*\bfuzzy\b", comments))


def _unfuzzy(comments: str) -> str:
    lines = [line for line in comments.splitlines(keepends=True) if not line.startswith("#|")]
    cleaned = []
    for line in lines:
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags) + "\n"
        cleaned.append(line)
    return "".join(cleaned)


def _unquote(block: str) -> str:
    return "".join(json.loads(line) for line in block.strip().splitlines())


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) + "\n"


def entries(po: Path):
    for match in ENTRY.finditer(po.read_text(encoding="utf-8")):
        msgid = _unquote(match.group(2))
        if msgid:
            yield match, msgid, _unquote(match.group(3)), _is_fuzzy(match.group(1))


def fill(po: Path, translations: dict) -> int:
    text = po.read_text(encoding="utf-8")
    filled = 0

    def replace(match):
        nonlocal filled
        msgid = _unquote(match.group(2))
        msgstr = _unquote(match.group(3))
        fuzzy = _is_fuzzy(match.group(1))
        if msgid and (not msgstr or fuzzy) and msgid in translations:
            filled += 1
            return (
                f"{_unfuzzy(match.group(1))}msgid {match.group(2)}"
                f"msgstr {_quote(translations[msgid])}"
            )
        return match.group(0)

    po.write_text(ENTRY.sub(replace, text), encoding="utf-8")
    return filled


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fill", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cnnavi.settings")
    missing = []
    translations = json.loads(args.fill.read_text(encoding="utf-8")) if args.fill else {}
    for app in apps_with_text():
        if not args.check:
            (app / "locale").mkdir(exist_ok=True)
            subprocess.run(
                [CNNAVI, "makemessages", "-l", "en", "-v", "0", "--no-obsolete"],
                cwd=app,
                env=env,
                check=True,
            )
            if translations:
                print(f"{app.name}: filled {fill(po_path(app), translations)}")
        for _match, msgid, msgstr, fuzzy in entries(po_path(app)):
            if not msgstr or fuzzy:
                missing.append(f"{app.name}: {msgid}")
        if not args.check:
            subprocess.run(
                [CNNAVI, "compilemessages", "-l", "en", "-v", "0"], cwd=app, env=env, check=True
            )
    for line in missing:
        print(f"untranslated: {line}")
    return 1 if (missing and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
