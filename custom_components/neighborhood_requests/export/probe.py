"""Look at a camera's stream before recording it, and say in plain words what fails.

Cameras differ in what MP4 can hold: G.711 audio (the default of most Hikvision,
Dahua and doorbell streams) makes the muxer refuse the whole recording, HEVC needs
the `hvc1` tag to play on Apple devices, and an MJPEG-over-HTTP camera carries no
timestamps at all. So each run starts with ffprobe, and the answer decides how the
recorder treats the stream (`RecordingPlan`): audio copied, converted to AAC or
absent; the video tag; wall-clock timestamps for untimed sources. The same plan is
shown in the options and the diagnostics, so an owner sees why a camera costs more
CPU than another.

ffmpeg's error lines are for developers; `cause_of` turns them into one of a few
causes an owner can act on ("the camera refuses the login"), kept as codes so Home
Assistant translates them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
import json
from typing import Any, Literal
from urllib.parse import urlsplit

AudioPath = Literal["copy", "aac", "none"]

# Causes an owner can act on; each has a translation (`recorder_cause_<code>`).
CAUSE_LOGIN = "login_refused"
CAUSE_NOT_FOUND = "not_found"
CAUSE_UNREACHABLE = "unreachable"
CAUSE_NOT_A_STREAM = "not_a_stream"
CAUSE_NO_VIDEO = "no_video"
CAUSE_VIDEO_CODEC = "video_codec"
CAUSE_DISK_FULL = "disk_full"
CAUSE_STALLED = "stalled"
CAUSE_ENDED = "stream_ended"
CAUSE_FFMPEG = "ffmpeg_failed"
# Causes that will not go away by waiting: the owner hears of them at once.
LASTING_CAUSES = frozenset(
    {
        CAUSE_LOGIN,
        CAUSE_NOT_FOUND,
        CAUSE_NOT_A_STREAM,
        CAUSE_NO_VIDEO,
        CAUSE_VIDEO_CODEC,
    }
)

# Video that MP4 holds as it comes (stream copy); anything else is refused.
STORABLE_VIDEO = frozenset({"h264", "hevc", "mjpeg", "mpeg4", "av1", "vp9"})
# Demuxers whose packets carry no capture time: frames are stamped on arrival.
UNTIMED_FORMATS = frozenset(
    {"mpjpeg", "mjpeg", "jpeg_pipe", "image2pipe", "h264", "hevc", "rawvideo"}
)
PROBE_TIMEOUT = 20.0
SOCKET_TIMEOUT_US = "5000000"  # ffmpeg gives up on a silent socket after 5 s

_CAUSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (CAUSE_LOGIN, ("401 unauthorized", "403 forbidden", "authorization failed")),
    (CAUSE_NOT_FOUND, ("404 not found", "454 session not found")),
    (CAUSE_DISK_FULL, ("no space left on device",)),
    (
        CAUSE_UNREACHABLE,
        (
            "connection refused",
            "connection timed out",
            "no route to host",
            "network is unreachable",
            "name or service not known",
            "temporary failure in name resolution",
            "connection reset by peer",
            "operation timed out",
        ),
    ),
    (CAUSE_NOT_A_STREAM, ("invalid data found when processing input",)),
)


class StreamProblem(Exception):
    """The stream cannot be recorded; `cause` is a code, `detail` ffmpeg's words."""

    def __init__(self, cause: str, detail: str) -> None:
        super().__init__(f"{cause}: {detail}")
        self.cause = cause
        self.detail = detail


def cause_of(lines: Iterable[str], default: str = CAUSE_FFMPEG) -> str:
    """The plain cause behind ffmpeg's error lines (the last match wins)."""
    found = default
    for line in lines:
        lowered = line.lower()
        for cause, needles in _CAUSES:
            if any(needle in lowered for needle in needles):
                found = cause
    return found


