"""Where the demo's request window goes: inside what the recorder wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from demo import footage

FIRST = datetime(2026, 11, 29, 5, 16, 23, tzinfo=UTC)


def test_recorded_reads_segment_names(tmp_path: Path) -> None:
    assert footage.recorded(tmp_path / "missing") is None
    for offset in (0, 8, 18):
        name = (FIRST + timedelta(seconds=offset)).strftime("%Y%m%dT%H%M%SZ.mp4")
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not a segment")
    assert footage.recorded(tmp_path) == footage.Recorded(
        3, FIRST, FIRST + timedelta(seconds=18)
    )
    later = footage.recorded(tmp_path, since=FIRST + timedelta(seconds=1))
    assert later == footage.Recorded(
        2, FIRST + timedelta(seconds=8), FIRST + timedelta(seconds=18)
    )


def test_the_window_skips_the_first_segment_and_ends_in_the_past() -> None:
    now = FIRST + timedelta(seconds=50, microseconds=700)
    start, end = footage.window(FIRST, now)
    assert start == FIRST + timedelta(seconds=15)
    assert end == FIRST + timedelta(seconds=35)
    assert footage.due(FIRST, timedelta(seconds=5)) == FIRST + timedelta(seconds=40)


def test_too_little_footage_says_how_much_is_needed() -> None:
    with pytest.raises(ValueError, match="only 30 s recorded; a window needs 40 s"):
        footage.window(FIRST, FIRST + timedelta(seconds=30))
