"""The entry's `share.DeliveryOutbox`: the pure delivery package inside Home Assistant.

`delivery/` knows outbox states, backoff and HTTP; this module adds what only Home
Assistant has: durable storage (one `DurableStore` per entry, fsynced before any
byte leaves), timers at the runner's next wake-up, the home key that
signs each manifest, the exporter for a clip that changed on disk, the audit log,
and the owner's view of each clip on the request record.

Exactly once rests on the outbox (stable idempotency key, delivered is final, the
inbox's 409 counts as delivered); the `shared` event rests on the record: it fires
when the first clip of a request is accepted, never at decision time, and a clip
accepted after a restart still fires it once because the record remembers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
import hashlib
import hmac
import re
from typing import TYPE_CHECKING, Any

from homeassistant.components import persistent_notification
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.loader import async_get_integration
from homeassistant.util import dt as dt_util

from ..consent.share import Share
from ..const import CONF_PUBLISHER_NAME, DOMAIN, EVENT_SHARED, LOGGER
from ..durable_store import DurableStore
from ..export.result import ExportError, ExportResult
from ..markdown import plain
from ..protocol.jws import sign_manifest
from ..protocol.model import Gap, Manifest, Request, VideoFormat, Window
from ..protocol.policy import upload_url_problems
from ..requests.publisher_session import publisher_session
from ..requests.store import Delivery, RequestRecord, record_key
from ..texts import async_texts
from .home_key import HomeKey
from .outbox import OPEN_STATES, Outbox, OutboxEntry, State, idempotency_key
from .outcome import Result
from .runner import OutboxRunner
from .withdrawal import DESCRIPTIONS, Reason, judge

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

    from ..coordinator import FeedCoordinator

STORAGE_VERSION = 1
# Once here a clip has done its job, or never will: its copy is deleted.
FINAL_STATES = frozenset(
    {State.DELIVERED, State.FAILED, State.EXPIRED, State.WITHDRAWN}
)

# The owner's words for each outbox state (`share.DeliveryOutbox.status` keeps
# the outbox's own `pending`; the record says `queued` like the bot does).
_RECORD_STATE = {
    State.PENDING: "queued",
    State.STALE: "queued",
    State.DELIVERED: "delivered",
    State.FAILED: "failed",
    State.EXPIRED: "expired",
    State.WITHDRAWN: "withdrawn",
}
HELD = "held"
HELD_REASON = "the feed no longer lists this request; nothing is sent until it does"


def storage_key(entry_id: str) -> str:
    """Its own file per entry: the request store is saved lazily, this one never."""
    return f"{DOMAIN}.{entry_id}.outbox"


async def async_remove_outbox(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the outbox with its entry (the audit log keeps every attempt)."""
    await DurableStore(
        hass, STORAGE_VERSION, storage_key(entry_id), dict
    ).async_remove()


@dataclass(frozen=True, slots=True)
class _Clip:
    """What an outbox entry does not carry but a re-export and the record need.

    `window` is the request's window the resident consented to: a revision that
    no longer contains it withdraws the clip. None for shares stored before.
    """

    camera: str
    include_audio: bool
    window: Window | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "camera": self.camera,
            "include_audio": self.include_audio,
        }
        if self.window is not None:
            data["window"] = [
                self.window.start.isoformat(),
                self.window.end.isoformat(),
            ]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _Clip:
        window = data.get("window")
        return cls(
            str(data["camera"]),
            bool(data.get("include_audio", False)),
            None
            if window is None
            else Window(
                datetime.fromisoformat(window[0]), datetime.fromisoformat(window[1])
            ),
        )