@dataclass(frozen=True, slots=True)
class RecordingPlan:
    """How one camera's stream is recorded, decided from what it sends."""

    container: str | None = None
    video_codec: str | None = None
    width: int | None = None
    height: int | None = None
    audio_codec: str | None = None
    audio: AudioPath = "aac"
    wallclock: bool = False
    probed: bool = False

    @property
    def video_tag(self) -> str | None:
        """`hvc1` for HEVC: Apple's players refuse ffmpeg's default `hev1`."""
        return "hvc1" if self.video_codec == "hevc" else None

    def as_dict(self) -> dict[str, Any]:
        """What the options and the diagnostics show."""
        return {
            "probed": self.probed,
            "container": self.container,
            "video_codec": self.video_codec,
            "resolution": f"{self.width}x{self.height}" if self.width else None,
            "audio_codec": self.audio_codec,
            "audio": self.audio,
            "wallclock_timestamps": self.wallclock,
        }


def fallback_plan(source: str) -> RecordingPlan:
    """The plan without ffprobe: convert any audio, stamp untimed HTTP sources."""
    path = urlsplit(source).path.lower()
    untimed = path.endswith((".mjpg", ".mjpeg", ".cgi")) or "mjpeg" in path
    return RecordingPlan(audio="aac", wallclock=untimed)


def plan_from(report: dict[str, Any]) -> RecordingPlan:
    """Decide the plan from ffprobe's JSON; StreamProblem when it cannot record."""
    streams = report.get("streams") or []
    videos = [s for s in streams if s.get("codec_type") == "video"]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    container = str((report.get("format") or {}).get("format_name") or "") or None
    if not videos:
        raise StreamProblem(CAUSE_NO_VIDEO, "the stream has no video")
    video = videos[0]
    codec = str(video.get("codec_name") or "unknown")
    if codec not in STORABLE_VIDEO:
        raise StreamProblem(CAUSE_VIDEO_CODEC, f"video codec {codec}")
    audio_codec = str(audios[0].get("codec_name") or "unknown") if audios else None
    audio: AudioPath = (
        "none" if audio_codec is None else "copy" if audio_codec == "aac" else "aac"
    )
    untimed = container is not None and bool(
        UNTIMED_FORMATS.intersection(container.split(","))
    )
    return RecordingPlan(
        container=container,
        video_codec=codec,
        width=_int(video.get("width")),
        height=_int(video.get("height")),
        audio_codec=audio_codec,
        audio=audio,
        wallclock=untimed,
        probed=True,
    )


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and value > 0 else None


def input_args(source: str, rtsp_transport: str = "tcp") -> list[str]:
    """Options before `-i` that a source's protocol needs."""
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("rtsp", "rtsps"):
        return ["-rtsp_transport", rtsp_transport, "-timeout", SOCKET_TIMEOUT_US]
    if scheme in ("http", "https"):
        return ["-rw_timeout", SOCKET_TIMEOUT_US]
    return []


async def probe_stream(
    ffprobe: str,
    source: str,
    extra_input: Sequence[str] = (),
    *,
    limit: float = PROBE_TIMEOUT,
) -> RecordingPlan:
    """Ask ffprobe what `source` sends; StreamProblem says why it cannot record."""
    try:
        process = await asyncio.create_subprocess_exec(
            ffprobe,
            "-v",
            "error",
            *extra_input,
            "-print_format",
            "json",
            "-show_streams",
            "-show_format",
            source,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except OSError as err:
        raise StreamProblem(CAUSE_FFMPEG, f"cannot run {ffprobe}: {err}") from err
    try:
        async with asyncio.timeout(limit):
            out, err_bytes = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise StreamProblem(
            CAUSE_UNREACHABLE, f"no answer within {limit:g} s"
        ) from None
    errors = [line.strip() for line in err_bytes.decode(errors="replace").splitlines()]
    errors = [line for line in errors if line]
    if process.returncode != 0:
        detail = errors[-1] if errors else f"ffprobe exited with {process.returncode}"
        raise StreamProblem(cause_of(errors), detail)
    try:
        report = json.loads(out or b"{}")
    except ValueError as err:
        raise StreamProblem(CAUSE_FFMPEG, f"unreadable ffprobe output: {err}") from err
    return plan_from(report if isinstance(report, dict) else {})
