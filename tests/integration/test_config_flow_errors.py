"""The config flow names why a feed cannot be added, against real sockets.

Each cause is produced the way it happens for real: a port nobody listens on, a
name server that knows no names, TLS spoken to a plain HTTP server, a 404, a body
that is not a feed, a feed whose signatures fail. Each is one specific, translated
form error, logged once at warning with the detail, and the form can be retried.
"""

from __future__ import annotations

import logging
import re
import socket
from typing import Any

from aiohttp.resolver import AsyncResolver
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.neighborhood_requests.const import (
    CONF_ALLOW_LAN,
    CONF_TOKEN,
    CONF_TRUST,
    CONF_URL,
    DOMAIN,
)
from tests.protocol.factories import OTHER_KEY, OTHER_KID, make_feed

from .conftest import (
    FeedServer,
    add_entry,
    request_now,
    start_reconfigure,
    submit_feed_url,
)
from .dns_standin import nxdomain_server
from .markdown import rendered
from .test_translations import PLACEHOLDER, load

pytestmark = pytest.mark.usefixtures("home")
LOGGER_NAME = "custom_components.neighborhood_requests"


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(LOGGER_NAME) and record.levelno == logging.WARNING
    ]


def assert_shown(result: dict[str, Any], reason: str) -> None:
    """The form shows `reason`, and every placeholder its text needs is given."""
    assert result["type"] is FlowResultType.FORM, result
    assert result["errors"] == {"base": reason}
    placeholders = result["description_placeholders"] or {}
    for language in ("en", "de", "es"):
        text = load(language)[f"config.error.{reason}"]
        assert set(PLACEHOLDER.findall(text)) <= set(placeholders), (language, text)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("feed.example/requests.json", "no_scheme"),
        ("127.0.0.1:8780/feed.json", "no_scheme"),
        ("localhost:8780/feed.json", "no_scheme"),
        ("ftp://feed.example/requests.json", "unsupported_scheme"),
        ("https://", "invalid_url"),
        ("http://[::1/feed.json", "invalid_url"),
    ],
)
async def test_an_address_that_cannot_be_fetched_is_named_before_fetching(
    hass: HomeAssistant,
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
    url: str,
    reason: str,
) -> None:
    result = await submit_feed_url(hass, url)
    assert_shown(result, reason)
    if reason == "unsupported_scheme":
        assert result["description_placeholders"] == {"scheme": "ftp"}
    if reason == "no_scheme":  # the example is what was typed, made whole
        assert result["description_placeholders"] == {"example": f"https://{url}"}
    assert feed_server.requests_seen == []
    assert len(warnings(caplog)) == 1


async def test_connection_refused_names_host_and_port(
    hass: HomeAssistant, socket_enabled: None, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    result = await submit_feed_url(hass, f"http://127.0.0.1:{port}/feed.json")
    assert_shown(result, "connection_refused")
    assert result["description_placeholders"] == {
        "host": "127.0.0.1",
        "port": str(port),
    }
    [logged] = warnings(caplog)
    assert f"127.0.0.1:{port}/feed.json" in logged
    assert "connection_refused" in logged
    assert "Connect call failed" in logged or "refused" in logged.lower()


async def test_an_unknown_host_is_a_dns_failure(
    hass: HomeAssistant,
    socket_enabled: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Home Assistant's resolver asks a name server that knows no names."""
    async with nxdomain_server() as (address, server):
        resolver = AsyncResolver(nameservers=[address], tries=1, timeout=2)
        resolver.real_close = resolver.close  # type: ignore[attr-defined]
        monkeypatch.setattr(
            "homeassistant.helpers.aiohttp_client._async_make_resolver",
            lambda hass: resolver,
        )
        result = await submit_feed_url(
            hass, "https://feed.wolcott-pd.example/requests.json"
        )
        assert server.questions >= 1
    assert_shown(result, "dns_failure")
    assert result["description_placeholders"] == {
        "host": "feed.wolcott-pd.example",
        "port": "443",
    }
    [logged] = warnings(caplog)
    assert "dns_failure" in logged
    assert "feed.wolcott-pd.example" in logged


async def test_tls_to_a_plain_http_server_is_a_tls_error(
    hass: HomeAssistant, feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = feed_server.url.replace("http://", "https://")
    result = await submit_feed_url(hass, url)
    assert_shown(result, "tls_error")
    assert result["description_placeholders"]["host"] == "127.0.0.1"
    [logged] = warnings(caplog)
    assert re.search(r"SSL|TLS", logged)


@pytest.mark.parametrize(
    ("status", "shown"),
    [(404, "404 Not Found"), (500, "500 Internal Server Error"), (410, "410 Gone")],
)
async def test_an_http_error_names_its_status(
    hass: HomeAssistant,
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
    status: int,
    shown: str,
) -> None:
    feed_server.status = status
    result = await submit_feed_url(hass, feed_server.url)
    assert_shown(result, "http_status")
    assert result["description_placeholders"] == {"status": shown}
    [logged] = warnings(caplog)
    assert f"HTTP {shown}" in logged
    # Fixed on the server's side, the same form goes on.
    feed_server.status = 200
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: feed_server.url}
        )
    )
    assert result["step_id"] == "trust"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!doctype html><html><body>Welcome</body></html>", "not_a_feed"),
        (b'{"hello": "world"}', "not_a_feed"),
        (b"just some text", "unknown_format"),
    ],
)
async def test_a_body_that_is_not_a_feed(
    hass: HomeAssistant,
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    reason: str,
) -> None:
    feed_server.body = body
    assert_shown(await submit_feed_url(hass, feed_server.url), reason)
    assert len(warnings(caplog)) == 1


