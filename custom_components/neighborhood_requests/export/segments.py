"""A camera's recorded segments: names, selection of a window, leases and pruning.

Segments are named by the UTC time of their first frame, to the millisecond
(`20261120T140500.123Z.mp4`), so listing a folder is enough to know what footage
exists and when; no index file can drift from the disk. The recorder gives each
finished segment that name (see recorder.py); names with whole seconds only
(`20261120T140500Z.mp4`) come from older recordings or files salvaged after a
crash, and may start up to a second after their name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
import re
import threading

from .mp4 import read_mp4

NAME_FORMAT = "%Y%m%dT%H%M%SZ.mp4"
_NAME = re.compile(r"^(\d{8}T\d{6})(?:\.(\d{3}))?Z\.mp4$")
# ffmpeg writes a segment under a hidden name until the recorder knows its time.
PARTIAL_PREFIX = ".rec-"
SEGMENT_SECONDS = 10
DEFAULT_RETENTION = timedelta(hours=48)
DEFAULT_BUDGET_BYTES = 5 * 1024**3
# A whole-second name truncates; such a segment may start up to this much later.
NAME_RESOLUTION = timedelta(seconds=1)
# Shorter holes are seams between segments, not missing footage.
GAP_THRESHOLD = timedelta(seconds=1)


def segment_name(start: datetime, *, exact: bool = False) -> str:
    """File name of a segment starting at `start` (aware datetime).

    `exact` names carry milliseconds: the recorder knows the first frame's time.
    """
    start = start.astimezone(UTC)
    if not exact:
        return start.strftime(NAME_FORMAT)
    return f"{start:%Y%m%dT%H%M%S}.{start.microsecond // 1000:03d}Z.mp4"


def parse_segment_name(name: str) -> tuple[datetime, bool] | None:
    """(start, exact) encoded in a segment file name, or None for any other file."""
    found = _NAME.match(name)
    if found is None:
        return None
    try:
        start = datetime.strptime(found.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    if found.group(2) is None:
        return start, False
    return start + timedelta(milliseconds=int(found.group(2))), True


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment file as listed (its duration is only known after reading it)."""

    path: Path
    start: datetime
    size: int
    exact: bool = False


@dataclass(frozen=True, slots=True)
class Footage:
    """A finished segment that overlaps a window, with its real duration."""

    path: Path
    start: datetime
    duration: float
    exact: bool = False
    video_start: float = 0.0  # seconds after `start` that its first picture shows
    base: float = 0.0  # the file's own time at `start` (its run's timeline)

    @property
    def first(self) -> datetime:
        """When its first picture was taken (audio may start earlier)."""
        return self.start + timedelta(seconds=self.video_start)

    @property
    def slack(self) -> timedelta:
        """How much later than `start` its first frame may be."""
        return timedelta(0) if self.exact else NAME_RESOLUTION

    @property
    def end(self) -> datetime:
        """When the segment's footage ends."""
        return self.start + timedelta(seconds=self.duration)


def list_segments(directory: Path) -> list[Segment]:
    """All segment files in `directory`, oldest first; other files are ignored."""
    segments: list[Segment] = []
    try:
        entries = list(directory.iterdir())
    except FileNotFoundError:
        return segments
    for path in entries:
        parsed = parse_segment_name(path.name)
        if parsed is None:
            continue
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            continue
        segments.append(Segment(path, parsed[0], size, parsed[1]))
    segments.sort(key=lambda segment: segment.start)
    return segments


def select_footage(
    segments: Iterable[Segment],
    start: datetime,
    end: datetime,
    *,
    longest: timedelta = timedelta(seconds=SEGMENT_SECONDS * 6),
) -> list[Footage]:
    """Finished segments whose footage overlaps [start, end), oldest first.

    `longest` bounds how long one segment can be (the segmenter cuts at the first
    keyframe after its target length), so only nearby files are opened. Unfinished
    segments (no `moov` yet: the one being written, or one cut short by a crash)
    are skipped; their time shows up as missing.
    """
    chosen: list[Footage] = []
    for segment in segments:
        if segment.start >= end or segment.start + longest <= start:
            continue
        info = read_mp4(segment.path)
        if info is None:
            continue
        footage = Footage(
            segment.path,
            segment.start,
            info.span,
            segment.exact,
            info.video_start - info.base,
            info.base,
        )
        if footage.end > start:
            chosen.append(footage)
    return chosen


