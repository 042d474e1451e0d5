"""Fixtures for tests that run the integration inside a real Home Assistant.

The feed is served by a real aiohttp server on 127.0.0.1, built from the protocol
factories, so every test goes through real HTTP, real JSON and real signatures.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
import pytest

from custom_components.neighborhood_requests.const import (
    CONF_ALLOW_LAN,
    CONF_CAMERAS,
    CONF_HOME,
    CONF_TOKEN,
    CONF_TRUST,
    CONF_URL,
    DOMAIN,
)
from custom_components.neighborhood_requests.requests import feed_client
from tests.protocol.factories import (
    HOME_LAT,
    HOME_LON,
    feed_bytes,
    make_feed,
    make_request,
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from this repository in every test."""


@pytest.fixture(autouse=True)
def config_dir_in_tmp(hass: HomeAssistant, tmp_path: Path) -> None:
    """Audit logs land under the config dir; keep them out of the test package."""
    hass.config.config_dir = str(tmp_path)


@dataclass
class FeedServer:
    """What the feed server answers; tests change these between polls."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/json"
    etag: str | None = None
    last_modified: str | None = None
    token: str | None = None
    hang: bool = False
    # False: every answer closes its connection, so each poll connects anew.
    keep_alive: bool = True
    url: str = ""
    requests_seen: list[Mapping[str, str]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def serve(self, feed: Mapping[str, Any]) -> None:
        self.body = feed_bytes(feed)
        self.status = 200

    async def handle(self, request: web.Request) -> web.StreamResponse:
        response = await self._answer(request)
        self.answers.append(response.status)
        return response

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        self.requests_seen.append(dict(request.headers))
        if self.hang:
            await self.release.wait()
        if self.token is not None and (
            request.headers.get("Authorization") != f"Bearer {self.token}"
        ):
            return web.Response(status=401)
        if self.etag is not None and request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304)
        headers = {}
        if not self.keep_alive:
            headers["Connection"] = "close"
        if self.etag is not None:
            headers["ETag"] = self.etag
        if self.last_modified is not None:
            headers["Last-Modified"] = self.last_modified
        return web.Response(
            status=self.status,
            body=self.body,
            content_type=self.content_type,
            headers=headers,
        )


@pytest.fixture
async def feed_server(socket_enabled: None) -> AsyncGenerator[FeedServer]:
    """A feed on 127.0.0.1, serving one valid signed request by default."""
    server = FeedServer()
    server.serve(make_feed([request_now()]))
    app = web.Application()
    app.router.add_get("/feed.json", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.url = f"http://127.0.0.1:{port}/feed.json"
    yield server
    server.release.set()
    await runner.cleanup()


@pytest.fixture
def home(hass: HomeAssistant) -> tuple[float, float]:
    """The home sits in the middle of the factories' request area."""
    hass.config.latitude, hass.config.longitude = HOME_LAT, HOME_LON
    return HOME_LAT, HOME_LON


@pytest.fixture
def fast_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "custom_components.neighborhood_requests.const.FEED_TIMEOUT_S", 0.2
    )


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed_client, "MAX_BYTES", 64)


# One "now" per test session: the same request built twice is byte-identical, as a
# publisher re-serving it would be (a changed body needs a new revision).
SESSION_NOW: datetime = dt_util.utcnow().replace(microsecond=0)


def request_now(**overrides: Any) -> dict[str, Any]:
    """A valid request relative to the wall clock (the factories' default is fixed)."""
    return make_request(now=SESSION_NOW, **overrides)


async def submit_feed_url(
    hass: HomeAssistant, url: str, *, token: str | None = None
) -> dict[str, Any]:
    """Start the user flow and submit `url`; the step that follows is returned."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    user_input: dict[str, Any] = {CONF_URL: url}
    if token is not None:
        user_input[CONF_TOKEN] = token
    return await answer_url_step(hass, result["flow_id"], user_input)


async def answer_url_step(
    hass: HomeAssistant, flow_id: str, user_input: Mapping[str, Any]
) -> dict[str, Any]:
    """The URL step, and the two steps every server here leads to.

    Test servers speak plain http on 127.0.0.1: the home uses plain http only
    after its owner accepts the warning, and reaches an address on its own
    network only once the owner allows a publisher there. Tests do both here, in
    one place, as an owner would in the flow; tests of those steps (and
    tests/security) drive the flow themselves.
    """
    result = await hass.config_entries.flow.async_configure(flow_id, dict(user_input))
    if result.get("step_id") == "insecure":
        result = await hass.config_entries.flow.async_configure(
            flow_id, {"next_step_id": "insecure_accept"}
        )
    if result.get("step_id") == "lan_publisher":
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_ALLOW_LAN: True}
        )
    return dict(result)


async def add_entry(
    hass: HomeAssistant,
    url: str,
    *,
    cameras: list[str] | None = None,
    token: str | None = None,
) -> config_entries.ConfigEntry:
    """Run the whole user flow against `url` and return the created entry."""
    result = await submit_feed_url(hass, url, token=token)
    assert result["step_id"] == "trust", result
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TRUST: True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOME: {
                "latitude": hass.config.latitude,
                "longitude": hass.config.longitude,
                "radius": 30,
            },
            CONF_CAMERAS: cameras or [],
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert isinstance(entry, config_entries.ConfigEntry)
    return entry


async def start_reconfigure(
    hass: HomeAssistant, entry: config_entries.ConfigEntry
) -> dict[str, Any]:
    """The reconfigure flow, as the entry's menu starts it."""
    return await hass.config_entries.flow.async_init(
        DOMAIN,
        context={
            "source": config_entries.SOURCE_RECONFIGURE,
            "entry_id": entry.entry_id,
        },
    )


@pytest.fixture
async def entry(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> config_entries.ConfigEntry:
    """An entry set up through the UI flow, with two linked cameras."""
    return await add_entry(
        hass, feed_server.url, cameras=["camera.porch", "camera.hall"]
    )


def entity_id(hass: HomeAssistant, domain: str) -> str:
    """The one entity of `domain` this integration registered."""
    from homeassistant.helpers import entity_registry as er

    ids = [
        e.entity_id
        for e in er.async_get(hass).entities.values()
        if e.platform == DOMAIN and e.domain == domain
    ]
    assert len(ids) == 1, ids
    return ids[0]


def geo_ids(hass: HomeAssistant) -> list[str]:
    """Map pins currently in the state machine."""
    return sorted(hass.states.async_entity_ids("geo_location"))


class EventLog:
    """Every `event_type` the integration's event entity fired, in order."""

    def __init__(self, hass: HomeAssistant) -> None:
        from homeassistant.const import EVENT_STATE_CHANGED
        from homeassistant.core import Event, callback

        self.types: list[str] = []
        self.data: list[dict[str, Any]] = []
        seen: dict[str, str] = {}

        @callback
        def record(event: Event[Any]) -> None:
            new = event.data.get("new_state")
            if new is None or not new.entity_id.startswith("event."):
                return
            if new.state in ("unknown", "unavailable"):
                return
            # A restored state after a reload is the same event, not a new one.
            if seen.get(new.entity_id) == new.state:
                return
            seen[new.entity_id] = new.state
            self.types.append(new.attributes["event_type"])
            self.data.append(dict(new.attributes))

        for state in hass.states.async_all("event"):
            seen[state.entity_id] = state.state
        hass.bus.async_listen(EVENT_STATE_CHANGED, record)
