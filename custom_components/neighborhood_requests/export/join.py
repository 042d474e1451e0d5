"""Join recorded segments into one index-first MP4, hashing every byte once.

Through ffmpeg, a classic (`+faststart`) clip costs the media three trips: the
concat demuxer writes a moov-last file, the index is moved ahead of the media in
that file, and only the bytes of that second write can be hashed. Yet every
segment comes from the same ffmpeg stream copy, and a segment's index already
says where each frame lies, how long it lasts and which frames are keyframes. So
the joined clip's index is computed from the segments' indexes before a byte of
media moves; it is written first, and the frames are copied behind it straight
from the segments, each byte hashed on its way to disk: the one pass the
copy+hash floor makes.

Cuts follow clip.py's concat script (`inpoint` / `outpoint` per file): the
clip starts at the last keyframe at or before the in-point and ends with the
last frame, in decode order, shown before the out-point, so it is never shorter
than the window. The video track sets the joined timeline: each segment's first
frame follows the previous segment's last, with no gap (the concat demuxer goes by
file durations, so an audio track a frame longer than the video leaves a pause of
that much at every seam). The audio track, only when asked for, follows on
continuously; where it has drifted from the video by more than a frame at a seam
(a recorder restart), the last picture before the seam is held until the sound
ends on a frame boundary where the next run's sound belongs (silence fills in
where the sound ended early), so the sound stays continuous and in sync.

Segments this joiner does not take (fragmented files, other than one video and at
most one audio track, codec parameters that change between segments, several
sample descriptions, compact `stz2` sizes or several edits) raise Unjoinable
before anything is written, and the export falls back to ffmpeg's concat
demuxer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
import itertools
import math
import os
from pathlib import Path
import statistics
import struct
import threading

from . import avc
from .faststart import Box, CopyStopped, box_header, boxes, top_level
from .mp4 import empty_edit
from .result import ExportError
from .sink import WriteBehind, temporary_path

_U32_MAX = 0xFFFFFFFF
_COUNT = struct.Struct(">I")
_READ = 8 * 1024 * 1024  # bytes per read: a few seconds of 1080p footage
_EPSILON = 1e-6  # seconds of float slack when a frame time meets a cut
_SAME_RUN = 1.0  # seconds: a longer hole between segments is a gap, not a seam


class Unjoinable(ExportError):
    """These segments need ffmpeg's concat demuxer; nothing has been written."""


@dataclass(frozen=True, slots=True)
class Cut:
    """One segment of a clip and where to cut it, in seconds of its own timeline."""

    path: Path
    inpoint: float | None = None
    outpoint: float | None = None


# Reading the segments' indexes.


def _children(data: bytes) -> Iterator[Box]:
    return boxes(data, 0, len(data))


def _whole(data: bytes, box: Box) -> bytes:
    return data[box.offset : box.end]


def _inside(data: bytes, box: Box) -> bytes:
    return data[box.offset + box.header : box.end]


def _optional(data: bytes, kind: bytes) -> bytes | None:
    """Payload of the first `kind` box among data's children, if any."""
    for box in _children(data):
        if box.kind == kind:
            return _inside(data, box)
    return None


def _one(data: bytes, kind: bytes) -> bytes:
    found = _optional(data, kind)
    if found is None:
        raise Unjoinable(f"damaged MP4: no {kind.decode()} box")
    return found


def _entries(payload: bytes, fmt: str) -> list[tuple[int, ...]]:
    """Records of a full box that holds a count and then `count` records."""
    if len(payload) < 8:
        raise Unjoinable("damaged MP4: short sample table")
    (count,) = _COUNT.unpack_from(payload, 4)
    record = struct.Struct(">" + fmt)
    if 8 + count * record.size > len(payload):
        raise Unjoinable("damaged MP4: a sample table lists too many entries")
    return list(record.iter_unpack(payload[8 : 8 + count * record.size]))


def _expand(runs: Iterable[tuple[int, ...]]) -> list[int]:
    return [value for count, value in runs for _ in range(count)]


@dataclass(slots=True)
class _Track:
    """One track of one segment, its tables expanded to one entry per frame."""

    handler: bytes
    track_id: int
    timescale: int
    tkhd: bytes
    mdhd: bytes
    mdia_rest: list[bytes]
    minf_rest: list[bytes]
    stsd: bytes
    durations: list[int]
    starts: list[int]  # decode time of every frame
    composition: list[int] | None
    ctts_version: int
    sync: list[bool] | None
    sizes: list[int]
    positions: list[int]
    media_time: int
    delay: float = 0.0  # the leading empty edit: seconds before the track starts

    def shown(self, index: int, *, until: bool = False) -> float:
        """When frame `index` starts (`until`: stops) showing, in seconds of the
        segment's timeline (the empty edit before the track included)."""
        decoded = self.starts[index] + (self.durations[index] if until else 0)
        offset = self.composition[index] if self.composition else 0
        return (decoded + offset - self.media_time) / self.timescale + self.delay

    def is_sync(self, index: int) -> bool:
        """Whether frame `index` is a keyframe."""
        return self.sync is None or self.sync[index]


def _positions(
    stsc: list[tuple[int, ...]], chunk_offsets: list[int], sizes: list[int]
) -> list[int]:
    """File offset of every frame, from the chunk map and the chunk offsets."""
    positions: list[int] = []
    for index, (first, per_chunk, description) in enumerate(stsc):
        if description != 1:
            raise Unjoinable("a chunk refers to another sample description")
        last = stsc[index + 1][0] - 1 if index + 1 < len(stsc) else len(chunk_offsets)
        for chunk in range(first - 1, min(last, len(chunk_offsets))):
            offset = chunk_offsets[chunk]
            for _ in range(per_chunk):
                if len(positions) == len(sizes):
                    raise Unjoinable("damaged MP4: chunks hold more frames than stsz")
                positions.append(offset)
                offset += sizes[len(positions) - 1]
    if len(positions) != len(sizes):
        raise Unjoinable("damaged MP4: chunks hold fewer frames than stsz")
    return positions


