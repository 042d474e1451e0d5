"""Every common kind of camera stream records, exports, decodes and covers its window.

One recording session (about a minute) runs every profile of camera_profiles.py at
once: ffmpeg publishes each source at real time to a small RTSP server (or an
MJPEG-over-HTTP server), the real recorder records it over RTSP/TCP, and one
camera goes offline for 20 s half-way. Each test then exports a window with the
real exporter and checks the clip as a viewer would: ffprobe's view, a full
decode, which source frames it shows (so it covers the window), that its audio
meets its video, and that every hole in the footage is stated.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
import subprocess
import time

import pytest
import pytest_socket

from custom_components.neighborhood_requests.export.clip import export_clip
from custom_components.neighborhood_requests.export.probe import RecordingPlan
from custom_components.neighborhood_requests.export.recorder import Recorder
from custom_components.neighborhood_requests.export.result import ExportResult

from .camera_profiles import (
    PROFILES,
    MjpegCamera,
    Profile,
    ShownFrame,
    make_mjpeg,
    make_source,
    shown_frames,
)
from .footage import FFMPEG, FFPROBE, decodes_cleanly, probe
from .rtsp_server import RtspCamera

RECORD_SECONDS = 50.0
OFFLINE_AT = 14.0  # seconds into the session
OFFLINE_FOR = 20.0
# How far a frame's shown time may stray from the wall clock: RTP/RTCP transport,
# ffmpeg's buffers and the recorder's clock tie, on a busy two-core machine.
TOLERANCE = 0.3


@dataclass
class Recorded:
    """What the session left for one profile."""

    profile: Profile
    directory: Path
    plan: RecordingPlan | None
    origin: float  # wall time at which source frame 0 was sent
    offline: tuple[float, float] | None = None
    starts: int = 0
    errors: list[str] = field(default_factory=list)
    resyncs: int = 0  # runs whose first seconds the recorder put back in sync

    def wall(self, index: int) -> float:
        """When the camera sent source frame `index`."""
        return self.origin + index / self.profile.rate


async def _record_all(folder: Path) -> dict[str, Recorded]:
    sources = folder / "sources"
    sources.mkdir()
    with ThreadPoolExecutor(2) as pool:
        made = list(
            pool.map(
                lambda p: (make_mjpeg if p.transport == "mjpeg" else make_source)(
                    p, sources
                ),
                PROFILES,
            )
        )
    cameras: list[RtspCamera | MjpegCamera] = []
    for profile, media in zip(PROFILES, made, strict=True):
        if profile.transport == "mjpeg":
            cameras.append(MjpegCamera(media, profile.rate))
        else:
            cameras.append(
                RtspCamera(str(media), ffmpeg=FFMPEG, report_delay=profile.report_delay)
            )
    recorders: list[Recorder] = []
    results: dict[str, Recorded] = {}
    errors_of: dict[str, list[str]] = {}
    began = time.time()
    try:
        await asyncio.gather(*(camera.start() for camera in cameras))
        for profile, camera in zip(PROFILES, cameras, strict=True):
            recorder = Recorder(
                ffmpeg=FFMPEG,
                ffprobe=FFPROBE,
                source=camera.url,
                directory=folder / profile.name,
                segment_seconds=4,
                reconnect_interval=2.0,
                stall_timeout=10.0,
            )
            errors = errors_of[profile.name] = []
            recorder.add_listener(
                lambda r=recorder, e=errors: (
                    e.append(f"{time.time() - began:.1f} {r.last_error}")
                    if r.last_error
                    else None
                )
            )
            recorder.start()
            recorders.append(recorder)
        await asyncio.sleep(began + OFFLINE_AT - time.time())
        dropouts = [
            camera
            for camera, profile in zip(cameras, PROFILES, strict=True)
            if profile.dropout and isinstance(camera, RtspCamera)
        ]
        await asyncio.gather(*(camera.offline() for camera in dropouts))
        offline = (time.time(), 0.0)
        await asyncio.sleep(OFFLINE_FOR)
        await asyncio.gather(*(camera.online() for camera in dropouts))
        offline = (offline[0], time.time())
        await asyncio.sleep(began + RECORD_SECONDS - time.time())
    finally:
        await asyncio.gather(*(recorder.stop() for recorder in recorders))
        await asyncio.gather(*(camera.stop() for camera in cameras))
    for profile, camera, recorder in zip(PROFILES, cameras, recorders, strict=True):
        assert camera.first_packet_at is not None
        results[profile.name] = Recorded(
            profile,
            recorder.directory,
            recorder.plan,
            camera.first_packet_at,
            offline if profile.dropout else None,
            recorder.starts,
            errors_of[profile.name],
            recorder.resyncs,
        )
    return results


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Recorded]:
    """Record every profile once for the module (real servers on 127.0.0.1)."""
    pytest_socket.enable_socket()
    try:
        return asyncio.run(_record_all(tmp_path_factory.mktemp("profiles")))
    finally:
        pytest_socket.disable_socket(allow_unix_socket=True)


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


async def _export(
    item: Recorded, start: float, end: float, destination: Path, *, audio: bool
) -> ExportResult:
    return await export_clip(
        ffmpeg=FFMPEG,
        segments_dir=item.directory,
        start=_at(start),
        end=_at(end),
        destination=destination,
        include_audio=audio,
    )


def _covers(item: Recorded, frames: list[ShownFrame], start: float, end: float) -> None:
    """The clip's first frame was shown by the camera at or before the window's
    start, its last one at or after the window's end (less one frame)."""
    assert frames
    first, last = frames[0], frames[-1]
    assert item.wall(first.index) <= start + TOLERANCE, item.wall(first.index) - start
    frame = 1 / item.profile.rate
    assert item.wall(last.index) >= end - frame - TOLERANCE, item.wall(last.index) - end


