"""The bot benchmark's scenario, run by bench/bot_bench.py through pytest.

It needs the same real Home Assistant (pytest-homeassistant-custom-component) and
Bot API stand-in as the tests, so it lives beside them; its name keeps it out of
the normal test run. Results go to the JSON file named by BOT_BENCH_OUT.

The integration's weekly cap (10 actionable requests per publisher) would turn
most of these requests into "recorded, not prompted"; the scenario lifts it on the
running coordinator, as a home could in the options, and changes nothing else.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
from pathlib import Path
import statistics
import time
from typing import TYPE_CHECKING, Any

import pytest

from bot.app import BotApp
from bot.sender import PER_CHAT_INTERVAL_S
from tests.bot.botapi_standin import BotApiStandIn, RateLimits
from tests.bot.conftest import TELEGRAM_TOKEN
from tests.bot.harness import FAST, link
from tests.integration.conftest import request_now
from tests.protocol.factories import make_feed

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from tests.bot.botapi_standin import Call

LATENCY_REQUESTS = int(os.environ.get("BOT_BENCH_LATENCY_N", "200"))
BURST_REQUESTS = int(os.environ.get("BOT_BENCH_BURST_N", "100"))
BURST_USERS = 5
USERS = [2001 + n for n in range(BURST_USERS)]


class Timed(BotApiStandIn):
    """The stand-in, noting when each sendMessage arrived (by its case number)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arrived: dict[str, float] = {}

    async def _record(self, call: Call) -> None:
        if call.method == "sendMessage" and call.status == 200:
            text = str(call.params.get("text", ""))
            for line in text.splitlines():
                if line.startswith("<b>Case number:</b> "):
                    case = line.split("</b> ", 1)[1]
                    self.arrived.setdefault(case, time.perf_counter())
        await super()._record(call)


def lift_weekly_cap(entry: ConfigEntry) -> None:
    coordinator = entry.runtime_data.coordinator
    settings = coordinator.settings
    coordinator.settings = dataclasses.replace(
        settings,
        guardrails=dataclasses.replace(
            settings.guardrails, max_actionable_per_week=100_000
        ),
    )


def request(n: int) -> dict[str, Any]:
    return request_now(
        id=f"bench-{n}",
        incident={
            "type": "burglary",
            "summary": "Benchmark request",
            "case_number": f"B-{n}",
            "reference_url": None,
        },
    )


async def start_bot(
    url: str, token: str, standin: BotApiStandIn, state: Path
) -> BotApp:
    from tests.bot.harness import bot_config

    app = BotApp(bot_config(url, token, standin, state), backoff=FAST)
    await app.start()
    await app.relay.wait_synced(1)
    return app


async def wait_for(standin: BotApiStandIn, predicate: Callable[[], bool]) -> None:
    async with standin.changed:
        await standin.changed.wait_for(predicate)


@pytest.mark.timeout(900)
async def test_bench(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    nr_ha_url: str,
    nr_entry: ConfigEntry,
    feed_server: Any,
    hass_access_token: str,
    hass_ws_client: Any,
    tmp_path: Path,
) -> None:
    lift_weekly_cap(nr_entry)
    coordinator = nr_entry.runtime_data.coordinator
    fired: dict[str, float] = {}

    def on_event(event_type: str, record: Any) -> None:
        if event_type == "received" and record.request is not None:
            fired[record.request.incident.case_number] = time.perf_counter()

    coordinator.async_add_event_listener(on_event)
    standin = Timed(
        tokens={TELEGRAM_TOKEN: "neighborhood_test_bot"},
        rate_limits=RateLimits(overall_per_s=30, per_chat_per_s=1),
    )
    await standin.start()
    for user in USERS:
        standin.add_user(user, f"Resident {user}")
    app = await start_bot(nr_ha_url, hass_access_token, standin, tmp_path / "s.json")
    try:
        result = await run(
            hass, app, standin, coordinator, feed_server, hass_ws_client, fired
        )
    finally:
        await app.stop()
        await standin.close()
    out = Path(os.environ.get("BOT_BENCH_OUT", tmp_path / "out.json"))
    await asyncio.to_thread(out.write_text, json.dumps(result))