def _media_time(trak: bytes) -> int:
    """Where the track's one edit starts in its media (0 without an edit list)."""
    edts = _optional(trak, b"edts")
    elst = None if edts is None else _optional(edts, b"elst")
    if elst is None:
        return 0
    wide = elst[0] == 1
    used = [
        media_time
        for _, media_time, _ in _entries(elst, "QqI" if wide else "IiI")
        if media_time != -1  # an empty edit: a delay before the track starts
    ]
    if len(used) > 1:
        raise Unjoinable("a track with several edits")
    return used[0] if used else 0


def _sizes(stbl: bytes) -> list[int]:
    if _optional(stbl, b"stz2") is not None:
        raise Unjoinable("compact sample sizes (stz2)")
    stsz = _one(stbl, b"stsz")
    if len(stsz) < 12:
        raise Unjoinable("damaged MP4: short stsz")
    uniform, count = struct.unpack_from(">II", stsz, 4)
    if uniform:
        return [uniform] * count
    if 12 + 4 * count > len(stsz):
        raise Unjoinable("damaged MP4: short stsz")
    return list(struct.unpack_from(f">{count}I", stsz, 12))


def _read_track(trak: bytes, movie_timescale: int) -> _Track:
    mdia = _one(trak, b"mdia")
    minf = _one(mdia, b"minf")
    stbl = _one(minf, b"stbl")
    tkhd, mdhd, hdlr = _one(trak, b"tkhd"), _one(mdia, b"mdhd"), _one(mdia, b"hdlr")
    if len(tkhd) < 84 or len(mdhd) < 24 or len(hdlr) < 12:
        raise Unjoinable("damaged MP4: short track header")
    stsd = next(box for box in _children(stbl) if box.kind == b"stsd")
    if _COUNT.unpack_from(stbl, stsd.offset + stsd.header + 4)[0] != 1:
        raise Unjoinable("a track with several sample descriptions")
    sizes = _sizes(stbl)
    durations = _expand(_entries(_one(stbl, b"stts"), "II"))
    ctts = _optional(stbl, b"ctts")
    composition = None
    if ctts is not None:
        composition = _expand(_entries(ctts, "Ii" if ctts[0] else "II"))
    sync = None
    if (stss := _optional(stbl, b"stss")) is not None:
        sync = [False] * len(sizes)
        for (number,) in _entries(stss, "I"):
            if not 1 <= number <= len(sizes):
                raise Unjoinable("damaged MP4: stss names a frame that is not there")
            sync[number - 1] = True
    co64 = _optional(stbl, b"co64")
    offsets = (
        _entries(co64, "Q") if co64 is not None else _entries(_one(stbl, b"stco"), "I")
    )
    positions = _positions(
        _entries(_one(stbl, b"stsc"), "III"), [offset for (offset,) in offsets], sizes
    )
    if len(durations) != len(sizes) or (
        composition is not None and len(composition) != len(sizes)
    ):
        raise Unjoinable("damaged MP4: sample tables disagree on the frame count")
    version = tkhd[0]
    return _Track(
        handler=hdlr[8:12],
        track_id=struct.unpack_from(">I", tkhd, 20 if version == 1 else 12)[0],
        timescale=struct.unpack_from(">I", mdhd, 20 if mdhd[0] == 1 else 12)[0],
        tkhd=tkhd,
        mdhd=mdhd,
        mdia_rest=[
            _whole(mdia, box)
            for box in _children(mdia)
            if box.kind not in (b"mdhd", b"minf")
        ],
        minf_rest=[_whole(minf, box) for box in _children(minf) if box.kind != b"stbl"],
        stsd=_whole(stbl, stsd),
        durations=durations,
        starts=list(itertools.accumulate(durations, initial=0))[:-1],
        composition=composition,
        ctts_version=ctts[0] if ctts is not None else 0,
        sync=sync,
        sizes=sizes,
        positions=positions,
        media_time=_media_time(trak),
        delay=empty_edit(trak, movie_timescale),
    )


@dataclass(slots=True)
class _Segment:
    path: Path
    ftyp: bytes
    mvhd: bytes
    video: _Track
    audio: _Track | None


def _index_of(path: Path) -> tuple[bytes, bytes]:
    """The payloads of a file's `ftyp` (empty if none) and `moov`."""
    fd = os.open(path, os.O_RDONLY)
    try:
        found = {box.kind: box for box in top_level(fd, os.fstat(fd).st_size)}
        if b"moof" in found:
            raise Unjoinable("fragmented segments")
        if b"moov" not in found:
            raise Unjoinable(f"{path.name} has no index")
        payloads = {
            kind: os.pread(fd, box.size - box.header, box.offset + box.header)
            for kind, box in found.items()
            if kind in (b"ftyp", b"moov")
        }
    finally:
        os.close(fd)
    return payloads.get(b"ftyp", b""), payloads[b"moov"]


def _read_segment(path: Path) -> _Segment:
    """Parse one segment's index; its media is not read.

    An index this parser cannot make sense of is Unjoinable, not an error: ffmpeg
    may still read it.
    """
    try:
        return _parse_moov(path, *_index_of(path))
    except Unjoinable:
        raise
    except OSError as err:
        raise ExportError(f"cannot read {path.name}: {err}") from err
    except (ExportError, struct.error, IndexError, StopIteration) as err:
        raise Unjoinable(f"damaged MP4: {path.name}: {err!r}") from err


