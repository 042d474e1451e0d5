"""The delivery outbox: which shares still have to reach their inbox, and when.

A share becomes an entry before any byte is sent and the entry is saved again
after every attempt (and when the inbox hands out a resumable upload URL), so a
restart resumes exactly where delivery stopped. Exactly once follows from two
rules: a delivered entry is never sent again, and the idempotency key is stable,
so a retry after a crash between "sent" and "recorded" gets 409 from the inbox,
which counts as delivered. Withdrawn is as final as delivered: a request its
publisher cancelled, closed or changed gets nothing more.

The state machine is pure (no I/O, time passed in) so backoff, expiry and resume
are tested without clocks or servers; `runner.OutboxRunner` adds the I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import hashlib
from pathlib import Path
import random
from typing import Any

from .upload import Result, UploadOutcome

BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_FACTOR = 2.0
BACKOFF_CAP = timedelta(minutes=15)
_MAX_EXPONENT = 64  # far beyond the cap; keeps factor ** n finite


class State(StrEnum):
    """Where a share stands; only `pending` entries that are not held are ever sent."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    EXPIRED = "expired"
    STALE = "stale"  # the clip changed after export: waits for `replace_clip`
    WITHDRAWN = "withdrawn"  # the request was withdrawn first: never sent (final)


# Every state a share can still leave; the others are final.
OPEN_STATES = frozenset({State.PENDING, State.STALE})


