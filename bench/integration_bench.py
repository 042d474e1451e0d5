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

import sys

from ha_scenario import run_scenario

if __name__ == "__main__":
    sys.exit(
        run_scenario("tests/integration/bench_integration.py", "INTEGRATION_BENCH_OUT")
    )
