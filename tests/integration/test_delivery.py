"""A share in Home Assistant ends, exactly once, in the publisher's inbox.

Real parts throughout: Home Assistant with the integration set up through its
flow, footage made by ffmpeg and exported by the entry's own exporter, the
reference publisher's feed and inbox on 127.0.0.1 (with faults scripted in front
of it), and time moved with the freezer instead of waiting for backoff.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.neighborhood_requests.consent import decisions as consent
from custom_components.neighborhood_requests.consent.access import Surface
from custom_components.neighborhood_requests.const import (
    CONF_ALLOW_LAN,
    CONF_POLL_INTERVAL,
)
from custom_components.neighborhood_requests.delivery.deliveries import (
    notification_id,
    storage_key,
)
from custom_components.neighborhood_requests.delivery.upload import REDIRECTED_AWAY
from custom_components.neighborhood_requests.requests.store import (
    Delivery,
    RequestRecord,
)
from tests.protocol.factories import PUBLISHER_ID

from .conftest import EventLog, add_entry
from .inbox_helpers import REQUEST_ID, PublisherServer, audit_events, verify_stored
from .markdown import rendered
from .options_helpers import set_options
from .sharing import (  # noqa: F401  (fixtures are found by their names)
    CAMERA,
    PAST_BACKOFF,
    assets_fixture,
    audit_types,
    delivery_of,
    entry_fixture,
    later,
    loopback_entry,
    notes,
    notifications_ready_fixture,
    publisher_fixture,
    record_of,
    settle,
    share,
)
from .storage_helpers import stored, write_stored
from .test_share_handoff import DiskExporter, ListOutbox


async def test_share_arrives_once_with_a_signed_manifest(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
) -> None:
    log = EventLog(hass)
    await share(hass, entry, hass_admin_user)

    (receipt,) = publisher.stored()
    home_key = entry.runtime_data.home_key
    manifest = verify_stored(publisher, receipt, home_key.jwk)
    assert manifest.request_id == REQUEST_ID
    assert manifest.publisher_id == PUBLISHER_ID
    assert manifest.camera == "Camera 1"  # its label, never the entity id
    assert manifest.home_key_id == home_key.kid
    assert manifest.include_audio is False
    assert manifest.exporter_version == "neighborhood_requests 0.1.0"
    assert manifest.window.start >= record_of(entry).request.window.start  # type: ignore[union-attr]
    assert len(publisher.posts) == 1

    delivery = delivery_of(entry)
    assert (delivery.camera, delivery.state, delivery.reason) == (
        CAMERA,
        "delivered",
        None,
    )
    assert (delivery.sha256, delivery.bytes) == (manifest.sha256, manifest.bytes)
    assert log.types.count("shared") == 1
    deliveries = entry.runtime_data.outbox
    assert deliveries.status(PUBLISHER_ID, REQUEST_ID, CAMERA) == "delivered"
    assert deliveries.status(PUBLISHER_ID, REQUEST_ID, "camera.hall") is None
    types = audit_types(entry)
    # Persisted and audited before the first byte, then one attempt, one result.
    assert types.index("delivery_queued") < types.index("delivery_attempt")
    assert types.count("delivery_attempt") == types.count("delivery_result") == 1
    assert types.index("delivery_attempt") < types.index("delivery_result")

    # The same share again is the same outbox entry: nothing more is sent.
    outbox = entry.runtime_data.outbox.outbox
    (only,) = outbox.entries
    assert not only.clip_path.exists()  # a delivered clip is not kept around
    from custom_components.neighborhood_requests.consent.share import Share
    from custom_components.neighborhood_requests.export.result import ExportResult

    request = record_of(entry).request
    assert request is not None
    await deliveries.enqueue(
        Share(
            entry_id=entry.entry_id,
            publisher_id=PUBLISHER_ID,
            request=request,
            camera=CAMERA,
            include_audio=False,
            decided_by=None,
            telegram_user=None,
            export=ExportResult(
                only.clip_path,
                only.sha256,
                only.bytes,
                request.window.start,
                request.window.end,
            ),
        )
    )
    await settle(hass)
    assert len(publisher.posts) == 1
    assert len(outbox.entries) == 1


async def test_decision_alone_fires_no_shared_event(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    """500 first: the decision is recorded and pushed, `shared` waits for the 201."""
    log = EventLog(hass)
    updates: list[str] = []
    clip_states: list[str] = []

    def seen() -> None:
        record = record_of(entry)
        updates.append(record.state)
        clip_states.extend(d.state for d in record.deliveries)

    coordinator = entry.runtime_data.coordinator
    coordinator.async_add_listener(seen)
    publisher.script = [500]
    await share(hass, entry, hass_admin_user)

    assert "shared" in updates  # subscribers saw the decision at once
    assert "shared" not in log.types
    assert record_of(entry).state == "shared"
    delivery = delivery_of(entry)
    assert (delivery.state, delivery.reason) == ("queued", "scripted 500")
    assert publisher.stored() == []
    assert entry.runtime_data.outbox.status(PUBLISHER_ID, REQUEST_ID, CAMERA) == (
        "pending"
    )

    await later(hass, freezer, PAST_BACKOFF)
    (receipt,) = publisher.stored()
    verify_stored(publisher, receipt, entry.runtime_data.home_key.jwk)
    assert delivery_of(entry).state == "delivered"
    assert log.types.count("shared") == 1
    assert clip_states[:3] == ["queued", "uploading", "queued"]
    assert clip_states[-2:] == ["uploading", "delivered"]
    assert len(set(publisher.posts)) == 1  # one idempotency key for both attempts
    assert len(publisher.posts) == 2


async def test_conflict_counts_as_delivered(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Stored, but the answer was lost: the retry's 409 completes the share."""
    log = EventLog(hass)
    publisher.offer_tus = False  # the multipart path: one POST carries the clip
    publisher.script = ["stored_then_500"]
    await share(hass, entry, hass_admin_user)
    assert len(publisher.stored()) == 1
    assert delivery_of(entry).state == "queued"
    assert "shared" not in log.types

    await later(hass, freezer, PAST_BACKOFF)
    assert len(publisher.stored()) == 1
    assert delivery_of(entry).state == "delivered"
    assert log.types.count("shared") == 1
    results = [
        e
        for e in audit_events(entry.runtime_data.coordinator.audit_path)
        if e["type"] == "delivery_result"
    ]
    assert [r["status"] for r in results] == [500, 409]


