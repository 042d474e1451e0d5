"""The config, reconfigure and reauth flows against a real feed server."""

from __future__ import annotations

from typing import Any

from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
import pytest

from custom_components.neighborhood_requests.config_flow import feed_unique_id
from custom_components.neighborhood_requests.const import (
    CONF_ALLOW_UNVERIFIED,
    CONF_CAMERA_POLICIES,
    CONF_CAMERAS,
    CONF_HOME,
    CONF_KEYS,
    CONF_MAX_WINDOW_MINUTES,
    CONF_PUBLISHER_ID,
    CONF_TOKEN,
    CONF_TRUST,
    CONF_URL,
    DOMAIN,
)
from tests.protocol.factories import (
    OTHER_JWK,
    OTHER_KEY,
    OTHER_KID,
    PUBLISHER_ID,
    TEST_JWK,
    make_feed,
    make_publisher,
)

from .conftest import (
    FeedServer,
    add_entry,
    answer_url_step,
    request_now,
    start_reconfigure,
)

pytestmark = pytest.mark.usefixtures("home")


async def _start(hass: HomeAssistant, url: str, **extra: Any) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return await answer_url_step(hass, result["flow_id"], {CONF_URL: url, **extra})


async def _accept_http(hass: HomeAssistant, result: dict[str, Any]) -> dict[str, Any]:
    """The test servers speak plain http: accept it where the flow asks."""
    if result.get("step_id") != "insecure":
        return result
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "insecure_accept"}
    )


async def test_signed_feed_is_pinned_after_trust(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """The user sees the fingerprint, trusts it, and exactly that key is pinned."""
    result = await _start(hass, feed_server.url)
    assert result["step_id"] == "trust"
    placeholders = result["description_placeholders"]
    assert placeholders["publisher"] == "Wolcott Police Department"
    assert placeholders["kind"] == "Law enforcement"
    assert placeholders["fingerprints"].startswith("SHA256:")

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TRUST: False}
    )
    assert result["errors"] == {"base": "not_trusted"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TRUST: True}
    )
    assert result["step_id"] == "home"
    assert result["data_schema"] is not None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOME: {"latitude": 41.6, "longitude": -73.0, "radius": 30},
            CONF_CAMERAS: ["camera.porch"],
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.title == "Wolcott Police Department"
    assert entry.unique_id == feed_unique_id(feed_server.url, PUBLISHER_ID)
    assert entry.data[CONF_KEYS] == [TEST_JWK]
    assert entry.data[CONF_ALLOW_UNVERIFIED] is False
    assert entry.options[CONF_CAMERA_POLICIES] == {
        "camera.porch": {"policy": "ask", "label": "Camera 1"}
    }
    assert entry.options[CONF_MAX_WINDOW_MINUTES] == 120
    await hass.async_block_till_done()
    assert entry.state is config_entries.ConfigEntryState.LOADED


async def test_home_defaults_to_zone_home(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """The location selector starts at zone.home, not at a made-up point."""
    assert await async_setup_component(hass, "zone", {})
    result = await _start(hass, feed_server.url)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TRUST: True}
    )
    schema = result["data_schema"].schema
    default = next(key for key in schema if key == CONF_HOME).default()
    assert default["latitude"] == pytest.approx(hass.config.latitude)
    assert default["longitude"] == pytest.approx(hass.config.longitude)


async def test_unsigned_feed_needs_explicit_consent(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    feed_server.serve(make_feed([request_now()], signed=False))
    result = await _start(hass, feed_server.url)
    assert result["step_id"] == "trust_unsigned"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ALLOW_UNVERIFIED: False}
    )
    assert result["errors"] == {"base": "unverified_not_allowed"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ALLOW_UNVERIFIED: True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOME: {"latitude": 41.6, "longitude": -73.0}},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].data[CONF_ALLOW_UNVERIFIED] is True
    assert result["result"].data[CONF_KEYS] == []


async def test_same_feed_twice_aborts(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    await add_entry(hass, feed_server.url)
    result = await _start(hass, feed_server.url)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (b"{not json", 200, "not_a_feed"),
        (b'{"crf": "1"}', 200, "not_a_feed"),
        (b"hello, world", 200, "unknown_format"),
        (b"<html><body>nope</body></html>", 200, "not_a_feed"),
        (b"", 500, "http_status"),
        (b"", 404, "http_status"),
        (b"", 401, "invalid_auth"),
        (b"", 403, "invalid_auth"),
    ],
)
async def test_bad_feeds_are_form_errors(
    hass: HomeAssistant,
    feed_server: FeedServer,
    body: bytes,
    status: int,
    error: str,
) -> None:
    """Every failure is an error in the form, and the form can be retried."""
    feed_server.body, feed_server.status = body, status
    result = await _start(hass, feed_server.url)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    feed_server.serve(make_feed([request_now()]))
    result = await _accept_http(
        hass,
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: feed_server.url}
        ),
    )
    assert result["step_id"] == "trust"


