"""One recorder per camera for the whole home, whichever entries link it.

Two entries (two publishers) linking the same doorbell must not start two ffmpeg
processes writing into one folder, and one entry's pruning must never delete a
segment another entry is exporting. So the recorders live here, once per Home
Assistant: each entry registers the cameras it records (`async_add`) and lets go
of them when it unloads (`async_remove`); a camera's recorder runs while any
entry links it, with the most any of them asks (the longest retention, the
largest disk budget, TCP unless every entry asks for UDP). One lease set covers
every export, and one timer prunes every folder: retention and budget per camera,
the disk's free-space reserve across all of them, and, after the retention, the
footage of cameras no entry links any more.

Repairs are the camera's, not an entry's: a refused login is one problem however
many publishers the camera answers. Problems never fail an entry's setup:
requests still arrive and can be declined when no footage can be recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
import shutil

from homeassistant.components.camera import async_get_stream_source
from homeassistant.components.ffmpeg import get_ffmpeg_manager
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant, callback, split_entity_id
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from ..const import BACKEND_RECORDER, DOMAIN, LOGGER
from ..export.probe import LASTING_CAUSES
from ..export.recorder import Recorder, find_ffprobe
from ..export.segments import (
    DEFAULT_RETENTION,
    SegmentLeases,
    list_segments,
    measured_rate,
    prune,
    prune_for_space,
)
from ..settings import FootageSettings
from .recording import (
    NO_FFMPEG,
    SEGMENT_LENGTH,
    CameraRecording,
    recordings_dir,
    recordings_root,
)

RECORDERS: HassKey[Recorders] = HassKey(f"{DOMAIN}_recorders")

PRUNE_INTERVAL = timedelta(seconds=60)
# How long a connected stream may send nothing before ffmpeg is restarted.
STALL_TIMEOUT = 15.0
# Longest wait between attempts on a camera that answers but keeps failing; an
# unreachable camera is checked every few seconds without running ffmpeg.
BACKOFF_MAX = 30.0
# A camera rebooting or a Wi-Fi hiccup is not worth a repair; an hour of no footage is.
STREAM_DOWN_AFTER = timedelta(hours=1)
# Free space kept on the footage disk: the larger of these, oldest footage first.
RESERVE_BYTES = 2 * 1024**3
RESERVE_FRACTION = 0.05

ISSUE_FFMPEG_MISSING = "ffmpeg_missing"
ISSUE_NO_STREAM_SOURCE = "no_stream_source"
ISSUE_STREAM_DOWN = "stream_down"
ISSUE_RECORDER_FAILING = "recorder_failing"  # translation key: recorder_<cause>
ISSUE_RETENTION_SHORT = "retention_short"
CAMERA_ISSUES = (
    ISSUE_NO_STREAM_SOURCE,
    ISSUE_STREAM_DOWN,
    ISSUE_RECORDER_FAILING,
    ISSUE_RETENTION_SHORT,
)


def issue_id(kind: str, camera: str | None = None) -> str:
    """A repair's id: the camera's (by its object id), or the home's."""
    return f"{kind}_{split_entity_id(camera)[1]}" if camera else kind


def _hours_minutes(seconds: float) -> str:
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


@dataclass(frozen=True, slots=True)
class Wish:
    """What one entry asks of a camera's recording."""

    retention: timedelta
    budget_bytes: int
    rtsp_transport: str


