"""The home's own footage: one rolling recorder per camera, kept within its limits.

A share can only send what was recorded before anyone asked, so each linked camera
that may share and is not on Frigate gets an ffmpeg copying its stream into short
segments (`export.recorder`). This module is the Home Assistant side of that: it
finds the ffmpeg binary and each camera's stream source, starts and stops the
recorders with the entry (and with Home Assistant itself, which does not unload
entries when it stops), prunes by retention and disk budget every minute, and
raises repair issues the owner can act on. Problems never fail the entry's setup:
requests still arrive and can be declined when no footage can be recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
import shutil
from typing import Any

from homeassistant.components.camera import async_get_stream_source
from homeassistant.components.ffmpeg import get_ffmpeg_manager
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant, callback, split_entity_id
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from ..const import AUDIT_DIR, DOMAIN, LOGGER
from ..export.probe import LASTING_CAUSES
from ..export.recorder import Recorder, find_ffprobe
from ..export.segments import (
    SEGMENT_SECONDS,
    SegmentLeases,
    list_segments,
    measured_rate,
    prune,
    prune_for_space,
)
from ..settings import FootageSettings

PRUNE_INTERVAL = timedelta(seconds=60)
# A camera rebooting or a Wi-Fi hiccup is not worth a repair; an hour of no footage is.
STREAM_DOWN_AFTER = timedelta(hours=1)
# How long a connected stream may send nothing before ffmpeg is restarted.
STALL_TIMEOUT = 15.0
# Longest wait between attempts on a camera that answers but keeps failing; an
# unreachable camera is checked every few seconds without running ffmpeg.
BACKOFF_MAX = 30.0
# Free space kept on the footage disk: the larger of these, oldest footage first.
RESERVE_BYTES = 2 * 1024**3
RESERVE_FRACTION = 0.05
# Export granularity is a keyframe, not a segment; 10 s keeps file counts low.
SEGMENT_LENGTH = SEGMENT_SECONDS
NO_FFMPEG = "ffmpeg not found"

ISSUE_FFMPEG_MISSING = "ffmpeg_missing"
ISSUE_NO_STREAM_SOURCE = "no_stream_source"
ISSUE_STREAM_DOWN = "stream_down"
ISSUE_RECORDER_FAILING = "recorder_failing"  # translation key: recorder_<cause>
ISSUE_RETENTION_SHORT = "retention_short"


def footage_root(hass: HomeAssistant) -> Path:
    """`<config>/neighborhood_requests`, shared with the audit logs."""
    return Path(hass.config.path(AUDIT_DIR))


def recordings_root(hass: HomeAssistant) -> Path:
    """One folder per recorded camera below this."""
    return footage_root(hass) / "recordings"


def recordings_dir(hass: HomeAssistant, camera: str) -> Path:
    """Where one camera's segments live, named by its entity's object id."""
    return recordings_root(hass) / split_entity_id(camera)[1]


def _hours_minutes(seconds: float) -> str:
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def exports_dir(hass: HomeAssistant) -> Path:
    """Clips that were shared (the outbox uploads them from here)."""
    return footage_root(hass) / "exports"


def previews_dir(hass: HomeAssistant) -> Path:
    """Clips for the resident's eyes; the media source lists this folder."""
    return footage_root(hass) / "previews"


def _issue_id(kind: str, entry_id: str, camera: str | None = None) -> str:
    suffix = f"_{split_entity_id(camera)[1]}" if camera else ""
    return f"{kind}_{entry_id}{suffix}"


