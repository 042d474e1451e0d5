"""Checking a clip the publisher's inbox received, as a requester would.

Three questions, each answered from the files alone:

1. Is it signed by this home? The manifest JWS verifies with the key in its own
   header (what any inbox can check), and that key's id is the home's key id as
   Home Assistant's diagnostics report it (what only someone who knows the home
   can check). Request, publisher and camera are the ones asked about.
2. Is it the clip the manifest describes? SHA-256 and length of the stored clip.
3. Does it hold the requested window? ffprobe's duration must match the window
   as the export rounds it, and the demo camera's time code (`demo.timecode`),
   read from every frame, must run continuously from before the window's start
   to near its end.

The rounding comes from `export/clip.py`: stream copy starts on the keyframe at
or before (window start - 1 s), where the 1 s is the segment names' whole-second
resolution, and ends up to that second (plus a frame) after the window's end.
The demo camera has a keyframe every `camera.SEGMENT_SECONDS`. The time code
is the camera's clock, the window the recorder's: footage reaches the recorder
through HLS a few seconds after the camera made it, so camera times run behind
by that latency, never ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import hashlib
import json
from pathlib import Path
import subprocess
from typing import Any

import jwt

from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.model import Manifest
from demo import camera
from demo.timecode import FrameTimes

# export/clip.py: keyframe before (start - NAME_RESOLUTION).
NAME_RESOLUTION_S = 1.0
LEAD_MAX_S = camera.SEGMENT_SECONDS + NAME_RESOLUTION_S
TAIL_MAX_S = NAME_RESOLUTION_S + 1 / camera.FRAME_RATE
# A cut on packet boundaries may lose part of a frame at either end.
SLACK_S = 0.25
# The recorder names a segment by its own clock when the segment's first packet
# arrives, and HLS delivers the demo camera in 2 s chunks, so a name may be up to
# a chunk late against its neighbours' (a camera streaming RTSP has no such lumps):
# the clip may be that much longer or shorter than the names promise.
CHUNK_JITTER_S = float(camera.SEGMENT_SECONDS)
# Camera to recorder over HLS: ffmpeg joins three 2 s segments behind live.
LATENCY_MAX_S = 12.0
# Time code ticks are 0.25 s; consecutive frames differ by at most one tick,
# more than this is footage missing inside the clip.
GAP_MAX_S = 1.0


@dataclass(frozen=True, slots=True)
class Upload:
    """One upload as `publisher.inbox` stores it: a folder per clip."""

    folder: Path

    @property
    def clip(self) -> Path:
        return self.folder / "clip.mp4"

    @property
    def manifest_jws(self) -> Path:
        return self.folder / "manifest.jws"

    @property
    def receipt(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            (self.folder / "receipt.json").read_text(encoding="utf-8")
        )
        return data


def uploads_for(inbox: Path, request_id: str) -> list[Upload]:
    """Every stored upload for `request_id` (`<inbox>/<request>/<key>/<sha256>/`)."""
    return [
        Upload(receipt.parent)
        for receipt in sorted((inbox / request_id).glob("*/*/receipt.json"))
    ]


class CheckFailed(Exception):
    """What is wrong with a delivered clip, in words for the smoke's output."""


@dataclass(frozen=True, slots=True)
class Expected:
    """What the home was asked for and who it is."""

    request_id: str
    publisher_id: str
    camera: str
    home_key_id: str
    include_audio: bool = False


def check_manifest(upload: Upload, expected: Expected) -> Manifest:
    """Signature, signer, scope and the clip's hash and length; the manifest."""
    token = upload.manifest_jws.read_text(encoding="ascii").strip()
    try:
        manifest = jws.verify_self_signed_manifest(token)
        signer = jwt.get_unverified_header(token).get("kid")
    except ProtocolError as err:
        raise CheckFailed(f"manifest signature does not verify: {err}") from None
    if signer != expected.home_key_id:
        raise CheckFailed(
            f"manifest signed by key {signer}, not by the home's key "
            f"{expected.home_key_id}"
        )
    for name, want in (
        ("request_id", expected.request_id),
        ("publisher_id", expected.publisher_id),
        ("camera", expected.camera),
        ("include_audio", expected.include_audio),
    ):
        if getattr(manifest, name) != want:
            raise CheckFailed(
                f"manifest {name} is {getattr(manifest, name)!r}, expected {want!r}"
            )
    size, digest = measure(upload.clip)
    if size != manifest.bytes:
        raise CheckFailed(f"clip has {size} bytes, manifest says {manifest.bytes}")
    if digest != manifest.sha256.lower():
        raise CheckFailed(
            f"clip SHA-256 {digest} does not match the manifest's {manifest.sha256}"
        )
    return manifest


