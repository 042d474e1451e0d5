"""A camera's recorded segments: names, selection of a window, leases and pruning.

Segments are named by their UTC start time (`20261120T140500Z.mp4`), so listing a
folder is enough to know what footage exists; no index file can drift from the disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
import threading

from .mp4 import read_mp4

NAME_FORMAT = "%Y%m%dT%H%M%SZ.mp4"
FFMPEG_PATTERN = "%Y%m%dT%H%M%SZ.mp4"  # ffmpeg -strftime, run with TZ=UTC
SEGMENT_SECONDS = 10
DEFAULT_RETENTION = timedelta(hours=48)
DEFAULT_BUDGET_BYTES = 5 * 1024**3
# A name carries whole seconds; a segment may start up to this much after its name.
NAME_RESOLUTION = timedelta(seconds=1)


def segment_name(start: datetime) -> str:
    """File name of a segment starting at `start` (aware datetime)."""
    return start.astimezone(UTC).strftime(NAME_FORMAT)


def parse_segment_name(name: str) -> datetime | None:
    """Start time encoded in a segment file name, or None for any other file."""
    try:
        return datetime.strptime(name, NAME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment file as listed (its duration is only known after reading it)."""

    path: Path
    start: datetime
    size: int


@dataclass(frozen=True, slots=True)
class Footage:
    """A finished segment that overlaps a window, with its real duration."""

    path: Path
    start: datetime
    duration: float

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
        start = parse_segment_name(path.name)
        if start is None:
            continue
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            continue
        segments.append(Segment(path, start, size))
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
        footage = Footage(segment.path, segment.start, info.duration)
        if footage.end > start:
            chosen.append(footage)
    return chosen


def missing_ranges(
    footage: Iterable[Footage], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Parts of [start, end) no footage covers; gaps within a name's slack ignored."""
    gaps: list[tuple[datetime, datetime]] = []
    cursor = start
    for item in sorted(footage, key=lambda f: f.start):
        if item.start - cursor > NAME_RESOLUTION:
            gaps.append((cursor, min(item.start, end)))
        cursor = max(cursor, item.end)
        if cursor >= end:
            break
    if end - cursor > NAME_RESOLUTION:
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