@dataclass(slots=True)
class CameraRecording:
    """One recorded camera: its recorder, and why it cannot record, if it cannot."""

    camera: str
    directory: Path
    recorder: Recorder
    problem: str | None = None
    bytes_per_second: float | None = None  # measured over the last hour
    kept_seconds: float | None = None  # how much footage the folder holds now
    _listeners: list[Callable[[], None]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        """What the diagnostics show (no stream URL: it carries passwords)."""
        since = self.down_since
        plan = self.recorder.plan
        return {
            "recording": self.recording,
            "last_error": self.last_error,
            "cause": self.recorder.cause,
            "down_since": since.isoformat() if since else None,
            "stream": plan.as_dict() if plan is not None else None,
            "bit_rate_mbit_s": (
                round(self.bytes_per_second * 8 / 1e6, 2)
                if self.bytes_per_second
                else None
            ),
            "hours_kept": (
                round(self.kept_seconds / 3600, 2) if self.kept_seconds else None
            ),
        }

    @property
    def recording(self) -> bool:
        """Whether ffmpeg is writing this camera's stream right now."""
        return self.problem is None and self.recorder.recording

    @property
    def last_error(self) -> str | None:
        """The reason it is not recording (None while it records)."""
        return self.problem or self.recorder.last_error

    @property
    def down_since(self) -> datetime | None:
        """When it stopped recording (or was started without recording yet)."""
        return self.recorder.down_since


class Footage:
    """Recorders, pruning and repair issues of one config entry."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry[Any], settings: FootageSettings
    ) -> None:
        self.hass = hass
        self.entry = entry
        self.settings = settings
        self.leases = SegmentLeases()
        self.ffmpeg: str | None = None
        self.ffprobe: str | None = None
        self.cameras: dict[str, CameraRecording] = {}
        self._unsubscribe: list[Callable[[], None]] = []
        self._unsubscribe_stop: Callable[[], None] | None = None
        self._stopped = False
        self._warned = False

    def directory(self, camera: str) -> Path:
        """Where `camera`'s segments are (whether or not it records now)."""
        return recordings_dir(self.hass, camera)

    async def async_start(self) -> None:
        """Find ffmpeg and the stream sources, then start every recorder.

        Called once from setup; the prune timer and the stop listener are tied
        to the entry so an unload removes them.
        """
        self.ffmpeg = await self._async_find_ffmpeg()
        for camera in self.settings.recorded:
            recorder = Recorder(
                ffmpeg=self.ffmpeg or NO_FFMPEG,
                source=None,
                directory=self.directory(camera),
                segment_seconds=SEGMENT_LENGTH,
                rtsp_transport=self.settings.rtsp_transport,
                stall_timeout=STALL_TIMEOUT,
                backoff_max=BACKOFF_MAX,
                now=dt_util.utcnow,
            )
            recording = CameraRecording(camera, recorder.directory, recorder)
            self.cameras[camera] = recording
            self._unsubscribe.append(
                recorder.add_listener(partial(self._async_recorder_changed, camera))
            )
            await self._async_start_camera(recording)
        self._unsubscribe.append(
            async_track_time_interval(
                self.hass,
                self._async_tick,
                PRUNE_INTERVAL,
                name="footage prune",
                cancel_on_shutdown=True,
            )
        )
        self._unsubscribe_stop = self.hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._async_hass_stopping
        )

    async def _async_find_ffmpeg(self) -> str | None:
        """HA's ffmpeg binary as a full path, or None (and a repair) if absent."""
        binary = get_ffmpeg_manager(self.hass).binary
        found = await self.hass.async_add_executor_job(shutil.which, binary)
        if found is None and not self._warned:
            LOGGER.warning("ffmpeg binary %s not found; recording is off", binary)
            self._warned = True
        if found is not None:
            self.ffprobe = await self.hass.async_add_executor_job(find_ffprobe, found)
        self._issue(
            ISSUE_FFMPEG_MISSING,
            None,
            {"binary": binary} if found is None else None,
            ir.IssueSeverity.ERROR,
        )
        return found

    def _issue(
        self,
        kind: str,
        camera: str | None,
        placeholders: dict[str, str] | None,
        severity: ir.IssueSeverity = ir.IssueSeverity.WARNING,
    ) -> None:
        """Raise (with placeholders) or clear (None) one of this entry's repairs.

        Nothing is raised once the entry stopped: `async_stop` has cleared them
        and nobody would clear a late one.
        """
        issue = _issue_id(kind, self.entry.entry_id, camera)
        if placeholders is None:
            ir.async_delete_issue(self.hass, DOMAIN, issue)
        elif not self._stopped:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue,
                is_fixable=False,
                severity=severity,
                translation_key=kind,
                translation_placeholders=placeholders,
            )

    async def _async_start_camera(self, recording: CameraRecording) -> None:
        """Start one recorder, or say why it cannot start.

        Without a stream source the recorder still starts: it reports the reason
        and stays down, which is what its binary sensor shows.
        """
        if self.ffmpeg is None:
            recording.problem = NO_FFMPEG
            return
        recording.problem = None
        recording.recorder.ffmpeg = self.ffmpeg
        recording.recorder.ffprobe = self.ffprobe
        source = await self._async_stream_source(recording.camera)
        await self._async_restart(recording, source)

    async def _async_restart(
        self, recording: CameraRecording, source: str | None
    ) -> None:
        """(Re)start a recorder on `source`, unless the entry stopped meanwhile.

        A tick can be half-way through when the entry unloads; starting ffmpeg
        then would leave a process nobody stops.
        """
        await recording.recorder.stop()
        if self._stopped:
            return
        recording.recorder.source = source
        recording.recorder.start()

    async def _async_stream_source(self, camera: str) -> str | None:
        """The camera's stream URL; a repair issue while it has none."""
        try:
            source = await async_get_stream_source(self.hass, camera)
        except HomeAssistantError as err:
            LOGGER.debug("no stream source for %s: %s", camera, err)
            source = None
        self._issue(
            ISSUE_NO_STREAM_SOURCE,
            camera,
            {"camera": camera} if source is None else None,
        )
        return source

    @callback
    def _async_recorder_changed(self, camera: str) -> None:
        """A recorder that records again clears its repairs at once; one that
        cannot record for a reason waiting will not fix (the camera refuses the
        login, sends no video, ...) gets a repair that says so right away."""
        recording = self.cameras[camera]
        if recording.recording:
            self._issue(ISSUE_STREAM_DOWN, camera, None)
            self._issue(ISSUE_RECORDER_FAILING, camera, None)
            return
        cause = recording.recorder.cause
        if cause in LASTING_CAUSES and recording.problem is None:
            issue = _issue_id(ISSUE_RECORDER_FAILING, self.entry.entry_id, camera)
            if not self._stopped:
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    issue,
                    is_fixable=False,
                    severity=ir.IssueSeverity.ERROR,
                    translation_key=f"recorder_{cause}",
                    translation_placeholders={
                        "camera": self._camera_name(camera),
                        "detail": recording.recorder.last_error or "",
                    },
                )

    def _camera_name(self, camera: str) -> str:
        state = self.hass.states.get(camera)
        return state.name if state is not None else camera

    async def _async_tick(self, now: datetime) -> None:
        """Every minute: retry what could not start, flag long outages, prune."""
        if self.ffmpeg is None and (ffmpeg := await self._async_find_ffmpeg()):
            self.ffmpeg = ffmpeg
        for recording in self.cameras.values():
            if recording.problem is not None and self.ffmpeg is not None:
                await self._async_start_camera(recording)  # ffmpeg appeared
            elif recording.problem is None and (
                # The camera's entity may have come up after this entry, or its
                # stream address changed (new password, new NVR): no reload.
                (source := await self._async_stream_source(recording.camera))
                and source != recording.recorder.source
            ):
                await self._async_restart(recording, source)
            self._check_stream_down(recording, now)
        await self.hass.async_add_executor_job(self._prune, now)
        self.check_retention()

    def _check_stream_down(self, recording: CameraRecording, now: datetime) -> None:
        recorder = recording.recorder
        down_since = recorder.down_since
        if recorder.source is None or recording.problem is not None:
            return
        if recording.recording or down_since is None:
            self._issue(ISSUE_STREAM_DOWN, recording.camera, None)
        elif now - down_since >= STREAM_DOWN_AFTER:
            self._issue(
                ISSUE_STREAM_DOWN,
                recording.camera,
                {
                    "camera": recording.camera,
                    "since": down_since.isoformat(timespec="seconds"),
                    "error": recorder.last_error or "",
                },
            )

    def _prune(self, now: datetime) -> None:
        """Retention and disk budget per camera, the disk's free-space reserve
        across every camera, footage of cameras no longer linked (executor);
        previews prune themselves.

        Leased segments (an export is reading them) are skipped by `prune`.
        """
        root = recordings_root(self.hass)
        linked = {recording.directory for recording in self.cameras.values()}
        try:
            others = [p for p in root.iterdir() if p.is_dir() and p not in linked]
        except FileNotFoundError:
            others = []
        for folder in others:  # unlinked: kept for the retention, then gone
            prune(
                folder,
                self.leases,
                now=now,
                retention=self.settings.retention,
                budget_bytes=2**62,
            )
        self._reserve_space(root)
        for recording in list(self.cameras.values()):
            result = prune(
                recording.directory,
                self.leases,
                now=now,
                retention=self.settings.retention,
                budget_bytes=self.settings.budget_bytes,
            )
            if result.deleted:
                LOGGER.debug(
                    "pruned %d segments (%d bytes) of %s",
                    len(result.deleted),
                    result.freed_bytes,
                    recording.camera,
                )
            self._measure(recording, now)

    def _reserve_space(self, root: Path) -> None:
        """Keep the larger of 2 GB and 5 % of the disk free, oldest footage first.

        A full disk makes every recorder fail; freeing space here is what lets
        them recover by themselves (their next attempt finds room).
        """
        try:
            usage = shutil.disk_usage(root)
        except FileNotFoundError:
            return
        reserve = max(RESERVE_BYTES, int(usage.total * RESERVE_FRACTION))
        if usage.free >= reserve:
            return
        folders = [p for p in root.iterdir() if p.is_dir()]
        result = prune_for_space(folders, self.leases, reserve - usage.free)
        if result.deleted:
            LOGGER.warning(
                "Disk nearly full: removed the %d oldest segments (%d bytes)",
                len(result.deleted),
                result.freed_bytes,
            )

    def _measure(self, recording: CameraRecording, now: datetime) -> None:
        """Bit rate over the last hour, and how long the folder's footage spans."""
        segments = list_segments(recording.directory)
        rate = measured_rate(segments, now)
        recording.bytes_per_second = rate
        recording.kept_seconds = (
            (now - segments[0].start).total_seconds() if segments else None
        )

    def check_retention(self) -> None:
        """A repair when the disk budget cannot hold the retention asked for."""
        wanted = self.settings.retention.total_seconds()
        for recording in self.cameras.values():
            rate = recording.bytes_per_second
            if not rate:
                continue
            holds = self.settings.budget_bytes / rate
            self._issue(
                ISSUE_RETENTION_SHORT,
                recording.camera,
                None
                if holds >= wanted
                else {
                    "camera": self._camera_name(recording.camera),
                    "kept": _hours_minutes(holds),
                    "rate": f"{rate * 8 / 1e6:.1f}",
                    "wanted": _hours_minutes(wanted),
                    "needed": f"{wanted * rate / 1e9:.0f}",
                },
            )

    async def _async_hass_stopping(self, event: Event) -> None:
        """Home Assistant does not unload entries on stop; ffmpeg must not linger."""
        self._unsubscribe_stop = None  # a fired one-time listener is already gone
        await self.async_stop()

    async def async_stop(self) -> None:
        """Stop the timer and every ffmpeg; each child is reaped before returning."""
        self._stopped = True
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        if self._unsubscribe_stop is not None:
            self._unsubscribe_stop()
            self._unsubscribe_stop = None
        await asyncio.gather(
            *(recording.recorder.stop() for recording in self.cameras.values())
        )
        # Whatever still holds is found again at the next start; a camera that
        # was unlinked meanwhile must not keep a repair nobody can clear.
        self._issue(ISSUE_FFMPEG_MISSING, None, None)
        for camera in self.cameras:
            self._issue(ISSUE_NO_STREAM_SOURCE, camera, None)
            self._issue(ISSUE_STREAM_DOWN, camera, None)
            self._issue(ISSUE_RECORDER_FAILING, camera, None)
            self._issue(ISSUE_RETENTION_SHORT, camera, None)