def _parse_moov(path: Path, ftyp: bytes, moov: bytes) -> _Segment:
    if _optional(moov, b"mvex") is not None:
        raise Unjoinable("fragmented segments")
    mvhd = _one(moov, b"mvhd")
    if len(mvhd) < 100:
        raise Unjoinable("damaged MP4: short movie header")
    scale = struct.unpack_from(">I", mvhd, 20 if mvhd[0] == 1 else 12)[0]
    tracks = [
        _read_track(_inside(moov, b), scale)
        for b in _children(moov)
        if b.kind == b"trak"
    ]
    videos = [track for track in tracks if track.handler == b"vide"]
    audios = [track for track in tracks if track.handler == b"soun"]
    if len(videos) != 1 or len(audios) > 1:
        raise Unjoinable("segments without exactly one video track")
    if not videos[0].sizes:
        raise Unjoinable(f"{path.name} holds no video frames")
    return _Segment(path, ftyp, mvhd, videos[0], audios[0] if audios else None)


# Choosing frames.


def _video_range(track: _Track, cut: Cut) -> tuple[int, int]:
    """Frames [lo, hi) to keep: from the keyframe at or before the in-point to
    the last frame in decode order that is shown before the out-point."""
    count = len(track.sizes)
    lo = 0
    if cut.inpoint is not None:
        for index in range(count):
            if track.is_sync(index):
                if track.shown(index) > cut.inpoint + _EPSILON:
                    break
                lo = index
    hi = count
    if cut.outpoint is not None:
        before = [
            index
            for index in range(lo, count)
            if track.shown(index) < cut.outpoint - _EPSILON
        ]
        hi = (before[-1] if before else lo) + 1
    return lo, hi


def _shown_end(track: _Track, cut: Cut, lo: int, hi: int) -> int:
    """When the frames [lo, hi) that the cut wants stop showing, counted in the
    track's timescale from frame lo's decode time (without its edit).

    With B-frames the last frames in decode order include one shown after the
    out-point; it is decoded but cut off by the joined track's edit list.
    """
    starts = track.starts
    offsets = track.composition or [0] * len(track.sizes)
    return max(
        starts[index] - starts[lo] + offsets[index] + track.durations[index]
        for index in range(lo, hi)
        if index == lo
        or cut.outpoint is None
        or track.shown(index) < cut.outpoint - _EPSILON
    )


def _audio_range(track: _Track, begin: float, end: float) -> tuple[int, int]:
    """Audio frames that sound during [begin, end) seconds, outward."""
    chosen = [
        index
        for index in range(len(track.sizes))
        if track.shown(index) < end - _EPSILON
        and track.shown(index, until=True) > begin + _EPSILON
    ]
    return (chosen[0], chosen[-1] + 1) if chosen else (0, 0)


@dataclass(slots=True)
class _Output:
    """One track of the joined clip, gathered frame by frame."""

    first: _Track
    durations: list[int] = field(default_factory=list)
    composition: list[int] = field(default_factory=list)
    sync: list[bool] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    chunk_frames: list[int] = field(default_factory=list)
    chunk_offsets: list[int] = field(default_factory=list)  # from the media's start
    chunk_descriptions: list[int] = field(default_factory=list)  # 1-based
    media_time: int = 0
    delay: float = 0.0  # seconds of silence before the track starts (empty edit)
    shown_end: int = 0  # decode time at which the last wanted frame stops showing
    # One `stsd` box per distinct sample description, in the order they first
    # appear (a camera that changed its resolution: several); bit rates are the
    # whole clip's.
    descriptions: list[bytes] = field(init=False)
    parts: list[list[_Track]] = field(init=False)  # the segments each describes
    current: int = 1  # the description of the frames being added

    def __post_init__(self) -> None:
        self.descriptions = [self.first.stsd]
        self.parts = [[]]

    def describe(self, track: _Track, stsd: bytes | None = None) -> bool:
        """Frames from `track` come next, described by `stsd` (default its
        own); True when that is another description than the frames before."""
        stsd = stsd or track.stsd
        before = self.current
        key = _parameters_of(stsd, track.timescale)
        for number, description in enumerate(self.descriptions, 1):
            if _parameters_of(description, track.timescale) == key:
                self.current = number
                break
        else:
            self.descriptions.append(stsd)
            self.parts.append([])
            self.current = len(self.descriptions)
        if track not in self.parts[self.current - 1]:
            self.parts[self.current - 1].append(track)
        return self.current != before

    def add_chunk(self, frames: int, offset: int, description: int) -> None:
        """Record one chunk of `frames` frames at `offset` in the media."""
        self.chunk_frames.append(frames)
        self.chunk_offsets.append(offset)
        self.chunk_descriptions.append(description)

    def append(self, track: _Track, lo: int, hi: int) -> list[_Chunk]:
        """Add frames [lo, hi) of `track`; return them grouped in contiguous chunks."""
        self.durations += track.durations[lo:hi]
        self.sizes += track.sizes[lo:hi]
        self.sync += (track.is_sync(index) for index in range(lo, hi))
        self.composition += (
            track.composition[lo:hi] if track.composition else [0] * (hi - lo)
        )
        chunks: list[_Chunk] = []
        begin = lo
        for index in range(lo + 1, hi + 1):
            if index == hi or track.positions[index] != (
                track.positions[index - 1] + track.sizes[index - 1]
            ):
                chunks.append(
                    _Chunk(
                        track.positions[begin],
                        sum(track.sizes[begin:index]),
                        self,
                        index - begin,
                        self.current,
                    )
                )
                begin = index
        return chunks

    def add_silence(self, count: int) -> bytes:
        """Append `count` frames of silence as one chunk (its offset is the
        caller's to set); returns their bytes."""
        frame = _silent_frame(self.first)
        assert frame is not None
        usual = statistics.median_low(self.durations)
        self.durations += [usual] * count
        self.sizes += [len(frame)] * count
        self.sync += [True] * count
        self.composition += [0] * count
        self.add_chunk(count, 0, self.current)
        return frame * count

    def boundary_at_or_after(self, earliest: float) -> tuple[int, float] | None:
        """The first frame boundary at or after `earliest` (s, clip time), as
        (decode time in this track's timescale, clip time); None when the
        track ends before it. Cutting there drops the frames after it.

        The last frame counts at its decoded length (the usual one): the
        length a segment's index gives its last frame is only ffmpeg's guess.
        """
        if not self.durations:
            return None
        rate = self.first.timescale
        usual = statistics.median_low(self.durations)
        cumulative = sum(self.durations) - self.durations[-1] + usual
        kept = len(self.durations)
        if self.delay + (cumulative - self.media_time) / rate < earliest:
            return None
        while kept > 1:
            length = usual if kept == len(self.durations) else self.durations[kept - 1]
            before = cumulative - length
            if self.delay + (before - self.media_time) / rate < earliest:
                break
            cumulative, kept = before, kept - 1
        return cumulative, self.delay + (cumulative - self.media_time) / rate

    def end_at(self, target: int, *, exact: bool = False) -> None:
        """Where the audio so far ends more than a frame away from `target` (the
        video's end, in this track's timescale), make it end there: stretch the
        last frame, or drop frames that would start at or after `target`.

        Segments recorded in one go carry one continuous audio stream, which ends
        within a frame of the video at every seam and is left as it is; a seam
        where the recorder restarted is where the two part, and get realigned.
        """
        if not self.sizes:
            return
        if not exact and abs(sum(self.durations) - target) <= self.durations[-1]:
            return
        while self.sizes:
            last_start = sum(self.durations) - self.durations[-1]
            if last_start < target:
                self.durations[-1] = target - last_start
                return
            for column in (self.durations, self.sizes, self.sync, self.composition):
                column.pop()
            self.chunk_frames[-1] -= 1  # its bytes stay in the media, unreferenced
            if not self.chunk_frames[-1]:
                self.chunk_frames.pop()
                self.chunk_offsets.pop()
                self.chunk_descriptions.pop()