async def run(  # noqa: PLR0917 - the scenario's parts
    hass: HomeAssistant,
    app: BotApp,
    standin: Timed,
    coordinator: Any,
    feed_server: Any,
    hass_ws_client: Any,
    fired: dict[str, float],
) -> dict[str, Any]:
    class Linker:  # `link` talks through a harness-like object
        botapi = standin

        def sent(self, chat_id: int, contains: str = "") -> list[Call]:
            return [
                c
                for c in standin.calls_to("sendMessage")
                if int(c.params["chat_id"]) == chat_id and contains in c.params["text"]
            ]

        async def say(self, user_id: int, text: str, contains: str) -> None:
            await standin.push_message(user_id, text)
            await wait_for(standin, lambda: bool(self.sent(user_id, contains)))

    for user in USERS:
        await link(Linker(), hass_ws_client, hass, user)  # type: ignore[arg-type]
    await wait_for(standin, lambda: all(Linker().sent(u, "Case number") for u in USERS))

    # Latency: each request fired once the chats' send slots are free again, so
    # the per-chat pacing is not counted as latency.
    served: list[dict[str, Any]] = [request_now()]
    latencies: list[float] = []
    sender = app.relay.sender
    for n in range(LATENCY_REQUESTS):
        wait = max(sender._next_slot.values()) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        served.append(request(n))
        feed_server.serve(make_feed(served))
        await coordinator.async_refresh()
        case = f"B-{n}"
        await wait_for(standin, lambda case=case: case in standin.arrived)
        latencies.append((standin.arrived[case] - fired[case]) * 1000)
        # The relay holds the request's lock until every chat has the text and
        # the venue; once it is free, the slots the next request waits for are
        # known.
        async with app.relay.lock(f"{coordinator.config_entry.entry_id}/bench-{n}"):
            pass

    # Burst: BURST_REQUESTS new requests in one poll, to all five residents.
    await wait_for(
        standin,
        lambda: all(
            len(Linker().sent(u, "Case number")) >= LATENCY_REQUESTS + 1 for u in USERS
        ),
    )
    first_429 = sum(c.status == 429 for c in standin.calls)
    before = len(standin.calls_to("sendMessage"))
    burst = [request(LATENCY_REQUESTS + n) for n in range(BURST_REQUESTS)]
    feed_server.serve(make_feed(served + burst))
    start = time.perf_counter()
    await coordinator.async_refresh()
    venues_before = len(standin.calls_to("sendVenue"))
    expected = before + BURST_REQUESTS * BURST_USERS
    await wait_for(
        standin,
        lambda: (
            sum(c.status == 200 for c in standin.calls_to("sendMessage")[before:])
            >= BURST_REQUESTS * BURST_USERS
            and sum(
                c.status == 200 for c in standin.calls_to("sendVenue")[venues_before:]
            )
            >= BURST_REQUESTS * BURST_USERS
        ),
    )
    total = time.perf_counter() - start
    assert len(standin.calls_to("sendMessage")) >= expected
    # Each request is two messages per chat: the text, then the area's venue.
    per_chat = 2 * BURST_REQUESTS
    minimum = max((per_chat - 1) / 1.0, (per_chat * BURST_USERS - 1) / 30.0)
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "bench": "bot",
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(quantiles[94], 1),
        "latency_n": len(latencies),
        "burst_total_s": round(total, 1),
        "burst_min_s": round(minimum, 1),
        "burst_429": sum(c.status == 429 for c in standin.calls) - first_429,
        "burst_messages": per_chat * BURST_USERS,
        "per_chat_interval_s": PER_CHAT_INTERVAL_S,
    }
