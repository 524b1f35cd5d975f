"""Heavy libraries load on first use, not when a worker builds the URLconf (benchmarks/bench_cold.py
measures the time); cnnavi.wsgi builds the URLconf at import so gunicorn --preload forks warm
workers."""

import json
import os
import subprocess
import sys

HEAVY = ["fpdf", "openpyxl", "numpy", "matplotlib", "PIL"]

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnnavi.settings")
import cnnavi.wsgi
assert "cnnavi.know.views" in sys.modules and "cnnavi.api.api" in sys.modules  # URLconf built
print(json.dumps(sorted(m for m in %r if m in sys.modules)))
"""


def test_building_the_urlconf_loads_no_pdf_spreadsheet_or_numpy_library():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CNNAVI_")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE % HEAVY], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