@dataclass(frozen=True, slots=True)
class _Chunk:
    source: int
    length: int
    track: _Output
    frames: int
    description: int = 1


@dataclass(slots=True)
class JoinPlan:
    """The joined clip's index and the byte ranges that fill its media, in order."""

    ftyp: bytes
    mvhd: bytes
    tracks: list[_Output]
    # Byte ranges of a segment, or bytes made here (silence), in media order.
    copies: list[tuple[Path | bytes, list[tuple[int, int]]]]
    media_bytes: int
    # Where the picture's format starts or changes: (cut, seconds of that
    # segment's own timeline, codec, width, height).
    formats: list[tuple[int, float, str, int, int]] = field(default_factory=list)


_BTRT = struct.pack(">I4s", 20, b"btrt")


def _descriptor(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, payload offset, payload size) of an MPEG-4 descriptor at `at`."""
    tag, size, at = data[at], 0, at + 1
    for _ in range(4):
        byte = data[at]
        size, at = size << 7 | byte & 0x7F, at + 1
        if not byte & 0x80:
            break
    return tag, at, size


def _rate_fields(stsd: bytes) -> list[int]:
    """Offsets of the (buffer size, peak, average) bit rates that ffmpeg measures
    per file: the trailing `btrt` box (three 32-bit fields) and an `esds`
    decoder configuration (a 24-bit buffer size, then two 32-bit rates)."""
    found = []
    if stsd[-20:-12] == _BTRT:
        found.append(len(stsd) - 12)
    at = stsd.find(b"esds")
    if at >= 4:
        try:
            tag, body, _ = _descriptor(stsd, at + 8)
            if tag == 0x03:
                flags = stsd[body + 2]
                body += 3
                body += 2 if flags & 0x80 else 0
                body += 1 + stsd[body] if flags & 0x40 else 0
                body += 2 if flags & 0x20 else 0
                tag, body, size = _descriptor(stsd, body)
                if tag == 0x04 and size >= 13 and body + 13 <= len(stsd):
                    found.append(body + 2)
        except IndexError:
            pass
    return found


def _rates_at(stsd: bytes, at: int) -> tuple[int, int, int]:
    """(buffer size, peak, average) at an offset `_rate_fields` found."""
    if at == len(stsd) - 12:
        buffer, peak, average = struct.unpack_from(">III", stsd, at)
        return buffer, peak, average
    peak, average = struct.unpack_from(">II", stsd, at + 3)
    return int.from_bytes(stsd[at : at + 3]), peak, average


def _put_rates(stsd: bytearray, at: int, rates: tuple[int, int, int]) -> None:
    buffer, peak, average = rates
    if at == len(stsd) - 12:
        stsd[at : at + 12] = struct.pack(">III", buffer, peak, average)
    else:
        stsd[at : at + 11] = min(buffer, 0xFFFFFF).to_bytes(3) + struct.pack(
            ">II", peak, average
        )


def _parameters_of(stsd: bytes, timescale: int) -> tuple[bytes, int]:
    rated = bytearray(stsd)
    for at in _rate_fields(stsd):
        _put_rates(rated, at, (0, 0, 0))
    return bytes(rated), timescale


def _parameters(track: _Track) -> tuple[bytes, int]:
    """What must match for two tracks to share a sample description: the
    description, less the bit rates ffmpeg writes into it per file, and the
    clock."""
    return _parameters_of(track.stsd, track.timescale)


def _entry_type(stsd: bytes) -> bytes:
    """The codec's four letters of an `stsd` box's one sample entry."""
    return stsd[20:24]


def _bit_rates(out: _Output) -> None:
    """Rewrite the bit rates in each of the joined track's sample descriptions
    for the whole clip: its average, and the largest peak and buffer of the
    parts it describes."""
    seconds = sum(out.durations) / out.first.timescale
    average = round(sum(out.sizes) * 8 / seconds) if seconds > 0 else 0
    average = min(average, _U32_MAX)
    for number, (stsd, parts) in enumerate(
        zip(out.descriptions, out.parts, strict=True)
    ):
        fields = _rate_fields(stsd)
        measured = [
            [_rates_at(part.stsd, at) for at in _rate_fields(part.stsd)]
            for part in parts or [out.first]
        ]
        measured = [rates for rates in measured if len(rates) == len(fields)]
        rated = bytearray(stsd)
        for position, at in enumerate(fields):
            rates = [found[position] for found in measured] or [(0, 0, 0)]
            buffer = max(rate[0] for rate in rates)
            peak = max(average, *(rate[1] for rate in rates))
            _put_rates(rated, at, (buffer, peak, average))
        out.descriptions[number] = bytes(rated)


def _check_compatible(segments: Sequence[_Segment], with_audio: bool) -> None:
    """Video keeps its codec and clock (a new resolution or new codec settings
    become another sample description); the audio of the segments that have any
    must match (the last one before a camera drops out may end before its
    sound)."""
    first = segments[0]
    sounds = [segment.audio for segment in segments if segment.audio is not None]
    for segment in segments[1:]:
        if _entry_type(segment.video.stsd) != _entry_type(first.video.stsd):
            raise Unjoinable("the video codec changes between segments")
        if segment.video.timescale != first.video.timescale:
            raise Unjoinable("the video clock changes between segments")
    if with_audio and any(_parameters(s) != _parameters(sounds[0]) for s in sounds):
        raise Unjoinable("audio parameters change between segments")


def _clip_time(video: _Output, track: _Track, lo: int, elapsed: int) -> float:
    """When frame `lo` of `track` shows in the clip if decoded at `elapsed`."""
    composition = track.composition[lo] if track.composition else 0
    return (elapsed + composition - video.media_time) / track.timescale


def _place(
    video: _Output, track: _Track, lo: int, elapsed: int, offset: float
) -> tuple[bool, int]:
    """Where the next segment's frames go: (same run, decode time in the clip).

    Segments of one recorder run share its timeline, so the next segment's
    first frame belongs exactly where its own time says: the previous segment's
    last frame is held until then (a camera's uneven frame times, the
    segmenter's guess of that frame's length). A segment that starts before
    that last frame or more than `_SAME_RUN` later comes from another run (a
    reconnect) and is joined right behind it.
    """
    wanted = track.shown(lo) + offset
    natural = _clip_time(video, track, lo, elapsed)
    shift = round((wanted - natural) * track.timescale)
    last = video.durations[-1] if video.durations else 0
    if not -last < shift <= round(_SAME_RUN * track.timescale):
        return False, elapsed
    if video.durations:
        video.durations[-1] += shift
    return True, elapsed + shift


# AAC-LC frames that decode to 1024 samples of silence (no spectral data, so
# the same bytes at any sample rate), by channel count.
_AAC_SILENCE = {
    1: bytes((0x00, 0xC8, 0x00, 0x80, 0x23, 0x80)),
    2: bytes((0x21, 0x00, 0x49, 0x90, 0x02, 0x19, 0x00, 0x23, 0x80)),
}


def _silent_frame(track: _Track) -> bytes | None:
    """A frame of silence for this AAC-LC track (mono or stereo), else None."""
    stsd = track.stsd
    at = stsd.find(b"mp4a")
    esds = stsd.find(b"esds")
    if at < 4 or esds < 0:
        return None
    try:
        tag, body, _ = _descriptor(stsd, esds + 8)
        if tag != 0x03:
            return None
        flags = stsd[body + 2]
        body += 3 + (2 if flags & 0x80 else 0)
        body += 1 + stsd[body] if flags & 0x40 else 0
        body += 2 if flags & 0x20 else 0
        tag, body, _ = _descriptor(stsd, body)
        if tag != 0x04 or stsd[body] != 0x40:  # MPEG-4 audio
            return None
        tag, body, _ = _descriptor(stsd, body + 13)
        if tag != 0x05:
            return None
        config = int.from_bytes(stsd[body : body + 2])
    except IndexError:
        return None
    object_type, channels = config >> 11, config >> 3 & 0x0F
    return _AAC_SILENCE.get(channels) if object_type == 2 else None


@dataclass(slots=True)
class _Seam:
    """How a reconnect is laid out: where the next run's picture and sound go."""

    elapsed: int  # decode time of its first picture, in the video's timescale
    sound_from: float  # where its sound starts, seconds of its own timeline
    silence: int = 0  # silent frames to add before it