async def test_too_large_fails_with_the_inbox_reason(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert publisher.inbox is not None
    publisher.inbox.max_clip_bytes = 1000
    log = EventLog(hass)
    await share(hass, entry, hass_admin_user)

    delivery = delivery_of(entry)
    assert delivery.state == "failed"
    assert delivery.reason is not None
    assert "1000" in delivery.reason  # the inbox's own words
    results = [
        e
        for e in audit_events(entry.runtime_data.coordinator.audit_path)
        if e["type"] == "delivery_result"
    ]
    assert results[-1]["status"] == 413
    assert "shared" not in log.types
    note = notes(hass)[notification_id(entry.entry_id, results[-1]["key"])]
    assert "was not delivered" in note["title"]
    assert delivery.reason in rendered(note["message"])
    assert CAMERA in rendered(note["message"])

    await later(hass, freezer, PAST_BACKOFF)  # a final failure is never retried
    assert len(publisher.posts) == 1


async def test_connection_reset_mid_upload_retries(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    publisher.offer_tus = False  # the multipart path: one POST carries the clip
    publisher.script = ["reset"]
    await share(hass, entry, hass_admin_user)
    delivery = delivery_of(entry)
    assert delivery.state == "queued"
    assert delivery.reason
    assert publisher.stored() == []

    await later(hass, freezer, PAST_BACKOFF)
    (receipt,) = publisher.stored()
    verify_stored(publisher, receipt, entry.runtime_data.home_key.jwk)
    assert delivery_of(entry).state == "delivered"


async def test_restart_resumes_and_delivers_once(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Unloaded with the clip queued (stored, answer lost): one clip in the end."""
    log = EventLog(hass)
    publisher.offer_tus = False  # the multipart path: one POST carries the clip
    publisher.script = ["stored_then_500"]
    await share(hass, entry, hass_admin_user)
    assert delivery_of(entry).state == "queued"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await settle(hass)
    (saved,) = stored(hass, storage_key(entry.entry_id))["entries"]
    assert saved["state"] == "pending"

    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    await later(hass, freezer, PAST_BACKOFF)
    assert len(publisher.stored()) == 1
    (receipt,) = publisher.stored()
    verify_stored(publisher, receipt, entry.runtime_data.home_key.jwk)
    assert delivery_of(entry).state == "delivered"
    assert log.types.count("shared") == 1
    assert len(publisher.posts) == 2

    # A second restart sends nothing: delivered is final.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await later(hass, freezer, PAST_BACKOFF)
    assert len(publisher.posts) == 2
    assert log.types.count("shared") == 1


async def test_changed_clip_is_exported_again(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Same size, other bytes: the upload aborts, the clip is re-exported, then sent."""
    publisher.script = [500]
    await share(hass, entry, hass_admin_user)
    (queued,) = entry.runtime_data.outbox.outbox.entries
    original = queued.clip_path.read_bytes()
    tampered = bytearray(original)
    tampered[len(tampered) // 2] ^= 0xFF
    queued.clip_path.write_bytes(bytes(tampered))

    await later(hass, freezer, PAST_BACKOFF)
    (receipt,) = publisher.stored()
    manifest = verify_stored(publisher, receipt, entry.runtime_data.home_key.jwk)
    assert delivery_of(entry).state == "delivered"
    assert delivery_of(entry).sha256 == manifest.sha256
    events = audit_events(entry.runtime_data.coordinator.audit_path)
    results = [e["result"] for e in events if e["type"] == "delivery_result"]
    assert results == ["retry", "mismatch", "delivered"]
    (reexport,) = [e for e in events if e["type"] == "reexport"]
    assert reexport["ok"] is True
    assert reexport["old_sha256"] == queued.sha256


@pytest.mark.parametrize("lost", ["footage", "backend"])
async def test_failed_reexport_is_shown_to_the_owner(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
    lost: str,
) -> None:
    """The clip changed and cannot be made again: nothing is sent, the owner hears."""
    publisher.script = [500]
    await share(hass, entry, hass_admin_user)
    (queued,) = entry.runtime_data.outbox.outbox.entries
    queued.clip_path.write_bytes(b"not the clip")
    if lost == "footage":
        for segment in entry.runtime_data.footage.directory(CAMERA).iterdir():
            segment.unlink()
    else:
        entry.runtime_data.exporter = None

    await later(hass, freezer, PAST_BACKOFF)
    assert publisher.stored() == []
    delivery = delivery_of(entry)
    assert delivery.state == "failed"
    assert delivery.reason is not None
    expected = "no footage" if lost == "footage" else "no export backend"
    assert expected in delivery.reason
    assert notification_id(entry.entry_id, queued.key) in notes(hass)
    assert entry.runtime_data.outbox.status(PUBLISHER_ID, REQUEST_ID, CAMERA) == (
        "pending"
    )


async def test_redirect_to_another_host_is_refused(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
) -> None:
    publisher.script = [("redirect", 307, "http://127.0.0.2:9/upload/elsewhere")]
    await share(hass, entry, hass_admin_user)
    delivery = delivery_of(entry)
    assert (delivery.state, delivery.reason) == ("failed", REDIRECTED_AWAY)
    assert publisher.stored() == []
    assert len(publisher.posts) == 1


async def test_request_expires_while_retrying(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    publisher.script = [500] * 1000
    await share(hass, entry, hass_admin_user)
    request = record_of(entry).request
    assert request is not None
    freezer.move_to(request.expires_at + timedelta(seconds=1))
    async_fire_time_changed(hass)
    await settle(hass)

    delivery = delivery_of(entry)
    assert delivery.state == "expired"
    (queued,) = entry.runtime_data.outbox.outbox.entries
    note = notes(hass)[notification_id(entry.entry_id, queued.key)]
    assert "expired" in note["message"]
    assert publisher.stored() == []
    assert "delivery_expired" in audit_types(entry)


async def test_a_lan_publisher_needs_the_option(
    hass: HomeAssistant,
    publisher: PublisherServer,
    home: tuple[float, float],
    hass_admin_user: User,
) -> None:
    """Without the LAN allowance the home reaches neither the feed nor the inbox."""
    entry = await loopback_entry(hass, publisher, allow=False)
    coordinator = entry.runtime_data.coordinator
    assert coordinator.rejections.report("wolcott-pd")["rejected_entries"] == 0
    assert [r.request_id for r in coordinator.store] == []
    assert coordinator.update_interval > coordinator.settings.poll_interval
    with pytest.raises(ServiceValidationError) as err:
        await share(hass, entry, hass_admin_user)
    assert err.value.translation_key == "unknown_request"
    assert publisher.posts == []


async def test_lan_option_in_the_options_flow(
    hass: HomeAssistant, publisher: PublisherServer, home: tuple[float, float]
) -> None:
    entry = await add_entry(hass, publisher.feed_url, cameras=[CAMERA])
    assert entry.runtime_data.coordinator.settings.guardrails.allow_lan is True
    await set_options(
        hass, entry, "advanced", {CONF_POLL_INTERVAL: 60, CONF_ALLOW_LAN: False}
    )
    assert entry.options[CONF_ALLOW_LAN] is False
    assert entry.runtime_data.coordinator.settings.guardrails.allow_lan is False


async def test_outbox_refuses_loopback_once_the_option_is_off(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
) -> None:
    """A request accepted while the LAN was allowed sends nothing after it is not.

    The feed on 127.0.0.1 is out of reach too, so the request stays as it was
    (an outage changes nothing) and the share is refused at the outbox.
    """
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_ALLOW_LAN: False}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await settle(hass)
    assert record_of(entry).state == "pending"
    await share(hass, entry, hass_admin_user)
    delivery = delivery_of(entry)
    assert (delivery.state, delivery.reason) == (
        "failed",
        "upload address 127.0.0.1 is on this computer (loopback); must use https",
    )
    assert publisher.posts == []


async def test_two_residents_sharing_at_once_decide_once(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_admin_user: User,
    hass_owner_user: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both pass the first check and wait on the user lookup; only one may decide."""
    exporter, outbox = DiskExporter(tmp_path), ListOutbox()
    entry.runtime_data.exporter, entry.runtime_data.outbox = exporter, outbox
    both_waiting = asyncio.Event()
    waiting: list[str] = []
    original = hass.auth.async_get_user

    async def get_user(user_id: str) -> User | None:
        waiting.append(user_id)
        if len(waiting) == 2:
            both_waiting.set()
        await both_waiting.wait()
        return await original(user_id)

    monkeypatch.setattr(hass.auth, "async_get_user", get_user)
    coordinator = entry.runtime_data.coordinator

    def tap(user: User) -> consent.Response:
        return consent.Response(
            REQUEST_ID, "share", (CAMERA,), False, user.id, Surface.ACTION
        )

    results = await asyncio.gather(
        consent.respond(hass, coordinator, tap(hass_admin_user)),
        consent.respond(hass, coordinator, tap(hass_owner_user)),
        return_exceptions=True,
    )
    decided = [r for r in results if isinstance(r, RequestRecord)]
    refused = [r for r in results if isinstance(r, ServiceValidationError)]
    assert len(decided) == 1
    assert len(refused) == 1
    assert refused[0].translation_key == "already_decided"
    assert len(outbox.shares) == 1
    decisions = [
        e for e in audit_events(coordinator.audit_path) if e["type"] == "decision"
    ]
    assert len(decisions) == 1


def test_records_without_deliveries_still_load() -> None:
    """Stores written before delivery existed have no `deliveries` key."""
    now = dt_util.utcnow()
    record = RequestRecord(
        key="p/r", publisher_id="p", request_id="r", revision=1, state="shared"
    )
    data = record.as_dict()
    del data["deliveries"]
    assert RequestRecord.from_dict("p/r", data).deliveries == ()
    delivery = Delivery(CAMERA, "failed", "ab" * 32, 10, "HTTP 413", now)
    other = Delivery("camera.hall", "queued", "cd" * 32, 20, None, now)
    updated = record.with_delivery(delivery).with_delivery(other)
    updated = updated.with_delivery(
        Delivery(CAMERA, "delivered", "ab" * 32, 10, None, now)
    )
    assert [d.camera for d in updated.deliveries] == [CAMERA, "camera.hall"]
    again = RequestRecord.from_dict("p/r", updated.as_dict())
    assert again.deliveries == updated.deliveries


async def test_unreadable_outbox_entries_are_dropped_and_removal_forgets(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await share(hass, entry, hass_admin_user)
    assert await hass.config_entries.async_unload(entry.entry_id)
    outbox = stored(hass, storage_key(entry.entry_id))
    outbox["entries"].append({"key": "broken"})
    write_stored(hass, storage_key(entry.entry_id), outbox)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    assert "Dropping an unreadable outbox entry" in caplog.text
    assert len(entry.runtime_data.outbox.outbox.entries) == 1
    assert delivery_of(entry).state == "delivered"
    assert len(publisher.posts) == 1

    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert stored(hass, storage_key(entry.entry_id)) is None
