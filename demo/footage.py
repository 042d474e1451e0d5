"""What Home Assistant's built-in recorder has of the demo camera, read from disk.

The request the demo publishes must ask about footage the home really holds, so
its window is placed by the recorder's own segments (named by their UTC start
time), not by when the camera started: Home Assistant begins recording only once
the entry is set up, a while after the camera.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from custom_components.neighborhood_requests.export.segments import list_segments

# The window starts this long after the first segment's name, past the whole
# first segment: when ffmpeg joins a live HLS stream it reads the segments the
# playlist still lists in a burst, so the first recorded segment holds several
# seconds more of footage than the time between its name and the next one, and
# an export cut by names starts that much earlier there than documented.
LEAD = timedelta(seconds=15)
# And ends this long before publication: the segment holding the window's end
# (10 s segments, cut on the camera's 2 s keyframes) must be finished before the
# share exports it.
TAIL = timedelta(seconds=15)
# The shortest window worth publishing.
MIN_WINDOW = timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class Recorded:
    """The recorder's segments of one camera: how many, first start, newest start."""

    count: int
    first: datetime
    newest: datetime


def recorded(directory: Path, since: datetime | None = None) -> Recorded | None:
    """The segments in `directory` from `since` on; None before the first one.

    `since` leaves out what an earlier run recorded (it is kept for days), so a
    window never spans the time the demo was not running.
    """
    segments = [
        s for s in list_segments(directory) if since is None or s.start >= since
    ]
    if not segments:
        return None
    return Recorded(len(segments), segments[0].start, segments[-1].start)


def window(first: datetime, now: datetime) -> tuple[datetime, datetime]:
    """A window inside the recorded footage, ending safely in the past."""
    start, end = first + LEAD, now - TAIL
    if end - start < MIN_WINDOW:
        raise ValueError(
            f"only {(now - first).total_seconds():.0f} s recorded; a window needs "
            f"{(LEAD + MIN_WINDOW + TAIL).total_seconds():.0f} s"
        )
    return start.replace(microsecond=0), end.replace(microsecond=0)


def due(first: datetime, footage: timedelta) -> datetime:
    """When `footage` of recording exists, counted from the first segment."""
    return first + max(footage, LEAD + MIN_WINDOW + TAIL)
