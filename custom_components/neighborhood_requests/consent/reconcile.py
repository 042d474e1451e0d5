"""At start, the request record, the outbox and the audit log tell one story again.

A decision is written to the request store (fsynced) and then to the audit log
before its export starts; each clip enters the outbox (fsynced) before its first
byte leaves. A power cut can fall between any two of those writes, and a store file
can be lost or damaged. So, before the first poll can prompt anyone:

- a decision the audit log or the outbox holds but the record lacks is restored
  (never asked again), and the restoration is audited with its source;
- a decision the record holds but the audit log lacks is audited late, marked so;
- once the exporter is up, a share whose clips never reached the outbox (the
  power went out during its export) is exported and queued again.

The outbox decides delivery by itself: an entry that was uploading is sent again
under the same idempotency key, and the inbox's 409 counts as delivered.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from ..const import (
    DECISION_DECLINE,
    DECISION_SHARE,
    LOGGER,
    STATE_DECLINED,
    STATE_SHARED,
)
from ..protocol.audit import read_events
from ..protocol.model import Status
from ..requests.intake import DECIDED
from ..requests.store import Decision, RequestRecord, record_key
from .decisions import audit_decision, export_and_queue

if TYPE_CHECKING:
    from ..coordinator import FeedCoordinator
    from ..delivery.deliveries import Deliveries

DECISION_EVENTS = frozenset({"decision", "decision_restored"})


async def async_reconcile(coordinator: FeedCoordinator, deliveries: Deliveries) -> int:
    """Bring the records up to the audit log and the outbox; how many changed."""
    hass = coordinator.hass
    audited = await hass.async_add_executor_job(
        read_events, coordinator.audit_path, DECISION_EVENTS
    )
    now = dt_util.utcnow()
    publisher_id = coordinator.settings.publisher_id
    seen: set[str] = set()
    restored: list[dict[str, Any]] = []
    for line, event in audited:
        if event.get("publisher_id") != publisher_id:
            continue
        key = record_key(publisher_id, str(event.get("request_id")))
        if key in seen:
            continue  # the first decision stands; nothing may overrule it
        seen.add(key)
        decision = _decision_from_audit(coordinator, event, now)
        if decision is None:
            continue
        record = _restore(coordinator, key, event, decision)
        if record is not None:
            restored.append(
                _restored_event(record, decision, coordinator, "audit_log", line)
            )
    for (pid, request_id), clips in deliveries.queued().items():
        key = record_key(pid, request_id)
        record = coordinator.store.get(key)
        if record is not None and record.decision is not None:
            continue
        if pid != publisher_id:
            continue
        decision = Decision(
            decision=DECISION_SHARE,
            user_id=None,
            at=now,
            cameras=tuple(dict.fromkeys(clip.camera for clip in clips)),
            include_audio=any(clip.include_audio for clip in clips),
        )
        event = {"publisher_id": pid, "request_id": request_id, "revision": 0}
        record = _restore(coordinator, key, event, decision)
        if record is not None:
            restored.append(
                _restored_event(record, decision, coordinator, "outbox", None)
            )
    late = [
        {**audit_decision(coordinator, record, record.decision), "recorded_late": True}
        for record in coordinator.store
        if record.decision is not None
        and record.publisher_id == publisher_id
        and record.key not in seen
    ]
    damaged: list[dict[str, Any]] = []
    if (aside := coordinator.store.set_aside) is not None:
        # The unreadable file is kept for inspection; its decisions come back above.
        damaged.append({"type": "store_unreadable", "moved_to": aside.name})
    if restored:
        # Durably, before the first poll could judge (and prompt) them again.
        await coordinator.store.async_commit()
    await coordinator.async_audit(*damaged, *restored, *late)
    for event in restored:
        LOGGER.warning(
            "Restored the %s decision on request %s from the %s",
            event["decision"],
            event["request_id"],
            event["source"].replace("_", " "),
        )
    return len(restored) + len(late)


def _decision_from_audit(
    coordinator: FeedCoordinator, event: dict[str, Any], now: datetime
) -> Decision | None:
    kind = event.get("decision")
    if kind not in (DECISION_SHARE, DECISION_DECLINE):
        return None
    try:
        at = datetime.fromisoformat(str(event.get("at")))
    except ValueError:
        at = now
    settings = coordinator.settings
    cameras = tuple(
        camera
        for name in event.get("cameras") or ()
        if (camera := settings.camera_for(str(name))) is not None
    )
    return Decision(
        decision=kind,
        user_id=event.get("user_id"),
        at=at,
        cameras=cameras,
        include_audio=bool(event.get("include_audio", False)),
        telegram_user=event.get("telegram_user"),
    )


def _restore(
    coordinator: FeedCoordinator,
    key: str,
    event: dict[str, Any],
    decision: Decision,
) -> RequestRecord | None:
    """Put `decision` on the record (made bare if the store lost it); None if set."""
    record = coordinator.store.get(key)
    if record is not None and record.decision is not None:
        return None
    state = STATE_SHARED if decision.decision == DECISION_SHARE else STATE_DECLINED
    if record is None:
        # The request itself comes back with the next poll (`intake.is_new`).
        revision = event.get("revision")
        record = RequestRecord(
            key=key,
            publisher_id=str(event["publisher_id"]),
            request_id=str(event["request_id"]),
            revision=revision if isinstance(revision, int) else 0,
            state=state,
            decision=decision,
        )
    else:
        record = record.evolve(state=state, decision=decision)
    coordinator.store.put(record)
    return record


def _restored_event(
    record: RequestRecord,
    decision: Decision,
    coordinator: FeedCoordinator,
    source: str,
    line: int | None,
) -> dict[str, Any]:
    return {
        **audit_decision(coordinator, record, decision),
        "type": "decision_restored",
        "source": source,
        "source_line": line,
    }


async def async_resume_shares(coordinator: FeedCoordinator) -> None:
    """Export and queue again each shared clip that never reached the outbox."""
    runtime = coordinator.config_entry.runtime_data
    outbox = runtime.outbox
    if outbox is None:
        return
    now = dt_util.utcnow()
    for record in coordinator.store:
        decision, request = record.decision, record.request
        if (
            record.state not in DECIDED
            or decision is None
            or decision.decision != DECISION_SHARE
            or request is None
            or request.status is not Status.ACTIVE
            or request.expires_at <= now
        ):
            continue
        delivered = {d.camera for d in record.deliveries if d.state == "delivered"}
        missing = tuple(
            camera
            for camera in decision.cameras
            if camera not in delivered
            and outbox.status(record.publisher_id, request.id, camera) is None
        )
        if not missing:
            continue
        LOGGER.warning(
            "Request %s was shared but %s never reached the outbox; exporting again",
            request.id,
            ", ".join(missing),
        )
        try:
            await export_and_queue(coordinator, record, decision, missing)
        except HomeAssistantError as err:
            # Audited with the reason inside; the owner sees it on the record.
            LOGGER.error("Could not resume the share of %s: %s", request.id, err)
