"""A run's first seconds put back in sync once the camera's first sender report came.

Each case is made the way ffmpeg makes it: a clean recording is segmented again
with one stream's timestamps moved before a point (ffmpeg's `setts` filter), as
ffmpeg's RTSP demuxer moves them until a stream's first sender report; a stream
that then goes back in time is clamped by ffmpeg's CLI exactly as in the
recorder. The fix must put every packet back where the clean recording has it.
"""

from __future__ import annotations

from pathlib import Path
import shutil

import pytest

from custom_components.neighborhood_requests.export.resync import (
    Jump,
    apply_jump,
    find_jumps,
)

from .footage import FFMPEG, decodes_cleanly, ffprobe_json, run

RATE = 16000  # the audio's clock
FRAME = 1024 / RATE  # one AAC frame


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 s of 10 fps H.264 (1 s GOP) and 16 kHz AAC, as a camera records."""
    target = tmp_path_factory.mktemp("resync") / "source.mp4"
    run(
        FFMPEG,
        *("-hide_banner", "-loglevel", "error", "-y"),
        *("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10"),
        *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000"),
        *("-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10"),
        *("-c:a", "aac", str(target)),
    )
    return target


def segment(source: Path, folder: Path, *bsf: str, mapping: str = "0") -> list[Path]:
    """The recorder's segments of `source` (4 s, the run's own timeline),
    with bitstream filters moving timestamps."""
    folder.mkdir()
    run(
        FFMPEG,
        *("-hide_banner", "-loglevel", "error", "-i", str(source), "-map", mapping),
        *("-c", "copy", *bsf, "-f", "segment", "-segment_time", "4"),
        *("-segment_format", "mp4", "-reset_timestamps", "0"),
        str(folder / "seg%02d.mp4"),
    )
    return sorted(folder.glob("seg*.mp4"))


async def packet_times(paths: list[Path], stream: str) -> list[float]:
    """Presentation time of every packet a player shows, across the segments."""
    times: list[float] = []
    for path in paths:
        found = await ffprobe_json(
            *("-select_streams", stream, "-show_entries", "packet=pts_time,flags"),
            str(path),
        )
        times += [
            float(p["pts_time"])
            for p in found["packets"]
            if "D" not in p.get("flags", "")  # skipped by the edit list
        ]
    return times


async def in_clean_time(
    clean: list[Path], fixed: list[Path], moved_stream: str
) -> tuple[list[float], list[float]]:
    """The moved stream's packet times in both recordings, on the clean one's
    clock: ffmpeg starts each recording's clock at its earliest packet, so the
    stream nobody moved tells how the two clocks differ."""
    still = "v" if moved_stream == "a" else "a"
    offset = min(await packet_times(clean, still)) - min(
        await packet_times(fixed, still)
    )
    clean_times = sorted(await packet_times(clean, moved_stream))
    fixed_times = sorted(t + offset for t in await packet_times(fixed, moved_stream))
    return clean_times, fixed_times


def find_jump(paths: list[Path]) -> Jump | None:
    """The jump onto the shared timeline (these recordings' first pictures
    carry their timestamps, so it is the only fix)."""
    found = find_jumps(paths)
    assert len(found) <= 1, found
    return found[0] if found else None


def moved(stream: str, before: float, seconds: float) -> tuple[str, str]:
    """`setts` moving `stream`'s packets before `before` s by `seconds`."""
    scale = RATE if stream == "a" else 10240
    expression = (
        f"if(lt(PTS\\,{round(before * scale)})\\,PTS+{round(seconds * scale)}\\,PTS)"
    )
    return (
        f"-bsf:{stream}",
        f"setts=pts={expression}:dts={expression.replace('PTS', 'DTS')}",
    )


async def test_audio_that_ran_ahead_is_moved_back(source: Path, tmp_path: Path) -> None:
    """Audio 0.34 s ahead until 6 s: when it jumps back, ffmpeg clamps the
    packets that would go back in time; afterwards every audio packet plays
    where the clean recording has it and the segments still decode."""
    clean = segment(source, tmp_path / "clean")
    paths = segment(source, tmp_path / "late", *moved("a", 6.0, 0.34))
    jump = find_jump(paths)
    assert jump is not None
    assert jump.handler == b"soun"
    assert jump.shift == pytest.approx(-0.34, abs=1 / RATE)
    apply_jump(paths, jump)
    expected, fixed = await in_clean_time(clean, paths, "a")
    # Sound from before the recording's first picture is cut; every other
    # packet is where it belongs.
    assert fixed == pytest.approx(expected[-len(fixed) :], abs=2 / RATE)
    assert len(expected) - len(fixed) <= round(0.34 / FRAME) + 1
    for path in paths:
        await decodes_cleanly(path)
    assert find_jump(paths) is None  # nothing left to fix