class Recorders:
    """Every recorded camera of the home, shared by the entries that link it."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.leases = SegmentLeases()
        self.ffmpeg: str | None = None
        self.ffprobe: str | None = None
        self.cameras: dict[str, CameraRecording] = {}
        self._wishes: dict[str, dict[str, Wish]] = {}  # camera -> entry id -> wish
        self._entries: dict[str, FootageSettings] = {}
        self._lock = asyncio.Lock()
        self._unsubscribe: list[Callable[[], None]] = []
        self._stopped = False  # Home Assistant is stopping: start nothing
        self._warned = False

    @classmethod
    def of(cls, hass: HomeAssistant) -> Recorders:
        """The home's recorders (made on first use)."""
        if RECORDERS not in hass.data:
            hass.data[RECORDERS] = cls(hass)
        return hass.data[RECORDERS]

    # Entries come and go.

    async def async_add(
        self, entry_id: str, settings: FootageSettings
    ) -> dict[str, CameraRecording]:
        """Record the entry's cameras (starting those nobody records yet)."""
        async with self._lock:
            if not self._entries:
                await self._async_begin()
            self._entries[entry_id] = settings
            mine: dict[str, CameraRecording] = {}
            for backend in settings.backends:
                if backend.backend != BACKEND_RECORDER:
                    continue
                camera = backend.camera
                wish = Wish(
                    settings.retention, settings.budget_bytes, backend.rtsp_transport
                )
                self._wishes.setdefault(camera, {})[entry_id] = wish
                recording = self.cameras.get(camera)
                if recording is None:
                    recording = self._new(camera)
                    await self._async_start_camera(recording)
                elif recording.recorder.rtsp_transport != self._transport(camera):
                    await self._async_restart(recording, recording.recorder.source)
                mine[camera] = recording
            return mine

    async def async_remove(self, entry_id: str) -> None:
        """Let go of the entry's cameras; a camera nobody links stops recording
        (its footage stays for the retention) and its repairs go."""
        async with self._lock:
            if self._entries.pop(entry_id, None) is None:
                return
            for camera, wishes in list(self._wishes.items()):
                if wishes.pop(entry_id, None) is None:
                    continue
                recording = self.cameras[camera]
                if wishes:
                    if recording.recorder.rtsp_transport != self._transport(camera):
                        await self._async_restart(recording, recording.recorder.source)
                    continue
                del self._wishes[camera]
                del self.cameras[camera]
                for unsubscribe in recording.unsubscribe:
                    unsubscribe()
                await recording.recorder.stop()
                for kind in CAMERA_ISSUES:
                    self._issue(kind, camera, None)
            if not self._entries:
                await self._async_end()

    def wish(self, camera: str) -> Wish:
        """What the entries linking `camera` ask, taken together: the most."""
        wishes = self._wishes.get(camera, {}).values()
        if not wishes:
            return Wish(DEFAULT_RETENTION, 0, "tcp")
        return Wish(
            max(w.retention for w in wishes),
            max(w.budget_bytes for w in wishes),
            self._transport(camera),
        )

    def _transport(self, camera: str) -> str:
        """TCP survives Wi-Fi loss without smeared frames: UDP only when every
        entry linking the camera asks for it."""
        wishes = self._wishes.get(camera, {}).values()
        udp = wishes and all(w.rtsp_transport == "udp" for w in wishes)
        return "udp" if udp else "tcp"

    async def _async_begin(self) -> None:
        self._stopped = False
        self.ffmpeg = await self._async_find_ffmpeg()
        self._unsubscribe = [
            async_track_time_interval(
                self.hass,
                self._async_tick,
                PRUNE_INTERVAL,
                name="footage prune",
                cancel_on_shutdown=True,
            ),
            self.hass.bus.async_listen_once(
                EVENT_HOMEASSISTANT_STOP, self._async_hass_stopping
            ),
        ]

    async def _async_end(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        self._issue(ISSUE_FFMPEG_MISSING, None, None)

    async def _async_hass_stopping(self, event: Event) -> None:
        """Home Assistant does not unload entries on stop; ffmpeg must not linger."""
        self._unsubscribe = self._unsubscribe[:1]  # the one-time listener is gone
        self._stopped = True
        await asyncio.gather(
            *(recording.recorder.stop() for recording in self.cameras.values())
        )

    # One camera's recorder.

    def _new(self, camera: str) -> CameraRecording:
        recorder = Recorder(
            ffmpeg=self.ffmpeg or NO_FFMPEG,
            source=None,
            directory=recordings_dir(self.hass, camera),
            segment_seconds=SEGMENT_LENGTH,
            rtsp_transport=self._transport(camera),
            stall_timeout=STALL_TIMEOUT,
            backoff_max=BACKOFF_MAX,
            now=dt_util.utcnow,
        )
        recording = CameraRecording(camera, recorder.directory, recorder)
        recording.unsubscribe.append(
            recorder.add_listener(partial(self._async_recorder_changed, camera))
        )
        self.cameras[camera] = recording
        return recording

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
        """(Re)start a recorder on `source`, unless nobody links it any more.

        A tick can be half-way through when the last entry unloads; starting
        ffmpeg then would leave a process nobody stops.
        """
        await recording.recorder.stop()
        if self.cameras.get(recording.camera) is not recording or self._stopped:
            return
        recording.recorder.source = source
        recording.recorder.rtsp_transport = self._transport(recording.camera)
        recording.recorder.start()

    async def _async_stream_source(self, camera: str) -> str | None:
        """The camera's stream URL; a repair issue while it has none."""
        try:
            source = await async_get_stream_source(self.hass, camera)
        except HomeAssistantError as err:
            LOGGER.debug("no stream source for %s: %s", camera, err)
            source = None
        if camera in self.cameras:
            self._issue(
                ISSUE_NO_STREAM_SOURCE,
                camera,
                {"camera": camera} if source is None else None,
            )
        return source

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

    # Repairs.

    def _issue(
        self,
        kind: str,
        camera: str | None,
        placeholders: dict[str, str] | None,
        severity: ir.IssueSeverity = ir.IssueSeverity.WARNING,
        translation_key: str | None = None,
    ) -> None:
        """Raise (with placeholders) or clear (None) a repair of a camera or
        of the home. Nothing is raised for a camera nobody records any more:
        nobody would clear it."""
        issue = issue_id(kind, camera)
        if placeholders is None:
            ir.async_delete_issue(self.hass, DOMAIN, issue)
        elif camera is None or camera in self.cameras:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue,
                is_fixable=False,
                severity=severity,
                translation_key=translation_key or kind,
                translation_placeholders=placeholders,
            )

    @callback
    def _async_recorder_changed(self, camera: str) -> None:
        """A recorder that records again clears its repairs at once; one that
        cannot record for a reason waiting will not fix (the camera refuses the
        login, sends no video, ...) gets a repair that says so right away."""
        recording = self.cameras.get(camera)
        if recording is None:
            return
        recording.note_state()
        if recording.recording:
            self._issue(ISSUE_STREAM_DOWN, camera, None)
            self._issue(ISSUE_RECORDER_FAILING, camera, None)
            return
        cause = recording.recorder.cause
        if cause in LASTING_CAUSES and recording.problem is None:
            self._issue(
                ISSUE_RECORDER_FAILING,
                camera,
                {
                    "camera": self.camera_name(camera),
                    "detail": recording.recorder.last_error or "",
                },
                ir.IssueSeverity.ERROR,
                translation_key=f"recorder_{cause}",
            )

    def camera_name(self, camera: str) -> str:
        """The camera's name as the owner sees it."""
        state = self.hass.states.get(camera)
        return state.name if state is not None else camera

    # Every minute.

    async def _async_tick(self, now: datetime) -> None:
        """Retry what could not start, follow new stream addresses, flag long
        outages, prune, and check each camera's retention."""
        async with self._lock:
            if self.ffmpeg is None and (ffmpeg := await self._async_find_ffmpeg()):
                self.ffmpeg = ffmpeg
            for recording in list(self.cameras.values()):
                if recording.problem is not None and self.ffmpeg is not None:
                    await self._async_start_camera(recording)  # ffmpeg appeared
                elif recording.problem is None and (
                    # The camera's entity may have come up after the entry, or
                    # its stream address changed (new password, new NVR).
                    (source := await self._async_stream_source(recording.camera))
                    and source != recording.recorder.source
                ):
                    await self._async_restart(recording, source)
                self._check_stream_down(recording, now)
            wishes = {camera: self.wish(camera) for camera in self.cameras}
            await self.hass.async_add_executor_job(self._prune, now, wishes)
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

    def _prune(self, now: datetime, wishes: dict[str, Wish]) -> None:
        """Footage of cameras no longer linked after the longest retention any
        entry keeps, the disk's free-space reserve across every camera, then
        each camera's retention and budget (executor); previews prune
        themselves. Leased segments (an export reads them) are skipped."""
        root = recordings_root(self.hass)
        linked = {recording.directory for recording in self.cameras.values()}
        retention = max(
            (s.retention for s in self._entries.values()), default=DEFAULT_RETENTION
        )
        try:
            others = [p for p in root.iterdir() if p.is_dir() and p not in linked]
        except FileNotFoundError:
            others = []
        for folder in others:
            prune(folder, self.leases, now=now, retention=retention, budget_bytes=2**62)
        self._reserve_space(root)
        for camera, recording in list(self.cameras.items()):
            wish = wishes.get(camera) or self.wish(camera)
            result = prune(
                recording.directory,
                self.leases,
                now=now,
                retention=wish.retention,
                budget_bytes=wish.budget_bytes,
            )
            if result.deleted:
                LOGGER.debug(
                    "pruned %d segments (%d bytes) of %s",
                    len(result.deleted),
                    result.freed_bytes,
                    camera,
                )
            self._measure(recording, now)

    def _reserve_space(self, root: Path) -> None:
        """Keep the larger of 2 GB and 5 % of the disk free, oldest footage first.

        A full disk makes every recorder fail; freeing space here is what lets
        them recover by themselves (their next attempt finds room).
        """
        try:
            usage = shutil.disk_usage(root)
            folders = [p for p in root.iterdir() if p.is_dir()]
        except FileNotFoundError:
            return
        reserve = max(RESERVE_BYTES, int(usage.total * RESERVE_FRACTION))
        if usage.free >= reserve:
            return
        result = prune_for_space(folders, self.leases, reserve - usage.free)
        if result.deleted:
            LOGGER.warning(
                "Disk nearly full: removed the %d oldest segments (%d bytes)",
                len(result.deleted),
                result.freed_bytes,
            )

    @staticmethod
    def _measure(recording: CameraRecording, now: datetime) -> None:
        """Bit rate over the last hour, and how long the folder's footage spans."""
        segments = list_segments(recording.directory)
        recording.bytes_per_second = measured_rate(segments, now)
        recording.kept_seconds = (
            (now - segments[0].start).total_seconds() if segments else None
        )

    def check_retention(self) -> None:
        """A repair when the disk budget cannot hold the retention asked for."""
        for camera, recording in self.cameras.items():
            rate = recording.bytes_per_second
            if not rate:
                continue
            wish = self.wish(camera)
            wanted = wish.retention.total_seconds()
            holds = wish.budget_bytes / rate
            self._issue(
                ISSUE_RETENTION_SHORT,
                camera,
                None
                if holds >= wanted
                else {
                    "camera": self.camera_name(camera),
                    "kept": _hours_minutes(holds),
                    "rate": f"{rate * 8 / 1e6:.1f}",
                    "wanted": _hours_minutes(wanted),
                    "needed": f"{wanted * rate / 1e9:.0f}",
                },
            )
