"""The outbox state machine alone: keys, persistence, backoff, expiry, transitions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import random
from typing import Any

import pytest

from custom_components.neighborhood_requests.delivery.outbox import (
    BACKOFF_CAP,
    Outbox,
    OutboxEntry,
    State,
    idempotency_key,
)
from custom_components.neighborhood_requests.delivery.upload import (
    Result,
    UploadOutcome,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
RETRY = UploadOutcome(Result.RETRY, status=503, reason="busy")


def entry(key: str = "k1", **changes: Any) -> OutboxEntry:
    base = OutboxEntry(
        key=key,
        request_id="wpd-2026-0412",
        publisher_id="wolcott-pd",
        upload_url="https://feeds.example.org/upload/wpd-2026-0412",
        clip_path=Path("/config/neighborhood_requests/exports/clip.mp4"),
        sha256="ab" * 32,
        bytes=1234,
        manifest_jws="h.p.s",
        expires_at=NOW + timedelta(days=7),
    )
    return replace(base, **changes)


def test_idempotency_key_is_stable_opaque_and_per_camera() -> None:
    key = idempotency_key("wolcott-pd", "wpd-2026-0412", "home-kid")
    assert key == idempotency_key("wolcott-pd", "wpd-2026-0412", "home-kid")
    assert key.startswith("crf1-")
    assert len(key) == 5 + 64
    assert key != idempotency_key("wolcott-pd", "wpd-2026-0412", "home-kid", "porch")
    assert idempotency_key("a:b", "c", "k") != idempotency_key("a", "b:c", "k")


def test_entry_round_trips_through_json() -> None:
    scheduled = entry(
        attempts=3,
        next_attempt_at=NOW + timedelta(seconds=7.5),
        state=State.PENDING,
        last_error="HTTP 503",
    )
    resumable = entry(resume_url="https://feeds.example.org/upload/x/abc", held=True)
    for original in (entry(), scheduled, resumable):
        data = json.loads(json.dumps(original.to_dict()))
        assert OutboxEntry.from_dict(data) == original


def test_entries_stored_before_resumable_uploads_still_load() -> None:
    data = entry().to_dict()
    del data["resume_url"], data["held"]
    assert OutboxEntry.from_dict(data) == entry()


def test_from_dict_normalises_offsets_to_utc() -> None:
    data = entry().to_dict() | {"expires_at": "2026-11-28T14:00:00+02:00"}
    assert OutboxEntry.from_dict(data).expires_at == datetime(
        2026, 11, 28, 12, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("key", None, "key: not a string"),
        ("bytes", True, "bytes: not a non-negative integer"),
        ("attempts", -1, "attempts: not a non-negative integer"),
        ("state", "sending", "state: unknown value"),
        ("expires_at", 5, "expires_at: not a timestamp"),
        ("expires_at", "soon", "expires_at: not a timestamp"),
        ("next_attempt_at", "2026-11-21T12:00:00", "timestamp without offset"),
        ("last_error", 500, "last_error: not a string"),
        ("resume_url", 5, "resume_url: not a string"),
        ("held", "yes", "held: not a boolean"),
        ("state", "withdrawn-ish", "state: unknown value"),
    ],
)
def test_from_dict_rejects_a_damaged_store(
    field: str, value: object, message: str
) -> None:
    data = entry().to_dict() | {field: value}
    with pytest.raises(ValueError, match=message):
        OutboxEntry.from_dict(data)


def test_add_is_idempotent_by_key() -> None:
    outbox = Outbox()
    first = outbox.add(entry())
    second = outbox.add(entry(sha256="cd" * 32, upload_url="https://other/"))
    assert second is first
    assert outbox.entries == (first,)
    assert outbox.get("k1") is first
    assert outbox.get("missing") is None
    assert Outbox([entry(), entry(bytes=1)]).entries == (entry(),)


def test_due_picks_pending_unexpired_entries_in_schedule_order() -> None:
    outbox = Outbox(
        [
            entry("later", next_attempt_at=NOW - timedelta(seconds=1)),
            entry("earlier", next_attempt_at=NOW - timedelta(minutes=1)),
            entry("asap"),
            entry("future", next_attempt_at=NOW + timedelta(seconds=1)),
            entry("expired", expires_at=NOW),
            entry("done", state=State.DELIVERED),
            entry("stale", state=State.STALE),
        ]
    )
    assert [e.key for e in outbox.due(NOW)] == ["asap", "earlier", "later"]


def test_next_wakeup_is_the_earliest_pending_schedule() -> None:
    assert Outbox().next_wakeup() is None
    assert Outbox([entry(state=State.DELIVERED)]).next_wakeup() is None
    soon = NOW + timedelta(seconds=3)
    outbox = Outbox(
        [
            entry("a", next_attempt_at=NOW + timedelta(minutes=1)),
            entry("b", next_attempt_at=soon),
        ]
    )
    assert outbox.next_wakeup() == soon
    outbox.add(entry("c"))
    assert outbox.next_wakeup() == datetime.min.replace(tzinfo=UTC)


def test_backoff_grows_by_two_from_five_seconds_and_caps_at_fifteen_minutes() -> None:
    outbox = Outbox(rng=lambda: 1.0)
    ceilings = [outbox.backoff(n).total_seconds() for n in range(1, 11)]
    assert ceilings == [5, 10, 20, 40, 80, 160, 320, 640, 900, 900]
    assert outbox.backoff(0) == timedelta(seconds=5)
    assert outbox.backoff(100_000) == BACKOFF_CAP


def test_backoff_is_full_jitter_from_the_injected_source() -> None:
    outbox = Outbox(rng=random.Random(1234).random)
    twin = random.Random(1234)
    for attempts in range(1, 30):
        ceiling = min(900.0, 5.0 * 2 ** (attempts - 1))
        delay = outbox.backoff(attempts).total_seconds()
        assert delay == pytest.approx(ceiling * twin.random(), abs=1e-6)
        assert 0 <= delay < ceiling


def test_retry_schedules_the_next_attempt_and_keeps_the_reason() -> None:
    outbox = Outbox([entry()], rng=lambda: 0.5)
    first = outbox.record("k1", RETRY, NOW)
    assert (first.state, first.attempts, first.last_error) == (State.PENDING, 1, "busy")
    assert first.next_attempt_at == NOW + timedelta(seconds=2.5)
    second = outbox.record("k1", RETRY, NOW)
    assert second.next_attempt_at == NOW + timedelta(seconds=5)
    assert outbox.due(NOW) == ()
    assert outbox.due(NOW + timedelta(seconds=5)) == (second,)


def test_retry_that_cannot_happen_before_expiry_expires() -> None:
    outbox = Outbox([entry(expires_at=NOW + timedelta(seconds=4))], rng=lambda: 0.9)
    expired = outbox.record("k1", RETRY, NOW)
    assert (expired.state, expired.next_attempt_at) == (State.EXPIRED, None)
    assert expired.last_error == "busy"


@pytest.mark.parametrize(
    ("outcome", "state", "error"),
    [
        (UploadOutcome(Result.DELIVERED, status=201), State.DELIVERED, None),
        (
            UploadOutcome(Result.DELIVERED, 409, "already delivered", duplicate=True),
            State.DELIVERED,
            None,
        ),
        (
            UploadOutcome(Result.FAILED, 413, "clip too large"),
            State.FAILED,
            "clip too large",
        ),
        (UploadOutcome(Result.FAILED, 413), State.FAILED, "HTTP 413"),
        (UploadOutcome(Result.FAILED), State.FAILED, "failed"),
        (UploadOutcome(Result.MISMATCH, reason="changed"), State.STALE, "changed"),
        (
            UploadOutcome(Result.WITHDRAWN, 410, "request 'r' was cancelled"),
            State.WITHDRAWN,
            "request 'r' was cancelled",
        ),
    ],
)
def test_final_outcomes(
    outcome: UploadOutcome, state: State, error: str | None
) -> None:
    outbox = Outbox([entry(last_error="earlier", next_attempt_at=NOW)])
    recorded = outbox.record("k1", outcome, NOW)
    assert (recorded.state, recorded.last_error, recorded.attempts) == (state, error, 1)
    assert outbox.due(NOW) == ()


@pytest.mark.parametrize(
    "state",
    [State.DELIVERED, State.FAILED, State.EXPIRED, State.STALE, State.WITHDRAWN],
)
def test_only_pending_entries_change(state: State) -> None:
    outbox = Outbox([entry(state=state)])
    assert outbox.record("k1", RETRY, NOW) == entry(state=state)
    assert outbox.due(NOW) == ()


def test_expire_marks_pending_and_stale_entries_of_expired_requests() -> None:
    past = NOW - timedelta(seconds=1)
    outbox = Outbox(
        [
            entry("pending", expires_at=past),
            entry("stale", expires_at=past, state=State.STALE),
            entry("delivered", expires_at=past, state=State.DELIVERED),
            entry("alive"),
        ]
    )
    assert [e.key for e in outbox.expire(NOW)] == ["pending", "stale"]
    assert [e.state for e in outbox.entries] == [
        State.EXPIRED,
        State.EXPIRED,
        State.DELIVERED,
        State.PENDING,
    ]
    assert outbox.expire(NOW) == ()


def test_replace_clip_makes_a_stale_entry_due_again_under_the_same_key() -> None:
    outbox = Outbox([entry(state=State.STALE, attempts=2, last_error="changed")])
    fresh = outbox.replace_clip(
        "k1",
        clip_path=Path("/new.mp4"),
        sha256="ef" * 32,
        size=99,
        manifest_jws="h.p2.s2",
        now=NOW,
    )
    assert (fresh.state, fresh.next_attempt_at, fresh.attempts) == (
        State.PENDING,
        NOW,
        2,
    )
    assert (fresh.clip_path, fresh.sha256, fresh.bytes, fresh.manifest_jws) == (
        Path("/new.mp4"),
        "ef" * 32,
        99,
        "h.p2.s2",
    )
    assert outbox.due(NOW) == (fresh,)


def test_a_delivered_clip_cannot_be_replaced() -> None:
    outbox = Outbox([entry(state=State.DELIVERED)])
    with pytest.raises(ValueError, match="k1 is delivered"):
        outbox.replace_clip(
            "k1",
            clip_path=Path("/x"),
            sha256="0" * 64,
            size=1,
            manifest_jws="a",
            now=NOW,
        )


def test_a_fresh_outbox_resumes_from_persisted_dicts() -> None:
    before = Outbox(
        [entry("sent", state=State.DELIVERED), entry("waiting")], rng=lambda: 0.0
    )
    before.record("waiting", RETRY, NOW)
    stored = json.loads(json.dumps(before.to_dicts()))

    after = Outbox.from_dicts(stored, rng=lambda: 0.0)

    assert after.entries == before.entries
    assert [e.key for e in after.due(NOW)] == ["waiting"]
    assert after.add(entry("sent")).state is State.DELIVERED


def test_a_retry_after_replaces_the_backoff() -> None:
    outbox = Outbox([entry()], rng=lambda: 0.99)
    later = UploadOutcome(Result.RETRY, 503, "busy", retry_after=42.0)
    recorded = outbox.record("k1", later, NOW)
    assert recorded.next_attempt_at == NOW + timedelta(seconds=42)
    beyond = UploadOutcome(Result.RETRY, 503, "busy", retry_after=8 * 24 * 3600.0)
    assert outbox.record("k1", beyond, NOW).state is State.EXPIRED


def test_withdrawn_is_final_and_sends_nothing() -> None:
    outbox = Outbox(
        [
            entry("pending"),
            entry("stale", state=State.STALE),
            entry("held", held=True),
            entry("sent", state=State.DELIVERED),
        ]
    )
    for key in ("pending", "stale", "held"):
        withdrawn = outbox.withdraw(key, "cancelled")
        assert withdrawn is not None
        assert (withdrawn.state, withdrawn.last_error, withdrawn.held) == (
            State.WITHDRAWN,
            "cancelled",
            False,
        )
    assert outbox.withdraw("sent", "cancelled") is None
    assert outbox.withdraw("unknown", "cancelled") is None
    assert outbox.due(NOW) == ()
    assert outbox.next_wakeup() is None
    with pytest.raises(ValueError, match="pending is withdrawn"):
        outbox.replace_clip(
            "pending",
            clip_path=Path("/x"),
            sha256="0" * 64,
            size=1,
            manifest_jws="a",
            now=NOW,
        )


def test_a_held_entry_waits_and_still_expires() -> None:
    outbox = Outbox([entry(next_attempt_at=NOW)])
    held = outbox.hold("k1", True)
    assert held is not None
    assert held.held
    assert outbox.hold("k1", True) is None  # no change
    assert outbox.due(NOW) == ()
    assert outbox.next_wakeup() is None
    released = outbox.hold("k1", False)
    assert released is not None
    assert outbox.due(NOW) == (released,)
    outbox.hold("k1", True)
    (expired,) = outbox.expire(NOW + timedelta(days=8))
    assert expired.state is State.EXPIRED
    assert outbox.hold("k1", False) is None  # nothing open to release


def test_the_resume_url_is_kept_until_delivered_or_re_exported() -> None:
    outbox = Outbox([entry()])
    url = "https://feeds.example.org/upload/wpd-2026-0412/abc"
    assert outbox.resume_at("k1", url).resume_url == url
    assert outbox.record("k1", RETRY, NOW).resume_url == url
    stale = outbox.record("k1", UploadOutcome(Result.MISMATCH, reason="x"), NOW)
    assert stale.resume_url is None
    outbox.resume_at("k1", url)
    fresh = outbox.replace_clip(
        "k1",
        clip_path=Path("/new.mp4"),
        sha256="ef" * 32,
        size=99,
        manifest_jws="h.p2.s2",
        now=NOW,
    )
    assert fresh.resume_url is None
    outbox.resume_at("k1", url)
    done = outbox.record("k1", UploadOutcome(Result.DELIVERED, status=204), NOW)
    assert done.resume_url is None


def test_retarget_moves_an_open_entry_and_forgets_its_upload() -> None:
    outbox = Outbox([entry(resume_url="https://feeds.example.org/upload/x/1")])
    moved = outbox.retarget("k1", "https://feeds.example.org/v2/upload")
    assert moved is not None
    assert (moved.upload_url, moved.resume_url) == (
        "https://feeds.example.org/v2/upload",
        None,
    )
    assert outbox.retarget("k1", "https://feeds.example.org/v2/upload") is None
    outbox.record("k1", UploadOutcome(Result.DELIVERED, status=201), NOW)
    assert outbox.retarget("k1", "https://feeds.example.org/v3") is None
