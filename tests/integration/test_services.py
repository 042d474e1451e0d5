"""The actions: consent rules of `respond`, refresh, and the two reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from custom_components.neighborhood_requests.consent.access import AccessDenied
from custom_components.neighborhood_requests.const import DOMAIN
from tests.protocol.factories import make_feed

from .conftest import EventLog, FeedServer, entity_id, geo_ids, request_now

REQUEST_ID = "wpd-2026-0412"


async def respond(
    hass: HomeAssistant, entry: ConfigEntry, user: User | None, **data: Any
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "respond",
        {"config_entry_id": entry.entry_id, "request_id": REQUEST_ID, **data},
        blocking=True,
        context=Context(user_id=user.id if user else None),
    )


async def set_never(hass: HomeAssistant, entry: ConfigEntry, camera: str) -> None:
    """Mark `camera` as never-share through the options, as a user would."""
    policies = {**entry.options["camera_policies"], camera: {"policy": "never"}}
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "camera_policies": policies}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def test_decline_is_recorded_and_audited(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    log = EventLog(hass)
    await respond(hass, entry, hass_admin_user, decision="decline")
    await hass.async_block_till_done()
    assert log.types == ["declined"]
    assert geo_ids(hass) == []
    assert hass.states.get(entity_id(hass, "sensor")).state == "0"
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.state == "declined"
    assert record.decision is not None
    assert record.decision.user_id == hass_admin_user.id

    with pytest.raises(ServiceValidationError) as err:
        await respond(hass, entry, hass_admin_user, decision="decline")
    assert err.value.translation_key == "already_decided"

    report = await hass.services.async_call(
        DOMAIN,
        "verify_audit_log",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert report["ok"] is True
    assert report["entries"] >= 2
    assert report["first_broken_line"] is None


async def test_share_records_consent_then_says_no_backend(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    """Never a fake success: the decision is kept, the missing backend is an error."""
    entry.runtime_data.exporter = entry.runtime_data.outbox = None
    with pytest.raises(HomeAssistantError) as err:
        await respond(
            hass,
            entry,
            hass_admin_user,
            decision="share",
            cameras=["camera.porch"],
            include_audio=True,
        )
    assert err.value.translation_key == "no_export_backend"
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.state == "shared"
    assert record.decision is not None
    assert record.decision.cameras == ("camera.porch",)
    assert record.decision.include_audio is True


async def test_share_defaults_to_every_camera_that_may_share(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    await set_never(hass, entry, "camera.hall")
    with pytest.raises(HomeAssistantError):
        await respond(hass, entry, hass_admin_user, decision="share")
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.decision is not None
    assert record.decision.cameras == ("camera.porch",)
    assert record.decision.include_audio is False


@pytest.mark.parametrize(
    ("cameras", "key"),
    [
        (["camera.hall"], "camera_never"),
        (["camera.garage"], "camera_not_linked"),
    ],
)
async def test_share_refuses_cameras(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_admin_user: User,
    cameras: list[str],
    key: str,
) -> None:
    """Invariant 1: "never" is absolute, and only linked cameras can share."""
    await set_never(hass, entry, "camera.hall")
    with pytest.raises(ServiceValidationError) as err:
        await respond(hass, entry, hass_admin_user, decision="share", cameras=cameras)
    assert err.value.translation_key == key
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.state == "pending"


async def test_share_with_every_camera_never(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    await set_never(hass, entry, "camera.hall")
    await set_never(hass, entry, "camera.porch")
    with pytest.raises(ServiceValidationError) as err:
        await respond(hass, entry, hass_admin_user, decision="share")
    assert err.value.translation_key == "no_cameras"


async def test_only_allowed_people_decide(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_admin_user: User,
    hass_read_only_user: User,
) -> None:
    """Without a decider list only admins decide; with one, only those listed."""
    for user in (None, hass_read_only_user):
        with pytest.raises(AccessDenied) as err:
            await respond(hass, entry, user, decision="decline")
        assert err.value.translation_key == "not_allowed_decide"

    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "deciders": [hass_read_only_user.id]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(AccessDenied):
        await respond(hass, entry, hass_admin_user, decision="decline")
    await respond(hass, entry, hass_read_only_user, decision="decline")


async def test_inactive_or_unknown_user_may_not_decide(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    with pytest.raises(AccessDenied):
        await hass.services.async_call(
            DOMAIN,
            "respond",
            {
                "config_entry_id": entry.entry_id,
                "request_id": REQUEST_ID,
                "decision": "decline",
            },
            blocking=True,
            context=Context(user_id="no-such-user"),
        )
    await hass.auth.async_update_user(hass_admin_user, is_active=False)
    with pytest.raises(AccessDenied):
        await respond(hass, entry, hass_admin_user, decision="decline")


async def test_unknown_expired_and_unactionable_requests(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_admin_user: User,
    freezer: FrozenDateTimeFactory,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "respond",
            {
                "config_entry_id": entry.entry_id,
                "request_id": "nope",
                "decision": "decline",
            },
            blocking=True,
            context=Context(user_id=hass_admin_user.id),
        )
    assert err.value.translation_key == "unknown_request"

    no_case = {"type": "theft", "summary": "s", "case_number": None}
    feed_server.serve(make_feed([request_now(), request_now(id="x", incident=no_case)]))
    await hass.services.async_call(
        DOMAIN, "refresh", {"config_entry_id": entry.entry_id}, blocking=True
    )
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "respond",
            {"config_entry_id": entry.entry_id, "request_id": "x", "decision": "share"},
            blocking=True,
            context=Context(user_id=hass_admin_user.id),
        )
    assert err.value.translation_key == "not_actionable"

    # Past expiry but before the next poll noticed it: still refused.
    freezer.tick(timedelta(days=8))
    with pytest.raises(ServiceValidationError) as err:
        await respond(hass, entry, hass_admin_user, decision="decline")
    assert err.value.translation_key == "request_expired"


async def test_transparency_report(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_admin_user: User,
) -> None:
    no_case = {"type": "theft", "summary": "s", "case_number": None}
    feed_server.serve(
        make_feed(
            [
                request_now(),
                request_now(id="nocase", incident=no_case),
                request_now(id="b"),
            ]
        )
    )
    await hass.services.async_call(
        DOMAIN, "refresh", {"config_entry_id": entry.entry_id}, blocking=True
    )
    await respond(hass, entry, hass_admin_user, decision="decline")
    report = await hass.services.async_call(
        DOMAIN,
        "transparency_report",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    publisher = report["publishers"]["wolcott-pd"]
    assert publisher["received"] == 3
    assert publisher["rejected"] == 1
    assert publisher["declined"] == 1
    assert publisher["pending"] == 1
    assert publisher["shared"] == 0
    assert publisher["expired"] == 0
    assert len(publisher["rejected_reasons"]) == 1
    assert publisher["median_window_minutes"] == 30.0
    assert publisher["median_radius_m"] == 300


async def test_verify_audit_log_finds_tampering(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User
) -> None:
    await respond(hass, entry, hass_admin_user, decision="decline")
    path = entry.runtime_data.coordinator.audit_path
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace("pending", "shared")
    path.write_text("\n".join(lines) + "\n")
    report = await hass.services.async_call(
        DOMAIN,
        "verify_audit_log",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    # Each line is signed: the edited line itself is named, not the one after.
    assert (report["ok"], report["code"], report["first_broken_line"]) == (
        False,
        "line_changed",
        1,
    )
    assert report["message"] == (
        "Line 1 of the audit log was changed after this home wrote it."
    )


async def test_verify_deleted_audit_log(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    path = entry.runtime_data.coordinator.audit_path
    entries = len(path.read_text().splitlines())
    path.unlink()
    report = await hass.services.async_call(
        DOMAIN,
        "verify_audit_log",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert report == {
        "ok": False,
        "code": "missing",
        "message": "The audit log file is missing, but its signed head names "
        + (f"{entries} entries." if entries != 1 else "1 entry."),
        "entries": 0,
        "expected_entries": entries,
        "first_broken_line": 1,
        "reason": f"the log file is missing, but its signed head names {entries} "
        "entries",
        "incidents": [],
        "repairs": [],
    }


async def test_decision_survives_restart_and_new_revisions(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_admin_user: User,
) -> None:
    """A decided request stays decided: no second prompt after a reload or update."""
    await respond(hass, entry, hass_admin_user, decision="decline")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    log = EventLog(hass)
    feed_server.serve(make_feed([request_now(revision=2)]))
    await hass.services.async_call(
        DOMAIN, "refresh", {"config_entry_id": entry.entry_id}, blocking=True
    )
    assert log.types == []
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.revision == 2
    assert record.state == "declined"
    assert record.decision is not None
    assert record.decision.user_id == hass_admin_user.id
