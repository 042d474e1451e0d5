"""Integration benchmark: setup with a 1,000-request feed, webhook latency, memory.

(1) `async_setup_entry` with a feed of 1,000 signed requests served from 127.0.0.1,
verification included (target: under 500 ms), beside the same setup with a
1-request feed; (2) time from a webhook POST to the `event` entity firing, p95 over
200 pushes (target: under 100 ms); (3) memory kept by 1,000 stored requests
(tracemalloc, target: under 20 MB).

Home Assistant is pytest-homeassistant-custom-component's, so the scenario runs
through pytest (tests/integration/bench_integration.py, whose docstring says what
each figure includes). Prints one JSON line.

Run: .venv/bin/python bench/integration_bench.py   (about a minute)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import subprocess
import sys
import tempfile

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "integration_bench.json"
        env = {**os.environ, "INTEGRATION_BENCH_OUT": str(out)}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/integration/bench_integration.py",
                "-q",
                "-p",
                "no:cacheprovider",
                "-o",
                "addopts=",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not out.exists():
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-2000:])
            return 1
        print(json.dumps(json.loads(out.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
