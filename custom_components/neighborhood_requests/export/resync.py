"""Put a run's first seconds back in sync once the camera's first sender report came.

Over RTSP, audio and video each carry their own RTP clock; only the RTCP sender
reports say how the two clocks line up. Some cameras send one right after PLAY,
many only every five seconds. Until a stream's first report, ffmpeg starts that
stream's timeline at its own first packet, so audio and video are off by however
far apart their first packets were captured (0.2-0.5 s is common). When the
report arrives, the stream's timestamps jump onto the shared timeline: forward
(one long frame) or backward (ffmpeg's CLI clamps the packets that would go back
in time to one tick apart). Everything after the jump is in sync; everything
before it in that stream is off by the jump.

So the recorder holds the first `HOLD` seconds of every run that carries audio
over RTSP, looks for that jump, and moves the stream's samples before it onto
the shared timeline by rewriting the segments' index (sample durations and the
edit list; no media byte moves). Only one stream jumps, once. Audio frames have
exact lengths, so an audio jump is found exactly; a video jump is trusted only
when it is the one uneven frame step in the held seconds, since cameras that vary
their frame rate step unevenly on their own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
import itertools
import os
from pathlib import Path
import statistics
import struct

from .faststart import box_header, boxes, top_level
from .result import ExportError

# How many seconds of a run are held back for the check: a camera's sender report
# interval is 5 s at most (RFC 3550, randomised by up to half), plus connecting.
HOLD = 15.0
# Steps this far from the usual one are a jump; smaller ones are camera jitter
# and well inside what a viewer notices (40 ms).
TOLERANCE = 0.02
# ffmpeg clamps a packet that goes back in time to one tick after the previous.
_SQUEEZED = 0.001
# ffmpeg guesses the decode times of a run's first frames (from reordered ones,
# with B-frames or HEVC) until it has seen enough: steps there are not jumps.
SETTLING = 1.0
_VIDEO_SLACK = 0.005
_CONTAINERS = frozenset({b"moov", b"trak", b"edts", b"mdia", b"minf", b"stbl"})
_COUNT = struct.Struct(">I")


class Unreadable(ExportError):
    """A segment whose index this module does not rewrite (left as it is)."""


@dataclass(slots=True)
class _Node:
    kind: bytes
    payload: bytes = b""  # leaves only
    children: list[_Node] | None = None  # containers only

    def child(self, kind: bytes) -> _Node | None:
        for node in self.children or ():
            if node.kind == kind:
                return node
        return None

    def need(self, kind: bytes) -> _Node:
        found = self.child(kind)
        if found is None:
            raise Unreadable(f"no {kind.decode()} box")
        return found

    def encode(self) -> bytes:
        if self.children is None:
            return box_header(self.kind, len(self.payload)) + self.payload
        inner = b"".join(child.encode() for child in self.children)
        return box_header(self.kind, len(inner)) + inner


def _parse(data: bytes, start: int, end: int) -> list[_Node]:
    nodes: list[_Node] = []
    for box in boxes(data, start, end):
        inner = box.offset + box.header
        if box.kind in _CONTAINERS:
            nodes.append(_Node(box.kind, children=_parse(data, inner, box.end)))
        else:
            nodes.append(_Node(box.kind, payload=data[inner : box.end]))
    return nodes


def _scale(header: bytes) -> int:
    return int(struct.unpack_from(">I", header, 20 if header[0] == 1 else 12)[0])


def _with_duration(header: bytes, narrow: int, wide: int, value: int) -> bytes:
    if header[0] == 1:
        return header[:wide] + struct.pack(">Q", value) + header[wide + 8 :]
    return (
        header[:narrow]
        + struct.pack(">I", min(value, 0xFFFFFFFF))
        + header[narrow + 4 :]
    )


@dataclass(slots=True)
class _Track:
    """One track's timing in one segment."""

    node: _Node
    handler: bytes
    timescale: int
    durations: list[int]
    delay: int  # leading empty edit, in the movie's timescale
    media_time: int  # where the presented media starts, in the track's timescale
    length: int  # what the media edit presents, in the movie's timescale

    def first(self, movie_scale: int) -> float:
        """Run time (s) at which the first sample is decoded."""
        return self.delay / movie_scale - self.media_time / self.timescale