async def test_a_bad_signature_is_named_and_logged(
    hass: HomeAssistant, feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    feed_server.serve(make_feed([request_now()], key=OTHER_KEY, kid=OTHER_KID))
    assert_shown(await submit_feed_url(hass, feed_server.url), "bad_signature")
    [logged] = warnings(caplog)
    assert "bad_signature" in logged


@pytest.mark.usefixtures("fast_timeout")
async def test_a_timeout_is_logged_once(
    hass: HomeAssistant, feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    feed_server.hang = True
    assert_shown(await submit_feed_url(hass, feed_server.url), "timeout")
    assert len(warnings(caplog)) == 1


async def test_the_log_keeps_no_secret_of_the_address(
    hass: HomeAssistant, socket_enabled: None, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    url = f"http://alice:pa55word@127.0.0.1:{port}/feed.json?key=s3cret"
    assert_shown(await submit_feed_url(hass, url), "connection_refused")
    [logged] = warnings(caplog)
    assert "pa55word" not in logged
    assert "s3cret" not in logged
    assert f"127.0.0.1:{port}/feed.json" in logged


async def test_plain_http_asks_first_and_names_the_risk(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """Nothing is fetched until the owner chose to go on over plain http."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    flow_id = result["flow_id"]
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_URL: feed_server.url, CONF_TOKEN: "t0ken"}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "insecure"
    assert result["menu_options"] == ["insecure_accept", "user"]
    placeholders = result["description_placeholders"]
    assert {key: rendered(value) for key, value in placeholders.items()} == {
        "url": feed_server.url,
        "host": "127.0.0.1",
    }
    assert feed_server.requests_seen == []
    english = load("en")
    risk = english["config.step.insecure.description"]
    assert "read" in risk
    assert "change" in risk
    for language in ("en", "de", "es"):
        for option in ("insecure_accept", "user", "reconfigure"):
            assert f"config.step.insecure.menu_options.{option}" in load(language)

    # "Enter another address" goes back to the form, holding what was typed.
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"next_step_id": "user"}
    )
    assert result["step_id"] == "user"
    schema = result["data_schema"].schema
    suggested = {
        str(key): (key.description or {}).get("suggested_value") for key in schema
    }
    assert suggested[CONF_URL] == feed_server.url
    assert feed_server.requests_seen == []

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_URL: feed_server.url}
    )
    assert result["step_id"] == "insecure"
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"next_step_id": "insecure_accept"}
    )
    # The test server is on this computer: the LAN question comes next, and
    # the http answer holds when the URL step runs again after it.
    assert result["step_id"] == "lan_publisher"
    assert feed_server.requests_seen == []
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_ALLOW_LAN: True}
    )
    assert result["step_id"] == "trust"
    assert len(feed_server.requests_seen) == 1
    # Accepted for this address, the same address is not asked about again.
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_TRUST: True})
    assert result["step_id"] == "home"


async def test_reconfigure_to_plain_http_asks_too(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url)
    result = await start_reconfigure(hass, entry)
    # The address the entry already has was accepted when it was added.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: feed_server.url}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    moved = feed_server.url + "?moved"
    result = await start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: moved}
    )
    assert result["step_id"] == "insecure"
    assert result["menu_options"] == ["insecure_accept", "reconfigure"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "insecure_accept"}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data[CONF_URL] == moved


async def test_one_publisher_and_key_is_added_once_whatever_the_url(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    first = await add_entry(hass, feed_server.url)
    result = await submit_feed_url(hass, feed_server.url + "?mirror=1")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured_publisher"
    placeholders = result["description_placeholders"]
    assert {key: rendered(value) for key, value in placeholders.items()} == {
        "publisher": "Wolcott Police Department",
        "title": first.title,
        "url": feed_server.url,
    }
    for language in ("en", "de", "es"):
        text = load(language)["config.abort.already_configured_publisher"]
        assert set(PLACEHOLDER.findall(text)) == {"publisher", "title", "url"}
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1
    # The very same URL is the plainer "already set up".
    result = await submit_feed_url(hass, feed_server.url)
    assert result["reason"] == "already_configured"
