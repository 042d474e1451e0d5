"""Attack: make the home connect into its own network for the feed's sake.

A feed (or whoever can change it) names addresses; the home must reach only
public ones unless its owner allowed a publisher on the home's own network, and
never link-local, multicast or address tricks. Each test aims the home at such
an address the way an attacker would: a literal in the feed URL, a public name
resolving to a private address (through a test resolver, never real DNS), a
redirect, an upload URL, a name re-pointed between polls; and shows that no
connection was made, and that the refusal names the rule.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
import hashlib
import json
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.neighborhood_requests.const import (
    CONF_ALLOW_LAN,
    CONF_URL,
    DOMAIN,
)
from custom_components.neighborhood_requests.delivery.upload import (
    REDIRECTED_AWAY,
    Result,
    upload,
)
from custom_components.neighborhood_requests.requests.address_guard import (
    AddressRefused,
    GuardedResolver,
    guarded_socket_factory,
)
from custom_components.neighborhood_requests.requests.publisher_session import (
    publisher_session,
)
from tests.integration.conftest import (
    FeedServer,
    add_entry,
    request_now,
    start_reconfigure,
)
from tests.integration.markdown import rendered
from tests.protocol.factories import feed_bytes, make_feed

from .resolver import TestResolver, install

TIMEOUT = aiohttp.ClientTimeout(total=10)


@dataclass
class Listener:
    """A TCP port on 127.0.0.1 that counts every connection made to it."""

    port: int = 0
    connections: int = 0
    server: asyncio.Server | None = field(default=None, repr=False)

    async def _accept(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        writer.close()


@pytest.fixture
async def listener(socket_enabled: None) -> AsyncGenerator[Listener]:
    found = Listener()
    found.server = await asyncio.start_server(found._accept, "127.0.0.1", 0)
    found.port = found.server.sockets[0].getsockname()[1]
    yield found
    found.server.close()
    await found.server.wait_closed()


async def submit_url(hass: HomeAssistant, url: str) -> dict[str, Any]:
    """The first step of adding a feed, without the LAN yes tests usually give.

    Plain http is accepted where the flow warns about it: these attacks are about
    where the home connects, not about encryption.
    """
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: url}
    )
    if result.get("step_id") == "insecure":
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": "insecure_accept"}
        )
    return dict(result)


def expire_dns_cache(hass: HomeAssistant) -> None:
    """What the connector's 10 s DNS cache does by itself; tests do not wait."""
    connector = publisher_session(hass, allow_lan=True).connector
    assert isinstance(connector, aiohttp.TCPConnector)
    connector.clear_dns_cache()


def port_of(url: str) -> int:
    port = aiohttp.client.URL(url).port
    assert port is not None
    return port


# --- adding a feed ------------------------------------------------------------------


async def test_a_feed_on_this_computer_waits_for_the_owners_yes(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    result = await submit_url(hass, feed_server.url)

    assert result["step_id"] == "lan_publisher"
    assert rendered(result["description_placeholders"]["address"]) == (
        "127.0.0.1 is on this computer (loopback)"
    )
    assert feed_server.requests_seen == []  # not one byte reached it

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_ALLOW_LAN: False}
        )
    )
    assert result["errors"] == {"base": "lan_not_allowed"}
    assert feed_server.requests_seen == []

    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_ALLOW_LAN: True}
        )
    )
    assert result["step_id"] == "trust"
    assert len(feed_server.requests_seen) == 1


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://10.0.0.5/feed.json", "10.0.0.5 is on a private network"),
        ("http://192.168.1.1/feed.json", "192.168.1.1 is on a private network"),
        (
            "https://100.64.0.1/feed.json",
            "100.64.0.1 is in the shared address range 100.64.0.0/10 "
            "(carrier-grade NAT)",
        ),
        (
            "http://[fd00::1]/feed.json",
            "fd00::1 is on a private network (IPv6 unique local)",
        ),
    ],
)
async def test_a_feed_on_the_lan_needs_the_owners_yes(
    hass: HomeAssistant, url: str, address: str
) -> None:
    """Refused before connecting: the socket is never made."""
    result = await submit_url(hass, url)

    assert result["step_id"] == "lan_publisher"
    assert rendered(result["description_placeholders"]["address"]) == address


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[fe80::1]/feed.json",
        "http://[::ffff:a9fe:a9fe]/feed.json",
        "http://[::ffff:10.0.0.5]/feed.json",
        "http://0.0.0.0:8123/feed.json",
        "http://224.0.0.251/feed.json",
        "http://192.0.2.7/feed.json",
    ],
)
async def test_metadata_and_address_tricks_are_never_reached(
    hass: HomeAssistant, url: str
) -> None:
    """Not even the LAN step is offered: no owner can allow these."""
    result = await submit_url(hass, url)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "forbidden_address"}


