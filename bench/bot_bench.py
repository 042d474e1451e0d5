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

import sys

from ha_scenario import run_scenario

if __name__ == "__main__":
    sys.exit(run_scenario("tests/bot/bench_bot.py", "BOT_BENCH_OUT"))
