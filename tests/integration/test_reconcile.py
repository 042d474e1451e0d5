"""The record, the outbox and the audit log reconciled at start, and a refused write.

Each test damages what one of the three holds between two runs (as a lost or
rolled-back file would) and restarts the entry; the decision must come back from
whichever still holds it, be audited with its source, and never be asked again.
"""

from __future__ import annotations

from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.coordinator import (
    audit_head_path,
    audit_path,
)
from custom_components.neighborhood_requests.delivery.deliveries import storage_key
from tests.export.footage import Assets

from .inbox_helpers import REQUEST_ID, PublisherServer, audit_events
from .sharing import (  # noqa: F401  (fixtures are found by their names)
    CAMERA,
    PAST_BACKOFF,
    assets_fixture,
    entry_fixture,
    later,
    lay_out_window,
    loopback_entry,
    notifications_ready_fixture,
    publisher_fixture,
    record_of,
    settle,
    share,
)
from .storage_helpers import storage_file, stored, write_stored

RECORD = f"wolcott-pd/{REQUEST_ID}"


async def respond(
    hass: HomeAssistant, entry: ConfigEntry, user: User, decision: str
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "respond",
        {
            "config_entry_id": entry.entry_id,
            "request_id": REQUEST_ID,
            "decision": decision,
            "cameras": [CAMERA],
        },
        blocking=True,
        context=Context(user_id=user.id),
    )


def forget_decision(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """The request store comes back without the decision (rolled back, say)."""
    key = f"{DOMAIN}.{entry.entry_id}"
    data = stored(hass, key)
    (record_key,) = [k for k in data["requests"] if k.endswith(REQUEST_ID)]
    data["requests"][record_key].update(state="pending", decision=None, deliveries=[])
    write_stored(hass, key, data)


def drop_audit_log(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """The log and its head are gone (a lost folder, a restored backup)."""
    audit_path(hass, entry.entry_id).unlink()
    audit_head_path(hass, entry.entry_id).unlink()


def refuse_writes(path: Path) -> None:
    """A folder where the file goes: the rename fails, as a failing disk would."""
    path.unlink(missing_ok=True)
    path.mkdir()


def decisions(entry: ConfigEntry) -> list[dict[str, object]]:
    return [
        e
        for e in audit_events(entry.runtime_data.coordinator.audit_path)
        if str(e["type"]).startswith("decision") and e.get("request_id") == REQUEST_ID
    ]


async def restart(hass: HomeAssistant, entry: ConfigEntry) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def start(hass: HomeAssistant, entry: ConfigEntry) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)


async def test_a_decline_only_the_audit_log_kept_is_restored_not_asked_again(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    await respond(hass, entry, hass_admin_user, "decline")
    await restart(hass, entry)
    forget_decision(hass, entry)
    await start(hass, entry)
    record = record_of(entry)
    assert (record.state, record.decision and record.decision.decision) == (
        "declined",
        "decline",
    )
    assert [(e["type"], e.get("source")) for e in decisions(entry)] == [
        ("decision", None),
        ("decision_restored", "audit_log"),
    ]
    with pytest.raises(ServiceValidationError) as err:
        await respond(hass, entry, hass_admin_user, "share")
    assert err.value.translation_key == "already_decided"


async def test_a_share_only_the_outbox_kept_is_restored(
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    publisher.script = ["stored_then_500"]
    await share(hass, entry, hass_admin_user)
    await restart(hass, entry)
    forget_decision(hass, entry)
    drop_audit_log(hass, entry)
    await start(hass, entry)
    record = record_of(entry)
    assert record.state == "shared"
    assert record.decision is not None
    assert record.decision.cameras == (CAMERA,)
    restored = [e for e in decisions(entry) if e["type"] == "decision_restored"]
    assert [(e["source"], e["cameras"]) for e in restored] == [("outbox", ["Camera 1"])]
    # The clip the inbox already stored is acknowledged (409), never sent twice.
    await later(hass, freezer, PAST_BACKOFF)
    assert len(publisher.stored()) == 1
    assert [d.state for d in record_of(entry).deliveries] == ["delivered"]


async def test_a_decision_the_audit_log_lost_is_audited_late(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    await respond(hass, entry, hass_admin_user, "decline")
    await restart(hass, entry)
    drop_audit_log(hass, entry)
    await start(hass, entry)
    late = [e for e in decisions(entry) if e.get("recorded_late")]
    assert [(e["type"], e["decision"]) for e in late] == [("decision", "decline")]


async def test_a_share_whose_export_never_finished_is_exported_at_start(  # noqa: PLR0917
    hass: HomeAssistant,
    publisher: PublisherServer,
    home: tuple[float, float],
    assets: Assets,
    notifications_ready: None,
    hass_admin_user: User,
) -> None:
    """No footage at decision time: the consent stands, the clip follows later."""
    created = await loopback_entry(hass, publisher)
    with pytest.raises(HomeAssistantError) as err:
        await respond(hass, created, hass_admin_user, "share")
    assert err.value.translation_key == "export_failed"
    assert record_of(created).state == "shared"
    assert publisher.stored() == []
    lay_out_window(created, assets)
    await restart(hass, created)
    await start(hass, created)
    assert len(publisher.stored()) == 1
    assert [d.state for d in record_of(created).deliveries] == ["delivered"]


async def test_a_decision_the_disk_refuses_is_not_made(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    """The store cannot be replaced: the resident hears why, nothing is exported."""
    path: Path = storage_file(hass, f"{DOMAIN}.{entry.entry_id}")
    refuse_writes(path)
    with pytest.raises(HomeAssistantError) as err:
        await respond(hass, entry, hass_admin_user, "share")
    assert err.value.translation_key == "decision_not_saved"
    assert record_of(entry).state == "pending"
    assert [e["type"] for e in decisions(entry)] == ["decision_not_saved"]
    assert stored(hass, storage_key(entry.entry_id)) is None
    await hass.async_add_executor_job(path.rmdir)
    await respond(hass, entry, hass_admin_user, "decline")
    assert record_of(entry).state == "declined"


async def test_an_unreadable_store_is_set_aside_and_rebuilt_from_the_audit_log(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    await respond(hass, entry, hass_admin_user, "decline")
    await restart(hass, entry)
    path = storage_file(hass, f"{DOMAIN}.{entry.entry_id}")
    await hass.async_add_executor_job(path.write_bytes, b'{"version": 1, "da')
    await start(hass, entry)
    assert record_of(entry).state == "declined"
    events = audit_events(entry.runtime_data.coordinator.audit_path)
    (damaged,) = [e for e in events if e["type"] == "store_unreadable"]
    assert damaged["moved_to"].startswith(path.name + ".corrupt.")
    assert (path.parent / damaged["moved_to"]).read_bytes() == b'{"version": 1, "da'
    assert [e["source"] for e in decisions(entry) if "source" in e] == ["audit_log"]