def idempotency_key(
    publisher_id: str, request_id: str, home_key_id: str, camera: str | None = None
) -> str:
    """Stable key for one share: the same inputs always give the same header value.

    Hashed so that any characters in the ids stay a safe, fixed-length header,
    and so that no separator inside an id can make two shares collide. `camera`
    separates the clips of a share that covers several cameras.
    """
    parts = [publisher_id, request_id, home_key_id]
    if camera is not None:
        parts.append(camera)
    joined = "\x00".join(parts).encode()
    return "crf1-" + hashlib.sha256(joined).hexdigest()


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One clip to deliver; `next_attempt_at` None means "as soon as possible"."""

    key: str
    request_id: str
    publisher_id: str
    upload_url: str
    clip_path: Path
    sha256: str
    bytes: int
    manifest_jws: str
    expires_at: datetime
    attempts: int = 0
    next_attempt_at: datetime | None = None
    state: State = State.PENDING
    last_error: str | None = None
    # The inbox's tus upload URL once created: a restart resumes there.
    resume_url: str | None = None
    # The feed no longer lists the request: nothing is sent until it does again.
    held: bool = False
    # The clip's file name in the upload: built from the camera's label.
    filename: str = "clip.mp4"
    # `last_error` for people: its `selector.reasons` code and values.
    error_code: str = ""
    error_params: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for Home Assistant's Store."""
        return {
            "key": self.key,
            "request_id": self.request_id,
            "publisher_id": self.publisher_id,
            "upload_url": self.upload_url,
            "clip_path": str(self.clip_path),
            "sha256": self.sha256,
            "bytes": self.bytes,
            "manifest_jws": self.manifest_jws,
            "expires_at": self.expires_at.isoformat(),
            "attempts": self.attempts,
            "next_attempt_at": (
                None
                if self.next_attempt_at is None
                else self.next_attempt_at.isoformat()
            ),
            "state": self.state.value,
            "last_error": self.last_error,
            "resume_url": self.resume_url,
            "held": self.held,
            "filename": self.filename,
            "error_code": self.error_code,
            "error_params": dict(self.error_params),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OutboxEntry:
        """Inverse of `to_dict`; ValueError names the first bad field."""
        next_attempt = data.get("next_attempt_at")
        last_error = data.get("last_error")
        if last_error is not None and not isinstance(last_error, str):
            raise ValueError("outbox entry last_error: not a string")
        # Both absent from entries stored before resumable uploads existed.
        resume_url = data.get("resume_url")
        if resume_url is not None and not isinstance(resume_url, str):
            raise ValueError("outbox entry resume_url: not a string")
        held = data.get("held", False)
        if not isinstance(held, bool):
            raise ValueError("outbox entry held: not a boolean")
        try:
            state = State(str(data.get("state")))
        except ValueError:
            raise ValueError("outbox entry state: unknown value") from None
        return cls(
            key=_str(data, "key"),
            request_id=_str(data, "request_id"),
            publisher_id=_str(data, "publisher_id"),
            upload_url=_str(data, "upload_url"),
            clip_path=Path(_str(data, "clip_path")),
            sha256=_str(data, "sha256"),
            bytes=_int(data, "bytes"),
            manifest_jws=_str(data, "manifest_jws"),
            expires_at=_time(data.get("expires_at"), "expires_at"),
            attempts=_int(data, "attempts"),
            next_attempt_at=(
                None if next_attempt is None else _time(next_attempt, "next_attempt_at")
            ),
            state=state,
            last_error=last_error,
            resume_url=resume_url,
            held=held,
            filename=str(data.get("filename") or "clip.mp4"),
            error_code=str(data.get("error_code") or ""),
            error_params=_params(data.get("error_params")),
        )


def _params(value: object) -> dict[str, str]:
    """A reason's values; absent from entries stored before reasons had codes."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _str(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise ValueError(f"outbox entry {name}: not a string")
    return value


def _int(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"outbox entry {name}: not a non-negative integer")
    return value


def _time(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"outbox entry {name}: not a timestamp")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"outbox entry {name}: not a timestamp") from None
    if parsed.tzinfo is None:
        raise ValueError(f"outbox entry {name}: timestamp without offset")
    return parsed.astimezone(UTC)


class Outbox:
    """Entries by idempotency key, with backoff (full jitter) and expiry."""

    def __init__(
        self,
        entries: Iterable[OutboxEntry] = (),
        *,
        rng: Callable[[], float] = random.random,
        base: timedelta = BACKOFF_BASE,
        factor: float = BACKOFF_FACTOR,
        cap: timedelta = BACKOFF_CAP,
    ) -> None:
        self._entries: dict[str, OutboxEntry] = {}
        for entry in entries:
            self._entries.setdefault(entry.key, entry)
        self._rng = rng
        self._base = base
        self._factor = factor
        self._cap = cap

    @classmethod
    def from_dicts(cls, data: Iterable[Mapping[str, Any]], **kwargs: Any) -> Outbox:
        """Rebuild from `to_dicts()` output, e.g. after a Home Assistant restart."""
        return cls((OutboxEntry.from_dict(item) for item in data), **kwargs)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [entry.to_dict() for entry in self._entries.values()]

    @property
    def entries(self) -> tuple[OutboxEntry, ...]:
        return tuple(self._entries.values())

    def get(self, key: str) -> OutboxEntry | None:
        return self._entries.get(key)

    def add(self, entry: OutboxEntry) -> OutboxEntry:
        """Queue a share; an existing key wins, so one share never becomes two."""
        return self._entries.setdefault(entry.key, entry)

    def due(self, now: datetime) -> tuple[OutboxEntry, ...]:
        """Pending, unexpired entries whose time has come, oldest schedule first."""
        ready = [
            entry
            for entry in self._entries.values()
            if entry.state is State.PENDING
            and not entry.held
            and entry.expires_at > now
            and (entry.next_attempt_at is None or entry.next_attempt_at <= now)
        ]
        return tuple(sorted(ready, key=_schedule))

    def next_wakeup(self) -> datetime | None:
        """When `due` next has something: the earliest pending schedule, if any."""
        pending = [
            e for e in self._entries.values() if e.state is State.PENDING and not e.held
        ]
        return min((_schedule(e) for e in pending), default=None)

    def expire(self, now: datetime) -> tuple[OutboxEntry, ...]:
        """Mark pending and stale entries of expired requests; returns them."""
        changed = []
        for entry in self._entries.values():
            if entry.state in OPEN_STATES and entry.expires_at <= now:
                changed.append(self._put(replace(entry, state=State.EXPIRED)))
        return tuple(changed)

    def withdraw(self, key: str, reason: str, code: str = "") -> OutboxEntry | None:
        """The request no longer wants this clip: final, whatever was under way.

        Returns the withdrawn entry, or None when there was nothing left to stop.
        """
        entry = self._entries.get(key)
        if entry is None or entry.state not in OPEN_STATES:
            return None
        return self._put(
            replace(
                entry,
                state=State.WITHDRAWN,
                next_attempt_at=None,
                last_error=reason,
                error_code=code,
                error_params={},
                held=False,
            )
        )

    def hold(self, key: str, held: bool) -> OutboxEntry | None:
        """Hold (or release) an open entry; None when that changes nothing."""
        entry = self._entries.get(key)
        if entry is None or entry.state not in OPEN_STATES or entry.held is held:
            return None
        return self._put(replace(entry, held=held, next_attempt_at=None))

    def resume_at(self, key: str, url: str | None) -> OutboxEntry:
        """Remember (or forget) the inbox's upload URL for this entry."""
        return self._put(replace(self._entries[key], resume_url=url))

    def retarget(self, key: str, url: str) -> OutboxEntry | None:
        """A revision moved the upload URL within the same origin: send it there."""
        entry = self._entries.get(key)
        if entry is None or entry.state not in OPEN_STATES or entry.upload_url == url:
            return None
        return self._put(replace(entry, upload_url=url, resume_url=None))

    def backoff(self, attempts: int) -> timedelta:
        """Full jitter: uniform in [0, min(cap, base * factor ** (attempts - 1)))."""
        exponent = min(max(attempts - 1, 0), _MAX_EXPONENT)
        ceiling = min(
            self._cap.total_seconds(),
            self._base.total_seconds() * self._factor**exponent,
        )
        return timedelta(seconds=ceiling * self._rng())

    def record(self, key: str, outcome: UploadOutcome, now: datetime) -> OutboxEntry:
        """Apply one attempt's outcome; entries not pending are left as they are."""
        entry = self._entries[key]
        if entry.state is not State.PENDING:
            return entry
        attempts = entry.attempts + 1
        error = outcome.reason or (
            f"HTTP {outcome.status}" if outcome.status else outcome.result.value
        )
        code, params = outcome.code, dict(outcome.params)
        if not outcome.reason:
            code, params = "inbox_unavailable", {"detail": error}
        final = {
            Result.DELIVERED: State.DELIVERED,
            Result.FAILED: State.FAILED,
            Result.MISMATCH: State.STALE,
            Result.WITHDRAWN: State.WITHDRAWN,
        }.get(outcome.result)
        if final is State.DELIVERED:
            updated = replace(
                entry,
                attempts=attempts,
                state=final,
                next_attempt_at=None,
                last_error=None,
                error_code="",
                error_params={},
                resume_url=None,
            )
        elif final is not None:
            updated = replace(
                entry,
                attempts=attempts,
                state=final,
                last_error=error,
                error_code=code,
                error_params=params,
                # A re-exported clip is another upload; the old one is no use.
                resume_url=None if final is State.STALE else entry.resume_url,
            )
        else:  # Result.RETRY: the server's Retry-After, else our backoff
            wait = (
                timedelta(seconds=outcome.retry_after)
                if outcome.retry_after is not None
                else self.backoff(attempts)
            )
            next_at = now + wait
            # Never scheduled past the request's expiry: then it has expired.
            expired = next_at >= entry.expires_at
            updated = replace(
                entry,
                attempts=attempts,
                state=State.EXPIRED if expired else State.PENDING,
                next_attempt_at=None if expired else next_at,
                last_error=error,
                error_code=code,
                error_params=params,
            )
        return self._put(updated)

    def replace_clip(
        self,
        key: str,
        *,
        clip_path: Path,
        sha256: str,
        size: int,
        manifest_jws: str,
        now: datetime,
    ) -> OutboxEntry:
        """Swap in a re-exported clip and its new manifest; same key, due now.

        Only a pending or stale entry may change: a delivered clip is final.
        """
        entry = self._entries[key]
        if entry.state not in OPEN_STATES:
            raise ValueError(f"outbox entry {key} is {entry.state.value}")
        return self._put(
            replace(
                entry,
                clip_path=clip_path,
                sha256=sha256,
                bytes=size,
                manifest_jws=manifest_jws,
                state=State.PENDING,
                next_attempt_at=now,
                resume_url=None,
            )
        )

    def _put(self, entry: OutboxEntry) -> OutboxEntry:
        self._entries[entry.key] = entry
        return entry


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _schedule(entry: OutboxEntry) -> datetime:
    return _EARLIEST if entry.next_attempt_at is None else entry.next_attempt_at
