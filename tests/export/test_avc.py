"""H.264 parameter sets read back from files ffmpeg made: sizes, in-band sets,
and a sample description rebuilt for new ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from custom_components.neighborhood_requests.export import avc

from .footage import FFMPEG, run


def encode(folder: Path, size: str, *extra: str) -> Path:
    target = folder / f"{size}-{len(list(folder.iterdir()))}.mp4"
    run(
        *(FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"),
        *("-i", f"testsrc2=size={size}:rate=10", "-t", "1"),
        *("-c:v", "libx264", "-preset", "ultrafast", *extra, str(target)),
    )
    return target


def sample_entry(path: Path) -> bytes:
    data = path.read_bytes()
    at = data.index(b"avc1") - 4
    return data[at : at + int.from_bytes(data[at : at + 4])]


@pytest.mark.parametrize(
    ("size", "extra"),
    [
        ("320x240", ()),
        ("1920x1080", ()),  # 1088 coded, cropped to 1080
        ("270x480", ()),  # a portrait doorbell, width not a multiple of 16
        ("642x362", ("-profile:v", "high422", "-pix_fmt", "yuv422p")),
        ("160x120", ("-profile:v", "high444", "-pix_fmt", "yuv444p")),
        ("640x480", ("-flags", "+ildct+ilme", "-x264-params", "tff=1")),
    ],
)
def test_picture_size_from_the_sps(
    tmp_path: Path, size: str, extra: tuple[str, ...]
) -> None:
    entry = sample_entry(encode(tmp_path, size, *extra))
    sets = avc.described_sets(entry)
    assert sets is not None
    width, height = (int(side) for side in size.split("x"))
    assert avc.picture_size(sets[0]) == (width, height)


def test_sets_carried_in_band_and_a_rebuilt_description(tmp_path: Path) -> None:
    """A keyframe's in-band sets are found before its first slice; the rebuilt
    entry describes them, at their size, in a valid avcC."""
    small = encode(tmp_path, "320x240")
    large = encode(tmp_path, "640x480", "-bsf:v", "dump_extra=freq=keyframe")
    large_entry = sample_entry(large)
    data = large.read_bytes()
    mdat = data.index(b"mdat") + 4
    found = avc.carried_sets(data[mdat : mdat + 4096], 4)
    assert found == avc.described_sets(large_entry)
    rebuilt = avc.sample_entry(sample_entry(small), found)
    assert rebuilt is not None
    assert avc.described_sets(rebuilt) == found
    assert int.from_bytes(rebuilt[32:34]) == 640
    assert int.from_bytes(rebuilt[34:36]) == 480
    assert int.from_bytes(rebuilt[:4]) == len(rebuilt)
    assert avc.length_size(rebuilt) == 4


def test_what_is_not_a_parameter_set() -> None:
    assert avc.carried_sets(b"", 4) is None
    assert avc.carried_sets(b"\x00\x00\x00\x02\x65\x88", 4) is None  # a slice first
    assert avc.described_sets(b"no config here") is None
    assert avc.length_size(b"no config here") is None
    assert avc.picture_size(b"\x67") is None  # cut short
    assert (
        avc.sample_entry(b"avc1 without config", (b"\x67\x42\x00\x1e", b"\x68")) is None
    )
