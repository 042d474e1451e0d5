"""Every request this home has seen, what the policy said and who decided what.

Persisted under `.storage/` so a restart neither forgets a decision nor prompts for
a request a second time (invariant 3). Verdicts from a poll are saved a moment
later, coalesced; a decision is saved durably (`async_commit`) before anything
acts on it, since no delayed save may hold one. Records are immutable; an update
writes a new record under the same key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from ..durable_store import DurableStore
from ..protocol.errors import Problem
from ..protocol.model import Request
from ..protocol.parse import parse_request, request_to_dict

STORAGE_VERSION = 1
SAVE_DELAY_S = 2.0


@dataclass(frozen=True, slots=True)
class Decision:
    """Who decided (HA user, optional Telegram user), when, where, and exactly what.

    `channel` is where the person was: `panel` (the browser), `phone` (a mobile
    notification), `telegram`, `action` (a service call) or `websocket` (another
    client); None for decisions recorded before the channel was kept.
    """

    decision: str
    user_id: str | None
    at: datetime
    cameras: tuple[str, ...] = ()
    include_audio: bool = False
    telegram_user: str | None = None
    channel: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "user_id": self.user_id,
            "at": self.at.isoformat(),
            "cameras": list(self.cameras),
            "include_audio": self.include_audio,
            "telegram_user": self.telegram_user,
            "channel": self.channel,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        return cls(
            decision=data["decision"],
            user_id=data.get("user_id"),
            at=datetime.fromisoformat(data["at"]),
            cameras=tuple(data.get("cameras", ())),
            include_audio=bool(data.get("include_audio", False)),
            telegram_user=data.get("telegram_user"),
            channel=data.get("channel"),
        )


@dataclass(frozen=True, slots=True)
class Delivery:
    """Where one camera's clip of a share stands, as the owner and the bot see it.

    `state` is one of queued, uploading, delivered, failed, expired; `reason` is the
    inbox's own words for a refusal (or why time ran out), None otherwise, in
    English; `reason_code` and `reason_params` say it in the reader's language.
    """

    camera: str
    state: str
    sha256: str
    bytes: int
    reason: str | None
    at: datetime
    reason_code: str = ""
    reason_params: Mapping[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "camera": self.camera,
            "state": self.state,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "reason": self.reason,
            "at": self.at.isoformat(),
            "reason_code": self.reason_code,
            "reason_params": dict(self.reason_params),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Delivery:
        return cls(
            camera=data["camera"],
            state=data["state"],
            sha256=data["sha256"],
            bytes=int(data["bytes"]),
            reason=data.get("reason"),
            at=datetime.fromisoformat(data["at"]),
            reason_code=str(data.get("reason_code") or ""),
            reason_params=dict(data.get("reason_params") or {}),
        )


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request as this home knows it; `request` is None if it never verified."""

    key: str
    publisher_id: str
    request_id: str | None
    revision: int
    state: str
    request: Request | None = None
    verified: bool = False
    digest: str | None = None
    reasons: tuple[Problem, ...] = ()
    first_seen: datetime = field(default_factory=dt_util.utcnow)
    prompted_at: datetime | None = None
    decision: Decision | None = None
    deliveries: tuple[Delivery, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "publisher_id": self.publisher_id,
            "request_id": self.request_id,
            "revision": self.revision,
            "state": self.state,
            "request": request_to_dict(self.request) if self.request else None,
            "verified": self.verified,
            "digest": self.digest,
            "reasons": [_problem_to_list(p) for p in self.reasons],
            "first_seen": self.first_seen.isoformat(),
            "prompted_at": self.prompted_at.isoformat() if self.prompted_at else None,
            "decision": self.decision.as_dict() if self.decision else None,
            "deliveries": [delivery.as_dict() for delivery in self.deliveries],
        }

    @classmethod
    def from_dict(cls, key: str, data: Mapping[str, Any]) -> RequestRecord:
        prompted = data.get("prompted_at")
        decision = data.get("decision")
        request = data.get("request")
        return cls(
            key=key,
            publisher_id=data["publisher_id"],
            request_id=data.get("request_id"),
            revision=int(data["revision"]),
            state=data["state"],
            request=parse_request(request) if request is not None else None,
            verified=bool(data.get("verified", False)),
            digest=data.get("digest"),
            reasons=tuple(_problem_from_list(item) for item in data["reasons"]),
            first_seen=datetime.fromisoformat(data["first_seen"]),
            prompted_at=datetime.fromisoformat(prompted) if prompted else None,
            decision=Decision.from_dict(decision) if decision else None,
            # Records saved before delivery existed have no such key.
            deliveries=tuple(
                Delivery.from_dict(item) for item in data.get("deliveries", ())
            ),
        )

    def evolve(self, **changes: Any) -> RequestRecord:
        """A copy with `changes`; records are never mutated in place."""
        return replace(self, **changes)

    def with_delivery(self, delivery: Delivery) -> RequestRecord:
        """A copy with `delivery.camera`'s delivery replaced in place, or added."""
        cameras = [d.camera for d in self.deliveries]
        if delivery.camera not in cameras:
            return replace(self, deliveries=(*self.deliveries, delivery))
        deliveries = list(self.deliveries)
        deliveries[cameras.index(delivery.camera)] = delivery
        return replace(self, deliveries=tuple(deliveries))


