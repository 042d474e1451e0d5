"""Cut a window out of recorded segments without re-encoding.

Stream copy can only start a clip on a keyframe, so the window is rounded outward:
the clip starts at the last keyframe at or before (window start - 1 s) - the extra
second because a segment's name truncates its start to the second - and ends at or
after the window's end. With cameras' usual 1-2 s GOP the clip is at most a GOP
plus a second longer at the front and a frame longer at the back; it never starts
late or ends early.

The concat demuxer gets whole segments plus per-file `inpoint` (first) and
`outpoint` (last) directives instead of `-ss`/`-to` on the joined timeline: a gap
between segments shortens the joined timeline, per-file points stay exact.

The output layout and how it is hashed while written are remux.py's concern.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
import os
from pathlib import Path
import secrets

from .remux import Layout, remux
from .result import ExportError, ExportResult, NoFootageError
from .segments import (
    NAME_RESOLUTION,
    Footage,
    SegmentLeases,
    list_segments,
    missing_ranges,
    select_footage,
)

PREVIEW_MAX_AGE = timedelta(hours=24)


def _quote(path: Path) -> str:
    return "'" + os.path.abspath(path).replace("'", "'\\''") + "'"


def concat_list(footage: Sequence[Footage], start: datetime, end: datetime) -> str:
    """An ffconcat script joining `footage` and trimming it outward to the window."""
    lines = ["ffconcat version 1.0"]
    last = len(footage) - 1
    for index, item in enumerate(footage):
        lines.append(f"file {_quote(item.path)}")
        if index == 0:
            inpoint = (start - item.start - NAME_RESOLUTION).total_seconds()
            if inpoint > 0:
                lines.append(f"inpoint {inpoint:.3f}")
        if index == last:
            outpoint = (end - item.start).total_seconds()
            if outpoint < item.duration:
                lines.append(f"outpoint {outpoint:.3f}")
    return "\n".join(lines) + "\n"


def _find_footage(directory: Path, start: datetime, end: datetime) -> list[Footage]:
    return select_footage(list_segments(directory), start, end)


async def export_clip(
    *,
    ffmpeg: str,
    segments_dir: Path,
    start: datetime,
    end: datetime,
    destination: Path,
    include_audio: bool = False,
    leases: SegmentLeases | None = None,
    layout: Layout = "faststart",
) -> ExportResult:
    """Export [start, end) of a camera's segments to `destination` as one MP4.

    Raises NoFootageError when nothing of the window was recorded; a window partly
    outside the recording is exported and its `missing` ranges reported. The
    segments are leased for the whole export so pruning cannot delete them.
    """
    if end <= start:
        raise ExportError(f"window end {end.isoformat()} is not after its start")
    footage = await asyncio.to_thread(_find_footage, segments_dir, start, end)
    with (leases or SegmentLeases()).hold(item.path for item in footage) as present:
        footage = [item for item in footage if item.path in present]
        if not footage:
            raise NoFootageError(start, end)
        listing = destination.with_name(
            f".{destination.name}.{secrets.token_hex(4)}.ffconcat"
        )
        await asyncio.to_thread(
            listing.write_text, concat_list(footage, start, end), "utf-8"
        )
        try:
            digest, size = await remux(
                ffmpeg,
                ["-f", "concat", "-safe", "0", "-i", str(listing)],
                destination,
                include_audio=include_audio,
                layout=layout,
            )
        finally:
            listing.unlink(missing_ok=True)
    return ExportResult(
        path=destination,
        sha256=digest,
        bytes=size,
        start=start,
        end=end,
        missing=tuple(missing_ranges(footage, start, end)),
    )


def prune_previews(
    directory: Path, *, now: datetime, max_age: timedelta = PREVIEW_MAX_AGE
) -> list[Path]:
    """Delete preview clips (and stray temporary files) older than `max_age`."""
    cutoff = (now - max_age).timestamp()
    removed: list[Path] = []
    try:
        entries = list(directory.iterdir())
    except FileNotFoundError:
        return removed
    for path in entries:
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue
    return removed