def _paced(item: Recorded, frames: list[ShownFrame]) -> None:
    """Frames are shown when the camera showed them: the clip plays at real time."""
    base = frames[0]
    for frame in frames:
        source_gap = (frame.index - base.index) / item.profile.rate
        assert abs((frame.time - base.time) - source_gap) < TOLERANCE, frame


def _beeps(clip: Path) -> list[float]:
    """Clip times at which a beep starts (the audio rises from silence).

    Decoded as a player plays it: by its timestamps, so where the clip holds
    a frame longer (a reconnect) the silence is heard, not skipped.
    """
    raw = subprocess.run(
        [
            *(FFMPEG, "-v", "error", "-i", str(clip), "-map", "0:a:0", "-ac", "1"),
            *("-af", "aresample=async=1:first_pts=0"),
            *("-ar", "16000", "-f", "s16le", "-"),
        ],
        check=True,
        capture_output=True,
    ).stdout
    samples = memoryview(raw).cast("h")
    onsets: list[float] = []
    quiet = 0
    for at, value in enumerate(samples):
        if abs(value) > 4000:
            if quiet > 1600:  # after at least 100 ms of silence
                onsets.append(at / 16000)
            quiet = 0
        else:
            quiet += 1
    return onsets


def _in_sync(item: Recorded, frames: list[ShownFrame], clip: Path) -> list[float]:
    """How far each beep is from the frame it belongs to (s)."""
    second_frames = {
        frame.index: frame.time
        for frame in frames
        if frame.index % item.profile.rate == 0
    }
    offsets = []
    for onset in _beeps(clip):
        nearest = min(second_frames.values(), key=lambda t: abs(t - onset))
        if abs(onset - nearest) < 0.5:  # a dropped frame (VFR) has no beep pair
            offsets.append(onset - nearest)
    return offsets


PLAIN = [p for p in PROFILES if not p.dropout and p.resize_at is None]


@pytest.mark.parametrize("profile", PLAIN, ids=[p.name for p in PLAIN])
async def test_profile_records_and_exports(
    recorded: dict[str, Recorded], profile: Profile, tmp_path: Path
) -> None:
    item = recorded[profile.name]
    assert item.plan is not None
    assert item.plan.probed
    assert item.plan.audio == profile.expect_audio
    assert item.plan.wallclock is (profile.transport == "mjpeg")
    assert item.starts == 1, item.errors  # recorded in one go: nothing failed
    start = item.origin + 12.37
    end = start + 20.0
    clip = tmp_path / "clip.mp4"
    result = await _export(item, start, end, clip, audio=True)
    assert result.missing == ()
    facts = await probe(clip)
    video = next(s for s in facts["streams"] if s["codec_type"] == "video")
    assert video["codec_tag_string"] == profile.expect_tag
    assert f"{video['width']}x{video['height']}" == profile.size
    audio = [s for s in facts["streams"] if s["codec_type"] == "audio"]
    assert [s["codec_name"] for s in audio] == (
        [] if profile.expect_audio == "none" else ["aac"]
    )
    await decodes_cleanly(clip)
    frames = await shown_frames(clip)
    _covers(item, frames, start, end)
    _paced(item, frames)
    indexes = [frame.index for frame in frames]
    assert indexes == sorted(indexes)  # shown in the camera's order
    if audio:
        offsets = _in_sync(item, frames, clip)
        assert len(offsets) >= 15
        assert max(abs(offset) for offset in offsets) <= 0.04, offsets


