"""Cut a window out of recorded segments without re-encoding.

Stream copy can only start a clip on a keyframe, so the window is rounded outward:
the clip starts at the last keyframe at or before the window's start and ends at or
after the window's end. A segment's name gives its first frame's time to the
millisecond; an older whole-second name may be up to a second early, so such a
segment is cut a second earlier still. With cameras' usual 1-2 s GOP the clip is at
most a GOP longer at the front and a frame longer at the back; it never starts
late or ends early.

The cut is per file: an in-point on the first segment and an out-point on the
last, instead of `-ss`/`-to` on the joined timeline, because a gap between
segments shortens the joined timeline while per-file points stay exact.

A classic (`faststart`) clip is joined by join.py from the segments' own indexes,
in one hashed pass. Segments it cannot join, and the `fragmented` layout, go
through ffmpeg's concat demuxer with the same cuts as `inpoint` / `outpoint`
directives; remux.py writes and hashes that output.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
import logging
import os
from pathlib import Path
import secrets

from .join import Cut, JoinPlan, Unjoinable, plan_join, write_join
from .mp4 import video_format
from .remux import Layout, remux, run_stoppable
from .result import ExportError, ExportResult, Gap, NoFootageError, VideoFormat
from .segments import (
    Footage,
    SegmentLeases,
    list_segments,
    missing_ranges,
    select_footage,
)

_LOGGER = logging.getLogger(__name__)
# A preview is for deciding now: kept an hour, then deleted (`footage.preview`).
PREVIEW_MAX_AGE = timedelta(hours=1)


def _quote(path: Path) -> str:
    return "'" + os.path.abspath(path).replace("'", "'\\''") + "'"


def cuts_for(footage: Sequence[Footage], start: datetime, end: datetime) -> list[Cut]:
    """Each segment of the window with its in-point (first) and out-point (last)."""
    cuts: list[Cut] = []
    last = len(footage) - 1
    for index, item in enumerate(footage):
        inpoint = outpoint = None
        if index == 0:
            seconds = (start - item.start - item.slack).total_seconds()
            inpoint = item.base + seconds if seconds > 0 else None
        if index == last:
            seconds = (end - item.start).total_seconds()
            outpoint = item.base + seconds if seconds < item.duration else None
        cuts.append(Cut(item.path, inpoint, outpoint))
    return cuts


def concat_list(footage: Sequence[Footage], start: datetime, end: datetime) -> str:
    """An ffconcat script joining `footage` and trimming it outward to the window."""
    lines = ["ffconcat version 1.0"]
    for cut in cuts_for(footage, start, end):
        lines.append(f"file {_quote(cut.path)}")
        if cut.inpoint is not None:
            lines.append(f"inpoint {cut.inpoint:.3f}")
        if cut.outpoint is not None:
            lines.append(f"outpoint {cut.outpoint:.3f}")
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
        joined = None
        if layout == "faststart":
            joined = await _join(
                cuts_for(footage, start, end), destination, include_audio
            )
        if joined is not None:
            digest, size, plan = joined
            formats = _formats_in(plan, footage, start)
        else:
            formats = await asyncio.to_thread(formats_of, footage, start)
            digest, size = await _concat(
                ffmpeg,
                concat_list(footage, start, end),
                destination,
                include_audio,
                layout,
            )
    return ExportResult(
        path=destination,
        sha256=digest,
        bytes=size,
        start=start,
        end=end,
        missing=tuple(Gap(a, b) for a, b in missing_ranges(footage, start, end)),
        formats=formats,
    )


def _formats_in(
    plan: JoinPlan, footage: Sequence[Footage], start: datetime
) -> tuple[VideoFormat, ...]:
    """The joined clip's formats at wall times: the first at the window's start,
    each change where its frame was taken."""
    found: list[VideoFormat] = []
    for cut, seconds, codec, width, height in plan.formats:
        item = footage[cut]
        at = item.start + timedelta(seconds=seconds - item.base)
        at = start if not found else max(at, found[-1].start)
        found.append(VideoFormat(at, codec, width, height))
    return tuple(found)


def formats_of(footage: Sequence[Footage], start: datetime) -> tuple[VideoFormat, ...]:
    """The picture's codec and size from the window's start, and each change
    after it (blocking: reads each segment's index)."""
    formats: list[VideoFormat] = []
    for item in footage:
        found = video_format(item.path)
        if found is None:
            continue
        codec, width, height = found
        if formats and (formats[-1].codec, formats[-1].width, formats[-1].height) == (
            codec,
            width,
            height,
        ):
            continue
        at = start if not formats else max(item.first, formats[-1].start)
        formats.append(VideoFormat(at, codec, width, height))
    return tuple(formats)


async def _join(
    cuts: Sequence[Cut], destination: Path, include_audio: bool
) -> tuple[str, int, JoinPlan] | None:
    """Join the segments ourselves, or None when they need ffmpeg's concat demuxer."""
    try:
        plan = await asyncio.to_thread(plan_join, cuts, include_audio)
    except Unjoinable as err:
        _LOGGER.debug("Joining %s with ffmpeg's concat demuxer: %s", destination, err)
        return None
    digest, size = await run_stoppable(lambda stop: write_join(plan, destination, stop))
    return digest, size, plan


async def _concat(
    ffmpeg: str, script: str, destination: Path, include_audio: bool, layout: Layout
) -> tuple[str, int]:
    """Join and remux through ffmpeg's concat demuxer."""
    listing = destination.with_name(
        f".{destination.name}.{secrets.token_hex(4)}.ffconcat"
    )
    await asyncio.to_thread(listing.write_text, script, "utf-8")
    try:
        return await remux(
            ffmpeg,
            ["-f", "concat", "-safe", "0", "-i", str(listing)],
            destination,
            include_audio=include_audio,
            layout=layout,
        )
    finally:
        await asyncio.to_thread(listing.unlink, missing_ok=True)


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
