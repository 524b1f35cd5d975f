"""Run every benchmarks/bench_*.py and write benchmarks/out/results.json.

Each module exposes ``run() -> list[dict]`` with ``name``, ``value``, ``unit``, ``baseline`` and
``ratio`` (ours / baseline, measured in the same process; higher is better unless the module's
name says otherwise). Usage: ``make bench`` or ``python benchmarks/run.py [NAME ...]``.
"""

import importlib.util
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def main(names: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnnavi.settings")
    results = []
    for path in sorted(HERE.glob("bench_*.py")):
        if names and path.stem.removeprefix("bench_") not in names:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {path.stem}", flush=True)
        for row in module.run():
            extra = ""
            if row.get("baseline") is not None:
                extra = f" (baseline {row['baseline']:.4g}, ratio {row['ratio']:.3f})"
            print(f"  {row['name']}: {row['value']:.4g} {row['unit']}{extra}", flush=True)
            results.append(row)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