def _hold_for_sound(
    video: _Output, audio: _Output, segment: _Segment, lo: int, elapsed: int
) -> _Seam:
    """At a reconnect, hold the last picture until the sound so far ends on a
    frame boundary where the next run's sound belongs.

    An audio frame always decodes to its full length, so a sound track cut or
    stretched between frames plays off by the difference wherever a player
    follows the samples rather than their timestamps; and the decoder's
    overlap (the second half of a frame's window sounds with the next frame)
    would carry the last sound before the hole into the first after it.
    Holding the picture (by less than one audio frame, inside a hole the clip
    states anyway) keeps the sound continuous and in sync. Where the sound so
    far ends too early, the next run's sound starts earlier, before its first
    picture, if it has any; otherwise frames of silence fill the difference
    (AAC-LC). Failing both, the caller realigns the sound by its timestamps.
    """
    assert segment.audio is not None
    track, sound = segment.video, segment.audio
    first, _ = _audio_range(sound, track.shown(lo), math.inf)
    natural = _clip_time(video, track, lo, elapsed)
    first = min(first, len(sound.sizes) - 1)
    for start in range(first, -1, -1):
        lead = track.shown(lo) - sound.shown(start)
        boundary = audio.boundary_at_or_after(natural - lead)
        if boundary is None:
            continue
        cumulative, at = boundary
        audio.end_at(cumulative, exact=True)
        return _Seam(
            _held(video, track, elapsed, at - natural + lead), sound.shown(start)
        )
    silence = _silent_frame(audio.first)
    if silence is None or not audio.durations or first < 0:
        return _Seam(elapsed, track.shown(lo))
    usual = statistics.median_low(audio.durations)
    audio.durations[-1] = usual  # what the last frame decodes to
    rate = audio.first.timescale
    end = audio.delay + (sum(audio.durations) - audio.media_time) / rate
    earliest = natural - (track.shown(lo) - sound.shown(first))
    count = max(0, math.ceil((earliest - end) * rate / usual - _EPSILON))
    at = end + count * usual / rate
    return _Seam(_held(video, track, elapsed, at - earliest), sound.shown(first), count)


