"""Tiny generated footage (320x240, 10 fps, 1 s GOP) and ways to inspect it.

Everything is made by the real ffmpeg from lavfi's testsrc2 and sine sources, so
the tests exercise the same demuxers and muxers a camera recording would.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
import hashlib
import json
from pathlib import Path
import shutil
import struct
import subprocess
import time
from typing import Any

from custom_components.neighborhood_requests.export.segments import segment_name

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
FFPROBE = shutil.which("ffprobe") or "/usr/bin/ffprobe"
SEGMENT_SECONDS = 2
SEGMENT_COUNT = 6

_LAVFI = [
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=320x240:rate=10",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:sample_rate=16000",
]
_ENCODE = ["-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-c:a", "aac"]


def run(*args: str) -> None:
    """Run a setup command, failing loudly with its output."""
    subprocess.run(args, check=True, capture_output=True)


@dataclass(frozen=True)
class Assets:
    """Generated files shared by the whole session."""

    segments: tuple[Path, ...]
    stream_ts: Path
    clip_faststart: Path
    clip_with_audio: Path
    clip_moov_last: Path
    resized_segment: Path
    other_clock_segment: Path


def make_assets(folder: Path) -> Assets:
    """Generate the footage once per session (a few seconds of ffmpeg)."""
    seg_dir = folder / "base"
    seg_dir.mkdir()
    quiet = [FFMPEG, "-hide_banner", "-loglevel", "error", "-y"]
    run(
        *quiet,
        *_LAVFI,
        "-t",
        str(SEGMENT_SECONDS * SEGMENT_COUNT),
        *_ENCODE,
        "-f",
        "segment",
        "-segment_time",
        str(SEGMENT_SECONDS),
        "-reset_timestamps",
        "1",
        str(seg_dir / "seg%02d.mp4"),
    )
    # The same footage at another resolution, as after a change in the camera's
    # stream settings: another sample description in the joined clip.
    resized = folder / "resized.mp4"
    run(
        *quiet,
        "-i",
        str(seg_dir / "seg00.mp4"),
        "-vf",
        "scale=160:120",
        *_ENCODE,
        str(resized),
    )
    # The second segment on another clock: only ffmpeg's concat demuxer joins it.
    other_clock = folder / "other_clock.mp4"
    run(
        *quiet,
        *("-i", str(seg_dir / "seg01.mp4"), "-c", "copy"),
        *("-video_track_timescale", "90000", str(other_clock)),
    )
    stream_ts = folder / "stream.ts"
    run(
        *quiet,
        *_LAVFI,
        "-t",
        "60",
        *_ENCODE,
        "-tune",
        "zerolatency",
        "-f",
        "mpegts",
        str(stream_ts),
    )
    first = seg_dir / "seg00.mp4"
    with_audio = folder / "with_audio.mp4"
    run(
        *quiet,
        "-i",
        str(first),
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        str(with_audio),
    )
    faststart = folder / "faststart.mp4"
    run(
        *quiet,
        "-i",
        str(first),
        "-an",
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        str(faststart),
    )
    moov_last = folder / "moov_last.mp4"
    run(*quiet, "-i", str(first), "-an", "-c", "copy", str(moov_last))
    return Assets(
        segments=tuple(sorted(seg_dir.glob("seg*.mp4"))),
        stream_ts=stream_ts,
        clip_faststart=faststart,
        clip_with_audio=with_audio,
        clip_moov_last=moov_last,
        resized_segment=resized,
        other_clock_segment=other_clock,
    )


def lay_out(
    assets: Assets,
    directory: Path,
    start: datetime,
    *,
    skip: frozenset[int] = frozenset(),
    resized: frozenset[int] = frozenset(),
    other_clock: frozenset[int] = frozenset(),
) -> list[Path]:
    """Copy the base segments into `directory`, named as if recorded from `start`;
    those in `resized` are replaced by a segment at another resolution, those in
    `other_clock` by one on another video clock."""
    directory.mkdir(parents=True, exist_ok=True)
    placed = []
    for index, base in enumerate(assets.segments):
        if index in skip:
            continue
        source = assets.resized_segment if index in resized else base
        if index in other_clock:
            source = assets.other_clock_segment
        name = segment_name(start + timedelta(seconds=SEGMENT_SECONDS * index))
        target = directory / name
        shutil.copyfile(source, target)
        placed.append(target)
    return placed


async def ffprobe_json(*args: str) -> dict[str, Any]:
    """ffprobe's JSON answer to `args`."""
    process = await asyncio.create_subprocess_exec(
        FFPROBE, "-v", "error", *args, "-of", "json", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    result: dict[str, Any] = json.loads(out)
    return result


async def probe(path: Path) -> dict[str, Any]:
    """ffprobe's view of a file: format and streams."""
    return await ffprobe_json("-show_format", "-show_streams", str(path))


async def decodes_cleanly(path: Path) -> None:
    """ffmpeg decodes every frame of every stream without a single complaint."""
    process = await asyncio.create_subprocess_exec(
        FFMPEG,
        "-v",
        "error",
        "-xerror",
        "-i",
        str(path),
        "-f",
        "null",
        "-",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    assert process.returncode == 0
    assert stderr == b""


async def decoded_frames(path: Path) -> list[str]:
    """MD5 of every decoded video frame, in presentation order."""
    process = await asyncio.create_subprocess_exec(
        FFMPEG,
        "-v",
        "error",
        "-i",
        str(path),
        "-map",
        "0:v",
        "-f",
        "framemd5",
        "-",
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    lines = out.decode().splitlines()
    return [
        line.rsplit(",", 1)[1].strip() for line in lines if not line.startswith("#")
    ]


def codec_types(info: dict[str, Any]) -> list[str]:
    """Stream kinds in ffprobe output, e.g. ["video", "audio"]."""
    return [stream["codec_type"] for stream in info["streams"]]


def top_level_boxes(path: Path) -> list[str]:
    """Top-level MP4 box types in file order, read independently of the code."""
    kinds = []
    data = path.read_bytes()
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, offset)
        if size == 1:
            (size,) = struct.unpack_from(">Q", data, offset + 8)
        kinds.append(kind.decode("latin-1"))
        offset += size
    return kinds


def sha256_of(path: Path) -> str:
    """Digest of a file, computed independently of the code under test."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(folder: Path) -> list[str]:
    """Sorted file names in a folder (what a test expects to be left behind)."""
    return sorted(path.name for path in folder.iterdir())


def wait_for_path(path: Path, timeout: float = 20.0) -> None:
    """Block (in a worker thread) until `path` exists."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(path)
        time.sleep(0.02)
