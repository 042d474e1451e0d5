"""Just enough of the MP4 box structure to judge a file without running ffprobe.

Listing a camera's segments must stay cheap (thousands of files), and a segment the
recorder is still writing has no `moov` box yet; reading a few box headers tells a
finished segment, its duration and whether it carries audio, in microseconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
import struct
from typing import BinaryIO

_HEADER = struct.Struct(">I4s")
_LARGE = struct.Struct(">Q")
_CONTAINERS = frozenset({b"moov", b"trak", b"mdia"})


@dataclass(frozen=True, slots=True)
class Mp4Info:
    """The facts about one MP4 file that export and recording decisions need."""

    duration: float
    handlers: tuple[str, ...]
    moov_before_mdat: bool
    video_start: float = 0.0  # the video's leading empty edit: when it starts
    base: float = 0.0  # where the earliest track starts (the recorder's segments
    # keep their run's timeline, so a later segment's tracks all start late)

    @property
    def span(self) -> float:
        """Seconds from the earliest track's start to the file's end."""
        return max(0.0, self.duration - self.base)

    @property
    def has_audio(self) -> bool:
        """Whether any track is a sound track."""
        return "soun" in self.handlers


def _top_level(handle: BinaryIO, file_size: int) -> Iterator[tuple[bytes, int, int]]:
    """Yield (type, payload offset, payload size); stop at the first broken box."""
    offset = 0
    while offset + _HEADER.size <= file_size:
        handle.seek(offset)
        size, kind = _HEADER.unpack(handle.read(_HEADER.size))
        header = _HEADER.size
        if size == 1:
            (size,) = _LARGE.unpack(handle.read(_LARGE.size))
            header += _LARGE.size
        if size < header or offset + size > file_size:
            return
        yield kind, offset + header, size - header
        offset += size


def _children(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Yield (type, payload) of the boxes packed in a container's payload."""
    offset = 0
    while offset + _HEADER.size <= len(data):
        size, kind = _HEADER.unpack_from(data, offset)
        if size < _HEADER.size or offset + size > len(data):
            return
        yield kind, data[offset + _HEADER.size : offset + size]
        offset += size


def _walk(data: bytes, found: dict[bytes, list[bytes]]) -> None:
    for kind, payload in _children(data):
        found.setdefault(kind, []).append(payload)
        if kind in _CONTAINERS:
            _walk(payload, found)


def _clock(mvhd: bytes) -> tuple[int, int]:
    """(timescale, duration) of a movie header."""
    if mvhd[0] == 1:
        timescale, duration = struct.unpack_from(">IQ", mvhd, 20)
    else:
        timescale, duration = struct.unpack_from(">II", mvhd, 12)
    return timescale, duration


def _duration(mvhd: bytes) -> float:
    timescale, duration = _clock(mvhd)
    return float(duration) / timescale if timescale else 0.0


def empty_edit(trak: bytes, movie_timescale: int) -> float:
    """Seconds of a track's leading empty edit (a delay before it starts).

    ffmpeg writes one when a stream starts after another, as video does after a
    reconnect, when audio arrives before the first keyframe.
    """
    found: dict[bytes, list[bytes]] = {}
    _walk_edits(trak, found)
    elst = found.get(b"elst")
    if not elst or len(elst[0]) < 8 or not movie_timescale:
        return 0.0
    payload = elst[0]
    wide = payload[0] == 1
    record = struct.Struct(">QqI" if wide else ">IiI")
    (count,) = struct.unpack_from(">I", payload, 4)
    if count < 1 or 8 + record.size > len(payload):
        return 0.0
    duration, media_time, _ = record.unpack_from(payload, 8)
    return duration / movie_timescale if media_time == -1 else 0.0


def _walk_edits(data: bytes, found: dict[bytes, list[bytes]]) -> None:
    for kind, payload in _children(data):
        found.setdefault(kind, []).append(payload)
        if kind == b"edts":
            _walk_edits(payload, found)


# The codec behind a sample entry's four letters, as the manifest names it.
_CODECS = {
    b"avc1": "h264",
    b"avc3": "h264",
    b"hvc1": "hevc",
    b"hev1": "hevc",
    b"mp4v": "mpeg4",
    b"av01": "av1",
    b"vp09": "vp9",
    b"jpeg": "mjpeg",
}


def video_format(path: Path) -> tuple[str, int, int] | None:
    """(codec, width, height) of a finished MP4's video, or None."""
    try:
        with path.open("rb") as handle:
            moov = next(
                (
                    (offset, size)
                    for kind, offset, size in _top_level(handle, path.stat().st_size)
                    if kind == b"moov"
                ),
                None,
            )
            if moov is None:
                return None
            handle.seek(moov[0])
            data = handle.read(moov[1])
    except OSError:
        return None
    for kind, trak in _children(data):
        if kind != b"trak":
            continue
        found: dict[bytes, list[bytes]] = {}
        _walk(trak, found)
        if not any(h[8:12] == b"vide" for h in found.get(b"hdlr", []) if len(h) >= 12):
            continue
        minf = dict(_children(found.get(b"minf", [b""])[0]))
        stsd = dict(_children(minf.get(b"stbl", b""))).get(b"stsd", b"")
        if len(stsd) < 8 + 8 + 36:
            return None
        entry = stsd[8:]  # version, flags, count, then the first sample entry
        four = entry[4:8]
        width, height = struct.unpack_from(">HH", entry, 32)
        return _CODECS.get(four, four.decode("latin-1").strip()), width, height
    return None


def read_mp4(path: Path) -> Mp4Info | None:
    """Describe a finished MP4, or None when it is unfinished, damaged or missing."""
    try:
        with path.open("rb") as handle:
            file_size = path.stat().st_size
            order: list[bytes] = []
            moov: bytes | None = None
            end = 0
            for kind, offset, size in _top_level(handle, file_size):
                order.append(kind)
                end = offset + size
                if kind == b"moov":
                    handle.seek(offset)
                    moov = handle.read(size)
    except OSError:
        return None
    if moov is None or end != file_size or b"mdat" not in order:
        return None
    found: dict[bytes, list[bytes]] = {}
    _walk(moov, found)
    mvhd = found.get(b"mvhd")
    if not mvhd or len(mvhd[0]) < 32:
        return None
    handlers = tuple(
        hdlr[8:12].decode("latin-1")
        for hdlr in found.get(b"hdlr", [])
        if len(hdlr) >= 12
    )
    movie_timescale = _clock(mvhd[0])[0]
    video_start = 0.0
    starts: list[float] = []
    for trak in found.get(b"trak", []):
        inner: dict[bytes, list[bytes]] = {}
        _walk(trak, inner)
        delay = empty_edit(trak, movie_timescale)
        starts.append(delay)
        if any(h[8:12] == b"vide" for h in inner.get(b"hdlr", []) if len(h) >= 12):
            video_start = delay
    return Mp4Info(
        duration=_duration(mvhd[0]),
        handlers=handlers,
        moov_before_mdat=order.index(b"moov") < order.index(b"mdat"),
        video_start=video_start,
        base=min(starts, default=0.0),
    )