class Deliveries:
    """One entry's persistent outbox, its timer and the owner's view of each clip."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        coordinator: FeedCoordinator,
        home_key: HomeKey,
    ) -> None:
        self._hass = hass
        self._entry = entry
        self._coordinator = coordinator
        self._home_key = home_key
        self._store = DurableStore(
            hass, STORAGE_VERSION, storage_key(entry.entry_id), self._data
        )
        self._outbox = Outbox()
        self._clips: dict[str, _Clip] = {}
        self._runner: OutboxRunner | None = None
        self._lock = asyncio.Lock()
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._exporter_version = DOMAIN
        self._stopped = False

    @property
    def outbox(self) -> Outbox:
        return self._outbox

    async def async_load(self) -> None:
        """Read what the last run left (before the records are reconciled)."""
        data = await self._store.async_load() or {}
        entries = []
        for item in data.get("entries", ()):
            try:
                entries.append(OutboxEntry.from_dict(item))
            except ValueError as err:
                LOGGER.error("Dropping an unreadable outbox entry: %s", err)
        self._outbox = Outbox(entries)
        self._clips = {
            key: _Clip.from_dict(clip) for key, clip in data.get("clips", {}).items()
        }

    def queued(self) -> dict[tuple[str, str], tuple[_Clip, ...]]:
        """The clips in the outbox by (publisher id, request id)."""
        found: dict[tuple[str, str], tuple[_Clip, ...]] = {}
        for entry in self._outbox.entries:
            clip = self._clips.get(entry.key)
            if clip is not None:
                request = (entry.publisher_id, entry.request_id)
                found[request] = (*found.get(request, ()), clip)
        return found

    async def async_start(self) -> None:
        """Resume delivery in the background (after `async_load`)."""
        integration = await async_get_integration(self._hass, DOMAIN)
        self._exporter_version = f"{DOMAIN} {integration.version}"
        self._runner = OutboxRunner(
            self._outbox,
            # Uploads reach only the addresses the entry allows (publisher_session).
            publisher_session(
                self._hass,
                allow_lan=self._coordinator.settings.guardrails.allow_lan,
            ),
            save=self._save,
            audit=self._audit,
            clock=dt_util.utcnow,
        )
        self._entry.async_on_unload(self._async_stop)
        self._entry.async_on_unload(
            self._coordinator.async_add_feed_listener(self._feed_applied)
        )
        # The request store is saved lazily: bring each record up to the outbox.
        for entry in self._outbox.entries:
            self._update_record(entry, fire=False)
        # The first poll ran before us: withdrawals it brought apply now.
        await self._reconcile()
        self._kick()

    async def _feed_applied(self) -> None:
        """A verified feed was applied: withdraw, hold or release, then send."""
        if await self._reconcile():
            self._kick()

    async def _reconcile(self) -> bool:
        """Each open clip against its request as the feed now has it (spec 3.2).

        A request cancelled, closed or changed so the clip no longer answers it
        withdraws the clip at once, even mid-upload; a request the last verified
        feed did not list holds it. True if a clip may be sent again.
        """
        runner = self._runner
        assert runner is not None
        listed = self._coordinator.listed
        view_points = self._coordinator.settings.view_points
        released = False
        for entry in self._outbox.entries:
            if entry.state not in OPEN_STATES:
                continue
            record = self._record(entry)
            if record is None or record.request is None:
                continue
            clip = self._clips.get(entry.key)
            verdict = judge(
                entry.upload_url,
                clip.window if clip is not None else None,
                record.request,
                view_points,
            )
            if verdict.withdraw is not None:
                await self._withdraw(entry, verdict.withdraw)
                continue
            if verdict.upload_url is not None and self._outbox.retarget(
                entry.key, verdict.upload_url
            ):
                await self._save()
            if listed is None:
                continue  # no verified feed yet: nothing to say about listing
            held = entry.request_id not in listed
            if await runner.hold(entry.key, held, HELD_REASON if held else ""):
                released |= not held
        return released

    async def _withdraw(self, entry: OutboxEntry, reason: Reason) -> None:
        runner = self._runner
        assert runner is not None
        withdrawn = await runner.withdraw(
            entry.key, DESCRIPTIONS[reason], f"withdrawn_{reason.value}"
        )
        if withdrawn is not None:
            await self._notify_withdrawn(withdrawn, reason)

    @callback
    def _async_stop(self) -> None:
        """Unload: no more wake-ups (a running upload is cancelled with the entry)."""
        self._stopped = True
        self._cancel_timer()

    @callback
    def _cancel_timer(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    def status(self, publisher_id: str, request_id: str, camera: str) -> str | None:
        """`share.DeliveryOutbox.status`: pending, delivered, failed, expired, None."""
        entry = self._find(publisher_id, request_id, camera)
        if entry is None:
            return None
        return "pending" if entry.state is State.STALE else entry.state.value

    def _find(
        self, publisher_id: str, request_id: str, camera: str
    ) -> OutboxEntry | None:
        """The camera's entry of a share, whatever key an earlier version gave it."""
        entry = self._outbox.get(self._key(publisher_id, request_id, camera))
        if entry is not None:
            return entry
        for key, clip in self._clips.items():
            found = self._outbox.get(key)
            if (
                clip.camera == camera
                and found is not None
                and (found.publisher_id, found.request_id) == (publisher_id, request_id)
            ):
                return found
        return None

    def _key(self, publisher_id: str, request_id: str, camera: str) -> str:
        """The share's idempotency key: stable, and blind to the camera's entity id.

        The inbox sees this key. A plain hash of the entity id could be guessed
        from a list of likely names (`camera.kids_bedroom`), so the camera enters
        it only through an HMAC keyed with a secret derived from the home key.
        """
        return idempotency_key(
            publisher_id, request_id, self._home_key.kid, self._camera_ref(camera)
        )

    def _camera_ref(self, camera: str) -> str:
        secret = hashlib.sha256(
            b"crf1-camera-ref\x00" + self._home_key.private_key.private_bytes_raw()
        ).digest()
        return hmac.new(secret, camera.encode(), hashlib.sha256).hexdigest()

    async def enqueue(self, share: Share) -> None:
        """Sign, persist (durably), then send; the same share twice is one entry."""
        request = share.request
        key = self._key(share.publisher_id, request.id, share.camera)
        if self._find(share.publisher_id, request.id, share.camera) is not None:
            return
        entry = OutboxEntry(
            key=key,
            request_id=request.id,
            publisher_id=share.publisher_id,
            upload_url=request.upload_url,
            clip_path=share.export.path,
            sha256=share.export.sha256,
            bytes=share.export.bytes,
            manifest_jws=self._sign(share.publisher_id, request, share, share.export),
            expires_at=request.expires_at,
            filename=upload_name(request, self._label(share.camera)),
        )
        if problems := upload_url_problems(
            request.upload_url, self._coordinator.settings.guardrails
        ):
            # Judged at intake too, but the owner may have changed the options since.
            # People read the first rule broken; the audit log reads them all.
            reason = "; ".join(problem.reason for problem in problems)
            entry = replace(
                entry,
                state=State.FAILED,
                last_error=reason,
                error_code=problems[0].code,
                error_params=dict(problems[0].params),
            )
        self._outbox.add(entry)
        self._clips[key] = _Clip(share.camera, share.include_audio, request.window)
        await self._save()
        await self._coordinator.async_audit(
            _audit_event("delivery_queued", entry, camera=self._label(share.camera))
        )
        self._update_record(entry, fire=True)
        if entry.state is State.FAILED:
            await self._notify_failure(entry, None)
        self._kick()

    def _label(self, camera: str) -> str:
        """What the requester (and the audit log) calls the camera."""
        return self._coordinator.settings.label(camera)

    def _sign(
        self, publisher_id: str, request: Request, share: Share, clip: ExportResult
    ) -> str:
        manifest = Manifest(
            request_id=request.id,
            publisher_id=publisher_id,
            camera=self._label(share.camera),
            window=Window(clip.start, clip.end),
            sha256=clip.sha256,
            bytes=clip.bytes,
            exported_at=dt_util.utcnow().replace(microsecond=0),
            exporter_version=self._exporter_version,
            home_key_id=self._home_key.kid,
            include_audio=share.include_audio,
            gaps=tuple(Gap(gap.start, gap.end, gap.reason) for gap in clip.missing),
            formats=tuple(
                VideoFormat(form.start, form.codec, form.width, form.height)
                for form in clip.formats
            ),
        )
        return sign_manifest(manifest, self._home_key.private_key)

    @callback
    def _kick(self) -> None:
        """Run due entries now, in the background (an upload may take minutes)."""
        self._entry.async_create_background_task(
            self._hass, self._run(), f"{DOMAIN} delivery"
        )

    async def _run(self) -> None:
        runner = self._runner
        assert runner is not None
        async with self._lock:
            await self._reexport_stale()
            await runner.run_due()
            # A clip that changed on disk during this pass is re-exported at once.
            if await self._reexport_stale():
                await runner.run_due()
            self._schedule()

    @callback
    def _schedule(self) -> None:
        """Wake at the next retry, or when a waiting entry's request expires."""
        self._cancel_timer()
        if self._stopped:
            return
        waiting = [
            e.expires_at
            for e in self._outbox.entries
            if e.state in (State.PENDING, State.STALE)
        ]
        candidates = [t for t in (self._outbox.next_wakeup(), *waiting) if t]
        if not candidates:
            return
        when = max(min(candidates), dt_util.utcnow())
        self._unsub_timer = async_track_point_in_utc_time(self._hass, self._wake, when)

    @callback
    def _wake(self, _now: datetime) -> None:
        self._unsub_timer = None
        self._kick()

    async def _reexport_stale(self) -> bool:
        """Export again each clip that no longer matches its manifest; True if any."""
        now = dt_util.utcnow()
        stale = [
            e
            for e in self._outbox.entries
            if e.state is State.STALE and not e.held and e.expires_at > now
        ]
        replaced = False
        for entry in stale:
            replaced |= await self._reexport(entry)
        return replaced

    async def _reexport(self, entry: OutboxEntry) -> bool:
        clip = self._clips.get(entry.key)
        record = self._record(entry)
        exporter = self._entry.runtime_data.exporter
        params: dict[str, str] = {}
        if clip is None or record is None or record.request is None:
            reason = "the share behind this clip is no longer known"
            code = "share_unknown"
        elif exporter is None:
            reason, code = "no export backend", "no_export_backend"
        else:
            try:
                result = await exporter.export(
                    record.request, clip.camera, clip.include_audio, preview=False
                )
            except ExportError as err:
                reason, code, params = str(err), "export_failed", {"detail": str(err)}
            else:
                share = Share(
                    entry_id=self._entry.entry_id,
                    publisher_id=entry.publisher_id,
                    request=record.request,
                    camera=clip.camera,
                    include_audio=clip.include_audio,
                    decided_by=None,
                    telegram_user=None,
                    export=result,
                )
                updated = self._outbox.replace_clip(
                    entry.key,
                    clip_path=result.path,
                    sha256=result.sha256,
                    size=result.bytes,
                    manifest_jws=self._sign(
                        entry.publisher_id, record.request, share, result
                    ),
                    now=dt_util.utcnow(),
                )
                await self._save()
                await self._coordinator.async_audit(
                    _audit_event(
                        "reexport",
                        updated,
                        camera=self._label(clip.camera),
                        ok=True,
                        old_sha256=entry.sha256,
                        sha256=result.sha256,
                        bytes=result.bytes,
                    )
                )
                self._update_record(updated, fire=False)
                return True
        await self._coordinator.async_audit(
            _audit_event("reexport", entry, ok=False, reason=reason)
        )
        # The entry stays stale (it expires with the request); the owner hears why.
        self._update_record(
            entry, fire=False, state="failed", reason=reason, code=code, params=params
        )
        await self._notify_failure(entry, reason, code, params)
        return False

    async def _save(self, _entries: list[dict[str, Any]] | None = None) -> None:
        """Durable write of the whole outbox (the runner's `save` callback)."""
        await self._store.async_save()

    def _data(self) -> dict[str, Any]:
        return {
            "entries": self._outbox.to_dicts(),
            "clips": {key: clip.as_dict() for key, clip in self._clips.items()},
        }

    async def _audit(self, event: dict[str, Any]) -> None:
        """The runner's audit callback: the log first, then the owner's view."""
        key = event["key"]
        clip = self._clips.get(key)
        if clip is not None:
            event = {**event, "camera": self._label(clip.camera)}
        await self._coordinator.async_audit(event)
        entry = self._outbox.get(key)
        assert entry is not None  # the runner only audits entries it holds
        if event["type"] == "delivery_attempt":
            self._update_record(entry, fire=False, state="uploading")
            return
        self._update_record(entry, fire=True)
        if entry.state in (State.FAILED, State.EXPIRED):
            await self._notify_failure(entry, None)
        if entry.state is State.WITHDRAWN and event.get("result") == Result.WITHDRAWN:
            # The inbox said 410; a withdrawal we made ourselves notifies itself.
            await self._notify_withdrawn(entry, Reason.GONE)
        if entry.state in FINAL_STATES:
            # The clip has done its job (or never will): a copy of the footage
            # should not outlive the share. Its digest stays in the audit log.
            await self._hass.async_add_executor_job(
                partial(entry.clip_path.unlink, missing_ok=True)
            )

    def _record(self, entry: OutboxEntry) -> RequestRecord | None:
        return self._coordinator.store.get(
            record_key(entry.publisher_id, entry.request_id)
        )

    @callback
    def _update_record(
        self,
        entry: OutboxEntry,
        *,
        fire: bool,
        state: str | None = None,
        reason: str | None = None,
        code: str = "",
        params: Mapping[str, str] | None = None,
    ) -> None:
        """Write the clip's state on its request record; fire `shared` once."""
        clip = self._clips.get(entry.key)
        record = self._record(entry)
        if clip is None or record is None:
            return
        if state is None:
            held = entry.held and entry.state in OPEN_STATES
            state = HELD if held else _RECORD_STATE[entry.state]
        if state == HELD:
            reason, code = reason or HELD_REASON, code or "held"
        if reason is None and state in ("queued", "failed", "expired", "withdrawn"):
            reason = entry.last_error  # a retry's cause, or the final refusal
            code, params = entry.error_code, entry.error_params
        delivery = Delivery(
            camera=clip.camera,
            state=state,
            sha256=entry.sha256,
            bytes=entry.bytes,
            reason=reason,
            at=dt_util.utcnow(),
            reason_code=code if reason is not None else "",
            reason_params=dict(params or {}) if reason is not None else {},
        )
        current = {d.camera: d for d in record.deliveries}.get(clip.camera)
        if current is not None and (
            current.state,
            current.sha256,
            current.reason,
        ) == (delivery.state, delivery.sha256, delivery.reason):
            return
        first_accepted = state == "delivered" and not any(
            d.state == "delivered" for d in record.deliveries
        )
        updated = record.with_delivery(delivery)
        self._coordinator.store.put(updated)
        if state == "delivered":
            # A re-export can rescue a clip whose failure the owner was told about.
            persistent_notification.async_dismiss(
                self._hass, notification_id(self._entry.entry_id, entry.key)
            )
        if fire and first_accepted:
            self._coordinator.fire(EVENT_SHARED, updated)
        self._coordinator.async_set_updated_data(self._coordinator.snapshot())

    def _camera_name(self, camera: str) -> str:
        """A camera as the owner named it, not its entity id."""
        state = self._hass.states.get(camera)
        return state.name if state is not None else camera

    async def _notify_failure(
        self,
        entry: OutboxEntry,
        reason: str | None,
        code: str = "",
        params: Mapping[str, str] | None = None,
    ) -> None:
        """A translated notification: the clip will not arrive, and why."""
        texts = await async_texts(self._hass)
        record = self._record(entry)
        clip = self._clips.get(entry.key)
        request = record.request if record is not None else None
        if reason is not None:
            reason = texts.reason(code, params or {}, reason)
        elif entry.state is State.EXPIRED:
            reason = texts["delivery_expired_reason"]
        elif entry.last_error is not None:
            reason = texts.reason(
                entry.error_code, entry.error_params, entry.last_error
            )
        else:
            reason = "-"
        values = {
            "publisher": str(
                self._entry.data.get(CONF_PUBLISHER_NAME, entry.publisher_id)
            ),
            "camera": self._camera_name(clip.camera) if clip is not None else "-",
            "request_id": entry.request_id,
            "case": (
                request.incident.case_number or "-" if request is not None else "-"
            ),
            "reason": reason,
        }
        # The message is Markdown and the reason is often the inbox's own words.
        escaped = {key: plain(value) for key, value in values.items()}
        persistent_notification.async_create(
            self._hass,
            texts["delivery_failed_message"].format(**escaped),
            texts["delivery_failed_title"].format(**values),
            notification_id(self._entry.entry_id, entry.key),
        )

    async def _notify_withdrawn(self, entry: OutboxEntry, reason: Reason) -> None:
        """A translated notification: the requester withdrew, nothing was sent."""
        texts = await async_texts(self._hass)
        record = self._record(entry)
        clip = self._clips.get(entry.key)
        request = record.request if record is not None else None
        values = {
            "publisher": str(
                self._entry.data.get(CONF_PUBLISHER_NAME, entry.publisher_id)
            ),
            "camera": clip.camera if clip is not None else "-",
            "request_id": entry.request_id,
            "case": (
                request.incident.case_number or "-" if request is not None else "-"
            ),
            "reason": texts[f"withdrawal_reason_{reason.value}"],
        }
        persistent_notification.async_create(
            self._hass,
            texts["delivery_withdrawn_message"].format(**values),
            texts["delivery_withdrawn_title"].format(**values),
            notification_id(self._entry.entry_id, entry.key),
        )


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def upload_name(request: Request, label: str) -> str:
    """`<request id>_<camera label>_<window start UTC>.mp4`, safe characters only.

    What the requester's inbox sees as the clip's name: the label, never the
    entity id, and nothing a file system or a shell could misread.
    """
    start = request.window.start.strftime("%Y%m%dT%H%M%SZ")
    parts = (
        _UNSAFE.sub("-", text).strip("-")[:64] or "x" for text in (request.id, label)
    )
    return "_".join((*parts, start)) + ".mp4"


def notification_id(entry_id: str, key: str) -> str:
    """One notification per clip, so a second failure replaces the first."""
    return f"{DOMAIN}_delivery_{entry_id}_{key}"


def _audit_event(kind: str, entry: OutboxEntry, **fields: Any) -> dict[str, Any]:
    """Like the runner's events: where the clip goes, never the manifest or clip."""
    return {
        "type": kind,
        "key": entry.key,
        "request_id": entry.request_id,
        "publisher_id": entry.publisher_id,
        "state": entry.state.value,
        "upload_url": entry.upload_url,
        **fields,
    }