def _held(video: _Output, track: _Track, elapsed: int, seconds: float) -> int:
    """Show the last picture `seconds` longer; the new elapsed time."""
    hold = round(seconds * track.timescale)
    if video.durations:
        video.durations[-1] += hold
    return elapsed + hold


_CODECS = {b"avc1": "h264", b"avc3": "h264", b"hvc1": "hevc", b"hev1": "hevc"}


def _picture(stsd: bytes) -> tuple[str, int, int]:
    """(codec, width, height) of an `stsd` box's one visual sample entry."""
    four = _entry_type(stsd)
    width, height = struct.unpack_from(">HH", stsd, 48)
    return _CODECS.get(four, four.decode("latin-1").strip()), width, height


class _InBand:
    """The H.264 parameter sets in force, followed keyframe by keyframe.

    A segment's description is the one its recorder run started with; where a
    keyframe carries other sets in-band (the camera's resolution changed), the
    frames from it on get a description of their own (avc.py).
    """

    def __init__(self) -> None:
        self._sets: avc.ParameterSets | None = None
        self._stsd = b""

    def runs(
        self, segment: _Segment, lo: int, hi: int
    ) -> list[tuple[int, int, bytes | None]]:
        """[lo, hi) split where the sets change: (from, to, stsd or None for the
        segment's own)."""
        track = segment.video
        entry = track.stsd[16:]
        size_field = avc.length_size(entry)
        if _entry_type(track.stsd) not in (b"avc1", b"avc3") or size_field is None:
            return [(lo, hi, None)]
        own = avc.described_sets(entry)
        if track.stsd != self._stsd:  # another run's: it starts from its own sets
            self._stsd, self._sets = track.stsd, own
        runs: list[tuple[int, int, bytes | None]] = []
        start, current = lo, self._sets
        fd = os.open(segment.path, os.O_RDONLY)
        try:
            for index in range(lo, hi):
                if not track.is_sync(index):
                    continue
                head = os.pread(
                    fd, min(avc.HEAD_BYTES, track.sizes[index]), track.positions[index]
                )
                found = avc.carried_sets(head, size_field)
                if found is None or found == current:
                    continue
                if index > start:
                    runs.append((start, index, self._describe(entry, own, current)))
                start, current = index, found
        finally:
            os.close(fd)
        runs.append((start, hi, self._describe(entry, own, current)))
        self._sets = current
        return runs

    @staticmethod
    def _describe(
        entry: bytes, own: avc.ParameterSets | None, sets: avc.ParameterSets | None
    ) -> bytes | None:
        if sets is None or sets == own:
            return None
        rebuilt = avc.sample_entry(entry, sets)
        if rebuilt is None:
            return None
        return _full(b"stsd", 0, _COUNT.pack(1), rebuilt)


