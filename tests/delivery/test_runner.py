"""The outbox runner against a real inbox: persist-then-send, exactly once, audit."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.neighborhood_requests.delivery.outbox import (
    Outbox,
    OutboxEntry,
    State,
    idempotency_key,
)
from custom_components.neighborhood_requests.delivery.runner import OutboxRunner
from custom_components.neighborhood_requests.delivery.upload import (
    UploadOutcome,
    upload,
)

from .conftest import Clip, StandInInbox, write_clip

START = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
KEY = idempotency_key("wolcott-pd", "wpd-2026-0412", "home-kid")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Harness:
    """Shared event log: the inbox's requests and our saves land in one list."""

    inbox: StandInInbox
    session: aiohttp.ClientSession
    clip: Clip
    clock: Clock = field(default_factory=Clock)
    saved: list[list[dict[str, Any]]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    fail_save: bool = False

    async def save(self, data: list[dict[str, Any]]) -> None:
        if self.fail_save:
            raise OSError("disk full")
        self.inbox.events.append("save")
        self.saved.append(json.loads(json.dumps(data)))

    async def record_audit(self, event: dict[str, Any]) -> None:
        self.audit.append(event)

    def entry(self, **changes: Any) -> OutboxEntry:
        return OutboxEntry(
            key=KEY,
            request_id="wpd-2026-0412",
            publisher_id="wolcott-pd",
            upload_url=self.inbox.url(),
            clip_path=self.clip.path,
            sha256=self.clip.sha256,
            bytes=self.clip.size,
            manifest_jws="h.p.s",
            expires_at=START + timedelta(days=1),
            **changes,
        )

    def runner(self, outbox: Outbox, **kwargs: Any) -> OutboxRunner:
        return OutboxRunner(
            outbox,
            self.session,
            save=self.save,
            audit=self.record_audit,
            clock=self.clock,
            **kwargs,
        )


@pytest.fixture
def harness(inbox: StandInInbox, session: aiohttp.ClientSession, clip: Clip) -> Harness:
    return Harness(inbox, session, clip)


async def test_entry_is_saved_before_the_server_sees_a_byte(harness: Harness) -> None:
    outbox = Outbox([harness.entry()])

    (result,) = await harness.runner(outbox).run_due()

    assert result.state is State.DELIVERED
    events = harness.inbox.events
    assert events[0] == "save"
    assert events[1].startswith("request ")
    assert events[-1] == "save"
    assert harness.saved[0][0]["state"] == "pending"
    assert harness.saved[-1][0]["state"] == "delivered"


async def test_nothing_is_sent_when_saving_fails(harness: Harness) -> None:
    outbox = Outbox([harness.entry()])
    harness.fail_save = True

    with pytest.raises(OSError, match="disk full"):
        await harness.runner(outbox).run_due()

    assert harness.inbox.events == []
    assert outbox.get(KEY) == harness.entry()


async def test_500_then_201_with_backoff_and_audit(harness: Harness) -> None:
    harness.inbox.script = [500]
    outbox = Outbox([harness.entry()], rng=lambda: 0.5)
    runner = harness.runner(outbox)

    (first,) = await runner.run_due()
    assert (first.state, first.attempts, first.last_error) == (
        State.PENDING,
        1,
        "scripted 500",
    )
    assert runner.next_wakeup() == START + timedelta(seconds=2.5)
    assert await runner.run_due() == ()

    harness.clock.now = START + timedelta(seconds=2.5)
    (second,) = await runner.run_due()

    assert (second.state, second.attempts, second.last_error) == (
        State.DELIVERED,
        2,
        None,
    )
    assert runner.next_wakeup() is None
    assert [(e["type"], e["attempt"]) for e in harness.audit] == [
        ("delivery_attempt", 1),
        ("delivery_result", 1),
        ("delivery_attempt", 2),
        ("delivery_result", 2),
    ]
    attempt, failed, _, delivered = harness.audit
    assert attempt == {
        "type": "delivery_attempt",
        "key": KEY,
        "request_id": "wpd-2026-0412",
        "publisher_id": "wolcott-pd",
        "state": "pending",
        "attempt": 1,
        "upload_url": harness.inbox.url(),
        "sha256": harness.clip.sha256,
        "bytes": harness.clip.size,
    }
    assert failed == {
        "type": "delivery_result",
        "key": KEY,
        "request_id": "wpd-2026-0412",
        "publisher_id": "wolcott-pd",
        "state": "pending",
        "attempt": 1,
        "result": "retry",
        "status": 500,
        "reason": "scripted 500",
        "next_attempt_at": (START + timedelta(seconds=2.5)).isoformat(),
    }
    assert (delivered["result"], delivered["status"], delivered["state"]) == (
        "delivered",
        201,
        "delivered",
    )
    assert delivered["next_attempt_at"] is None


async def test_a_delivered_entry_is_never_sent_again(harness: Harness) -> None:
    outbox = Outbox([harness.entry()])
    runner = harness.runner(outbox)
    await runner.run_due()
    harness.clock.now += timedelta(hours=1)

    assert await runner.run_due() == ()
    assert outbox.add(harness.entry()).state is State.DELIVERED
    assert await runner.run_due() == ()
    assert sum(e.startswith("request") for e in harness.inbox.events) == 1


async def test_overlapping_runs_send_once(harness: Harness) -> None:
    runner = harness.runner(Outbox([harness.entry()]))

    first, second = await asyncio.gather(runner.run_due(), runner.run_due())

    assert sorted([len(first), len(second)]) == [0, 1]
    assert sum(e.startswith("request") for e in harness.inbox.events) == 1


async def test_crash_between_send_and_record_is_resolved_by_409(
    harness: Harness,
) -> None:
    """HA dies after the inbox stored the clip but before the outbox recorded it."""

    async def upload_then_crash(*args: Any, **kwargs: Any) -> UploadOutcome:
        await upload(*args, **kwargs)
        raise asyncio.CancelledError  # the process stops here

    crashed = harness.runner(Outbox([harness.entry()]), uploader=upload_then_crash)
    with pytest.raises(asyncio.CancelledError):
        await crashed.run_due()
    assert len(harness.inbox.stored) == 1
    on_disk = harness.saved[-1]
    assert on_disk[0]["state"] == "pending"

    restarted = harness.runner(Outbox.from_dicts(on_disk))
    (result,) = await restarted.run_due()

    assert result.state is State.DELIVERED
    assert harness.audit[-1]["status"] == 409
    assert len(harness.inbox.stored) == 1
    assert await restarted.run_due() == ()


async def test_restart_resumes_a_pending_retry(harness: Harness) -> None:
    harness.inbox.script = ["reset"]
    runner = harness.runner(Outbox([harness.entry()], rng=lambda: 0.0))
    (first,) = await runner.run_due()
    assert first.state is State.PENDING

    resumed = harness.runner(Outbox.from_dicts(harness.saved[-1]))
    (result,) = await resumed.run_due()

    assert (result.state, result.attempts) == (State.DELIVERED, 2)
    assert harness.inbox.stored[KEY].sha256 == harness.clip.sha256


async def test_expired_request_stops_delivery(harness: Harness) -> None:
    outbox = Outbox([harness.entry()])
    harness.clock.now = START + timedelta(days=1)

    assert await harness.runner(outbox).run_due() == ()

    assert outbox.get(KEY) is not None
    assert outbox.entries[0].state is State.EXPIRED
    assert harness.inbox.events == ["save"]
    assert harness.saved[-1][0]["state"] == "expired"
    assert [e["type"] for e in harness.audit] == ["delivery_expired"]


async def test_changed_clip_waits_for_re_export(
    harness: Harness, tmp_path: Path
) -> None:
    outbox = Outbox([harness.entry()])
    runner = harness.runner(outbox)
    write_clip(harness.clip.path, harness.clip.size)  # changed after export

    (stale,) = await runner.run_due()
    assert stale.state is State.STALE
    assert harness.inbox.stored == {}
    assert await runner.run_due() == ()

    again = write_clip(tmp_path / "re-export.mp4", 4321)
    outbox.replace_clip(
        KEY,
        clip_path=again.path,
        sha256=again.sha256,
        size=again.size,
        manifest_jws="h.p2.s2",
        now=harness.clock(),
    )
    (delivered,) = await runner.run_due()

    assert delivered.state is State.DELIVERED
    stored = harness.inbox.stored[KEY]
    assert (stored.sha256, stored.manifest) == (again.sha256, "h.p2.s2")


async def test_413_fails_for_good(harness: Harness) -> None:
    harness.inbox.script = [413]
    runner = harness.runner(Outbox([harness.entry()]))

    (failed,) = await runner.run_due()

    assert (failed.state, failed.last_error) == (State.FAILED, "scripted 413")
    harness.clock.now += timedelta(hours=1)
    assert await runner.run_due() == ()


async def test_shutdown_mid_upload_leaves_the_entry_pending(harness: Harness) -> None:
    """Unloading the entry cancels the runner; the share resumes after restart."""
    harness.inbox.script = ["hang"]
    outbox = Outbox([harness.entry()])
    runner = harness.runner(outbox)
    task = asyncio.create_task(runner.run_due())
    await harness.inbox.arrived.wait()
    assert runner.status(KEY) == "uploading"

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert outbox.entries == (harness.entry(),)
    assert runner.status(KEY) == "queued"
    assert [e["type"] for e in harness.audit] == ["delivery_attempt"]
    (delivered,) = await harness.runner(Outbox.from_dicts(harness.saved[-1])).run_due()
    assert delivered.state is State.DELIVERED


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (State.PENDING, "queued"),
        (State.STALE, "queued"),
        (State.DELIVERED, "delivered"),
        (State.FAILED, "failed"),
        (State.EXPIRED, "expired"),
        (State.WITHDRAWN, "withdrawn"),
    ],
)
def test_status_in_the_share_seams_words(
    harness: Harness, state: State, status: str
) -> None:
    runner = harness.runner(Outbox([harness.entry(state=state)]))
    assert runner.status(KEY) == status
    assert runner.status("unknown") is None


