"""The home's own footage as one entry sees it: where it lives, and its cameras.

A share can only send what was recorded before anyone asked, so each linked camera
that may share and is not on Frigate is recorded by an ffmpeg copying its stream
into short segments (`export.recorder`). The recorders are the home's, shared by
every entry linking a camera (`recorders.py`); an entry's `Footage` registers its
cameras there when it starts and lets go of them when it stops, and hands the
exporter, the presence cache, the sensors and the diagnostics what they need.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, split_entity_id

from ..const import AUDIT_DIR
from ..export.recorder import Recorder
from ..export.result import CAMERA_OFFLINE, Gap
from ..export.segments import SEGMENT_SECONDS, SegmentLeases
from ..settings import FootageSettings

if TYPE_CHECKING:
    from .recorders import Recorders

# Export granularity is a keyframe, not a segment; 10 s keeps file counts low.
SEGMENT_LENGTH = SEGMENT_SECONDS
NO_FFMPEG = "ffmpeg not found"
# Outages remembered per camera, so a hole in the footage can say why (a day's
# worth of a flaky camera's Wi-Fi).
OUTAGES_KEPT = 1000


def footage_root(hass: HomeAssistant) -> Path:
    """`<config>/neighborhood_requests`, shared with the audit logs."""
    return Path(hass.config.path(AUDIT_DIR))


def recordings_root(hass: HomeAssistant) -> Path:
    """One folder per recorded camera below this."""
    return footage_root(hass) / "recordings"


def recordings_dir(hass: HomeAssistant, camera: str) -> Path:
    """Where one camera's segments live, named by its entity's object id."""
    return recordings_root(hass) / split_entity_id(camera)[1]


def exports_dir(hass: HomeAssistant) -> Path:
    """Clips that were shared (the outbox uploads them from here)."""
    return footage_root(hass) / "exports"


def previews_dir(hass: HomeAssistant) -> Path:
    """Clips for the resident's eyes; the media source lists this folder."""
    return footage_root(hass) / "previews"


@dataclass(slots=True)
class CameraRecording:
    """One recorded camera: its recorder, and why it cannot record, if it cannot."""

    camera: str
    directory: Path
    recorder: Recorder
    problem: str | None = None
    bytes_per_second: float | None = None  # measured over the last hour
    kept_seconds: float | None = None  # how much footage the folder holds now
    # When the stream dropped while it was recording, and when it came back.
    outages: deque[tuple[datetime, datetime | None]] = field(
        default_factory=lambda: deque(maxlen=OUTAGES_KEPT)
    )
    unsubscribe: list[Callable[[], None]] = field(default_factory=list)
    was_recording: bool = False

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
            "rtsp_transport": self.recorder.rtsp_transport,
            "bit_rate_mbit_s": self.bit_rate_mbit_s,
            "hours_kept": self.hours_kept,
            "outages": len(self.outages),
        }

    @property
    def bit_rate_mbit_s(self) -> float | None:
        """The measured bit rate over the last hour."""
        rate = self.bytes_per_second
        return round(rate * 8 / 1e6, 2) if rate else None

    @property
    def hours_kept(self) -> float | None:
        """How many hours of footage the folder holds now."""
        return round(self.kept_seconds / 3600, 2) if self.kept_seconds else None

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

    def note_state(self) -> None:
        """Remember when a recording stream dropped and when it came back."""
        open_outage = bool(self.outages) and self.outages[-1][1] is None
        if self.recording:
            if open_outage:
                self.outages[-1] = (self.outages[-1][0], self.recorder.now())
            self.was_recording = True
        elif self.was_recording and not open_outage:
            self.outages.append((self.down_since or self.recorder.now(), None))
            self.was_recording = False

    def offline_during(self, start: datetime, end: datetime) -> bool:
        """Whether the recorder saw the stream drop for part of [start, end)."""
        margin = timedelta(seconds=SEGMENT_LENGTH)
        return any(
            went - margin < end and (came is None or came + margin > start)
            for went, came in self.outages
        )


class Footage:
    """One entry's cameras on the home's shared recorders."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry[Any], settings: FootageSettings
    ) -> None:
        from .recorders import Recorders  # noqa: PLC0415 (the hub imports this module)

        self.hass = hass
        self.entry = entry
        self.settings = settings
        self.hub: Recorders = Recorders.of(hass)
        self.cameras: dict[str, CameraRecording] = {}

    @property
    def leases(self) -> SegmentLeases:
        """The home's one lease set: every entry's exports hold off every pruning."""
        return self.hub.leases

    @property
    def ffmpeg(self) -> str | None:
        """The ffmpeg binary the recorders found, if any."""
        return self.hub.ffmpeg

    def directory(self, camera: str) -> Path:
        """Where `camera`'s segments are (whether or not it records now)."""
        return recordings_dir(self.hass, camera)

    def explain(self, camera: str, start: datetime, end: datetime) -> Gap:
        """A hole in `camera`'s footage, with its reason where the recorder knows
        it: it saw the stream drop then (kept in memory since Home Assistant
        started; older holes, and those with nothing recorded, are `no_footage`)."""
        recording = self.hub.cameras.get(camera)
        if recording is not None and recording.offline_during(start, end):
            return Gap(start, end, CAMERA_OFFLINE)
        return Gap(start, end)

    async def async_start(self) -> None:
        """Record this entry's cameras (shared with other entries linking them)."""
        self.cameras = await self.hub.async_add(self.entry.entry_id, self.settings)

    async def async_stop(self) -> None:
        """Let go of the cameras; those no other entry links stop recording."""
        await self.hub.async_remove(self.entry.entry_id)