async def test_a_lan_entry_still_cannot_be_moved_to_the_metadata_service(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url)
    assert entry.options[CONF_ALLOW_LAN] is True

    result = await start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "http://169.254.169.254/latest/user-data"}
    )
    assert result["step_id"] == "insecure"  # plain http: accepted, to go on
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "insecure_accept"}
    )

    assert result["errors"] == {"base": "forbidden_address"}
    assert entry.data[CONF_URL] == feed_server.url


async def test_a_public_name_resolving_into_the_home_is_refused(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    install(
        hass,
        {
            "feeds.example.test": ["127.0.0.1"],
            "metadata.example.test": ["169.254.169.254"],
        },
    )
    url = f"http://feeds.example.test:{port_of(feed_server.url)}/feed.json"

    result = await submit_url(hass, url)

    assert result["step_id"] == "lan_publisher"
    assert rendered(result["description_placeholders"]["address"]) == (
        "feeds.example.test (127.0.0.1) is on this computer (loopback)"
    )
    assert feed_server.requests_seen == []
    result = await submit_url(hass, "http://metadata.example.test/latest/")
    assert result["errors"] == {"base": "forbidden_address"}


@pytest.mark.usefixtures("home")
async def test_every_poll_checks_the_address_again(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """A name re-pointed at the metadata service between polls gets nothing."""
    resolver = install(hass, {"feeds.example.test": ["127.0.0.1"]})
    feed_server.keep_alive = False  # no pooled connection carries over a poll
    url = f"http://feeds.example.test:{port_of(feed_server.url)}/feed.json"
    entry = await add_entry(hass, url)
    coordinator = entry.runtime_data.coordinator
    seen = len(feed_server.requests_seen)

    resolver.table["feeds.example.test"] = ["169.254.169.254"]
    expire_dns_cache(hass)
    await coordinator.async_refresh()

    assert len(feed_server.requests_seen) == seen
    assert coordinator.update_interval > coordinator.settings.poll_interval
    assert [r.state for r in coordinator.store] == ["pending"]  # nothing lost

    resolver.table["feeds.example.test"] = ["127.0.0.1"]
    expire_dns_cache(hass)
    await coordinator.async_refresh()
    assert len(feed_server.requests_seen) == seen + 1
    assert coordinator.update_interval == coordinator.settings.poll_interval


# --- the guard itself ---------------------------------------------------------------


async def test_the_socket_is_refused_whatever_resolution_said(
    listener: Listener,
) -> None:
    """The last word is at the socket: even an unguarded answer gets no connection."""
    connector = aiohttp.TCPConnector(
        resolver=TestResolver({"rebind.example.test": ["127.0.0.1"]}),
        socket_factory=guarded_socket_factory(allow_lan=False),
    )
    async with aiohttp.ClientSession(connector=connector) as session:
        for url in (
            f"http://rebind.example.test:{listener.port}/",
            f"http://127.0.0.1:{listener.port}/",
        ):
            with pytest.raises(aiohttp.ClientConnectorError) as err:
                await session.get(url, timeout=TIMEOUT)
            assert isinstance(err.value.os_error, AddressRefused)
            assert str(err.value.os_error.refusal) == (
                "127.0.0.1 is on this computer (loopback)"
            )
    assert listener.connections == 0


async def test_the_resolver_keeps_only_addresses_the_home_may_use() -> None:
    resolver = GuardedResolver(
        TestResolver(
            {
                "mixed.example.test": ["10.0.0.5", "93.184.215.14", "::ffff:7f00:1"],
                "inside.example.test": ["10.0.0.5", "192.168.1.1"],
            }
        ),
        allow_lan=False,
    )

    answers = await resolver.resolve("mixed.example.test", 443)
    with pytest.raises(AddressRefused) as err:
        await resolver.resolve("inside.example.test", 443)

    assert [a["host"] for a in answers] == ["93.184.215.14"]
    assert str(err.value.refusal) == (
        "inside.example.test (10.0.0.5) is on a private network"
    )


# --- redirects ----------------------------------------------------------------------


@dataclass
class Redirector:
    """A feed server whose /feed.json redirects wherever a test says."""

    url: str = ""
    location: str | None = None
    body: bytes = b""
    fetched: list[str] = field(default_factory=list)

    async def feed(self, request: web.Request) -> web.Response:
        self.fetched.append(request.path)
        if self.location is not None:
            return web.Response(status=302, headers={"Location": self.location})
        return web.Response(body=self.body, content_type="application/json")

    async def moved(self, request: web.Request) -> web.Response:
        self.fetched.append(request.path)
        return web.Response(body=self.body, content_type="application/json")


@pytest.fixture
async def redirector(socket_enabled: None) -> AsyncGenerator[Redirector]:
    server = Redirector(body=feed_bytes(make_feed([request_now()])))
    app = web.Application()
    app.router.add_get("/feed.json", server.feed)
    app.router.add_get("/v2/feed.json", server.moved)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    server.url = f"http://{host}:{port}/feed.json"
    yield server
    await runner.cleanup()


async def lan_flow(hass: HomeAssistant, url: str) -> dict[str, Any]:
    result = await submit_url(hass, url)
    assert result["step_id"] == "lan_publisher"
    return dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_ALLOW_LAN: True}
        )
    )


