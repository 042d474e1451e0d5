"""Moving the index ahead of the media in place: real clips and synthetic boxes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
import os
from pathlib import Path
import shutil
import struct
import threading

import pytest

from custom_components.neighborhood_requests.export import faststart
from custom_components.neighborhood_requests.export.clip import export_clip
from custom_components.neighborhood_requests.export.faststart import (
    CopyStopped,
    _hash_fd,
    _Shifter,
    box_header,
    faststart_in_place,
    relocate_moov,
)
from custom_components.neighborhood_requests.export.mp4 import read_mp4
from custom_components.neighborhood_requests.export.result import ExportError

from .footage import (
    FFMPEG,
    Assets,
    codec_types,
    decodes_cleanly,
    lay_out,
    names,
    probe,
    run,
    sha256_of,
    top_level_boxes,
)

T0 = datetime(2026, 11, 20, 14, 0, 0, tzinfo=UTC)
U32_MAX = 0xFFFFFFFF


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def stco(*offsets: int) -> bytes:
    return box(
        b"stco", bytes(4) + struct.pack(f">I{len(offsets)}I", len(offsets), *offsets)
    )


def co64(*offsets: int) -> bytes:
    return box(
        b"co64", bytes(4) + struct.pack(f">I{len(offsets)}Q", len(offsets), *offsets)
    )


def trak(table: bytes) -> bytes:
    stbl = box(b"stbl", box(b"stsz", bytes(12)) + table)
    return box(b"trak", box(b"mdia", box(b"minf", stbl)))


def mvhd() -> bytes:
    return box(b"mvhd", bytes(12) + struct.pack(">II", 1000, 2000) + bytes(80))


def parse(
    data: bytes, start: int = 0, end: int | None = None
) -> Iterator[tuple[bytes, bytes]]:
    """(type, payload) of packed boxes; asserts every size adds up exactly."""
    end = len(data) if end is None else end
    offset = start
    while offset < end:
        size, kind = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1:
            (size,) = struct.unpack_from(">Q", data, offset + 8)
            header = 16
        assert header <= size <= end - offset, kind
        yield kind, data[offset + header : offset + size]
        offset += size
    assert offset == end


def tables(moov: bytes) -> list[tuple[bytes, tuple[int, ...]]]:
    """Chunk-offset tables of every track, parsed independently of the code."""
    found = []
    ((kind, payload),) = parse(moov)
    assert kind == b"moov"
    for kind, track in parse(payload):
        if kind != b"trak":
            continue
        ((_, mdia),) = parse(track)
        ((_, minf),) = parse(mdia)
        ((_, stbl),) = parse(minf)
        for table_kind, table in parse(stbl):
            if table_kind in (b"stco", b"co64"):
                (count,) = struct.unpack_from(">I", table, 4)
                width = "Q" if table_kind == b"co64" else "I"
                entries = struct.unpack_from(f">{count}{width}", table, 8)
                found.append((table_kind, entries))
    return found


def test_offsets_move_by_the_new_index_size() -> None:
    large_header = struct.pack(">I4sQ", 1, b"udta", 16 + 4) + b"abcd"
    moov = box(
        b"moov", mvhd() + trak(stco(40, 5000)) + trak(co64(2**33)) + large_header
    )
    moved = relocate_moov(moov)
    assert len(moved) == len(moov)
    assert moved.endswith(large_header)
    shift = len(moved)
    assert tables(moved) == [
        (b"stco", (40 + shift, 5000 + shift)),
        (b"co64", (2**33 + shift,)),
    ]


def test_overflowing_tables_become_co64_and_sizes_settle() -> None:
    """Widening one table grows the index, which can push another one over 4 GiB."""
    filler = box(b"udta", bytes(64))

    def index(near: int) -> bytes:
        return box(
            b"moov",
            mvhd() + trak(stco(100, U32_MAX - 50)) + trak(stco(7, near)) + filler,
        )

    size = len(index(0))
    # Fits after a shift by the unchanged index size, not after the first widening
    # (two entries, 8 more bytes).
    near = U32_MAX - size - 4
    moov = index(near)
    moved = relocate_moov(moov)
    assert len(moved) == len(moov) + 2 * 4 + 2 * 4
    shift = len(moved)
    assert tables(moved) == [
        (b"co64", (100 + shift, U32_MAX - 50 + shift)),
        (b"co64", (7 + shift, near + shift)),
    ]
    assert moved.endswith(filler)  # other boxes are kept byte for byte


def test_small_offsets_stay_32_bit() -> None:
    moov = box(b"moov", mvhd() + trak(stco(U32_MAX - 10_000)))
    moved = relocate_moov(moov)
    assert tables(moved) == [(b"stco", (U32_MAX - 10_000 + len(moved),))]


def test_box_header_beyond_4_gib() -> None:
    assert box_header(b"mdat", 2**32) == struct.pack(">I4sQ", 1, b"mdat", 2**32 + 16)
    assert box_header(b"mdat", 100) == struct.pack(">I4s", 108, b"mdat")


def test_damaged_tables_are_refused() -> None:
    with pytest.raises(ExportError, match="short stco"):
        relocate_moov(box(b"moov", trak(box(b"stco", bytes(4)))))
    too_many = box(b"stco", bytes(4) + struct.pack(">II", 3, 10))
    with pytest.raises(ExportError, match="stco lists too many chunks"):
        relocate_moov(box(b"moov", trak(too_many)))
    with pytest.raises(ExportError, match="overruns its parent"):
        relocate_moov(box(b"moov", struct.pack(">I4s", 99, b"trak")))
    with pytest.raises(ExportError, match="truncated box header"):
        relocate_moov(box(b"moov", b"\x00\x00"))
    with pytest.raises(ExportError, match="truncated box header"):
        relocate_moov(box(b"moov", struct.pack(">I4sI", 1, b"trak", 0)))


def test_synthetic_file_with_64_bit_media_header(tmp_path: Path) -> None:
    """A large-size `mdat` header and a zero-size last box are read correctly."""
    ftyp = box(b"ftyp", b"isom" + bytes(4))
    media = b"FRAME-ONE" + b"FRAME-TWO"
    mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + len(media)) + media
    first = len(ftyp) + 16
    moov_payload = mvhd() + trak(stco(first, first + 9))
    moov = struct.pack(">I4s", 0, b"moov") + moov_payload  # size 0: to end of file
    source = tmp_path / "plain.mp4"
    source.write_bytes(ftyp + mdat + moov)
    destination = tmp_path / "clip.mp4"
    digest, size = faststart_in_place(source, destination)
    data = destination.read_bytes()
    assert (digest, size) == (sha256_of(destination), len(data))
    assert top_level_boxes(destination) == ["ftyp", "moov", "mdat"]
    moved = data[len(ftyp) : len(ftyp) + 8 + len(moov_payload)]
    ((_, offsets),) = tables(moved)
    assert [data[offset : offset + 9] for offset in offsets] == [
        b"FRAME-ONE",
        b"FRAME-TWO",
    ]
    info = read_mp4(destination)
    assert info is not None
    assert info.moov_before_mdat
    assert info.duration == 2.0


def test_index_that_shrinks_leaves_no_tail(tmp_path: Path) -> None:
    """A container with a needless 64-bit header is rebuilt 8 bytes smaller."""
    ftyp = box(b"ftyp", b"isom" + bytes(4))
    media = b"ONLY-FRAME"
    mdat = box(b"mdat", media)
    first = len(ftyp) + 8
    inner = box(b"mdia", box(b"minf", box(b"stbl", stco(first))))
    large_trak = struct.pack(">I4sQ", 1, b"trak", 16 + len(inner)) + inner
    moov = box(b"moov", mvhd() + large_trak)
    source = tmp_path / "plain.mp4"
    source.write_bytes(ftyp + mdat + moov)
    destination = tmp_path / "clip.mp4"
    digest, size = faststart_in_place(source, destination)
    data = destination.read_bytes()
    assert size == len(data) == len(ftyp) + len(moov) - 8 + len(mdat)
    assert digest == sha256_of(destination)
    assert top_level_boxes(destination) == ["ftyp", "moov", "mdat"]
    ((_, (offset,)),) = tables(data[len(ftyp) : len(ftyp) + len(moov) - 8])
    assert data[offset : offset + len(media)] == media


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (box(b"ftyp") + box(b"mdat", b"x"), "did not produce a complete MP4"),
        (box(b"ftyp") + b"\x00\x00", "truncated box header"),
        (box(b"ftyp") + struct.pack(">I4sI", 1, b"mdat", 0), "truncated box header"),
        (box(b"ftyp") + struct.pack(">I4s", 400, b"mdat"), "is cut short"),
        (
            box(b"ftyp") + box(b"mdat") + box(b"moov", mvhd()) + box(b"free"),
            "unexpected boxes after the MP4 index",
        ),
    ],
)
def test_damaged_files_leave_nothing(
    tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "plain.mp4"
    source.write_bytes(content)
    with pytest.raises(ExportError, match=message):
        faststart_in_place(source, tmp_path / "clip.mp4")
    assert names(tmp_path) == ["plain.mp4"]


@pytest.mark.parametrize("chunk", [faststart.CHUNK, 997])
def test_same_bytes_as_ffmpegs_own_faststart(
    assets: Assets, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """With audio: ffmpeg's plain output rewritten by us equals ffmpeg's +faststart.

    Chunks much smaller than the index make reads run several chunks ahead of the
    writes that would overwrite them.
    """
    monkeypatch.setattr(faststart, "CHUNK", chunk)
    plain, ffmpegs = tmp_path / "plain.mp4", tmp_path / "ffmpeg_faststart.mp4"
    quiet = [FFMPEG, "-hide_banner", "-loglevel", "error", "-y"]
    source = ["-i", str(assets.segments[1]), "-c", "copy"]
    run(*quiet, *source, str(plain))
    run(*quiet, *source, "-movflags", "+faststart", str(ffmpegs))
    assert top_level_boxes(plain)[-1] == "moov"
    before = read_mp4(plain)
    assert before is not None
    ours = tmp_path / "ours.mp4"
    digest, size = faststart_in_place(plain, ours)
    assert ours.read_bytes() == ffmpegs.read_bytes()
    assert (digest, size) == (sha256_of(ours), ours.stat().st_size)
    assert top_level_boxes(ours) == ["ftyp", "moov", "free", "mdat"]
    assert names(tmp_path) == ["ffmpeg_faststart.mp4", "ours.mp4"]
    after = read_mp4(ours)
    assert after is not None
    assert after.moov_before_mdat
    assert after.has_audio
    assert after.duration == before.duration


def test_index_first_file_is_only_hashed(assets: Assets, tmp_path: Path) -> None:
    source = tmp_path / "plain.mp4"
    shutil.copyfile(assets.clip_faststart, source)
    destination = tmp_path / "clip.mp4"
    digest, size = faststart_in_place(source, destination)
    assert destination.read_bytes() == assets.clip_faststart.read_bytes()
    assert (digest, size) == (sha256_of(destination), destination.stat().st_size)
    assert names(tmp_path) == ["clip.mp4"]


@pytest.mark.parametrize("layout", ["moov_last", "index_first"])
def test_stop_abandons_the_rewrite(assets: Assets, tmp_path: Path, layout: str) -> None:
    source = tmp_path / "plain.mp4"
    original = assets.clip_moov_last if layout == "moov_last" else assets.clip_faststart
    shutil.copyfile(original, source)
    stop = threading.Event()
    stop.set()
    with pytest.raises(CopyStopped):
        faststart_in_place(source, tmp_path / "clip.mp4", stop)
    assert names(tmp_path) == ["plain.mp4"]  # the caller deletes its temporary


def test_a_file_shrinking_underneath_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    fd = os.open(path, os.O_RDWR)
    try:
        with pytest.raises(ExportError, match="shrank while it was rewritten"):
            _Shifter(fd, (0, 20), None).read_until(20)
        with pytest.raises(ExportError, match="shrank while it was hashed"):
            _hash_fd(fd, 20, None)
    finally:
        os.close(fd)


async def test_exported_clip_with_audio_plays(
    assets: Assets, segments_dir: Path, tmp_path: Path
) -> None:
    lay_out(assets, segments_dir, T0)
    result = await export_clip(
        ffmpeg=FFMPEG,
        segments_dir=segments_dir,
        start=T0 + timedelta(seconds=1),
        end=T0 + timedelta(seconds=9),
        destination=tmp_path / "clip.mp4",
        include_audio=True,
    )
    info = await probe(result.path)
    assert codec_types(info) == ["video", "audio"]
    boxes = top_level_boxes(result.path)
    assert boxes[:2] == ["ftyp", "moov"]
    assert boxes[-1] == "mdat"
    mp4 = read_mp4(result.path)
    assert mp4 is not None
    assert mp4.moov_before_mdat
    assert mp4.has_audio
    assert abs(mp4.duration - float(info["format"]["duration"])) < 0.1
    assert mp4.duration >= 8
    await decodes_cleanly(result.path)
    assert names(tmp_path) == ["clip.mp4", "recordings"]
