"""A withdrawn request gets nothing more (invariant 8), tried as the publisher would.

After Share, the publisher cancels, closes, narrows the window, moves the area or
sends uploads to another host; or the request vanishes from its feed; or only its
inbox knows. Real Home Assistant, the reference publisher's feed and inbox on
127.0.0.1, and the one question each time: did any more bytes leave the house?
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.delivery.deliveries import (
    HELD_REASON,
    notification_id,
    storage_key,
)
from custom_components.neighborhood_requests.delivery.withdrawal import (
    DESCRIPTIONS,
    Reason,
)
from custom_components.neighborhood_requests.protocol.parse import format_timestamp
from tests.integration.conftest import (  # noqa: F401  (fixtures, found by name)
    auto_enable_custom_integrations,
    config_dir_in_tmp,
    home,
)
from tests.integration.inbox_helpers import REQUEST_ID, PublisherServer, audit_events
from tests.integration.sharing import (  # noqa: F401  (fixtures, found by name)
    CAMERA,
    PAST_BACKOFF,
    assets_fixture,
    delivery_of,
    entry_fixture,
    later,
    notes,
    notifications_ready_fixture,
    publisher_fixture,
    record_of,
    settle,
    share,
)
from tests.integration.storage_helpers import stored
from tests.protocol.factories import HOME_LAT, HOME_LON, PUBLISHER_ID

RETRY_DUE = timedelta(seconds=6)  # past a first retry's backoff, before a poll


def sent(publisher: PublisherServer) -> tuple[int, int]:
    """Every request that could carry a clip: POSTs and tus PATCHes."""
    return len(publisher.posts), publisher.patches


async def publish_and_poll(
    entry: ConfigEntry, publisher: PublisherServer, **revision: Any
) -> None:
    publisher.publish(publisher.request(**revision))
    await entry.runtime_data.coordinator.async_refresh()


async def test_a_cancelled_request_sends_nothing_more(  # noqa: PLR0917 - fixtures
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Shared, the inbox failed once; then the publisher cancels before the retry."""
    watcher = await hass_ws_client(hass)
    await watcher.send_json_auto_id({"type": f"{DOMAIN}/subscribe"})
    assert (await watcher.receive_json())["success"]
    await watcher.receive_json()  # the snapshot
    publisher.script = [500]
    await share(hass, entry, hass_admin_user)
    assert delivery_of(entry).state == "queued"
    (queued,) = entry.runtime_data.outbox.outbox.entries
    before = sent(publisher)

    await publish_and_poll(entry, publisher, revision=2, status="cancelled")
    await settle(hass)
    # The bot hears it as an `updated` change of the shared request. (Read now:
    # moving the clock below would fire the websocket's heartbeat timeout.)
    states: list[str] = []
    while "withdrawn" not in states:
        change = (await asyncio.wait_for(watcher.receive_json(), 10))["event"]
        if change["event"] == "updated" and change["request"]["deliveries"]:
            states.append(change["request"]["deliveries"][0]["state"])
    await watcher.close()
    await later(hass, freezer, PAST_BACKOFF)
    await later(hass, freezer, PAST_BACKOFF)

    assert sent(publisher) == before  # no connection at all after the withdrawal
    assert publisher.stored() == []
    delivery = delivery_of(entry)
    assert (delivery.state, delivery.reason) == (
        "withdrawn",
        DESCRIPTIONS[Reason.CANCELLED],
    )
    assert record_of(entry).state == "shared"  # the decision stays what it was
    assert entry.runtime_data.outbox.status(PUBLISHER_ID, REQUEST_ID, CAMERA) == (
        "withdrawn"
    )
    (saved,) = stored(hass, storage_key(entry.entry_id))["entries"]
    assert saved["state"] == "withdrawn"
    assert not queued.clip_path.exists()  # no copy of the footage lingers
    note = notes(hass)[notification_id(entry.entry_id, queued.key)]
    assert note["title"] == "Video for Wolcott Police Department was not sent"
    assert "the publisher cancelled the request" in note["message"]
    withdrawn = [
        e
        for e in audit_events(entry.runtime_data.coordinator.audit_path)
        if e["type"] == "delivery_withdrawn"
    ]
    assert [(e["key"], e["reason"]) for e in withdrawn] == [
        (queued.key, DESCRIPTIONS[Reason.CANCELLED])
    ]


