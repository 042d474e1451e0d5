"""Attack: send a home's clips somewhere its owner never agreed to.

Before, an upload URL was accepted when its host matched the feed's own
`publisher.url`, a member no signature covers: whoever could change the feed's
bytes chose where clips went. Now a home sends clips only to the origin of the
feed URL its owner typed, or to upload origins the publisher signed and the
owner saw on the trust screen; any change to them waits for the owner.
"""

from __future__ import annotations

from typing import Any

from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.neighborhood_requests.const import (
    CONF_ALLOW_LAN,
    CONF_ALLOW_UNVERIFIED,
    CONF_KEYS,
    CONF_UPLOAD_ORIGINS,
    DOMAIN,
    LEGACY_ALLOW_LOOPBACK_UPLOAD,
)
from custom_components.neighborhood_requests.coordinator import issue_id
from custom_components.neighborhood_requests.settings import default_options
from tests.integration.conftest import (
    FeedServer,
    add_entry,
    answer_url_step,
    request_now,
)
from tests.integration.markdown import rendered
from tests.protocol.factories import (
    HOME_LAT,
    HOME_LON,
    OTHER_JWK,
    OTHER_KEY,
    OTHER_KID,
    PUBLISHER_ID,
    TEST_JWK,
    make_feed,
    make_publisher,
)

pytestmark = pytest.mark.usefixtures("home")


def states(entry: ConfigEntry) -> dict[str | None, str]:
    return {r.request_id: r.state for r in entry.runtime_data.coordinator.store}


def reasons(entry: ConfigEntry, request_id: str) -> list[str]:
    for record in entry.runtime_data.coordinator.store:
        if record.request_id == request_id:
            return [p.reason for p in record.reasons]
    raise AssertionError(f"no record of {request_id}")


def origin_label(feed_server: FeedServer) -> str:
    return feed_server.url.removesuffix("/feed.json")


async def refresh(hass: HomeAssistant, entry: ConfigEntry) -> None:
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()


async def retrust(client: Any, key: str) -> dict[str, Any]:
    """Open the issue's fix flow as the owner does, through the repairs API."""
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": key}
    )
    result: dict[str, Any] = await response.json()
    assert result["step_id"] == "confirm", result
    return result


async def confirm(hass: HomeAssistant, client: Any, flow_id: str) -> None:
    response = await client.post(f"/api/repairs/issues/fix/{flow_id}", json={})
    result = await response.json()
    assert result["type"] == "create_entry", result
    await hass.async_block_till_done()