def _edits(trak: _Node) -> tuple[int, int, int | None]:
    """(empty edit, media time, media edit length) of a track's edit list."""
    edts = trak.child(b"edts")
    elst = None if edts is None else edts.child(b"elst")
    if elst is None:
        return 0, 0, None
    payload = elst.payload
    wide = payload[0] == 1
    record = struct.Struct(">QqI" if wide else ">IiI")
    (count,) = _COUNT.unpack_from(payload, 4)
    entries = [record.unpack_from(payload, 8 + i * record.size) for i in range(count)]
    delay = 0
    if entries and entries[0][1] == -1:
        delay = entries.pop(0)[0]
    if len(entries) != 1:
        raise Unreadable("an edit list this module does not rewrite")
    return delay, entries[0][1], entries[0][0]


def _read_track(trak: _Node, movie_scale: int) -> _Track:
    mdia = trak.need(b"mdia")
    stbl = mdia.need(b"minf").need(b"stbl")
    stts = stbl.need(b"stts").payload
    (count,) = _COUNT.unpack_from(stts, 4)
    durations: list[int] = []
    for i in range(count):
        run, value = struct.unpack_from(">II", stts, 8 + 8 * i)
        durations += [value] * run
    timescale = _scale(mdia.need(b"mdhd").payload)
    delay, media_time, length = _edits(trak)
    if length is None:
        length = round((sum(durations) - media_time) * movie_scale / timescale)
    return _Track(
        node=trak,
        handler=mdia.need(b"hdlr").payload[8:12],
        timescale=timescale,
        durations=durations,
        delay=delay,
        media_time=media_time,
        length=length,
    )


@dataclass(slots=True)
class _Segment:
    path: Path
    offset: int  # where its moov starts; it must be the file's last box
    size: int  # the moov's size
    moov: _Node
    movie_scale: int
    tracks: dict[bytes, _Track]


