"""Segment names, window selection, leases and pruning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from custom_components.neighborhood_requests.export.segments import (
    Footage,
    SegmentLeases,
    list_segments,
    measured_rate,
    missing_ranges,
    parse_segment_name,
    prune,
    prune_for_space,
    segment_name,
    select_footage,
)

from .footage import SEGMENT_SECONDS, Assets, lay_out

T0 = datetime(2026, 11, 20, 14, 0, 0, tzinfo=UTC)


def test_names_are_utc_start_times() -> None:
    local = T0.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert segment_name(local) == "20261120T140000Z.mp4"
    assert parse_segment_name("20261120T140000Z.mp4") == (T0, False)
    assert parse_segment_name("notes.txt") is None
    assert parse_segment_name(".20261120T140000Z.mp4.part") is None
    assert parse_segment_name(".rec-1-000001.mp4") is None  # still being written


def test_exact_names_carry_milliseconds() -> None:
    start = T0 + timedelta(seconds=5, microseconds=123_999)
    name = segment_name(start, exact=True)
    assert name == "20261120T140005.123Z.mp4"
    assert parse_segment_name(name) == (T0 + timedelta(seconds=5.123), True)
    assert parse_segment_name("20261120T140005.12Z.mp4") is None
    assert parse_segment_name("20261399T140005.123Z.mp4") is None


def test_listing_sorts_and_ignores_other_files(tmp_path: Path) -> None:
    for offset in (20, 0, 10):
        (tmp_path / segment_name(T0 + timedelta(seconds=offset))).write_bytes(
            b"x" * offset
        )
    (tmp_path / "README").write_text("not a segment")
    listed = list_segments(tmp_path)
    assert [s.start for s in listed] == [T0 + timedelta(seconds=s) for s in (0, 10, 20)]
    assert [s.size for s in listed] == [0, 10, 20]
    assert list_segments(tmp_path / "absent") == []


def test_selection_uses_real_durations(assets: Assets, tmp_path: Path) -> None:
    lay_out(assets, tmp_path, T0)
    segments = list_segments(tmp_path)
    chosen = select_footage(
        segments, T0 + timedelta(seconds=3), T0 + timedelta(seconds=5)
    )
    assert [f.start for f in chosen] == [
        T0 + timedelta(seconds=2),
        T0 + timedelta(seconds=4),
    ]
    assert all(f.end > f.start for f in chosen)
    # A window that only touches the end of a segment's name slot still finds it.
    late = select_footage(
        segments, T0 + timedelta(seconds=11.9), T0 + timedelta(seconds=30)
    )
    assert [f.start for f in late] == [T0 + timedelta(seconds=10)]
    assert (
        select_footage(segments, T0 + timedelta(minutes=5), T0 + timedelta(minutes=6))
        == []
    )


def test_unfinished_segments_are_skipped(assets: Assets, tmp_path: Path) -> None:
    placed = lay_out(assets, tmp_path, T0)
    placed[1].write_bytes(placed[1].read_bytes()[:1000])
    chosen = select_footage(list_segments(tmp_path), T0, T0 + timedelta(seconds=6))
    assert [f.path for f in chosen] == [placed[0], placed[2]]


def footage(start_s: float, duration: float) -> Footage:
    return Footage(Path("x"), T0 + timedelta(seconds=start_s), duration)


def test_missing_ranges() -> None:
    end = T0 + timedelta(seconds=30)
    assert (
        missing_ranges([footage(0, 10), footage(10, 10), footage(20, 10)], T0, end)
        == []
    )
    assert missing_ranges([footage(0.5, 10), footage(10.2, 20)], T0, end) == []
    assert missing_ranges([footage(5, 10), footage(20, 5)], T0, end) == [
        (T0, T0 + timedelta(seconds=5)),
        (T0 + timedelta(seconds=15), T0 + timedelta(seconds=20)),
        (T0 + timedelta(seconds=25), end),
    ]
    assert missing_ranges([footage(-5, 40)], T0, end) == []
    assert missing_ranges([], T0, end) == [(T0, end)]


def test_leases_count_and_report_present_files(tmp_path: Path) -> None:
    here = tmp_path / "a.mp4"
    here.write_bytes(b"a")
    gone = tmp_path / "b.mp4"
    leases = SegmentLeases()
    with leases.hold([here, gone]) as present:
        assert present == [here]
        with leases.hold([here]):
            assert leases.is_leased(here)
        assert leases.is_leased(here)
        assert not leases.delete_unless_leased(here)
        assert here.exists()
    assert not leases.is_leased(here)
    assert leases.delete_unless_leased(here)
    assert not here.exists()


def write_segments(directory: Path, count: int, size: int) -> list[Path]:
    paths = []
    for index in range(count):
        path = directory / segment_name(T0 + timedelta(seconds=SEGMENT_SECONDS * index))
        path.write_bytes(b"x" * size)
        paths.append(path)
    return paths


def test_prune_by_age(tmp_path: Path) -> None:
    paths = write_segments(tmp_path, 6, 100)
    now = T0 + timedelta(hours=48, seconds=5)  # the first three are older than 48 h
    result = prune(tmp_path, SegmentLeases(), now=now)
    assert result.deleted == tuple(paths[:3])
    assert result.freed_bytes == 300
    assert result.remaining_bytes == 300
    assert result.kept_leased == ()
    assert [p.exists() for p in paths] == [False, False, False, True, True, True]


def test_prune_by_budget_keeps_the_newest(tmp_path: Path) -> None:
    paths = write_segments(tmp_path, 5, 100)
    result = prune(tmp_path, SegmentLeases(), now=T0, budget_bytes=250)
    assert result.deleted == tuple(paths[:3])
    assert result.remaining_bytes == 200
    # Even a zero budget never removes the segment being written.
    result = prune(
        tmp_path, SegmentLeases(), now=T0 + timedelta(days=9), budget_bytes=0
    )
    assert result.deleted == (paths[3],)
    assert [p.exists() for p in paths] == [False] * 4 + [True]


def test_prune_skips_leased_segments(tmp_path: Path) -> None:
    paths = write_segments(tmp_path, 5, 100)
    leases = SegmentLeases()
    with leases.hold(paths[1:3]):
        result = prune(tmp_path, leases, now=T0, budget_bytes=0)
        assert result.deleted == (paths[0], paths[3])
        assert result.kept_leased == (paths[1], paths[2])
        assert result.remaining_bytes == 300
    result = prune(tmp_path, leases, now=T0, budget_bytes=0)
    assert result.deleted == (paths[1], paths[2])


def test_gaps_between_exactly_timed_segments() -> None:
    """With first-frame times, a hole over a second is a fact, a seam is not."""
    end = T0 + timedelta(seconds=40)

    def exact(start_s: float, duration: float) -> Footage:
        return Footage(Path("x"), T0 + timedelta(seconds=start_s), duration, True)

    seams = [exact(0, 10.02), exact(10.0, 9.7), exact(20.5, 20)]
    assert missing_ranges(seams, T0, end) == []  # 0.8 s at most: a seam
    dropout = [exact(0, 10), exact(30.0, 10)]
    assert missing_ranges(dropout, T0, end) == [
        (T0 + timedelta(seconds=10), T0 + timedelta(seconds=30))
    ]
    assert missing_ranges([exact(0, 10), exact(11.5, 28.5)], T0, end) == [
        (T0 + timedelta(seconds=10), T0 + timedelta(seconds=11.5))
    ]


def test_prune_for_space_takes_the_oldest_footage_of_all_cameras(
    tmp_path: Path,
) -> None:
    """A nearly full disk loses the oldest footage first, whoever recorded it."""
    porch, hall = tmp_path / "porch", tmp_path / "hall"
    for folder, offsets in ((porch, (0, 20, 40)), (hall, (10, 30, 50))):
        folder.mkdir()
        for offset in offsets:
            name = segment_name(T0 + timedelta(seconds=offset))
            (folder / name).write_bytes(b"x" * 100)
    leases = SegmentLeases()
    held = porch / segment_name(T0 + timedelta(seconds=20))
    with leases.hold([held]):
        result = prune_for_space([porch, hall], leases, 250)
    # Oldest first (0 s, 10 s), the leased 20 s kept, then 30 s; the newest
    # segment of each camera (its recorder may be writing it) never.
    assert [p.parent.name + "/" + p.name[13:15] for p in result.deleted] == [
        "porch/00",
        "hall/10",
        "hall/30",
    ]
    assert result.kept_leased == (held,)
    assert result.freed_bytes == 300
    assert measured_rate(list_segments(hall), T0 + timedelta(seconds=60)) is None