def plan_join(cuts: Sequence[Cut], include_audio: bool) -> JoinPlan:
    """Read the segments' indexes and lay out the joined clip (blocking)."""
    if not cuts:
        raise ExportError("no segments to join")
    segments = [_read_segment(cut.path) for cut in cuts]
    first = segments[0]
    sound = next((s.audio for s in segments if s.audio is not None), None)
    with_audio = include_audio and sound is not None
    _check_compatible(segments, with_audio)
    video = _Output(first.video)
    audio = _Output(sound) if with_audio and sound is not None else None
    copies: list[tuple[Path | bytes, list[tuple[int, int]]]] = []
    formats: list[tuple[int, float, bytes]] = []
    sets = _InBand()
    position = 0
    elapsed = 0  # video time so far, in the video's timescale
    offset = 0.0  # clip time minus the segment's own time, in seconds
    for index, (cut, segment) in enumerate(zip(cuts, segments, strict=True)):
        lo, hi = _video_range(segment.video, cut)
        scale = segment.video.timescale
        continued = False
        sound_from = segment.video.shown(lo)
        silence = 0
        if index == 0:
            if segment.video.composition:
                video.media_time = segment.video.composition[lo]  # show lo at 0
            offset = -segment.video.shown(lo)
        else:
            continued, elapsed = _place(video, segment.video, lo, elapsed, offset)
            if not continued:
                if audio is not None and segment.audio is not None:
                    seam = _hold_for_sound(video, audio, segment, lo, elapsed)
                    elapsed, sound_from, silence = (
                        seam.elapsed,
                        seam.sound_from,
                        seam.silence,
                    )
                offset = _clip_time(video, segment.video, lo, elapsed) - (
                    segment.video.shown(lo)
                )
        if silence and audio is not None:
            data = audio.add_silence(silence)
            copies.append((data, [(0, len(data))]))
            audio.chunk_offsets[-1] = position
            position += len(data)
        if audio is not None and segment.audio is not None:
            audio.describe(segment.audio)
        chunks = []
        for run_lo, run_hi, stsd in sets.runs(segment, lo, hi):
            if video.describe(segment.video, stsd) or not formats:
                described = stsd or segment.video.stsd
                formats.append((index, segment.video.shown(run_lo), described))
            chunks += video.append(segment.video, run_lo, run_hi)
        shown = _shown_end(segment.video, cut, lo, hi)
        video.shown_end = elapsed + shown
        if audio is not None and segment.audio is not None:
            start = segment.video.starts[lo]
            # Sound from before the segment's first picture belongs to the
            # previous segment of the same run; after a reconnect (sound came
            # before the first keyframe) only what fills the held picture.
            begin = -math.inf if continued else sound_from
            end = math.inf
            if cut.outpoint is not None:
                end = (
                    start + shown - segment.video.media_time
                ) / scale + segment.video.delay
            a_lo, a_hi = _audio_range(segment.audio, begin, end)
            rate = audio.first.timescale
            if a_hi > a_lo:
                target = segment.audio.shown(a_lo) + offset  # in clip time
                if not audio.sizes:  # the clip's sound starts with its picture
                    if target < 0:
                        audio.media_time = round(-target * rate)
                    else:
                        audio.delay = target
                else:
                    audio.end_at(
                        round((target - audio.delay) * rate) + audio.media_time,
                        exact=not continued,  # a reconnect: realign exactly
                    )
            chunks += audio.append(segment.audio, a_lo, a_hi)
        elapsed += sum(segment.video.durations[lo:hi])
        ranges: list[tuple[int, int]] = []
        for chunk in sorted(chunks, key=lambda chunk: chunk.source):
            chunk.track.add_chunk(chunk.frames, position, chunk.description)
            position += chunk.length
            if ranges and sum(ranges[-1]) == chunk.source:
                ranges[-1] = (ranges[-1][0], ranges[-1][1] + chunk.length)
            else:
                ranges.append((chunk.source, chunk.length))
        copies.append((segment.path, ranges))
    if audio is not None:
        scale = first.video.timescale
        target = elapsed / scale - audio.delay
        audio.end_at(round(target * audio.first.timescale) + audio.media_time)
    tracks = [video] if audio is None or not audio.sizes else [video, audio]
    _bit_rates(video)
    if audio is not None:
        _bit_rates(audio)
    return JoinPlan(
        first.ftyp,
        first.mvhd,
        tracks,
        copies,
        position,
        [(cut, at, *_picture(stsd)) for cut, at, stsd in formats],
    )


# Writing the index.


def _box(kind: bytes, *parts: bytes) -> bytes:
    payload = b"".join(parts)
    return box_header(kind, len(payload)) + payload


def _full(kind: bytes, version: int, *parts: bytes) -> bytes:
    return _box(kind, bytes((version, 0, 0, 0)), *parts)


def _runs(values: Sequence[int]) -> list[tuple[int, int]]:
    """(count, value) pairs of equal neighbours."""
    return [(len(list(group)), value) for value, group in itertools.groupby(values)]


def _pack(fmt: str, records: Sequence[tuple[int, ...]]) -> bytes:
    flat = [value for record in records for value in record]
    return _COUNT.pack(len(records)) + struct.pack(f">{len(records) * fmt}", *flat)


def _duration_at(header: bytes, narrow: int, wide: int, value: int) -> bytes:
    """`header` (a version 0 or 1 full box payload) with its duration set."""
    if header[0] == 1:
        return header[:wide] + struct.pack(">Q", value) + header[wide + 8 :]
    if value > _U32_MAX:
        raise Unjoinable("the clip is too long for a 32-bit header")
    return header[:narrow] + struct.pack(">I", value) + header[narrow + 4 :]


def _stsd(out: _Output) -> bytes:
    """One `stsd` box holding every sample description of the track."""
    first = out.descriptions[0]
    if len(out.descriptions) == 1:
        return first
    entries = b"".join(description[16:] for description in out.descriptions)
    return _full(b"stsd", 0, _COUNT.pack(len(out.descriptions)), entries)


def _picture_size(out: _Output, tkhd: bytes) -> bytes:
    """A track header as large as the largest picture of its descriptions, so
    a player that scales to it shrinks nothing."""
    if len(out.descriptions) == 1 or out.first.handler != b"vide":
        return tkhd
    sizes = [struct.unpack_from(">HH", d, 48) for d in out.descriptions]
    width, height = max(w for w, _ in sizes), max(h for _, h in sizes)
    return tkhd[:-8] + struct.pack(">II", width << 16, height << 16)


