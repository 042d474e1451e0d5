"""Bot benchmark: request-to-Telegram latency, and a rate-limited burst.

(1) Latency from the integration firing a new request (its event listener) to the
Bot API stand-in receiving the sendMessage, over 200 requests to one linked
resident (target: p95 under 250 ms on 127.0.0.1). (2) A burst of 100 new requests
in one poll to 5 linked residents against a stand-in enforcing Telegram's 30
messages/s overall and 1 message/s per chat. Each request is two messages per chat
(the text, then the area as a venue), 1,000 in all: total time against the
theoretical minimum max(199 s per chat, 999/30 s overall), and the number of 429s
(target: 0).

Home Assistant is pytest-homeassistant-custom-component's, so the scenario runs
through pytest (tests/bot/bench_bot.py). Prints one JSON line.

Run: .venv/bin/python bench/bot_bench.py   (about 10 minutes: the burst alone is
bounded below by 199 s, and latency requests wait for the chat's send slots)
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
        out = Path(tmp) / "bot_bench.json"
        env = {**os.environ, "BOT_BENCH_OUT": str(out)}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/bot/bench_bot.py",
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
