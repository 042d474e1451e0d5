"""The MP4 box reader tells finished segments, durations and audio apart."""

from __future__ import annotations

from pathlib import Path
import struct

from custom_components.neighborhood_requests.export.mp4 import read_mp4

from .footage import Assets


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mvhd_v0(timescale: int, duration: int) -> bytes:
    return box(
        b"mvhd",
        bytes(4) + bytes(8) + struct.pack(">II", timescale, duration) + bytes(80),
    )


def mvhd_v1(timescale: int, duration: int) -> bytes:
    payload = b"\x01" + bytes(3) + bytes(16) + struct.pack(">IQ", timescale, duration)
    return box(b"mvhd", payload + bytes(80))


def hdlr(kind: bytes) -> bytes:
    return box(b"hdlr", bytes(8) + kind + bytes(12))


def test_real_segment(assets: Assets) -> None:
    info = read_mp4(assets.segments[0])
    assert info is not None
    assert 1.9 < info.duration < 2.2
    assert set(info.handlers) == {"vide", "soun"}
    assert info.has_audio
    assert not info.moov_before_mdat  # the segmenter writes the index last


def test_faststart_clip_without_audio(assets: Assets) -> None:
    info = read_mp4(assets.clip_faststart)
    assert info is not None
    assert info.moov_before_mdat
    assert not info.has_audio


def test_unfinished_segment_is_not_footage(assets: Assets, tmp_path: Path) -> None:
    data = assets.segments[0].read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    assert read_mp4(cut) is None


def test_missing_and_foreign_files(tmp_path: Path) -> None:
    assert read_mp4(tmp_path / "absent.mp4") is None
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x02junkjunkjunk")
    assert read_mp4(junk) is None


def test_large_size_box_and_version_1_header(tmp_path: Path) -> None:
    mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + 4) + b"data"
    moov = box(b"moov", mvhd_v1(1000, 2500) + box(b"trak", box(b"mdia", hdlr(b"vide"))))
    path = tmp_path / "large.mp4"
    path.write_bytes(box(b"ftyp", b"isom") + mdat + moov)
    info = read_mp4(path)
    assert info is not None
    assert info.duration == 2.5
    assert info.handlers == ("vide",)


def test_zero_timescale_and_broken_children(tmp_path: Path) -> None:
    # A child box claiming more bytes than its parent holds ends the walk.
    broken_child = struct.pack(">I4s", 500, b"trak")
    path = tmp_path / "odd.mp4"
    path.write_bytes(
        box(b"ftyp") + box(b"mdat", b"x") + box(b"moov", mvhd_v0(0, 5) + broken_child)
    )
    info = read_mp4(path)
    assert info is not None
    assert info.duration == 0.0
    assert info.handlers == ()


def test_index_without_movie_header_or_media(tmp_path: Path) -> None:
    no_mvhd = tmp_path / "no_mvhd.mp4"
    no_mvhd.write_bytes(box(b"ftyp") + box(b"mdat", b"x") + box(b"moov", box(b"trak")))
    assert read_mp4(no_mvhd) is None
    no_mdat = tmp_path / "no_mdat.mp4"
    no_mdat.write_bytes(box(b"ftyp") + box(b"moov", mvhd_v0(1000, 1000)))
    assert read_mp4(no_mdat) is None