def measure(path: Path) -> tuple[int, str]:
    """Length and SHA-256 of a file, read in 1 MiB chunks."""
    hasher = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            size += len(chunk)
            hasher.update(chunk)
    return size, hasher.hexdigest()


@dataclass(frozen=True, slots=True)
class Probe:
    """What ffprobe says about a clip."""

    duration: float
    video_codec: str | None
    has_audio: bool
    first_packet_keyframe: bool


def probe(ffprobe: str, clip: Path) -> Probe:
    """Container duration, streams and whether the video starts on a keyframe."""
    info = _ffprobe(
        ffprobe,
        ["-show_entries", "format=duration:stream=codec_type,codec_name"],
        clip,
    )
    packets = _ffprobe(
        ffprobe,
        [
            "-select_streams",
            "v:0",
            "-read_intervals",
            "%+#1",
            "-show_entries",
            "packet=flags",
        ],
        clip,
    )
    streams = info.get("streams", [])
    video = [s for s in streams if s.get("codec_type") == "video"]
    first = packets.get("packets", [{}])
    return Probe(
        duration=float(info.get("format", {}).get("duration", 0.0)),
        video_codec=video[0].get("codec_name") if video else None,
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
        first_packet_keyframe=bool(first) and "K" in first[0].get("flags", ""),
    )


def _ffprobe(ffprobe: str, args: list[str], clip: Path) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - ffprobe on a file the smoke received
        [ffprobe, "-v", "error", *args, "-of", "json", str(clip)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise CheckFailed(f"ffprobe cannot read {clip}: {done.stderr.strip()}")
    data: dict[str, Any] = json.loads(done.stdout or "{}")
    return data


def check_probe(found: Probe, start: datetime, end: datetime) -> None:
    """Video only, starting on a keyframe, as long as the rounded window."""
    window = (end - start).total_seconds()
    if found.video_codec is None:
        raise CheckFailed("the clip has no video stream")
    if found.has_audio:
        raise CheckFailed("the clip has an audio track, but audio was not shared")
    if not found.first_packet_keyframe:
        raise CheckFailed("the clip does not start on a keyframe")
    shortest = max(window - CHUNK_JITTER_S - SLACK_S, 0.0)
    longest = window + LEAD_MAX_S + TAIL_MAX_S + CHUNK_JITTER_S + SLACK_S
    if not shortest <= found.duration <= longest:
        raise CheckFailed(
            f"clip lasts {found.duration:.2f} s; a {window:.0f} s window exports "
            f"as {shortest:.2f}..{longest:.2f} s"
        )


def clock(moment: datetime) -> str:
    """Time of day to the hundredth: the time code's resolution is 0.25 s."""
    return f"{moment:%H:%M:%S.%f}"[:-4]


def check_timecode(
    times: FrameTimes, duration: float, start: datetime, end: datetime
) -> float:
    """The camera clock runs through the window; returns how far it lags it (s).

    Every frame's time is at or before the moment the recorder got it, so the
    first frame lies before the window's start, by the export's lead plus the
    stream's latency at most, and the last one near the window's end.
    """
    slack = timedelta(seconds=SLACK_S)
    earliest = start - timedelta(seconds=LEAD_MAX_S + LATENCY_MAX_S) - slack
    if not earliest <= times.first <= start + slack:
        raise CheckFailed(
            f"clip starts at camera time {clock(times.first)}, not within "
            f"{LEAD_MAX_S + LATENCY_MAX_S:.0f} s before the window's start "
            f"{start:%H:%M:%S}"
        )
    latest = end + timedelta(seconds=TAIL_MAX_S) + slack
    if not end - timedelta(seconds=LATENCY_MAX_S) - slack <= times.last <= latest:
        raise CheckFailed(
            f"clip ends at camera time {clock(times.last)}, not within "
            f"{LATENCY_MAX_S:.0f} s of the window's end {end:%H:%M:%S}"
        )
    gap = times.largest_gap_s()
    if gap > GAP_MAX_S:
        raise CheckFailed(f"{gap:.2f} s of footage missing inside the clip")
    span = (times.last - times.first).total_seconds()
    if abs(span - duration) > GAP_MAX_S:
        raise CheckFailed(
            f"the time code spans {span:.2f} s but the clip lasts {duration:.2f} s"
        )
    return (start - times.first).total_seconds()