def _read(path: Path) -> _Segment:
    """A finished segment's index (blocking)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        found = {box.kind: box for box in top_level(fd, size)}
        moov = found.get(b"moov")
        if moov is None or moov.end != size:
            raise Unreadable(f"{path.name}: the index is not the file's last box")
        data = os.pread(fd, moov.size, moov.offset)
    finally:
        os.close(fd)
    try:
        (root,) = _parse(data, 0, len(data))
        movie_scale = _scale(root.need(b"mvhd").payload)
        tracks = [
            _read_track(node, movie_scale)
            for node in root.children or ()
            if node.kind == b"trak"
        ]
    except (struct.error, IndexError, ValueError) as err:
        raise Unreadable(f"{path.name}: {err!r}") from err
    return _Segment(
        path, moov.offset, moov.size, root, movie_scale, {t.handler: t for t in tracks}
    )


@dataclass(frozen=True, slots=True)
class _Sample:
    segment: int
    index: int  # within its segment
    time: float  # run time (s) at which it is decoded


@dataclass(frozen=True, slots=True)
class Jump:
    """Where one stream joined the shared timeline, and how to fix what came before.

    Samples up to `last_before` (run-wide, decode order) move by `shift`
    seconds; those from `last_before` to `first_after` (clamped ones) get the
    usual frame length, so `first_after` and everything later keep their time.
    """

    handler: bytes
    last_before: int
    first_after: int
    shift: float
    nominal: int  # the usual sample length, in the track's timescale
    at: float  # run time of `first_after`: from there on the streams agree


def _samples(segments: Sequence[_Segment], handler: bytes) -> list[_Sample]:
    found: list[_Sample] = []
    for number, segment in enumerate(segments):
        track = segment.tracks.get(handler)
        if track is None:
            continue
        at = track.first(segment.movie_scale)
        for index, duration in enumerate(track.durations):
            found.append(_Sample(number, index, at))
            at += duration / track.timescale
    return found


def _jumps(samples: list[_Sample], timescale: int, handler: bytes) -> Iterator[Jump]:
    """Every step away from the usual one, a clamped run counted once.

    The first `SETTLING` seconds are not looked at: ffmpeg guesses the decode
    times of a run's first frames, and a report that quick leaves little to fix.
    """
    steps = [b.time - a.time for a, b in itertools.pairwise(samples)]
    if len(steps) < 4:
        return
    usual = statistics.median(steps)
    nominal = round(usual * timescale)
    settled = samples[0].time + SETTLING
    index = next((i for i, s in enumerate(samples) if s.time >= settled), len(steps))
    while index < len(steps):
        step = steps[index]
        if abs(step - usual) <= TOLERANCE or _lost_frames(step, usual, handler):
            index += 1
            continue
        last_before = index
        while index < len(steps) and steps[index] < _SQUEEZED:
            index += 1  # clamped packets: back in time, squeezed to one tick apart
        first_after = min(index + 1, len(samples) - 1)
        count = first_after - last_before
        shift = (
            samples[first_after].time
            - count * nominal / timescale
            - samples[last_before].time
        )
        yield Jump(
            handler, last_before, first_after, shift, nominal, samples[first_after].time
        )
        index = first_after


def _lost_frames(step: float, usual: float, handler: bytes) -> bool:
    """Whether a step is whole frames long: frames lost (over UDP) or dropped
    by the camera, not a jump onto the shared timeline, which lands anywhere.
    Audio frames are exact; video frame times carry a camera's jitter."""
    frames = round(step / usual)
    slack = _SQUEEZED if handler == b"soun" else _VIDEO_SLACK
    return frames >= 2 and abs(step - frames * usual) < slack


def _first_frame(samples: list[_Sample], timescale: int) -> Jump | None:
    """A run's first picture placed too early: ffmpeg gets no timestamp for the
    first video packet of an RTSP session, and a camera that opens with a
    keyframe (most do) has it recorded at the run's start instead of one frame
    before the next picture."""
    if len(samples) < 4:
        return None
    steps = [b.time - a.time for a, b in itertools.pairwise(samples)]
    usual = statistics.median(steps)
    if steps[0] - usual <= TOLERANCE:
        return None
    return Jump(
        b"vide", 0, 1, steps[0] - usual, round(usual * timescale), samples[1].time
    )


def find_jumps(paths: Sequence[Path], hold: float = HOLD) -> list[Jump]:
    """What to fix in the run's first `hold` seconds (blocking): the first
    picture's time, and the one jump onto the shared timeline.

    An audio jump is exact and wins; a video jump counts only when it is the
    only uneven step of the video. Segments this module cannot read make it
    find nothing: footage is left as recorded rather than guessed at.
    """
    try:
        segments = [_read(path) for path in paths]
    except OSError, ExportError:
        return []
    fixes: list[Jump] = []
    scales = {
        handler: {s.tracks[handler].timescale for s in segments if handler in s.tracks}
        for handler in (b"soun", b"vide")
    }
    if len(scales[b"vide"]) == 1:
        first = _first_frame(_samples(segments, b"vide"), min(scales[b"vide"]))
        fixes += [first] if first is not None else []
    if len(scales[b"soun"]) != 1:
        return fixes  # one stream has nothing to line up with: ffmpeg never moves it
    for handler in (b"soun", b"vide"):
        if len(scales[handler]) != 1:
            continue
        samples = _samples(segments, handler)
        start = samples[0].time
        held = [s for s in samples if s.time - start <= hold]
        found = list(_jumps(held, min(scales[handler]), handler))
        if len(found) == 1 and abs(found[0].shift) > TOLERANCE:
            return [*fixes, found[0]]
        if found and handler == b"soun":
            break  # audio that steps unevenly more than once: leave it
    return fixes