async def test_video_that_lagged_is_moved_forward(source: Path, tmp_path: Path) -> None:
    """Video 0.37 s behind until 5 s, then one long frame: the pictures before
    it move forward, the long frame becomes an ordinary one."""
    clean = segment(source, tmp_path / "clean")
    paths = segment(source, tmp_path / "late", *moved("v", 5.0, -0.37))
    jump = find_jump(paths)
    assert jump is not None
    assert (jump.handler, round(jump.shift, 3)) == (b"vide", 0.37)
    apply_jump(paths, jump)
    expected, fixed = await in_clean_time(clean, paths, "v")
    assert fixed == pytest.approx(expected, abs=0.002)
    for path in paths:
        await decodes_cleanly(path)


@pytest.mark.parametrize("mapping", ["0", "0:v"])
async def test_a_first_picture_without_timestamp(
    source: Path, tmp_path: Path, mapping: str
) -> None:
    """ffmpeg gets no timestamp for an RTSP session's first video packet; a
    camera opening with a keyframe has it recorded at the run's start. It moves
    to one frame before the next picture, with or without sound."""
    late = round(0.26 * 10240)
    clean = segment(
        source, tmp_path / "clean", "-bsf:v", f"setts=ts=PTS+{late}", mapping=mapping
    )
    paths = segment(
        source,
        tmp_path / "first",
        *("-bsf:v", f"setts=ts=if(eq(N\\,0)\\,PTS\\,PTS+{late})"),
        mapping=mapping,
    )
    found = find_jumps(paths)
    assert [(j.handler, round(j.shift, 3)) for j in found] == [(b"vide", 0.26)]
    apply_jump(paths, found[0])
    assert await packet_times(paths, "v") == pytest.approx(
        await packet_times(clean, "v"), abs=0.001
    )
    await decodes_cleanly(paths[0])


async def test_a_jump_across_a_segment_seam(source: Path, tmp_path: Path) -> None:
    """The report lands where one segment ends: the earlier file moves whole."""
    clean = segment(source, tmp_path / "clean")
    paths = segment(source, tmp_path / "late", *moved("a", 4.0, 0.2))
    jump = find_jump(paths)
    assert jump is not None
    apply_jump(paths, jump)
    expected, fixed = await in_clean_time(clean, paths, "a")
    assert fixed == pytest.approx(expected[-len(fixed) :], abs=2 / RATE)


@pytest.mark.parametrize(
    ("name", "bsf", "mapping"),
    [
        ("in sync from the start", (), "0"),
        # A camera dropping two frames at 5 s (low light, a busy encoder).
        ("video frames dropped", moved("v", 5.0, -0.2), "0"),
        # Three audio packets lost at 6 s (RTP over UDP): a hole, not a jump.
        ("audio packets lost", moved("a", 6.0, -3 * FRAME), "0"),
        # One stream has nothing to line up with: ffmpeg never moves it.
        ("no audio", moved("v", 5.0, -0.37), "0:v"),
    ],
)
async def test_footage_left_as_recorded(
    source: Path, tmp_path: Path, name: str, bsf: tuple[str, ...], mapping: str
) -> None:
    paths = segment(source, tmp_path / "segments", *bsf, mapping=mapping)
    before = [path.read_bytes() for path in paths]
    jump = find_jump(paths)
    assert jump is None, name
    assert [path.read_bytes() for path in paths] == before


async def test_uneven_audio_is_not_guessed_at(source: Path, tmp_path: Path) -> None:
    """Audio stepping unevenly twice is not a sender report: nothing moves."""
    paths = segment(
        source,
        tmp_path / "uneven",
        "-bsf:a",
        "setts=ts=if(lt(PTS\\,64000)\\,PTS+3000\\,if(lt(PTS\\,112000)\\,PTS+1000\\,PTS))",
    )
    assert find_jump(paths) is None


def test_unreadable_segments_are_left_alone(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x08free")
    assert find_jump([broken]) is None
    assert find_jump([tmp_path / "gone.mp4"]) is None


async def test_the_index_is_replaced_in_one_write(source: Path, tmp_path: Path) -> None:
    """A smaller index fills the old one's place with a `free` box, so the
    media never moves and the file never shrinks under a reader."""
    paths = segment(source, tmp_path / "late", *moved("a", 6.0, 0.34))
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "late", copy)
    sizes = [path.stat().st_size for path in paths]
    jump = find_jump(paths)
    assert isinstance(jump, Jump)
    apply_jump(paths, jump)
    for path, size, original in zip(paths, sizes, sorted(copy.iterdir()), strict=True):
        assert path.stat().st_size >= size
        data, old = path.read_bytes(), original.read_bytes()
        mdat = old.index(b"mdat") - 4
        assert data[:mdat] == old[:mdat]  # header and media untouched