async def test_an_upload_in_flight_is_cut_off(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
) -> None:
    """The inbox holds the upload open; the publisher closes the request meanwhile."""
    publisher.hold_patches = True
    await hass.services.async_call(
        DOMAIN,
        "respond",
        {
            "config_entry_id": entry.entry_id,
            "request_id": REQUEST_ID,
            "decision": "share",
            "cameras": [CAMERA],
        },
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await asyncio.wait_for(publisher.patch_arrived.wait(), 30)
    assert delivery_of(entry).state == "uploading"

    await publish_and_poll(entry, publisher, revision=2, status="closed")
    await settle(hass)
    await asyncio.wait_for(publisher.hold_ended.wait(), 30)

    assert publisher.held == ["dropped by the home"]
    assert publisher.stored() == []
    delivery = delivery_of(entry)
    assert (delivery.state, delivery.reason) == (
        "withdrawn",
        DESCRIPTIONS[Reason.CLOSED],
    )
    ends = sorted(
        (e["type"], e.get("result"))
        for e in audit_events(entry.runtime_data.coordinator.audit_path)
        if e["type"] in ("delivery_result", "delivery_withdrawn")
    )
    # The withdrawal and the attempt's end, each once (in either order).
    assert ends == [("delivery_result", "aborted"), ("delivery_withdrawn", None)]


def _later_start(request: dict[str, Any]) -> dict[str, Any]:
    start = request["window"]["start"].replace("Z", "+00:00")
    from datetime import datetime

    moved = datetime.fromisoformat(start) + timedelta(minutes=10)
    return {"window": {**request["window"], "start": format_timestamp(moved)}}


def _away(request: dict[str, Any]) -> dict[str, Any]:
    circle = {"lat": HOME_LAT + 0.2, "lon": HOME_LON, "radius_m": 300.0}
    return {"area": {"circle": circle}}


def _elsewhere(request: dict[str, Any]) -> dict[str, Any]:
    return {"response": {"upload_url": "http://127.0.0.2:9/upload/wpd-2026-0412"}}


@pytest.mark.parametrize(
    ("revise", "reason"),
    [
        (_later_start, Reason.WINDOW),
        (_away, Reason.AREA),
        (_elsewhere, Reason.UPLOAD_ORIGIN),
    ],
    ids=["window-narrowed", "area-moved-away", "upload-to-another-host"],
)
async def test_a_revision_the_share_no_longer_answers_withdraws_it(  # noqa: PLR0917
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
    revise: Callable[[dict[str, Any]], dict[str, Any]],
    reason: Reason,
) -> None:
    publisher.script = [500]
    await share(hass, entry, hass_admin_user)
    before = sent(publisher)

    await publish_and_poll(entry, publisher, revision=2, **revise(publisher.request()))
    await later(hass, freezer, PAST_BACKOFF)

    assert sent(publisher) == before
    assert publisher.stored() == []
    assert (delivery_of(entry).state, delivery_of(entry).reason) == (
        "withdrawn",
        DESCRIPTIONS[reason],
    )


async def test_a_revision_the_share_still_answers_is_delivered(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A wider window still contains the clip; a new path on the same host is used."""
    publisher.script = [500]
    await share(hass, entry, hass_admin_user)
    original = publisher.request()
    wider = {**original["window"], "end": original["window"]["end"]}
    wider["start"] = format_timestamp(
        record_of(entry).request.window.start - timedelta(minutes=10)  # type: ignore[union-attr]
    )
    moved = f"{publisher.upload_url}?v=2"

    await publish_and_poll(
        entry,
        publisher,
        revision=2,
        window=wider,
        response={"upload_url": moved},
    )
    await later(hass, freezer, PAST_BACKOFF)

    assert delivery_of(entry).state == "delivered"
    assert len(publisher.stored()) == 1
    assert publisher.paths[-1] == "/upload/wpd-2026-0412?v=2"


async def test_a_request_missing_from_the_feed_is_held_until_it_returns(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Gone from a valid feed is not withdrawn, but nothing goes while it is gone."""
    original = publisher.request()
    publisher.script = [500]
    await share(hass, entry, hass_admin_user)
    before = sent(publisher)

    publisher.publish()  # the same feed, without the request
    await entry.runtime_data.coordinator.async_refresh()
    await later(hass, freezer, PAST_BACKOFF)

    assert sent(publisher) == before
    assert (delivery_of(entry).state, delivery_of(entry).reason) == (
        "held",
        HELD_REASON,
    )
    assert entry.runtime_data.outbox.status(PUBLISHER_ID, REQUEST_ID, CAMERA) == (
        "pending"
    )

    publisher.publish(original)  # back, byte for byte
    await entry.runtime_data.coordinator.async_refresh()
    await settle(hass)

    assert delivery_of(entry).state == "delivered"
    assert len(publisher.stored()) == 1
    types = [
        e["type"]
        for e in audit_events(entry.runtime_data.coordinator.audit_path)
        if e["type"].startswith("delivery_")
    ]
    assert types.index("delivery_held") < types.index("delivery_released")


async def test_only_the_inbox_knows_it_was_cancelled(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The home has not polled yet: the inbox's 410 is a withdrawal, not a delivery."""
    publisher.script = [500]
    await share(hass, entry, hass_admin_user)
    (queued,) = entry.runtime_data.outbox.outbox.entries
    publisher.publish(publisher.request(revision=2, status="cancelled"))

    await later(hass, freezer, RETRY_DUE)

    assert publisher.stored() == []
    delivery = delivery_of(entry)
    assert delivery.state == "withdrawn"
    assert delivery.reason == "request 'wpd-2026-0412' was cancelled"
    note = notes(hass)[notification_id(entry.entry_id, queued.key)]
    assert "no longer accepts clips" in note["message"]
    before = sent(publisher)
    await later(hass, freezer, PAST_BACKOFF)
    assert sent(publisher) == before


async def test_a_withdrawal_while_home_assistant_was_down_is_applied_first(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The cancel arrives with the first poll after a restart, before any upload."""
    publisher.script = [500]
    await share(hass, entry, hass_admin_user)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await settle(hass)
    publisher.publish(publisher.request(revision=2, status="cancelled"))
    before = sent(publisher)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    await later(hass, freezer, PAST_BACKOFF)

    assert sent(publisher) == before
    assert delivery_of(entry).state == "withdrawn"