def _stbl(out: _Output, base: int, wide: bool) -> bytes:
    parts = [
        _stsd(out),
        _full(b"stts", 0, _pack("II", _runs(out.durations))),
    ]
    if not all(out.sync):
        keys = [(number,) for number, key in enumerate(out.sync, 1) if key]
        parts.append(_full(b"stss", 0, _pack("I", keys)))
    if any(out.composition):
        version = out.first.ctts_version
        parts.append(
            _full(
                b"ctts",
                version,
                _pack("Ii" if version else "II", _runs(out.composition)),
            )
        )
    chunk_map: list[tuple[int, int, int]] = []
    for number, (frames, description) in enumerate(
        zip(out.chunk_frames, out.chunk_descriptions, strict=True), 1
    ):
        if not chunk_map or chunk_map[-1][1:] != (frames, description):
            chunk_map.append((number, frames, description))
    parts.append(_full(b"stsc", 0, _pack("III", chunk_map)))
    if len(set(out.sizes)) == 1:
        parts.append(
            _full(b"stsz", 0, struct.pack(">II", out.sizes[0], len(out.sizes)))
        )
    else:
        parts.append(_full(b"stsz", 0, bytes(4), _pack("I", [(s,) for s in out.sizes])))
    offsets = [(base + offset,) for offset in out.chunk_offsets]
    if wide:
        parts.append(_full(b"co64", 0, _pack("Q", offsets)))
    else:
        parts.append(_full(b"stco", 0, _pack("I", offsets)))
    return _box(b"stbl", *parts)


def _trak(out: _Output, movie_scale: int, base: int, wide: bool) -> tuple[bytes, int]:
    """The track box and its duration in the movie's timescale."""
    track = out.first
    media = sum(out.durations)
    end = out.shown_end or media
    played = round((end - out.media_time) * movie_scale / track.timescale)
    delay = round(out.delay * movie_scale)
    shown = delay + played
    tkhd = _picture_size(out, _duration_at(track.tkhd, 20, 28, shown))
    parts = [_box(b"tkhd", tkhd)]
    if out.media_time or end != media or delay:
        if shown > _U32_MAX:
            raise Unjoinable("the clip is too long for a 32-bit edit list")
        edits = [(delay, -1)] if delay else []
        edits.append((played, out.media_time))
        payload = struct.pack(">I", len(edits)) + b"".join(
            struct.pack(">IiI", duration, media_time, 0x00010000)
            for duration, media_time in edits
        )
        parts.append(_box(b"edts", _full(b"elst", 0, payload)))
    minf = _box(b"minf", *track.minf_rest, _stbl(out, base, wide))
    mdhd = _duration_at(track.mdhd, 16, 24, media)
    parts.append(_box(b"mdia", _box(b"mdhd", mdhd), *track.mdia_rest, minf))
    return _box(b"trak", *parts), shown


def _moov(plan: JoinPlan, base: int, wide: bool) -> bytes:
    mvhd = plan.mvhd
    movie_scale = struct.unpack_from(">I", mvhd, 20 if mvhd[0] == 1 else 12)[0]
    traks = [_trak(out, movie_scale, base, wide) for out in plan.tracks]
    mvhd = _duration_at(mvhd, 16, 24, max(shown for _, shown in traks))
    next_id = max(out.first.track_id for out in plan.tracks) + 1
    mvhd = mvhd[:-4] + struct.pack(">I", next_id)
    return _box(b"moov", _box(b"mvhd", mvhd), *(trak for trak, _ in traks))


def index_bytes(plan: JoinPlan) -> bytes:
    """`ftyp`, `moov` and the `mdat` header: everything ahead of the media."""
    ftyp = _box(b"ftyp", plan.ftyp) if plan.ftyp else b""
    mdat = box_header(b"mdat", plan.media_bytes)
    wide = False
    while True:
        moov = _moov(plan, 0, wide)  # its size does not depend on the base
        base = len(ftyp) + len(moov) + len(mdat)
        if wide or base + plan.media_bytes <= _U32_MAX:
            return ftyp + _moov(plan, base, wide) + mdat
        wide = True


# Copying the media.


def _pieces(ranges: Iterable[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Ranges grouped so that each group spans at most one read."""
    group: list[tuple[int, int]] = []
    for first, size in ranges:
        start, length = first, size
        while length:
            take = min(length, _READ)
            if group and start + take - group[0][0] > _READ:
                yield group
                group = []
            group.append((start, take))
            start, length = start + take, length - take
    if group:
        yield group


class _Copier:
    """Copies frame ranges out of the segments, in output order, behind the index."""

    def __init__(self, fd: int, stop: threading.Event | None) -> None:
        self.stop = stop
        self.writer = WriteBehind(fd, _READ)
        self.position = 0

    def put(self, views: list[memoryview], buffer: bytearray | None = None) -> None:
        self.position += self.writer.write(views, self.position, buffer)

    def copy(self, path: Path, ranges: list[tuple[int, int]]) -> None:
        source = os.open(path, os.O_RDONLY)
        try:
            for group in _pieces(ranges):
                if self.stop is not None and self.stop.is_set():
                    raise CopyStopped
                start = group[0][0]
                span = sum(group[-1]) - start
                buffer = self.writer.buffer()
                view = memoryview(buffer)[:span]
                if os.preadv(source, [view], start) != span:
                    raise ExportError(f"{path.name} shrank while it was copied")
                self.put([view[at - start : at - start + n] for at, n in group], buffer)
        finally:
            os.close(source)


def write_join(
    plan: JoinPlan, destination: Path, stop: threading.Event | None = None
) -> tuple[str, int]:
    """Write the joined clip to `destination`; returns (sha256, size) of its bytes.

    Blocking: run it in an executor thread. The clip appears atomically (fsync,
    then rename) or not at all. Setting `stop` abandons it with CopyStopped.
    """
    head = index_bytes(plan)
    temporary = temporary_path(destination)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        copier = _Copier(fd, stop)
        try:
            copier.put([memoryview(head)])
            for source, ranges in plan.copies:
                if isinstance(source, bytes):
                    copier.put([memoryview(source)])
                else:
                    copier.copy(source, ranges)
        finally:
            copier.writer.close()
        if copier.position != len(head) + plan.media_bytes:
            raise ExportError("the clip came out a different size than its index says")
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temporary.unlink(missing_ok=True)
        raise
    os.close(fd)
    temporary.replace(destination)
    return copier.writer.digest.hexdigest(), copier.position
