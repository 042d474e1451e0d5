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
from ..export.recorder import Recorder
from ..export.segments import SEGMENT_SECONDS, SegmentLeases, prune
from ..settings import FootageSettings

PRUNE_INTERVAL = timedelta(seconds=60)
# A camera rebooting or a Wi-Fi hiccup is not worth a repair; an hour of no footage is.
STREAM_DOWN_AFTER = timedelta(hours=1)
# How long a connected stream may send nothing before ffmpeg is restarted.
STALL_TIMEOUT = 30.0
# Longest wait between attempts on a camera that keeps failing.
BACKOFF_MAX = 300.0
# Export granularity is a keyframe, not a segment; 10 s keeps file counts low.
SEGMENT_LENGTH = SEGMENT_SECONDS
NO_FFMPEG = "ffmpeg not found"

ISSUE_FFMPEG_MISSING = "ffmpeg_missing"
ISSUE_NO_STREAM_SOURCE = "no_stream_source"
ISSUE_STREAM_DOWN = "stream_down"


def footage_root(hass: HomeAssistant) -> Path:
    """`<config>/neighborhood_requests`, shared with the audit logs."""
    return Path(hass.config.path(AUDIT_DIR))


def recordings_dir(hass: HomeAssistant, camera: str) -> Path:
    """Where one camera's segments live, named by its entity's object id."""
    return footage_root(hass) / "recordings" / split_entity_id(camera)[1]


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
    _listeners: list[Callable[[], None]] = field(default_factory=list)

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
        """A recorder that records again clears its stream-down repair at once."""
        if self.cameras[camera].recording:
            self._issue(ISSUE_STREAM_DOWN, camera, None)

    async def _async_tick(self, now: datetime) -> None:
        """Every minute: retry what could not start, flag long outages, prune."""
        if self.ffmpeg is None and (ffmpeg := await self._async_find_ffmpeg()):
            self.ffmpeg = ffmpeg
        for recording in self.cameras.values():
            if recording.problem is not None and self.ffmpeg is not None:
                await self._async_start_camera(recording)  # ffmpeg appeared
            elif (
                recording.problem is None
                and recording.recorder.source is None
                # The camera's entity may have come up after this entry.
                and (source := await self._async_stream_source(recording.camera))
            ):
                await self._async_restart(recording, source)
            self._check_stream_down(recording, now)
        await self.hass.async_add_executor_job(self._prune, now)

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
        """Retention and disk budget per camera (executor); previews prune themselves.

        Leased segments (an export is reading them) are skipped by `prune`.
        """
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