DROPOUTS = [p for p in PROFILES if p.dropout]


@pytest.mark.parametrize("profile", DROPOUTS, ids=[p.name for p in DROPOUTS])
async def test_dropout_is_a_stated_gap_and_sync_survives(
    recorded: dict[str, Recorded], profile: Profile, tmp_path: Path
) -> None:
    """A camera offline for 20 s: the hole is one stated gap, recording resumes
    within 10 s, and sound meets picture within 40 ms on both sides of it, also
    when the camera's first sender report comes seconds after each connect."""
    item = recorded[profile.name]
    assert item.offline is not None
    went, came = item.offline
    start, end = went - 6.21, came + 12.0
    clip = tmp_path / "clip.mp4"
    result = await _export(item, start, end, clip, audio=True)
    assert len(result.missing) == 1
    gap_start, gap_end = (result.missing[0].start, result.missing[0].end)
    gap_start, gap_end = gap_start.timestamp(), gap_end.timestamp()
    assert abs(gap_start - went) <= TOLERANCE + 0.15  # the last frame before
    assert came <= gap_end <= came + 10.0  # recording resumed within 10 s
    await decodes_cleanly(clip)
    frames = await shown_frames(clip)
    _covers(item, frames, start, end)
    # Before and after the hole the clip plays at real time; the hole is spliced.
    before = [f for f in frames if item.wall(f.index) < gap_start + TOLERANCE]
    after = [f for f in frames if item.wall(f.index) > gap_end - TOLERANCE]
    assert len(before) + len(after) == len(frames)
    _paced(item, before)
    _paced(item, after)
    offsets = _in_sync(item, frames, clip)
    assert len(offsets) >= 12
    assert max(abs(offset) for offset in offsets) <= 0.04, offsets
    if profile.report_delay is not None:
        # Both runs started with the streams apart; each was put back in sync.
        assert item.resyncs == 2, item.errors


async def test_resolution_change_mid_window(
    recorded: dict[str, Recorded], tmp_path: Path
) -> None:
    item = recorded["h264_resolution_change"]
    profile = item.profile
    assert profile.resize_at is not None
    change = item.origin + profile.resize_at
    start, end = change - 8.4, change + 8.0
    clip = tmp_path / "clip.mp4"
    result = await _export(item, start, end, clip, audio=False)
    assert result.missing == ()
    await decodes_cleanly(clip)
    frames = await shown_frames(clip)
    _covers(item, frames, start, end)
    sizes = await _frame_sizes(clip)
    head = int(profile.resize_at * profile.rate)
    for frame, size in zip(frames, sizes, strict=True):
        expected = profile.size if frame.index < head else profile.resized
        assert size == expected, (frame, size)
    # One sample description per resolution, and the result says where the
    # picture changed (the manifest and the preview carry that).
    assert [f"{w}x{h}" for _, w, h in sample_descriptions(clip)] == [
        profile.size,
        profile.resized,
    ]
    assert [(f.codec, f"{f.width}x{f.height}") for f in result.formats] == [
        ("h264", profile.size),
        ("h264", profile.resized),
    ]
    assert result.formats[0].start == _at(start)
    assert abs(result.formats[1].start.timestamp() - change) <= TOLERANCE
    stream = next(
        s for s in (await probe(clip))["streams"] if s["codec_type"] == "video"
    )
    assert stream["codec_tag_string"] == "avc1"


def sample_descriptions(clip: Path) -> list[tuple[str, int, int]]:
    """(four letters, width, height) of each video sample description."""
    data = clip.read_bytes()
    at = data.index(b"vide")  # the video track's handler, then its sample table
    stsd = data.index(b"stsd", at)
    count = int.from_bytes(data[stsd + 8 : stsd + 12])
    entry, found = stsd + 12, []
    for _ in range(count):
        size = int.from_bytes(data[entry : entry + 4])
        four = data[entry + 4 : entry + 8].decode()
        width = int.from_bytes(data[entry + 32 : entry + 34])
        height = int.from_bytes(data[entry + 34 : entry + 36])
        found.append((four, width, height))
        entry += size
    return found


async def _frame_sizes(clip: Path) -> list[str]:
    process = await asyncio.create_subprocess_exec(
        FFPROBE,
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-show_entries",
        "frame=width,height",
        "-of",
        "csv=p=0",
        str(clip),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    return [line.strip(",").replace(",", "x") for line in out.decode().split()]
