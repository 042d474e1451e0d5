"""Exporting a window: outward rounding, audio, faststart, digest, gaps, leases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import os
from pathlib import Path
import threading
from typing import NoReturn

import pytest

from custom_components.neighborhood_requests.export import join, remux
from custom_components.neighborhood_requests.export.clip import (
    concat_list,
    export_clip,
    prune_previews,
)
from custom_components.neighborhood_requests.export.faststart import CopyStopped
from custom_components.neighborhood_requests.export.remux import Layout
from custom_components.neighborhood_requests.export.result import (
    ExportError,
    NoFootageError,
)
from custom_components.neighborhood_requests.export.segments import (
    Footage,
    SegmentLeases,
    prune,
)
from custom_components.neighborhood_requests.export.sink import HashingSink

from .footage import (
    FFMPEG,
    Assets,
    codec_types,
    lay_out,
    names,
    probe,
    sha256_of,
    top_level_boxes,
    wait_for_path,
)

LAYOUTS = pytest.mark.parametrize("layout", ["fragmented", "faststart"])
T0 = datetime(2026, 11, 20, 14, 0, 0, tzinfo=UTC)
GOP = 1.0  # seconds: -g 10 at 10 fps
# The second segment runs on another video clock: only ffmpeg's concat demuxer
# joins such footage, so these exports run ffmpeg whatever the layout.
NEEDS_FFMPEG = frozenset({1})


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@LAYOUTS
async def test_window_inside_footage(
    assets: Assets, segments_dir: Path, tmp_path: Path, layout: Layout
) -> None:
    lay_out(assets, segments_dir, T0)
    destination = tmp_path / "clip.mp4"
    result = await export_clip(
        ffmpeg=FFMPEG,
        segments_dir=segments_dir,
        start=at(3.5),
        end=at(8.2),
        destination=destination,
        layout=layout,
    )
    assert result.path == destination
    assert result.missing == ()
    assert (result.start, result.end) == (at(3.5), at(8.2))
    info = await probe(destination)
    assert codec_types(info) == ["video"]  # audio stripped by default
    duration = float(info["format"]["duration"])
    window = 4.7
    assert duration >= window  # rounded outward, never inward
    # ...by at most the name slack plus one GOP in front and a frame behind.
    assert duration <= window + 1.0 + GOP + 0.2
    boxes = top_level_boxes(destination)
    assert boxes.index("moov") < boxes.index("mdat")
    assert result.sha256 == sha256_of(destination)
    assert result.bytes == destination.stat().st_size
    assert names(tmp_path) == ["clip.mp4", "recordings"]


@LAYOUTS
async def test_audio_only_when_asked(
    assets: Assets, segments_dir: Path, tmp_path: Path, layout: Layout
) -> None:
    lay_out(assets, segments_dir, T0)
    result = await export_clip(
        ffmpeg=FFMPEG,
        segments_dir=segments_dir,
        start=at(1),
        end=at(3),
        destination=tmp_path / "with_audio.mp4",
        layout=layout,
        include_audio=True,
    )
    assert codec_types(await probe(result.path)) == ["video", "audio"]


async def test_window_partly_outside_reports_missing(
    assets: Assets, segments_dir: Path, tmp_path: Path
) -> None:
    lay_out(assets, segments_dir, T0, skip=frozenset({2}))  # no footage 4 s - 6 s
    result = await export_clip(
        ffmpeg=FFMPEG,
        segments_dir=segments_dir,
        start=at(-30),
        end=at(7),
        destination=tmp_path / "clip.mp4",
    )
    # Footage starts with the first picture: the video's empty edit of 64 ms.
    before, hole = result.missing
    assert (before.start, hole.end) == (at(-30), at(6))
    assert at(0) <= before.end <= at(0.1)
    assert at(4) <= hole.start <= at(4.1)
    # The export engine does not know why; the recorder's side says where it does.
    assert {gap.reason for gap in result.missing} == {"no_footage"}
    duration = float((await probe(result.path))["format"]["duration"])
    assert duration >= 7 - 2  # everything that exists: 0-4 s and 6-7 s


async def test_window_without_footage(
    assets: Assets, segments_dir: Path, tmp_path: Path
) -> None:
    lay_out(assets, segments_dir, T0)
    with pytest.raises(NoFootageError, match="no footage between 2026-11-20T15:00:00"):
        await export_clip(
            ffmpeg=FFMPEG,
            segments_dir=segments_dir,
            start=at(3600),
            end=at(3700),
            destination=tmp_path / "clip.mp4",
        )
    with pytest.raises(NoFootageError):
        await export_clip(
            ffmpeg=FFMPEG,
            segments_dir=tmp_path / "never_recorded",
            start=at(0),
            end=at(10),
            destination=tmp_path / "clip.mp4",
        )
    assert not (tmp_path / "clip.mp4").exists()


async def test_reversed_window(segments_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is not after its start"):
        await export_clip(
            ffmpeg=FFMPEG,
            segments_dir=segments_dir,
            start=at(5),
            end=at(5),
            destination=tmp_path / "clip.mp4",
        )


@LAYOUTS
async def test_ffmpeg_failures_are_clear(
    assets: Assets, segments_dir: Path, tmp_path: Path, layout: Layout
) -> None:
    lay_out(assets, segments_dir, T0, other_clock=NEEDS_FFMPEG)
    with pytest.raises(ExportError, match="cannot run ffmpeg"):
        await export_clip(
            ffmpeg=str(tmp_path / "no-ffmpeg"),
            segments_dir=segments_dir,
            start=at(0),
            end=at(3),
            destination=tmp_path / "clip.mp4",
            layout=layout,
        )
    with pytest.raises(ExportError, match=r"ffmpeg failed \(1\)"):
        await export_clip(
            ffmpeg="/bin/false",
            segments_dir=segments_dir,
            start=at(0),
            end=at(3),
            destination=tmp_path / "clip.mp4",
            layout=layout,
        )
    liar = tmp_path / "liar-ffmpeg"  # exits 0 but writes no usable MP4
    liar.write_text(
        '#!/bin/sh\nfor last; do :; done\n[ "$last" = pipe:1 ] || exec > "$last"\n'
        "echo junk\n"
    )
    liar.chmod(0o755)
    with pytest.raises(ExportError, match="did not produce a complete MP4"):
        await export_clip(
            ffmpeg=str(liar),
            segments_dir=segments_dir,
            start=at(0),
            end=at(3),
            destination=tmp_path / "clip.mp4",
            layout=layout,
        )
    assert names(tmp_path) == ["liar-ffmpeg", "recordings"]


async def test_quotes_in_paths(assets: Assets, tmp_path: Path) -> None:
    odd = tmp_path / "it's here"
    lay_out(assets, odd, T0)
    result = await export_clip(
        ffmpeg=FFMPEG,
        segments_dir=odd,
        start=at(0),
        end=at(3),
        destination=tmp_path / "c.mp4",
    )
    assert float((await probe(result.path))["format"]["duration"]) >= 3


def test_concat_list_trims_outward() -> None:
    items = [
        Footage(Path("/r/a.mp4"), at(0), 2.0),
        Footage(Path("/r/b.mp4"), at(2), 2.0),
    ]
    assert concat_list(items, at(1.5), at(3.25)) == (
        "ffconcat version 1.0\nfile '/r/a.mp4'\ninpoint 0.500\n"
        "file '/r/b.mp4'\noutpoint 1.250\n"
    )
    # Window covering whole segments: no in or out points at all.
    assert concat_list(items, at(0.5), at(5)) == (
        "ffconcat version 1.0\nfile '/r/a.mp4'\nfile '/r/b.mp4'\n"
    )


async def wait_for_file(path: Path) -> None:
    await asyncio.to_thread(wait_for_path, path)


def gated_ffmpeg(tmp_path: Path) -> tuple[str, Path, Path]:
    """An ffmpeg that announces itself and waits for a go-ahead before running."""
    started, release = tmp_path / "started", tmp_path / "release"
    script = tmp_path / "gated-ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        f"echo $$ > '{started}'\n"
        f"while [ ! -e '{release}' ]; do sleep 0.02; done\n"
        f'exec {FFMPEG} "$@"\n'
    )
    script.chmod(0o755)
    return str(script), started, release


async def test_pruning_during_export_spares_leased_segments(
    assets: Assets, segments_dir: Path, tmp_path: Path
) -> None:
    placed = lay_out(assets, segments_dir, T0, other_clock=NEEDS_FFMPEG)
    ffmpeg, started, release = gated_ffmpeg(tmp_path)
    leases = SegmentLeases()
    export = asyncio.create_task(
        export_clip(
            ffmpeg=ffmpeg,
            segments_dir=segments_dir,
            start=at(0.5),
            end=at(5),
            destination=tmp_path / "clip.mp4",
            leases=leases,
        )
    )
    await wait_for_file(started)
    pruned = await asyncio.to_thread(
        prune, segments_dir, leases, now=at(10 * 86400), budget_bytes=0
    )
    assert pruned.kept_leased == tuple(placed[:3])
    assert pruned.deleted == tuple(placed[3:5])
    release.touch()
    result = await export
    assert result.missing == ()
    assert float((await probe(result.path))["format"]["duration"]) >= 4.5
    after = await asyncio.to_thread(
        prune, segments_dir, leases, now=at(10 * 86400), budget_bytes=0
    )
    assert after.deleted == tuple(placed[:3])


@LAYOUTS
async def test_cancelled_export_leaves_no_process_or_file(
    assets: Assets, segments_dir: Path, tmp_path: Path, layout: Layout
) -> None:
    lay_out(assets, segments_dir, T0, other_clock=NEEDS_FFMPEG)
    ffmpeg, started, _ = gated_ffmpeg(tmp_path)
    export = asyncio.create_task(
        export_clip(
            ffmpeg=ffmpeg,
            segments_dir=segments_dir,
            start=at(0),
            end=at(5),
            destination=tmp_path / "clip.mp4",
            layout=layout,
        )
    )
    await wait_for_file(started)
    pid = int(started.read_text())
    export.cancel()
    with pytest.raises(asyncio.CancelledError):
        await export
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert [name for name in names(tmp_path) if name.startswith(".")] == []


@pytest.mark.parametrize("joined", [True, False], ids=["joined", "ffmpeg-faststart"])
async def test_cancelling_mid_copy_stops_the_thread(
    assets: Assets,
    segments_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    joined: bool,
) -> None:
    """Cancelling while a thread copies the clip sets its stop flag and waits
    for it to clean up."""
    lay_out(
        assets, segments_dir, T0, other_clock=frozenset() if joined else NEEDS_FFMPEG
    )
    entered, finished = threading.Event(), threading.Event()

    def until_stopped(stop: threading.Event | None) -> NoReturn:
        entered.set()
        assert stop is not None
        stop.wait(20)
        finished.set()
        raise CopyStopped

    if joined:
        monkeypatch.setattr(
            join._Copier, "copy", lambda self, *_: until_stopped(self.stop)
        )
    else:
        monkeypatch.setattr(
            remux, "faststart_in_place", lambda *args: until_stopped(args[2])
        )
    export = asyncio.create_task(
        export_clip(
            ffmpeg=FFMPEG,
            segments_dir=segments_dir,
            start=at(0),
            end=at(4),
            destination=tmp_path / "clip.mp4",
        )
    )
    await asyncio.to_thread(entered.wait, 20)
    export.cancel()
    with pytest.raises(asyncio.CancelledError):
        await export
    assert finished.is_set()
    assert names(tmp_path) == ["recordings"]


def test_prune_previews(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    old, fresh = tmp_path / "old.mp4", tmp_path / "fresh.mp4"
    old.write_bytes(b"o")
    fresh.write_bytes(b"f")
    (tmp_path / "folder").mkdir()
    day_ago = (now - timedelta(hours=25)).timestamp()
    os.utime(old, (day_ago, day_ago))
    assert prune_previews(tmp_path, now=now) == [old]
    assert fresh.exists()
    assert prune_previews(tmp_path / "absent", now=now) == []


@pytest.mark.parametrize(
    ("layout", "other_clock", "target"),
    [
        ("fragmented", frozenset(), (HashingSink, "write")),
        ("faststart", NEEDS_FFMPEG, (os, "pwritev")),  # faststart.py's move
        ("faststart", frozenset(), (os, "pwritev")),  # join.py's copy
    ],
    ids=["fragmented", "ffmpeg-faststart", "joined"],
)
async def test_full_disk_fails_cleanly(
    assets: Assets,
    segments_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    layout: Layout,
    other_clock: frozenset[int],
    target: tuple[object, str],
) -> None:
    """A full disk fails the export with a clear error and leaves no file behind;
    ffmpeg writing into a pipe is not left blocked on it."""
    lay_out(assets, segments_dir, T0, other_clock=other_clock)

    def disk_full(*args: object) -> NoReturn:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(*target, disk_full)
    with pytest.raises(ExportError, match=r"cannot write the clip: .*No space left"):
        await export_clip(
            ffmpeg=FFMPEG,
            segments_dir=segments_dir,
            start=at(0),
            end=at(10),
            destination=tmp_path / "clip.mp4",
            layout=layout,
        )
    assert names(tmp_path) == ["recordings"]