def record_key(publisher_id: str, request_id: str) -> str:
    """Requests are unique per publisher, not globally."""
    return f"{publisher_id}/{request_id}"


class RequestStore:
    """Records by key; routine changes saved a moment later, decisions at once."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        self._store = DurableStore(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}", self._data
        )
        self._records: dict[str, RequestRecord] = {}
        self.paused = False

    @property
    def set_aside(self) -> Path | None:
        """Where an unreadable store file was moved at load (None if it was fine)."""
        return self._store.set_aside

    async def async_load(self) -> None:
        """Read what the last run saved; an absent file is an empty store."""
        data = await self._store.async_load() or {}
        self.paused = bool(data.get("paused", False))
        self._records = {
            key: RequestRecord.from_dict(key, value)
            for key, value in data.get("requests", {}).items()
        }

    def _data(self) -> dict[str, Any]:
        return {
            "paused": self.paused,
            "requests": {key: r.as_dict() for key, r in self._records.items()},
        }

    def set_paused(self, paused: bool) -> None:
        """The pause switch survives restarts like everything else here."""
        self.paused = paused
        self._store.async_delay_save(SAVE_DELAY_S)

    def get(self, key: str) -> RequestRecord | None:
        return self._records.get(key)

    def put(self, record: RequestRecord) -> None:
        """Keep `record` and schedule a save, coalescing bursts of changes."""
        self._records[record.key] = record
        self._store.async_delay_save(SAVE_DELAY_S)

    def restore(self, record: RequestRecord) -> None:
        """Put back what the disk holds after a commit failed (no save)."""
        self._records[record.key] = record

    def drop(self, key: str) -> None:
        """Forget a record a failed commit had added (no save)."""
        self._records.pop(key, None)

    async def async_commit(self) -> None:
        """Everything, durably, now: OSError if the disk refused it."""
        await self._store.async_save()

    def remove(self, key: str) -> None:
        """Forget `key` (a record folded into counts) and schedule a save."""
        if self._records.pop(key, None) is not None:
            self._store.async_delay_save(SAVE_DELAY_S)

    def __iter__(self) -> Iterator[RequestRecord]:
        return iter(tuple(self._records.values()))

    def __len__(self) -> int:
        return len(self._records)

    def known_revisions(self, publisher_id: str) -> dict[str, int]:
        """Seed for `FeedVerifier`: a revision going backwards stays rejected."""
        return {
            record.request_id: record.revision
            for record in self._records.values()
            if record.publisher_id == publisher_id
            and record.request_id is not None
            and record.request is not None
        }

    def known_digests(self, publisher_id: str) -> dict[str, str]:
        """Seed for `FeedVerifier`: the same revision with other content is refused."""
        return {
            record.request_id: record.digest
            for record in self._records.values()
            if record.publisher_id == publisher_id
            and record.request_id is not None
            and record.request is not None
            and record.digest is not None
        }

    async def async_save(self) -> None:
        """Unload: write what is pending, then stop the timer."""
        await self._store.async_flush()
        self._store.async_close()

    async def async_remove(self) -> None:
        """Delete the file when the entry itself is deleted."""
        await self._store.async_remove()


def _problem_to_list(problem: Problem) -> list[Any]:
    """`[path, reason]`, with `code` and `params` once a reason has them."""
    if not problem.code:
        return [problem.path, problem.reason]
    return [problem.path, problem.reason, problem.code, dict(problem.params)]


def _problem_from_list(item: Sequence[Any]) -> Problem:
    """Records stored before reasons had codes hold only `[path, reason]`."""
    path, reason, *rest = item
    code = str(rest[0]) if rest else ""
    params = rest[1] if len(rest) > 1 and isinstance(rest[1], Mapping) else {}
    return Problem(path, reason, code, {str(k): str(v) for k, v in params.items()})
