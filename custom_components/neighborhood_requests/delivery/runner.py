"""Runs the outbox: persist, audit, send, record, persist, audit, one entry at a time.

All I/O of delivery meets here (the aiohttp session, the save and audit
callbacks, the clock), so `outbox.py` stays a pure state machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import aiohttp

from .outbox import Outbox, OutboxEntry, State
from .stall import STALL_TIMEOUT_S
from .tus import ResumeUrlCallback
from .upload import UploadOutcome, upload


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
        expected_bytes: int | None = None,
        resume_url: str | None = None,
        on_resume_url: ResumeUrlCallback = ...,
        stall_timeout: float = ...,
        filename: str = ...,
    ) -> UploadOutcome: ...


_STATUS = {
    State.PENDING: "queued",
    State.STALE: "queued",
    State.DELIVERED: "delivered",
    State.FAILED: "failed",
    State.EXPIRED: "expired",
    State.WITHDRAWN: "withdrawn",
}

type SaveCallback = Callable[[list[dict[str, Any]]], Awaitable[None]]
type AuditCallback = Callable[[dict[str, Any]], Awaitable[None]]


class OutboxRunner:
    """Sends due entries one by one: persist, audit, send, record, persist, audit.

    `save` must write durably before it returns (Store.async_save, not a delayed
    save): the entry on disk is what makes a crash mid-upload recoverable. The
    runner never schedules itself; the caller runs `run_due` at `next_wakeup()`.

    `withdraw` and `hold` do not wait for a running upload (it may take hours):
    they change the entry, persist it, and abort the upload of that entry if it
    is the one in flight, so not one more byte of it is sent.
    """

    def __init__(
        self,
        outbox: Outbox,
        session: aiohttp.ClientSession,
        *,
        save: SaveCallback,
        audit: AuditCallback,
        clock: Callable[[], datetime],
        stall_timeout: float = STALL_TIMEOUT_S,
        uploader: Uploader = upload,
    ) -> None:
        self.outbox = outbox
        self._session = session
        self._save = save
        self._audit = audit
        self._clock = clock
        self._stall_timeout = stall_timeout
        self._uploader = uploader
        self._lock = asyncio.Lock()
        self._sending: str | None = None
        self._in_flight: asyncio.Task[UploadOutcome] | None = None
        self._aborted: str | None = None

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
        if key == self._sending and entry.state is State.PENDING and not entry.held:
            return "uploading"
        if entry.held and entry.state in (State.PENDING, State.STALE):
            return "held"
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
        current = self.outbox.get(entry.key)
        assert current is not None
        if current.state is not State.PENDING or current.held:
            return current  # withdrawn or held while we were getting ready
        task = asyncio.ensure_future(
            self._uploader(
                self._session,
                current.upload_url,
                manifest_jws=current.manifest_jws,
                clip_path=current.clip_path,
                idempotency_key=current.key,
                expected_sha256=current.sha256,
                expected_bytes=current.bytes,
                resume_url=current.resume_url,
                on_resume_url=partial(self._resume_at, current.key),
                stall_timeout=self._stall_timeout,
                filename=current.filename,
            )
        )
        self._in_flight = task
        try:
            # `wait` keeps an abort of the upload apart from our own cancellation.
            await asyncio.wait({task})
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            self._in_flight = None
        if task.cancelled():
            if self._aborted != entry.key:
                raise asyncio.CancelledError  # not ours: the upload itself stopped
            self._aborted = None
            return await self._aborted_attempt(entry.key)
        outcome = task.result()
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

    async def _aborted_attempt(self, key: str) -> OutboxEntry:
        """`withdraw` or `hold` stopped this upload; it recorded why already."""
        entry = self.outbox.get(key)
        assert entry is not None
        await self._audit(
            _event(
                "delivery_result", entry, attempt=entry.attempts + 1, result="aborted"
            )
        )
        return entry

    async def _resume_at(self, key: str, url: str | None) -> None:
        """The upload's resumable URL, durable before any byte of the clip is sent."""
        entry = self.outbox.get(key)
        if entry is None or entry.resume_url == url:
            return
        self.outbox.resume_at(key, url)
        await self._persist()

    async def withdraw(
        self, key: str, reason: str, code: str = ""
    ) -> OutboxEntry | None:
        """Stop this share for good: persisted, audited, and aborted if in flight."""
        entry = self.outbox.withdraw(key, reason, code)
        if entry is None:
            return None
        self._abort(key)
        await self._persist()
        await self._audit(_event("delivery_withdrawn", entry, reason=reason))
        return entry

    async def hold(self, key: str, held: bool, reason: str) -> OutboxEntry | None:
        """Hold this share (aborting its upload) or let it go again."""
        entry = self.outbox.hold(key, held)
        if entry is None:
            return None
        if held:
            self._abort(key)
        await self._persist()
        kind = "delivery_held" if held else "delivery_released"
        await self._audit(_event(kind, entry, reason=reason))
        return entry

    def _abort(self, key: str) -> None:
        if self._sending == key and self._in_flight is not None:
            self._aborted = key
            self._in_flight.cancel()

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