async def test_feed_signed_by_another_key_is_bad_signature(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """A feed listing key A whose requests are signed by key B pins nothing."""
    feed_server.serve(make_feed([request_now()], key=OTHER_KEY, kid=OTHER_KID))
    result = await _start(hass, feed_server.url)
    assert result["errors"] == {"base": "bad_signature"}


@pytest.mark.usefixtures("fast_timeout")
async def test_hanging_feed_times_out(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    feed_server.hang = True
    result = await _start(hass, feed_server.url)
    assert result["errors"] == {"base": "timeout"}


@pytest.mark.usefixtures("small_cap")
async def test_oversize_feed(hass: HomeAssistant, feed_server: FeedServer) -> None:
    result = await _start(hass, feed_server.url)
    assert result["errors"] == {"base": "too_large"}


async def test_bearer_token_is_sent(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    feed_server.token = "s3cret"
    result = await _start(hass, feed_server.url)
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: feed_server.url, CONF_TOKEN: "s3cret"}
    )
    assert result["step_id"] == "trust"


async def test_reconfigure_moves_the_url(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url)
    new_url = feed_server.url + "?v=2"
    result = await start_reconfigure(hass, entry)
    assert result["step_id"] == "reconfigure"
    feed_server.status = 500
    result = await _accept_http(
        hass,
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: new_url}
        ),
    )
    assert result["errors"] == {"base": "http_status"}
    assert result["description_placeholders"] == {"status": "500 Internal Server Error"}
    feed_server.status = 200
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: new_url}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()  # the entry reloads in a task
    assert entry.data[CONF_URL] == new_url
    assert entry.unique_id == feed_unique_id(new_url, PUBLISHER_ID)


async def test_reconfigure_same_url_keeps_entry(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url)
    result = await start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: feed_server.url, CONF_TOKEN: "t"}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()  # the entry reloads in a task
    assert entry.data[CONF_TOKEN] == "t"


async def test_reconfigure_refuses_another_publisher(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    entry = await add_entry(hass, feed_server.url)
    feed_server.serve(
        make_feed(
            [request_now()],
            publisher=make_publisher(id="someone-else", keys=[OTHER_JWK]),
            key=OTHER_KEY,
            kid=OTHER_KID,
        )
    )
    result = await start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: feed_server.url}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_publisher"
    assert entry.data[CONF_PUBLISHER_ID] == PUBLISHER_ID


async def test_reconfigure_onto_another_entry_aborts(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """Two unsigned feeds of one publisher are two entries; one cannot become
    the other."""
    feed_server.serve(make_feed([request_now()], signed=False))
    first = await _add_unsigned(hass, feed_server.url)
    second_url = feed_server.url + "?mirror"
    await _add_unsigned(hass, second_url)
    result = await start_reconfigure(hass, first)
    result = await _accept_http(
        hass,
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: second_url}
        ),
    )
    assert result["reason"] == "already_configured"


async def _add_unsigned(hass: HomeAssistant, url: str) -> config_entries.ConfigEntry:
    result = await _start(hass, url)
    assert result["step_id"] == "trust_unsigned", result
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ALLOW_UNVERIFIED: True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOME: {"latitude": 41.6, "longitude": -73.0, "radius": 30}},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert isinstance(entry, config_entries.ConfigEntry)
    return entry


async def test_reauth_with_new_token(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """A 401 on a poll starts reauth; the new token is tried before it is saved."""
    feed_server.token = "old"
    entry = await add_entry(hass, feed_server.url, token="old")
    feed_server.token = "new"
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    flow_id = flows[0]["flow_id"]
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_TOKEN: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_TOKEN: "new"}
    )
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_TOKEN] == "new"
    await hass.async_block_till_done()  # the entry reloads in a task


async def test_feed_the_verifier_refuses_whole(
    hass: HomeAssistant, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed-level verification failure is a form error, not a traceback."""
    from functools import partial

    from custom_components.neighborhood_requests.protocol.feed import FeedVerifier
    from custom_components.neighborhood_requests.requests import probe

    monkeypatch.setattr(probe, "FeedVerifier", partial(FeedVerifier, max_requests=0))
    result = await _start(hass, feed_server.url)
    assert result["errors"] == {"base": "not_a_feed"}