async def test_the_trust_screen_says_where_clips_go(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    feed_server.serve(
        make_feed([request_now()], upload_origins=["https://inbox.example.org"])
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await answer_url_step(hass, result["flow_id"], {"url": feed_server.url})

    assert result["step_id"] == "trust"
    assert rendered(result["description_placeholders"]["destinations"]) == (
        f"{origin_label(feed_server)}, inbox.example.org"
    )
    entry = await add_entry(hass, feed_server.url + "?again")
    assert entry.data[CONF_UPLOAD_ORIGINS] == ["https://inbox.example.org"]


async def test_a_self_declared_publisher_url_vouches_for_nothing(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """An unsigned feed (or whoever edits it in transit) names evil.example twice."""
    evil = make_publisher(keys=[], url="https://evil.example/")
    feed_server.serve(
        make_feed(
            [request_now(response={"upload_url": "https://evil.example/upload"})],
            signed=False,
            publisher=evil,
        )
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await answer_url_step(hass, result["flow_id"], {"url": feed_server.url})
    assert result["step_id"] == "trust_unsigned"
    assert rendered(result["description_placeholders"]["destinations"]) == (
        origin_label(feed_server)
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ALLOW_UNVERIFIED: True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"home": {"latitude": HOME_LAT, "longitude": HOME_LON}}
    )
    await hass.async_block_till_done()
    entry = result["result"]

    assert states(entry) == {"wpd-2026-0412": "rejected"}
    assert reasons(entry, "wpd-2026-0412") == [
        "upload origin evil.example is not one this home trusted for this "
        f"publisher ({origin_label(feed_server)})"
    ]


async def test_a_signed_request_to_an_unannounced_inbox_is_not_actionable(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """Even the key holder cannot aim clips at an origin the owner never saw."""
    feed_server.serve(
        make_feed(
            [
                request_now(),
                request_now(
                    id="elsewhere-1",
                    response={"upload_url": "https://collector.example.net/in"},
                ),
            ]
        )
    )

    await refresh(hass, entry)

    assert states(entry)["elsewhere-1"] == "rejected"
    assert reasons(entry, "elsewhere-1") == [
        "upload origin collector.example.net is not one this home trusted for this "
        f"publisher (feeds.example.org, {origin_label(feed_server)})"
    ]
    assert states(entry)["wpd-2026-0412"] == "pending"


async def test_a_newly_signed_inbox_waits_for_the_owner(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer, hass_client: Any
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    origins = ["https://feeds.example.org", "https://inbox2.example.org"]
    feed_server.serve(
        make_feed(
            [
                request_now(),
                request_now(
                    id="moved-1",
                    response={"upload_url": "https://inbox2.example.org/in"},
                ),
            ],
            upload_origins=origins,
        )
    )

    await refresh(hass, entry)

    assert states(entry)["moved-1"] == "rejected"
    assert states(entry)["wpd-2026-0412"] == "pending"  # the old inbox still works
    key = issue_id("upload_origins_changed", entry.entry_id)
    assert ir.async_get(hass).async_get_issue(DOMAIN, key) is not None
    client = await hass_client()
    form = await retrust(client, key)
    assert rendered(form["description_placeholders"]["destinations"]) == (
        f"feeds.example.org, {origin_label(feed_server)}, inbox2.example.org"
    )

    await confirm(hass, client, form["flow_id"])

    assert entry.data[CONF_UPLOAD_ORIGINS] == origins
    assert states(entry)["moved-1"] == "pending"
    assert ir.async_get(hass).async_get_issue(DOMAIN, key) is None


async def test_an_edited_publisher_block_loses_its_statement(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """Renaming the publisher (or adding origins) without the key counts as refused."""
    document = make_feed([request_now()], upload_origins=["https://evil.example"])
    document["publisher"]["name"] = "Wolcott Police (official)"
    feed_server.serve(document)

    await refresh(hass, entry)

    counts = entry.runtime_data.coordinator.rejections.report(PUBLISHER_ID)
    assert counts["rejected_rules"] == {
        "publisher.statement: signed name differs from publisher.name": 1
    }
    key = issue_id("upload_origins_changed", entry.entry_id)
    assert ir.async_get(hass).async_get_issue(DOMAIN, key) is None
    assert entry.data[CONF_UPLOAD_ORIGINS] == ["https://feeds.example.org"]
    assert states(entry) == {"wpd-2026-0412": "pending"}


async def test_new_keys_show_where_clips_would_go(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer, hass_client: Any
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    feed_server.serve(
        make_feed(
            [request_now(id="rotated-1")],
            keys=[OTHER_JWK],
            key=OTHER_KEY,
            kid=OTHER_KID,
            upload_origins=["https://new-inbox.example.org"],
        )
    )
    await refresh(hass, entry)
    client = await hass_client()
    form = await retrust(client, issue_id("keys_changed", entry.entry_id))

    assert rendered(form["description_placeholders"]["destinations"]) == (
        f"{origin_label(feed_server)}, new-inbox.example.org"
    )

    await confirm(hass, client, form["flow_id"])

    assert entry.data[CONF_KEYS] == [OTHER_JWK]
    assert entry.data[CONF_UPLOAD_ORIGINS] == ["https://new-inbox.example.org"]


async def test_an_entry_from_before_upload_origins_trusts_only_its_feed(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """Migration 1.1 -> 1.2: the feed's origin, and the loopback switch as LAN yes."""
    upload_here = feed_server.url.replace("/feed.json", "/upload")
    feed_server.serve(
        make_feed(
            [
                request_now(id="here-1", response={"upload_url": upload_here}),
                request_now(id="there-1"),
            ]
        )
    )
    options = default_options({"latitude": HOME_LAT, "longitude": HOME_LON}, [])
    old = MockConfigEntry(
        domain=DOMAIN,
        version=1,
        minor_version=1,
        title="Wolcott Police Department",
        data={
            "url": feed_server.url,
            "token": None,
            "publisher_id": PUBLISHER_ID,
            "publisher_name": "Wolcott Police Department",
            "publisher_kind": "law_enforcement",
            CONF_KEYS: [TEST_JWK],
            CONF_ALLOW_UNVERIFIED: False,
            "webhook_id": "0123456789abcdef",
        },
        options={**options, LEGACY_ALLOW_LOOPBACK_UPLOAD: True},
    )
    old.add_to_hass(hass)

    assert await hass.config_entries.async_setup(old.entry_id)
    await hass.async_block_till_done()

    assert old.minor_version == 2
    assert old.data[CONF_UPLOAD_ORIGINS] == []
    assert old.options[CONF_ALLOW_LAN] is True
    assert LEGACY_ALLOW_LOOPBACK_UPLOAD not in old.options
    assert states(old) == {"here-1": "pending", "there-1": "rejected"}
    key = issue_id("upload_origins_changed", old.entry_id)
    assert ir.async_get(hass).async_get_issue(DOMAIN, key) is not None