def missing_ranges(
    footage: Iterable[Footage], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Parts of [start, end) no footage covers, longer than `GAP_THRESHOLD`.

    Intervals are the segments' real footage (first frame to last), so a camera
    that dropped out for 20 s between two segments shows as a 20 s gap, even
    though the clip joins the two segments back to back.
    """
    gaps: list[tuple[datetime, datetime]] = []
    cursor = start
    for item in sorted(footage, key=lambda f: f.start):
        threshold = max(GAP_THRESHOLD, item.slack)
        if item.first - cursor > threshold:
            gaps.append((cursor, min(item.first, end)))
        cursor = max(cursor, item.end)
        if cursor >= end:
            break
    if end - cursor > GAP_THRESHOLD:
        gaps.append((cursor, end))
    return gaps


class SegmentLeases:
    """Reference counts on segment files that an export is reading.

    Pruning runs in an executor thread while exports start on the event loop, so
    the check-and-delete in `prune` and `acquire` share one lock: a segment is either
    leased before pruning looks at it, or already gone when the export checks.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[Path, int] = {}

    @contextmanager
    def hold(self, paths: Iterable[Path]) -> Iterator[list[Path]]:
        """Lease `paths` for the block; yields those that still exist."""
        held = list(paths)
        with self._lock:
            for path in held:
                self._counts[path] = self._counts.get(path, 0) + 1
            present = [path for path in held if path.exists()]
        try:
            yield present
        finally:
            with self._lock:
                for path in held:
                    self._counts[path] -= 1
                    if not self._counts[path]:
                        del self._counts[path]

    def is_leased(self, path: Path) -> bool:
        """Whether an export currently reads `path`."""
        with self._lock:
            return path in self._counts

    def delete_unless_leased(self, path: Path) -> bool:
        """Delete `path` unless leased; True when it was deleted."""
        with self._lock:
            if path in self._counts:
                return False
            path.unlink(missing_ok=True)
            return True


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What one pruning pass removed and what leases kept."""

    deleted: tuple[Path, ...]
    freed_bytes: int
    kept_leased: tuple[Path, ...]
    remaining_bytes: int


def prune(
    directory: Path,
    leases: SegmentLeases,
    *,
    now: datetime,
    retention: timedelta = DEFAULT_RETENTION,
    budget_bytes: int = DEFAULT_BUDGET_BYTES,
) -> PruneResult:
    """Delete segments older than `retention` or beyond the disk budget, oldest first.

    Whichever limit is hit first wins. The newest segment is never touched: the
    recorder may be writing it. Leased segments are skipped, even if that leaves the
    folder over budget until the export finishes.
    """
    segments = list_segments(directory)
    total = sum(segment.size for segment in segments)
    cutoff = now - retention
    deleted: list[Path] = []
    kept: list[Path] = []
    freed = 0
    for segment in segments[:-1]:
        if segment.start >= cutoff and total <= budget_bytes:
            break
        if leases.delete_unless_leased(segment.path):
            deleted.append(segment.path)
            freed += segment.size
            total -= segment.size
        else:
            kept.append(segment.path)
    return PruneResult(tuple(deleted), freed, tuple(kept), total)


def prune_for_space(
    directories: Iterable[Path], leases: SegmentLeases, needed: int
) -> PruneResult:
    """Delete the oldest segments of all cameras until `needed` bytes are freed.

    The newest segment of each camera is kept (its recorder may be writing it),
    as are leased ones.
    """
    candidates: list[Segment] = []
    for directory in directories:
        candidates += list_segments(directory)[:-1]
    candidates.sort(key=lambda segment: segment.start)
    deleted: list[Path] = []
    kept: list[Path] = []
    freed = 0
    for segment in candidates:
        if freed >= needed:
            break
        if leases.delete_unless_leased(segment.path):
            deleted.append(segment.path)
            freed += segment.size
        else:
            kept.append(segment.path)
    return PruneResult(tuple(deleted), freed, tuple(kept), 0)


def measured_rate(
    segments: list[Segment], now: datetime, span: timedelta = timedelta(hours=1)
) -> float | None:
    """Bytes per second the camera's footage took over the last `span`."""
    recent = [segment for segment in segments if segment.start >= now - span]
    if len(recent) < 2:
        return None
    seconds = (recent[-1].start - recent[0].start).total_seconds()
    if seconds <= 0:
        return None
    return sum(segment.size for segment in recent[:-1]) / seconds
