"""The integration benchmark's scenario, run by bench/integration_bench.py (pytest).

It needs the real Home Assistant of pytest-homeassistant-custom-component and the
feed server on 127.0.0.1 that the integration tests use, so it lives beside them;
its name (bench_*.py) keeps it out of the normal test run. Results go to the JSON
file named by INTEGRATION_BENCH_OUT.

Three figures, each next to a baseline measured in the same run:

- setup: `async_setup_entry` (fetch, verify every signature, match, store, create
  the entities) with a feed of 1,000 signed requests, against the same setup with
  a 1-request feed. Each run starts from an empty store, as a first setup does; a
  second figure shows a restart, where all 1,000 are already stored.
- webhook: time from the POST of a signed one-request push to the `event` entity's
  state change, over 200 pushes.
- memory: what a setup with 1,000 requests keeps (tracemalloc, after a garbage
  collection) minus what a 1-request setup keeps.

The 1,000 requests are spread over a 20 km metro area like a city feed, with 5 %
of them inside the home's area; the home keeps its default guardrails (so most of
those are recorded but not prompted, as the weekly cap says). The webhook pushes
all fall inside the home's area; the weekly cap is lifted for them on the running
coordinator, as a home could in the options, so each push fires `received`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import math
import os
from pathlib import Path
import random
import statistics
import time
import tracemalloc
from typing import TYPE_CHECKING, Any

from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, callback
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.protocol import audit
from custom_components.neighborhood_requests.protocol.feed import FeedVerifier
from custom_components.neighborhood_requests.protocol.parse import parse_feed
from tests.protocol.factories import (
    HOME_LAT,
    HOME_LON,
    TEST_JWK,
    feed_bytes,
    make_feed,
)

from .conftest import FeedServer, add_entry, request_now
from .storage_helpers import storage_file

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.config_entries import ConfigEntry

REQUESTS = int(os.environ.get("INTEGRATION_BENCH_N", "1000"))
PUSHES = int(os.environ.get("INTEGRATION_BENCH_PUSHES", "200"))
SETUP_RUNS = int(os.environ.get("INTEGRATION_BENCH_SETUP_RUNS", "5"))
NEAR_SHARE = 0.05
METRO_RADIUS_M = 20_000.0
EARTH_M_PER_DEG = 111_320.0

type ClientFactory = Callable[..., Awaitable[Any]]


def spread_requests(count: int) -> list[dict[str, Any]]:
    """`count` requests: NEAR_SHARE in the home's area, the rest across the metro."""
    rng = random.Random(2026)
    near = round(count * NEAR_SHARE)
    requests = []
    for n in range(count):
        distance = 0.0 if n < near else METRO_RADIUS_M * math.sqrt(rng.random())
        bearing = rng.uniform(0, 2 * math.pi)
        lat = HOME_LAT + distance * math.cos(bearing) / EARTH_M_PER_DEG
        lon = HOME_LON + distance * math.sin(bearing) / (
            EARTH_M_PER_DEG * math.cos(math.radians(HOME_LAT))
        )
        requests.append(
            request_now(
                id=f"metro-{n}",
                area={"circle": {"lat": lat, "lon": lon, "radius_m": 300.0}},
            )
        )
    return requests


class _OsWithoutFsync:
    """`os` for the audit module with its per-entry fsync skipped (diagnostic only)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def fsync(fd: int) -> None:
        del fd


def verify_ms(body: bytes) -> float:
    """Parse and verify the feed alone, outside HA: the signature work in a setup."""
    times = []
    for _ in range(SETUP_RUNS):
        began = time.perf_counter()
        feed = parse_feed(body, max_requests=REQUESTS + 1)
        result = FeedVerifier([TEST_JWK], max_requests=REQUESTS + 1).verify(feed)
        times.append(time.perf_counter() - began)
        assert len(result.accepted) == REQUESTS
    return statistics.median(times) * 1000


def lift_weekly_cap(entry: ConfigEntry) -> None:
    coordinator = entry.runtime_data.coordinator
    settings = coordinator.settings
    coordinator.settings = dataclasses.replace(
        settings,
        guardrails=dataclasses.replace(
            settings.guardrails, max_actionable_per_week=1_000_000
        ),
    )


class Bench:
    """Unload / re-setup cycles of one entry against one feed server."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        server: FeedServer,
        storage: dict[str, Any],
    ) -> None:
        self.hass = hass
        self.entry = entry
        self.server = server
        self.storage = storage

    async def setup(self, body: bytes, *, fresh: bool) -> float:
        """Seconds `async_setup_entry` took for the feed `body`."""
        assert await self.hass.config_entries.async_unload(self.entry.entry_id)
        await self.hass.async_block_till_done()
        if fresh:  # forget what the previous run stored, as on a first setup
            self.forget()
        self.server.body = body
        began = time.perf_counter()
        assert await self.hass.config_entries.async_setup(self.entry.entry_id)
        elapsed = time.perf_counter() - began
        await self.hass.async_block_till_done()
        return elapsed

    def forget(self) -> None:
        """The request store is a real file (written durably), as in real HA."""
        storage_file(self.hass, f"{DOMAIN}.{self.entry.entry_id}").unlink(
            missing_ok=True
        )

    async def median_setup(self, body: bytes, *, fresh: bool) -> float:
        return statistics.median(
            [await self.setup(body, fresh=fresh) for _ in range(SETUP_RUNS)]
        )

    async def retained_bytes(self, body: bytes) -> int:
        """Traced memory a fresh setup with `body` keeps once it has settled."""
        assert await self.hass.config_entries.async_unload(self.entry.entry_id)
        await self.hass.async_block_till_done()
        self.forget()
        self.server.body = body
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            assert await self.hass.config_entries.async_setup(self.entry.entry_id)
            await self.hass.async_block_till_done()
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        return after - before