def apply_jump(paths: Sequence[Path], jump: Jump) -> None:
    """Rewrite the segments' index so the stream's early samples sit in sync
    (one fix of `find_jumps` at a time, in order).

    Blocking. Each file's `moov` (its last box) is replaced by one write over
    it (a smaller one padded with a `free` box), so a recorder that dies leaves
    each file old or new; the media is not touched.
    """
    segments = [_read(path) for path in paths]
    samples = _samples(segments, jump.handler)
    before = samples[jump.last_before]
    for number, segment in enumerate(segments):
        track = segment.tracks.get(jump.handler)
        if track is None:
            continue
        run = [i for i, s in enumerate(samples) if s.segment == number]
        if not run or run[0] >= jump.first_after:
            continue
        first = run[0]
        if first <= jump.last_before:
            moved = jump.shift
        else:  # a clamped sample opens this segment
            placed = (
                before.time
                + jump.shift
                + (first - jump.last_before) * jump.nominal / track.timescale
            )
            moved = placed - samples[first].time
        for position in run:
            if jump.last_before <= position < jump.first_after:
                track.durations[samples[position].index] = jump.nominal
        _move(track, segment.movie_scale, moved)
        _write(segment, track)


def _move(track: _Track, movie_scale: int, seconds: float) -> None:
    """Start the track `seconds` later (earlier when negative); a start before
    the file's own is cut from the media instead."""
    before = sum(track.durations)
    delay = track.delay + round(seconds * movie_scale)
    media_time = track.media_time
    if delay < 0:
        media_time += round(-delay * track.timescale / movie_scale)
        delay = 0
    media_time = min(media_time, max(0, before - 1))
    shown = round((before - media_time) * movie_scale / track.timescale)
    track.delay, track.media_time, track.length = delay, media_time, max(shown, 1)


def _runs(values: Sequence[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for value in values:
        if runs and runs[-1][1] == value:
            runs[-1] = (runs[-1][0] + 1, value)
        else:
            runs.append((1, value))
    return runs


def _write(segment: _Segment, track: _Track) -> None:
    trak = track.node
    mdia = trak.need(b"mdia")
    stbl = mdia.need(b"minf").need(b"stbl")
    runs = _runs(track.durations)
    stbl.need(b"stts").payload = (
        bytes(4)
        + _COUNT.pack(len(runs))
        + b"".join(struct.pack(">II", count, value) for count, value in runs)
    )
    edits = [(track.delay, -1)] if track.delay else []
    edits.append((track.length, track.media_time))
    elst = _Node(
        b"elst",
        payload=bytes(4)
        + _COUNT.pack(len(edits))
        + b"".join(
            struct.pack(">IiI", duration, media, 0x00010000)
            for duration, media in edits
        ),
    )
    assert trak.children is not None
    edts = _Node(b"edts", children=[elst])
    trak.children = [node for node in trak.children if node.kind != b"edts"]
    trak.children.insert(1, edts)  # after tkhd
    total = track.delay + track.length
    tkhd = trak.need(b"tkhd")
    tkhd.payload = _with_duration(tkhd.payload, 20, 28, total)
    mdhd = mdia.need(b"mdhd")
    mdhd.payload = _with_duration(mdhd.payload, 16, 24, sum(track.durations))
    movie = max(t.delay + t.length for t in segment.tracks.values())
    mvhd = segment.moov.need(b"mvhd")
    mvhd.payload = _with_duration(mvhd.payload, 16, 24, movie)
    data = segment.moov.encode()
    spare = segment.size - len(data)
    if spare > 0:  # fill the old index's place exactly: one write, no truncation
        data += box_header(b"free", max(spare, 8) - 8) + bytes(max(spare, 8) - 8)
    fd = os.open(segment.path, os.O_WRONLY)
    try:
        os.pwrite(fd, data, segment.offset)
    finally:
        os.close(fd)
    segment.size = len(data)
