"""Polls one feed and turns it into records, events and a snapshot for entities.

Unlike Home Assistant's GeoJSON feed manager, a failed poll changes nothing: open
requests stay open and entities stay available for an hour (`OUTAGE_GRACE`), with
exponential backoff meanwhile; only then do entities go unavailable and a repair
issue appear, and both clear on the first good poll.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
import json
from pathlib import Path
import threading
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import STORAGE_DIR
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import (
    AUDIT_DIR,
    AUDIT_FILE,
    CONF_UPLOAD_ORIGINS,
    DOMAIN,
    LOGGER,
    MAX_BACKOFF,
    OUTAGE_GRACE,
    STATE_PENDING,
)
from .delivery.home_key import HomeKey
from .footage.presence import FootagePresence
from .protocol.audit import AuditLog
from .protocol.errors import ProtocolError
from .protocol.feed import FeedResult, FeedVerifier, self_verified_statement
from .protocol.model import Feed, Publisher
from .requests.feed_client import FeedFetchError, decode_feed, fetch_feed
from .requests.intake import (
    classify,
    expire,
    is_new,
    recent_actionable,
)
from .requests.publisher_session import publisher_session
from .requests.rejections import RejectionTally
from .requests.store import RequestRecord, RequestStore, record_key
from .settings import Settings
from .texts import Texts, async_texts

type EventListener = Callable[[str, RequestRecord], None]
type FeedListener = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What entities show: the requests waiting for a decision, oldest first."""

    pending: tuple[RequestRecord, ...] = ()
    on_hold: bool = False


def issue_id(kind: str, entry_id: str) -> str:
    """Repair issues are per entry, so two feeds never clear each other's."""
    return f"{kind}_{entry_id}"


def audit_path(hass: HomeAssistant, entry_id: str) -> Path:
    return Path(hass.config.path(AUDIT_DIR, entry_id, AUDIT_FILE))


def audit_head_path(hass: HomeAssistant, entry_id: str) -> Path:
    """The signed head lives apart from the log: deleting the log's folder shows."""
    return Path(hass.config.path(STORAGE_DIR, f"{DOMAIN}.{entry_id}.audit_head"))