async def test_a_redirect_to_another_origin_is_not_followed(
    hass: HomeAssistant, redirector: Redirector, listener: Listener
) -> None:
    for location in (
        f"http://127.0.0.1:{listener.port}/feed.json",  # another port: another origin
        "http://169.254.169.254/latest/meta-data/",
        f"https://127.0.0.1:{port_of(redirector.url)}/feed.json",  # another scheme
    ):
        redirector.location = location

        result = await lan_flow(hass, redirector.url)

        assert result["errors"] == {"base": "redirected"}, location
    assert listener.connections == 0


async def test_a_redirect_within_the_origin_is_followed(
    hass: HomeAssistant, redirector: Redirector
) -> None:
    redirector.location = "/v2/feed.json"

    result = await lan_flow(hass, redirector.url)

    assert result["step_id"] == "trust"
    assert redirector.fetched == ["/feed.json", "/v2/feed.json"]


@pytest.mark.usefixtures("home")
async def test_a_feed_that_starts_redirecting_away_changes_nothing(
    hass: HomeAssistant, redirector: Redirector, listener: Listener
) -> None:
    entry = await add_entry(hass, redirector.url)
    coordinator = entry.runtime_data.coordinator
    redirector.location = f"http://127.0.0.1:{listener.port}/internal/admin"

    await coordinator.async_refresh()

    assert listener.connections == 0
    assert [r.state for r in coordinator.store] == ["pending"]
    assert coordinator.update_interval > coordinator.settings.poll_interval


# --- uploads ------------------------------------------------------------------------