async def webhook_latencies(
    hass: HomeAssistant, entry: ConfigEntry, client_factory: ClientFactory
) -> list[float]:
    """Milliseconds from each push's POST to its `received` event."""
    lift_weekly_cap(entry)
    bodies = [
        feed_bytes(make_feed([request_now(id=f"push-{n}")])) for n in range(PUSHES)
    ]
    waiting: dict[str, asyncio.Future[float]] = {}

    @callback
    def fired(event: Event[Any]) -> None:
        new = event.data.get("new_state")
        if new is None or not new.entity_id.startswith("event."):
            return
        future = waiting.get(str(new.attributes.get("request_id")))
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, fired)
    client = await client_factory()
    url = f"/api/webhook/{entry.data['webhook_id']}"
    latencies = []
    try:
        for n, body in enumerate(bodies):
            future = waiting[f"push-{n}"] = hass.loop.create_future()
            began = time.perf_counter()
            response = await client.post(url, data=body)
            assert response.status == 202, await response.text()
            latencies.append((await future - began) * 1000)
    finally:
        unsubscribe()
    return latencies


@pytest.mark.timeout(900)
async def test_bench(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    hass_client_no_auth: ClientFactory,
    hass_storage: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one = feed_bytes(make_feed([request_now()]))
    big_requests = spread_requests(REQUESTS)
    big = feed_bytes(make_feed(big_requests))
    feed_server.body = one
    entry = await add_entry(hass, feed_server.url)
    bench = Bench(hass, entry, feed_server, hass_storage)

    await bench.setup(big, fresh=True)  # warm-up: first imports, first entities
    setup_one = await bench.median_setup(one, fresh=True)
    setup_big = await bench.median_setup(big, fresh=True)
    restart_big = await bench.median_setup(big, fresh=False)
    stored = len(entry.runtime_data.coordinator.store)
    actionable = len(hass.states.async_entity_ids("geo_location"))
    # Where the time goes: the signatures alone, and the setup without the audit
    # log's fsync after each of its 1,000 "received" lines.
    verify_big = await asyncio.to_thread(verify_ms, big)
    with monkeypatch.context() as patch:
        patch.setattr(audit, "os", _OsWithoutFsync())
        no_fsync_big = await bench.median_setup(big, fresh=True)

    kept_one = await bench.retained_bytes(one)
    kept_big = await bench.retained_bytes(big)

    latencies = await webhook_latencies(hass, entry, hass_client_no_auth)
    quantiles = statistics.quantiles(latencies, n=100)
    result = {
        "bench": "integration",
        "setup_ms": round(setup_big * 1000, 1),
        "webhook_p95_ms": round(quantiles[94], 1),
        "store_mb": round((kept_big - kept_one) / 2**20, 2),
        "setup_1_request_ms": round(setup_one * 1000, 1),
        "setup_over_1_request": round(setup_big / setup_one, 1),
        "restart_ms": round(restart_big * 1000, 1),
        "verify_only_ms": round(verify_big, 1),
        "setup_without_audit_fsync_ms": round(no_fsync_big * 1000, 1),
        "requests": REQUESTS,
        "stored": stored,
        "on_map": actionable,
        "feed_kb": round(len(big) / 1024),
        "webhook_p50_ms": round(statistics.median(latencies), 1),
        "webhook_max_ms": round(max(latencies), 1),
        "pushes": len(latencies),
        "kept_mb_1_request": round(kept_one / 2**20, 2),
        "kept_mb_big": round(kept_big / 2**20, 2),
        "setup_runs": SETUP_RUNS,
    }
    out = Path(os.environ.get("INTEGRATION_BENCH_OUT", tmp_path / "out.json"))
    await asyncio.to_thread(out.write_text, json.dumps(result))