class FeedCoordinator(DataUpdateCoordinator[Snapshot]):
    """One per config entry; owns the verifier, the store and the audit log."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        store: RequestStore,
        home_key: HomeKey,
    ) -> None:
        self.settings = Settings.from_entry(entry)
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=self.settings.poll_interval,
        )
        self.store = store
        self.rejections = RejectionTally(hass, entry.entry_id)
        self.audit_path = audit_path(hass, entry.entry_id)
        self.audit_head_path = audit_head_path(hass, entry.entry_id)
        self.home_key = home_key
        self._audit: AuditLog | None = None
        self._audit_lock = threading.Lock()
        self.on_hold = False
        self._verifier = FeedVerifier(
            self.settings.keys,
            allow_unsigned=self.settings.allow_unverified,
            known_revisions=store.known_revisions(self.settings.publisher_id),
            known_digests=store.known_digests(self.settings.publisher_id),
        )
        # SHA-256 of the body last applied: the only validator sent (spec 6).
        self._held_sha256: str | None = None
        self._failures = 0
        self._failing_since: datetime | None = None
        self._listeners_for_events: list[EventListener] = []
        self._feed_listeners: list[FeedListener] = []
        # Request ids the last verified feed held; None until one was applied.
        self.listed: frozenset[str] | None = None
        self._undelivered: list[tuple[str, RequestRecord]] | None = []
        self._rejudge = True
        # Set once the entry's footage is up; chats read it through `request_view`.
        self.presence: FootagePresence | None = None
        # The words of every language we ship, for chats that pick their own.
        self.shipped_texts: dict[str, Texts] = {}

    @callback
    def async_add_event_listener(self, listener: EventListener) -> CALLBACK_TYPE:
        """Subscribe to request events; during setup, earlier events replay."""
        self._listeners_for_events.append(listener)
        for event_type, record in tuple(self._undelivered or ()):
            listener(event_type, record)

        @callback
        def remove() -> None:
            self._listeners_for_events.remove(listener)

        return remove

    @callback
    def async_add_feed_listener(self, listener: FeedListener) -> CALLBACK_TYPE:
        """Hear about every verified feed once it is applied (polled or pushed).

        The outbox listens: a revision may withdraw a share, and a request the
        feed no longer lists holds its uploads (feed spec 3.2).
        """
        self._feed_listeners.append(listener)

        @callback
        def remove() -> None:
            self._feed_listeners.remove(listener)

        return remove

    @callback
    def async_end_replay(self) -> None:
        """Platforms are up: stop keeping events for a listener yet to come.

        Without this an event entity the user disabled would let the backlog
        grow for as long as Home Assistant runs.
        """
        self._undelivered = None

    @callback
    def fire(self, event_type: str, record: RequestRecord) -> None:
        if self._undelivered is not None:
            self._undelivered.append((event_type, record))
        for listener in tuple(self._listeners_for_events):
            listener(event_type, record)

    async def async_audit(self, *events: dict[str, Any]) -> None:
        """Append to the hash-chained log in the executor (it does file I/O)."""
        if events:
            await self.hass.async_add_executor_job(self._write_audit, events)

    async def async_open_audit(self) -> None:
        """Open the log at setup: a torn line or a cut log is found and recorded now."""
        await self.hass.async_add_executor_job(self._open_audit)

    def _open_audit(self) -> AuditLog:
        # Opening reads the log's tail and its head, so it runs in the executor.
        with self._audit_lock:
            if self._audit is None:
                self._audit = AuditLog(
                    self.audit_path,
                    key=self.home_key,
                    head_path=self.audit_head_path,
                )
            return self._audit

    def _write_audit(self, events: tuple[dict[str, Any], ...]) -> None:
        self._open_audit().append_many(events)

    @override
    async def _async_setup(self) -> None:
        """Load the counts of refused entries, folding in any older records of them.

        Earlier versions kept a record per refused entry; they become counts here
        and leave the store, so a store that a junk feed once bloated shrinks.
        """
        await self.rejections.async_load()
        for record in self.store:
            if record.request is None and record.key.partition("/")[2][:1] == "!":
                self.rejections.absorb(
                    record.publisher_id,
                    record.request_id,
                    record.reasons,
                    record.first_seen,
                )
                self.store.remove(record.key)

    @override
    async def _async_update_data(self) -> Snapshot:
        now = dt_util.utcnow()
        try:
            fetched = await fetch_feed(
                publisher_session(
                    self.hass, allow_lan=self.settings.guardrails.allow_lan
                ),
                self.settings.url,
                token=self.settings.token,
                held_sha256=self._held_sha256,
            )
            if fetched.body is not None:
                feed = await self.hass.async_add_executor_job(
                    decode_feed, fetched.body, self.settings.url
                )
                result = await self.hass.async_add_executor_job(self._verify, feed)
                await self._apply(result, now)
                self._held_sha256 = fetched.sha256
        except FeedFetchError as err:
            if err.reason == "invalid_auth":
                raise ConfigEntryAuthFailed(
                    translation_domain=DOMAIN, translation_key="invalid_auth"
                ) from err
            return await self._failed(err, now)
        self._recovered()
        await self._expire(now)
        return self.snapshot()

    async def async_push(self, feed: Feed) -> HTTPStatus:
        """A pushed feed: verified like a poll, applied only if every entry is good."""
        try:
            result = await self.hass.async_add_executor_job(self._verify, feed)
        except FeedFetchError:
            return HTTPStatus.BAD_REQUEST
        problems = [p for r in result.rejected for p in r.problems]
        if result.keys_changed or any(p.path == "signature" for p in problems):
            return HTTPStatus.UNAUTHORIZED
        if problems:
            return HTTPStatus.BAD_REQUEST
        now = dt_util.utcnow()
        await self._apply(result, now)
        self.async_set_updated_data(self.snapshot())
        return HTTPStatus.ACCEPTED

    def _verify(self, feed: Feed) -> FeedResult:
        if feed.publisher.id != self.settings.publisher_id:
            raise FeedFetchError("wrong_publisher", feed.publisher.id)
        try:
            return self._verifier.verify(feed)
        except ProtocolError as err:
            raise FeedFetchError("not_a_feed", str(err)) from err

    async def _failed(self, err: FeedFetchError, now: datetime) -> Snapshot:
        """Back off; keep showing what we had until the outage passes the grace."""
        self._failures += 1
        if self._failing_since is None:
            self._failing_since = now
        self.update_interval = min(
            self.settings.poll_interval * 2 ** min(self._failures, 16), MAX_BACKOFF
        )
        LOGGER.debug(
            "Feed %s failed (%s), retry in %s", self.name, err, self.update_interval
        )
        if now - self._failing_since >= OUTAGE_GRACE:
            # The repair shows the cause in words, in the home's language.
            reason = (await async_texts(self.hass)).feed_problem(err.reason)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id("feed_unavailable", self.config_entry.entry_id),
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="feed_unavailable",
                translation_placeholders={
                    "title": self.config_entry.title,
                    "reason": reason,
                },
            )
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="feed_unavailable",
                translation_placeholders={"reason": reason},
            )
        return self.data if self.data is not None else self.snapshot()

    def _recovered(self) -> None:
        if self._failing_since is not None:
            ir.async_delete_issue(
                self.hass,
                DOMAIN,
                issue_id("feed_unavailable", self.config_entry.entry_id),
            )
        self._failures = 0
        self._failing_since = None
        self.update_interval = self.settings.poll_interval

    async def _apply(self, result: FeedResult, now: datetime) -> None:
        """Record every new request or revision; hold everything on a key change."""
        entry_id = self.config_entry.entry_id
        if result.keys_changed:
            self.on_hold = True
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id("keys_changed", entry_id),
                is_fixable=True,
                is_persistent=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="keys_changed",
                translation_placeholders={"title": self.config_entry.title},
                data={
                    "entry_id": entry_id,
                    "keys": json.dumps(result.publisher.keys),
                    "origins": json.dumps(_claimed_origins(result.publisher)),
                },
            )
            return
        self.on_hold = False
        self._check_origins(result)
        if self.presence is not None:
            # Before any event fires, so a new request's first view knows its footage.
            await self.presence.async_probe(
                v.request for v in result.accepted if v.request.expires_at > now
            )
        publisher_id = self.settings.publisher_id
        records = list(self.store)
        recent = recent_actionable(records, publisher_id, now)
        audit: list[dict[str, Any]] = []
        for verified in result.accepted:
            old = self.store.get(record_key(publisher_id, verified.request.id))
            if not is_new(verified, old, rejudge=self._rejudge):
                continue
            record, event = classify(
                verified,
                old,
                settings=self.settings,
                publisher_id=publisher_id,
                now=now,
                recent_actionable=recent,
                paused=self.store.paused,
            )
            if _same_verdict(old, record):
                continue  # judged again, same verdict: nothing to tell anyone
            if record.prompted_at == now:
                recent += 1
            self._keep(record, event, audit)
        batch = self.rejections.observe(
            publisher_id, result.rejected, result.skipped, now
        )
        if batch is not None:
            audit.append(batch.audit_event())
        self._rejudge = False
        await self.async_audit(*audit)
        self.listed = frozenset(v.request.id for v in result.accepted)
        for listener in tuple(self._feed_listeners):
            await listener()

    def _check_origins(self, result: FeedResult) -> None:
        """A signed change of upload origins waits for the owner, like a new key.

        Until then clips go only where the owner agreed; requests naming a new
        origin are not actionable, with the reason, and are judged again once
        the owner accepts it (the entry reloads).
        """
        entry = self.config_entry
        key = issue_id("upload_origins_changed", entry.entry_id)
        pinned = set(entry.data.get(CONF_UPLOAD_ORIGINS, ()))
        signed = result.upload_origins
        if signed is None or set(signed) == pinned:
            ir.async_delete_issue(self.hass, DOMAIN, key)
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            key,
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="upload_origins_changed",
            translation_placeholders={"title": entry.title},
            data={
                "entry_id": entry.entry_id,
                "keys": json.dumps(list(self.settings.keys)),
                "origins": json.dumps(list(signed)),
            },
        )

    def _keep(
        self, record: RequestRecord, event: str | None, audit: list[dict[str, Any]]
    ) -> None:
        self.store.put(record)
        audit.append(verdict_event(record))
        if event is not None:
            self.fire(event, record)

    async def _expire(self, now: datetime) -> None:
        audit: list[dict[str, Any]] = []
        for record in self.store:
            if (outcome := expire(record, now)) is not None:
                self._keep(*outcome, audit)
        await self.async_audit(*audit)

    def snapshot(self) -> Snapshot:
        """Pending requests in the order they were first seen."""
        pending = sorted(
            (r for r in self.store if r.state == STATE_PENDING),
            key=lambda r: (r.first_seen, r.key),
        )
        return Snapshot(pending=tuple(pending), on_hold=self.on_hold)


def _claimed_origins(publisher: Publisher) -> list[str]:
    """The upload origins new keys sign for, to show beside their fingerprints."""
    try:
        statement = self_verified_statement(publisher)
    except ProtocolError:
        return []
    return list(statement.upload_origins) if statement is not None else []


def _same_verdict(old: RequestRecord | None, new: RequestRecord) -> bool:
    return (
        old is not None
        and old.revision == new.revision
        and (old.state, old.reasons) == (new.state, new.reasons)
    )


def verdict_event(record: RequestRecord) -> dict[str, Any]:
    """The audit line for a verdict: what, which revision, and why."""
    return {
        "type": "verdict",
        "publisher_id": record.publisher_id,
        "request_id": record.request_id,
        "revision": record.revision,
        "state": record.state,
        "verified": record.verified,
        "digest": record.digest,
        "reasons": [[p.path, p.reason] for p in record.reasons],
    }
