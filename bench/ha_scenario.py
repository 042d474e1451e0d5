"""Run a benchmark scenario that needs Home Assistant, and print its figures.

Home Assistant comes from pytest-homeassistant-custom-component, so a scenario is
a pytest file; it writes its figures as JSON to the file named by the environment
variable given here, and this prints them as the bench's one line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import subprocess
import sys
import tempfile

ROOT = Path(__file__).resolve().parents[1]


def run_scenario(test_file: str, out_variable: str) -> int:
    """Exit status for `sys.exit`: 0 with the figures printed, 1 with pytest's tail."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        result = subprocess.run(
            [
                sys.executable,
                *("-m", "pytest", test_file, "-q", "-p", "no:cacheprovider"),
                *("-o", "addopts="),
            ],
            cwd=ROOT,
            env={**os.environ, out_variable: str(out)},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not out.exists():
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-2000:])
            return 1
        print(json.dumps(json.loads(out.read_text())))
    return 0
