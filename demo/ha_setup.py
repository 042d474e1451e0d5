"""Home Assistant for the demo: started, onboarded, and the integration linked.

Everything a new owner would click is done through the APIs the frontend uses
(`demo.homeassistant`); this module is the order in which the demo does it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from demo import feed, ha_config, homeassistant as ha
from demo.console import say
from demo.layout import Layout
from demo.processes import Supervisor
from demo.state import State

HA_START_TIMEOUT_S = 300.0


@dataclass(frozen=True, slots=True)
class Start:
    """Where Home Assistant listens, the camera it links, what the last run left."""

    port: int
    camera_url: str
    state: State
    elapsed: Callable[[], float]


async def start_home_assistant(
    session: aiohttp.ClientSession,
    layout: Layout,
    supervisor: Supervisor,
    start: Start,
) -> tuple[ha.HomeAssistantClient, State]:
    """Start `hass`, onboard the owner (or log in), and wait until it runs."""
    port, state = start.port, start.state
    ha_config.prepare(layout, port, start.camera_url)
    log = layout.logs / "home-assistant.log"
    if log.exists():
        # Keep the last run's log, and never read its errors as this run's.
        log.replace(log.with_name(f"{log.name}.1"))
    child = supervisor.start(
        "home-assistant",
        ha_config.hass_argv(layout),
        log=layout.logs / "hass.out",
        env=ha_config.hass_env(layout),
    )
    client = ha.HomeAssistantClient(session, f"http://127.0.0.1:{port}")
    await client.wait_until_up(
        HA_START_TIMEOUT_S,
        lambda: child.process.poll() is None and not _http_failed(log),
    )
    say(f"Home Assistant answering after {start.elapsed():.1f} s")
    pending = await client.onboarding_pending()
    if pending:
        await client.onboard(state.owner, _core_config())
        say(f"onboarded owner {state.owner.username!r} ({', '.join(pending)})")
    elif state.token and await client.token_works(state.token):
        client.token = state.token
    else:
        await client.login(state.owner)
    if client.token != state.token:
        token = await client.long_lived_token("scripts/demo")
        client.token = token
        state = state.evolve(token=token)
        state.save(layout.state)
    await client.wait_until_running(HA_START_TIMEOUT_S)
    # Its own address, so links Home Assistant hands out (the map pin's "Open in
    # Video requests") point here; the port may move between runs.
    await client.ws({"type": "config/core/update", "internal_url": client.base_url})
    say(f"Home Assistant running after {start.elapsed():.1f} s")
    return client, state


async def link_feed(
    client: ha.HomeAssistantClient, site: feed.Site, layout: Layout, state: State
) -> tuple[str, State]:
    """Create the entry through the config flow, or move it to a new port."""
    entries = await client.entries()
    if not entries:
        entry = await client.run_config_flow(
            {
                "user": {"url": site.feed_url},
                # The demo publisher is plain http on 127.0.0.1: accept both.
                "insecure": {"next_step_id": "insecure_accept"},
                "lan_publisher": {"allow_lan_publisher": True},
                "trust": {"trust": True},
                "home": {
                    "home": {
                        "latitude": feed.HOME[0],
                        "longitude": feed.HOME[1],
                        "radius": feed.HOME_RADIUS_M,
                    },
                    "cameras": [ha_config.CAMERA_ENTITY],
                },
            },
            say,
        )
        entry_id = str(entry["entry_id"])
        say(f"config entry {entry['title']!r} created through the config flow")
    else:
        entry_id = str(entries[0]["entry_id"])
        if state.feed_url not in (None, site.feed_url):
            await _reconfigure(client, entry_id, site)
    state = state.evolve(feed_url=site.feed_url, entry_id=entry_id)
    state.save(layout.state)
    return entry_id, state


async def wait_loaded(client: ha.HomeAssistantClient, entry_id: str) -> None:
    """Until the entry is loaded again (the options flow reloads it)."""
    state = None
    for _ in range(120):
        entries = await client.entries()
        state = {e["entry_id"]: e["state"] for e in entries}.get(entry_id)
        if state == "loaded":
            return
        await asyncio.sleep(0.5)
    say(f"warning: config entry state is {state!r}")


async def _reconfigure(
    client: ha.HomeAssistantClient, entry_id: str, site: feed.Site
) -> None:
    """The publisher moved to another port: the reconfigure flow follows it."""
    result = await client.post(
        "/api/config/config_entries/flow", {"handler": ha.DOMAIN, "entry_id": entry_id}
    )
    flow = f"/api/config/config_entries/flow/{result['flow_id']}"
    result = await client.post(flow, {"url": site.feed_url})
    if result.get("step_id") == "insecure":
        result = await client.post(flow, {"next_step_id": "insecure_accept"})
    say(f"feed moved to {site.feed_url}: {result.get('reason', result)}")


def _http_failed(log: Path) -> bool:
    """HA keeps running without its web server when the port is lost: say so."""
    try:
        text = log.read_text(errors="replace")
    except FileNotFoundError:
        return False
    return "Error during setup of component http" in text


def _core_config() -> dict[str, Any]:
    return {
        "location_name": "Wolcott demo home",
        "latitude": feed.HOME[0],
        "longitude": feed.HOME[1],
        "elevation": 250,
        "unit_system": "us_customary",
        "time_zone": feed.TIME_ZONE,
        "currency": "USD",
        "country": "US",
        "language": "en",
    }
