"""Streams shaped like real cameras', and a way to read which source frame is shown.

Every source frame carries its own index as 16 black-or-white bars (bit i in bar
i, least significant left), drawn by ffmpeg's geq filter. Bars survive any codec
and scaling: a decoded frame shrunk to 16x1 grey pixels reads back as the index.
With the source played at real time from a known instant, a frame's index says
when the camera showed it, so a clip's content maps back to the wall clock.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
import subprocess
import time

from aiohttp import web

from .footage import FFMPEG, FFPROBE

BITS = 16
SOURCE_SECONDS = 80


@dataclass(frozen=True)
class Profile:
    """One kind of camera: how its source is made and how it is served."""

    name: str
    size: str = "320x240"
    rate: int = 10
    video: tuple[str, ...] = ("-c:v", "libx264", "-preset", "ultrafast", "-g", "10")
    audio: tuple[str, ...] | None = ("-c:a", "aac", "-ar", "16000")
    container: str = "nut"
    resize_at: float | None = None  # seconds in: the stream switches to `resized`
    resized: str = "480x360"
    transport: str = "rtsp"  # or "mjpeg" (multipart over HTTP)
    dropout: bool = False
    # Seconds after PLAY of each stream's first RTCP sender report (rtsp_server.py);
    # None: right after PLAY.
    report_delay: tuple[float, ...] | None = None
    expect_audio: str = "copy"
    expect_tag: str = "avc1"
    notes: dict[str, str] = field(default_factory=dict)


PROFILES = (
    Profile("h264_aac"),
    Profile(
        "h264_mulaw",
        audio=("-c:a", "pcm_mulaw", "-ar", "8000"),
        expect_audio="aac",
    ),
    Profile(
        "h264_alaw",
        audio=("-c:a", "pcm_alaw", "-ar", "8000"),
        expect_audio="aac",
    ),
    Profile(
        "hevc_aac",
        video=(
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-x265-params",
            "keyint=10:log-level=error",
        ),
        expect_tag="hvc1",
    ),
    Profile(
        "h264_bframes_vfr",
        video=(
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-bf",
            "2",
            "-g",
            "40",
            "-fps_mode",
            "vfr",
        ),
    ),
    Profile(
        "h264_resolution_change",
        video=("-c:v", "libx264", "-preset", "ultrafast", "-g", "10"),
        audio=None,
        container="ts",
        resize_at=30.0,
        expect_audio="none",
    ),
    Profile("h264_dropout", dropout=True),
    # Cameras that report only every few seconds: until then ffmpeg has audio and
    # video on two unrelated clocks. Video first (audio jumps back in time when
    # its report comes) and audio first (video jumps ahead).
    Profile("h264_dropout_video_reports_first", dropout=True, report_delay=(5.0, 7.0)),
    Profile("h264_dropout_audio_reports_first", dropout=True, report_delay=(7.0, 5.0)),
    Profile("doorbell_portrait", size="270x480", audio=None, expect_audio="none"),
    Profile(
        "mjpeg_http",
        video=("-c:v", "mjpeg", "-q:v", "5"),
        audio=None,
        transport="mjpeg",
        expect_audio="none",
        expect_tag="mp4v",
    ),
)


def _bars(offset: int) -> str:
    """geq luma: bar i is white when bit i of the frame index is set."""
    return (
        f"geq=lum='255*mod(floor((N+{offset})/pow(2,floor(X*{BITS}/W))),2)'"
        ":cb=128:cr=128"
    )


def _encode(
    profile: Profile, target: Path, size: str, seconds: float, offset: int
) -> None:
    command = [
        FFMPEG,
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"color=c=black:size={size}:rate={profile.rate}",
    ]
    if profile.audio is not None:
        # A 100 ms beep at the start of every second, when frame index % rate
        # is 0: the clip's audio and video must still meet there.
        beep = f"0.5*sin(2*PI*880*t)*lt(mod(t+{offset / profile.rate}\\,1)\\,0.1)"
        command += ["-f", "lavfi", "-i", f"aevalsrc='{beep}':s=16000"]
    vf = _bars(offset)
    if "vfr" in profile.name:
        # Drop every 7th frame: the stream's frame rate varies, as with cameras
        # that lower it in the dark.
        vf += ",select='not(eq(mod(n\\,7)\\,3))'"
    command += ["-t", f"{seconds}", "-vf", vf, *profile.video]
    if profile.audio is not None:
        command += list(profile.audio)
    if profile.container == "ts":
        command += ["-f", "mpegts"]
    command.append(str(target))
    subprocess.run(command, check=True, capture_output=True)


def make_source(profile: Profile, folder: Path) -> Path:
    """The profile's source file: SOURCE_SECONDS of indexed frames."""
    target = folder / f"{profile.name}.{profile.container}"
    if profile.resize_at is None:
        _encode(profile, target, profile.size, SOURCE_SECONDS, 0)
        return target
    first = folder / f"{profile.name}-a.ts"
    second = folder / f"{profile.name}-b.ts"
    head = int(profile.resize_at * profile.rate)
    _encode(profile, first, profile.size, profile.resize_at, 0)
    _encode(profile, second, profile.resized, SOURCE_SECONDS - profile.resize_at, head)
    subprocess.run(
        [
            FFMPEG,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-i",
            f"concat:{first}|{second}",
            "-c",
            "copy",
            "-f",
            "mpegts",
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    return target


class MjpegCamera:
    """An MJPEG camera: JPEG frames as multipart/x-mixed-replace, 10 per second."""

    def __init__(self, source: Path, rate: int) -> None:
        self.frames = _jpeg_frames(source.read_bytes())
        self.rate = rate
        self.first_packet_at: float | None = None
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """What a recorder opens."""
        return f"http://127.0.0.1:{self.port}/video.mjpg"

    async def start(self) -> None:
        """Start the clock (frame 0 now) and listen."""
        self.first_packet_at = time.time()
        app = web.Application()
        app.router.add_get("/video.mjpg", self._stream)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Stop listening and drop every client."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "multipart/x-mixed-replace; boundary=frame"}
        )
        await response.prepare(request)
        assert self.first_packet_at is not None
        while True:
            index = int((time.time() - self.first_packet_at) * self.rate)
            if index >= len(self.frames):
                return response
            frame = self.frames[index]
            await response.write(
                b"--frame\r\nContent-Type: image/jpeg\r\n"
                + f"Content-Length: {len(frame)}\r\n\r\n".encode()
                + frame
                + b"\r\n"
            )
            due = self.first_packet_at + (index + 1) / self.rate
            await asyncio.sleep(max(0.0, due - time.time()))


def _jpeg_frames(data: bytes) -> list[bytes]:
    """Split a raw MJPEG stream (JPEGs back to back) into its frames."""
    frames: list[bytes] = []
    at = 0
    while (start := data.find(b"\xff\xd8", at)) != -1:
        end = data.find(b"\xff\xd9", start)
        if end == -1:
            break
        frames.append(data[start : end + 2])
        at = end + 2
    return frames


def make_mjpeg(profile: Profile, folder: Path) -> Path:
    """Raw JPEG frames of the profile (mjpeg elementary stream)."""
    target = folder / f"{profile.name}.mjpeg"
    subprocess.run(
        [
            FFMPEG,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c=black:size={profile.size}:rate={profile.rate}",
            "-t",
            f"{SOURCE_SECONDS}",
            "-vf",
            _bars(0),
            *profile.video,
            "-f",
            "mjpeg",
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    return target


@dataclass(frozen=True)
class ShownFrame:
    """One decoded frame of a clip: when the clip shows it and which source frame."""

    time: float
    index: int


async def shown_frames(clip: Path) -> list[ShownFrame]:
    """Every video frame of `clip` in presentation order, with its source index."""
    probe = await asyncio.create_subprocess_exec(
        FFPROBE,
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-show_entries",
        "frame=best_effort_timestamp_time",
        "-of",
        "csv=p=0",
        str(clip),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await probe.communicate()
    times = [float(line.split(",")[0]) for line in out.decode().split()]
    decode = await asyncio.create_subprocess_exec(
        FFMPEG,
        "-v",
        "error",
        "-i",
        str(clip),
        "-map",
        "0:v:0",
        "-vf",
        f"scale={BITS}:1:flags=area,format=gray",
        "-fps_mode",
        "passthrough",
        "-f",
        "rawvideo",
        "-",
        stdout=asyncio.subprocess.PIPE,
    )
    raw, _ = await decode.communicate()
    indexes = [
        sum(1 << bit for bit in range(BITS) if raw[at + bit] >= 128)
        for at in range(0, len(raw), BITS)
    ]
    assert len(indexes) == len(times), (len(indexes), len(times))
    return [ShownFrame(t, i) for t, i in zip(times, indexes, strict=True)]
