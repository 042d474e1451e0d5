"""Runs the outbox: persist, audit, send, record, persist, audit, one entry at a time.

All I/O of delivery meets here (the aiohttp session, the save and audit
callbacks, the clock), so `outbox.py` stays a pure state machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import aiohttp

from .outbox import Outbox, OutboxEntry, State
from .upload import UploadOutcome, upload

# Generous total for large clips, tight connect: a dead host fails fast.
DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=600, connect=30, sock_read=120)


class Uploader(Protocol):
    """The shape of `upload.upload`, injectable for tests of the runner alone."""

    async def __call__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        *,
        manifest_jws: str,
        clip_path: Path,
        idempotency_key: str,
        expected_sha256: str,
        timeout: aiohttp.ClientTimeout,  # noqa: ASYNC109  (per-phase, not one deadline)
        expected_bytes: int | None = None,
        filename: str = ...,
    ) -> UploadOutcome: ...


_STATUS = {
    State.PENDING: "queued",
    State.STALE: "queued",
    State.DELIVERED: "delivered",
    State.FAILED: "failed",
    State.EXPIRED: "expired",
}

type SaveCallback = Callable[[list[dict[str, Any]]], Awaitable[None]]
type AuditCallback = Callable[[dict[str, Any]], Awaitable[None]]


class OutboxRunner:
    """Sends due entries one by one: persist, audit, send, record, persist, audit.

    `save` must write durably before it returns (Store.async_save, not a delayed
    save): the entry on disk is what makes a crash mid-upload recoverable. The
    runner never schedules itself; the caller runs `run_due` at `next_wakeup()`.
    """

    def __init__(
        self,
        outbox: Outbox,
        session: aiohttp.ClientSession,
        *,
        save: SaveCallback,
        audit: AuditCallback,
        clock: Callable[[], datetime],
        timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        uploader: Uploader = upload,
    ) -> None:
        self.outbox = outbox
        self._session = session
        self._save = save
        self._audit = audit
        self._clock = clock
        self._timeout = timeout
        self._uploader = uploader
        self._lock = asyncio.Lock()
        self._sending: str | None = None

    def next_wakeup(self) -> datetime | None:
        return self.outbox.next_wakeup()

    def status(self, key: str) -> str | None:
        """The share's state in `share.DeliveryOutbox` words, or None if unknown.

        `queued` covers a clip waiting for re-export too (the share is not done);
        `expired` is kept apart from `failed` because the owner reads it
        differently: the inbox never refused the clip, time ran out.
        """
        entry = self.outbox.get(key)
        if entry is None:
            return None
        if key == self._sending:
            return "uploading"
        return _STATUS[entry.state]

    async def run_due(self) -> tuple[OutboxEntry, ...]:
        """One pass over due entries; returns each entry as recorded after its attempt.

        Serialised by a lock, and `due` is read inside it, so two overlapping
        calls can never send the same entry twice.
        """
        async with self._lock:
            expired = self.outbox.expire(self._clock())
            if expired:
                await self._persist()
                for entry in expired:
                    await self._audit(_event("delivery_expired", entry))
            results = []
            for entry in self.outbox.due(self._clock()):
                results.append(await self._send(entry))
            return tuple(results)

    async def _send(self, entry: OutboxEntry) -> OutboxEntry:
        await self._persist()
        self._sending = entry.key
        try:
            return await self._attempt(entry)
        finally:
            self._sending = None

    async def _attempt(self, entry: OutboxEntry) -> OutboxEntry:
        await self._audit(
            _event(
                "delivery_attempt",
                entry,
                attempt=entry.attempts + 1,
                upload_url=entry.upload_url,
                sha256=entry.sha256,
                bytes=entry.bytes,
            )
        )
        outcome = await self._uploader(
            self._session,
            entry.upload_url,
            manifest_jws=entry.manifest_jws,
            clip_path=entry.clip_path,
            idempotency_key=entry.key,
            expected_sha256=entry.sha256,
            expected_bytes=entry.bytes,
            timeout=self._timeout,
            filename=entry.filename,
        )
        updated = self.outbox.record(entry.key, outcome, self._clock())
        await self._persist()
        await self._audit(
            _event(
                "delivery_result",
                updated,
                attempt=updated.attempts,
                result=outcome.result.value,
                status=outcome.status,
                reason=outcome.reason,
                next_attempt_at=(
                    None
                    if updated.next_attempt_at is None
                    else updated.next_attempt_at.isoformat()
                ),
            )
        )
        return updated

    async def _persist(self) -> None:
        await self._save(self.outbox.to_dicts())


def _event(kind: str, entry: OutboxEntry, **fields: Any) -> dict[str, Any]:
    """Audit event: what and where, never the manifest or the clip itself."""
    return {
        "type": kind,
        "key": entry.key,
        "request_id": entry.request_id,
        "publisher_id": entry.publisher_id,
        "state": entry.state.value,
        **fields,
    }