async def send(
    hass: HomeAssistant, url: str, tmp_path: Path, *, allow_lan: bool
) -> tuple[Result, str]:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(1000))
    outcome = await upload(
        publisher_session(hass, allow_lan=allow_lan),
        url,
        manifest_jws="a.b.c",
        clip_path=clip,
        idempotency_key="crf1-test",
        expected_sha256=hashlib.sha256(clip.read_bytes()).hexdigest(),
        stall_timeout=10,
        connect_timeout=10,
    )
    return outcome.result, outcome.reason


async def test_an_upload_to_a_name_resolving_into_the_home_sends_nothing(
    hass: HomeAssistant, listener: Listener, tmp_path: Path
) -> None:
    install(
        hass,
        {
            "inbox.example.test": ["127.0.0.1"],
            "metadata.example.test": ["169.254.169.254"],
        },
    )

    refused = await send(
        hass,
        f"http://inbox.example.test:{listener.port}/upload/r-1",
        tmp_path,
        allow_lan=False,
    )
    metadata = await send(
        hass, "https://metadata.example.test/upload", tmp_path, allow_lan=True
    )

    assert refused == (
        Result.FAILED,
        "upload address inbox.example.test (127.0.0.1) is on this computer (loopback)",
    )
    assert metadata == (
        Result.FAILED,
        "upload address metadata.example.test (169.254.169.254) is link-local "
        "(where cloud metadata services answer)",
    )
    assert listener.connections == 0


async def test_an_inbox_redirecting_into_the_home_gets_no_clip(
    hass: HomeAssistant, listener: Listener, tmp_path: Path, socket_enabled: None
) -> None:
    """Even with a LAN publisher allowed, a redirect leaves nothing elsewhere."""

    async def redirect(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(
            status=307,
            headers={"Location": f"http://127.0.0.1:{listener.port}/steal"},
        )

    app = web.Application()
    app.router.add_post("/upload", redirect)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        outcome = await send(
            hass, f"http://127.0.0.1:{port}/upload", tmp_path, allow_lan=True
        )
    finally:
        await runner.cleanup()

    assert outcome == (Result.FAILED, REDIRECTED_AWAY)
    assert listener.connections == 0


async def test_a_request_aiming_uploads_into_the_home_is_not_actionable(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_client_no_auth: Any,
) -> None:
    """Pushed, so the feed need not be reachable: the rule is named in the record,
    the transparency report and the audit log."""
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_ALLOW_LAN: False}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    pushed = make_feed(
        [
            request_now(id="lan-1", response={"upload_url": "https://10.0.0.5/up"}),
            request_now(
                id="meta-1", response={"upload_url": "https://169.254.169.254/up"}
            ),
        ],
        upload_origins=["https://10.0.0.5", "https://169.254.169.254"],
    )
    client = await hass_client_no_auth()

    response = await client.post(
        f"/api/webhook/{entry.data['webhook_id']}", data=feed_bytes(pushed)
    )

    assert response.status == 202
    coordinator = entry.runtime_data.coordinator
    reasons = {
        r.request_id: [str(p) for p in r.reasons]
        for r in coordinator.store
        if r.request_id in ("lan-1", "meta-1")
    }
    # (The statement's new origins also wait for the owner: a second reason.)
    assert (
        "response.upload_url: upload address 10.0.0.5 is on a private network"
        in reasons["lan-1"]
    )
    assert (
        "response.upload_url: upload address 169.254.169.254 is link-local "
        "(where cloud metadata services answer)"
    ) in reasons["meta-1"]
    report = await hass.services.async_call(
        DOMAIN,
        "transparency_report",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert (
        "upload address 10.0.0.5 is on a private network"
        in report["publishers"]["wolcott-pd"]["rejected_reasons"]
    )
    audit = [
        json.loads(line)["event"]
        for line in coordinator.audit_path.read_text().splitlines()
    ]
    verdict = next(e for e in audit if e.get("request_id") == "lan-1")
    assert verdict["state"] == "rejected"
    assert [
        "response.upload_url",
        "upload address 10.0.0.5 is on a private network",
    ] in verdict["reasons"]