async def test_a_withdrawal_aborts_the_upload_in_flight(harness: Harness) -> None:
    """The inbox holds the upload; the request is withdrawn: cut off, never sent."""
    harness.inbox.script = ["hang"]
    outbox = Outbox([harness.entry()])
    runner = harness.runner(outbox)
    task = asyncio.create_task(runner.run_due())
    await harness.inbox.arrived.wait()

    withdrawn = await runner.withdraw(KEY, "the publisher cancelled the request")
    (result,) = await task

    assert withdrawn is not None
    assert result.state is State.WITHDRAWN
    assert runner.status(KEY) == "withdrawn"
    assert harness.inbox.stored == {}
    assert harness.saved[-1][0]["state"] == "withdrawn"
    assert [(e["type"], e.get("result")) for e in harness.audit] == [
        ("delivery_attempt", None),
        ("delivery_withdrawn", None),
        ("delivery_result", "aborted"),
    ]
    assert harness.audit[1]["reason"] == "the publisher cancelled the request"
    assert await runner.withdraw(KEY, "again") is None
    harness.clock.now += timedelta(hours=1)
    assert await runner.run_due() == ()


async def test_a_hold_aborts_the_upload_and_a_release_sends_it(
    harness: Harness,
) -> None:
    harness.inbox.script = ["hang"]
    outbox = Outbox([harness.entry()])
    runner = harness.runner(outbox)
    task = asyncio.create_task(runner.run_due())
    await harness.inbox.arrived.wait()

    held = await runner.hold(KEY, True, "not listed")
    (result,) = await task

    assert held is not None
    assert (result.state, result.held) == (State.PENDING, True)
    assert runner.status(KEY) == "held"
    assert await runner.run_due() == ()
    assert await runner.hold(KEY, True, "not listed") is None

    assert await runner.hold(KEY, False, "") is not None
    (delivered,) = await runner.run_due()
    assert delivered.state is State.DELIVERED
    kinds = [e["type"] for e in harness.audit]
    assert kinds.index("delivery_held") < kinds.index("delivery_released")


async def test_a_withdrawal_before_the_upload_starts_sends_nothing(
    harness: Harness,
) -> None:
    """Withdrawn while the runner was still writing its audit line: no connection."""
    outbox = Outbox([harness.entry()])

    async def audit_then_withdraw(event: dict[str, Any]) -> None:
        harness.audit.append(event)
        if event["type"] == "delivery_attempt":
            outbox.withdraw(KEY, "cancelled")

    runner = OutboxRunner(
        outbox,
        harness.session,
        save=harness.save,
        audit=audit_then_withdraw,
        clock=harness.clock,
    )
    (result,) = await runner.run_due()

    assert result.state is State.WITHDRAWN
    assert not any(e.startswith("request") for e in harness.inbox.events)
