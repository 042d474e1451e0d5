"""Move an MP4's index ahead of its media in place, hashing every byte as written.

ffmpeg writes a plain MP4 (`ftyp`, `free`, `mdat`, then `moov`) because it only
knows the index once the media is written. Its own `+faststart` then rewrites the
whole file to move `moov` forward, and the clip still had to be read once more to
hash it. Here that one rewrite hashes as it goes: `ftyp`, the relocated `moov`,
then the media shifted forward chunk by chunk, each byte hashed on its way to
disk, then fsync and an atomic rename.

The rewrite stays in the file ffmpeg wrote instead of copying into a new one: a
copy of a file written a moment ago allocated and dirtied a second clip's worth of
page cache and ran 0.3-0.8 s for 300 MB here, the in-place shift a steady 0.3 s,
and the export never needs twice the clip's size on disk.

Relocating `moov` means every chunk offset (`stco`, `co64`) grows by the size of
the moved `moov`. A 32-bit `stco` table whose entries would pass 4 GiB becomes a
64-bit `co64` table; that makes `moov` bigger and the shift larger, so sizes are
recomputed until they settle (ffmpeg's own faststart does the same).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
import hashlib
import os
from pathlib import Path
import struct
import threading

from .result import ExportError
from .sink import WriteBehind

_HEADER = struct.Struct(">I4s")
_LARGE = struct.Struct(">Q")
_COUNT = struct.Struct(">I")
_U32_MAX = 0xFFFFFFFF
# Boxes on the way from `moov` to the sample tables; everything else is copied as is.
_PATH = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl"})
CHUNK = 8 * 1024 * 1024


class CopyStopped(Exception):
    """The rewrite was abandoned because its export was cancelled."""


@dataclass(frozen=True, slots=True)
class Box:
    """One box found in a byte range: where it starts, its header and total size."""

    kind: bytes
    offset: int
    header: int
    size: int

    @property
    def end(self) -> int:
        """Offset just past the box."""
        return self.offset + self.size


def boxes(data: bytes | memoryview, start: int, end: int) -> Iterator[Box]:
    """Boxes packed in data[start:end]; a damaged box raises ExportError."""
    offset = start
    while offset < end:
        if offset + _HEADER.size > end:
            raise ExportError("damaged MP4: truncated box header")
        size, kind = _HEADER.unpack_from(data, offset)
        header = _HEADER.size
        if size == 1:
            if offset + 16 > end:
                raise ExportError("damaged MP4: truncated box header")
            (size,) = _LARGE.unpack_from(data, offset + 8)
            header = 16
        elif size == 0:  # "extends to the end"
            size = end - offset
        if size < header or offset + size > end:
            raise ExportError(f"damaged MP4: box {kind!r} overruns its parent")
        yield Box(kind, offset, header, size)
        offset += size


def box_header(kind: bytes, payload_size: int) -> bytes:
    """A box header for `payload_size` bytes, 64-bit sized when 32 bits are too few."""
    if payload_size + _HEADER.size <= _U32_MAX:
        return _HEADER.pack(payload_size + _HEADER.size, kind)
    return _HEADER.pack(1, kind) + _LARGE.pack(payload_size + 16)


def _offset_tables(moov: bytes) -> Iterator[Box]:
    """Every stco and co64 box inside `moov` (offsets relative to `moov`)."""

    def walk(start: int, end: int) -> Iterator[Box]:
        for box in boxes(moov, start, end):
            if box.kind in _PATH:
                yield from walk(box.offset + box.header, box.end)
            elif box.kind in (b"stco", b"co64"):
                yield box

    moov_box = next(boxes(moov, 0, len(moov)))
    yield from walk(moov_box.offset + moov_box.header, moov_box.end)


def _entries(moov: bytes, table: Box) -> tuple[int, ...]:
    payload = table.offset + table.header
    if table.size - table.header < 8:
        raise ExportError(f"damaged MP4: short {table.kind.decode()} box")
    (count,) = _COUNT.unpack_from(moov, payload + 4)
    width = "Q" if table.kind == b"co64" else "I"
    if 8 + count * struct.calcsize(width) > table.size - table.header:
        raise ExportError(f"damaged MP4: {table.kind.decode()} lists too many chunks")
    return struct.unpack_from(f">{count}{width}", moov, payload + 8)


def _table(
    moov: bytes, table: Box, entries: tuple[int, ...], shift: int, wide: bool
) -> bytes:
    version_flags = moov[table.offset + table.header : table.offset + table.header + 4]
    width = "Q" if wide else "I"
    body = struct.pack(
        f">{len(entries)}{width}", *(offset + shift for offset in entries)
    )
    payload = version_flags + _COUNT.pack(len(entries)) + body
    return box_header(b"co64" if wide else b"stco", len(payload)) + payload


def relocate_moov(moov: bytes) -> bytes:
    """`moov` (header included) rewritten to sit in front of the media it indexes.

    Every chunk offset grows by the size of the returned box, which is how far the
    media moves when the box is inserted ahead of it. Tables that would overflow
    32 bits become co64, which grows the box and so the shift: repeat until no
    table overflows (each round widens at least one table, so it ends).
    """
    tables = {
        table.offset: (table, _entries(moov, table)) for table in _offset_tables(moov)
    }
    wide = {offset for offset, (table, _) in tables.items() if table.kind == b"co64"}

    def rebuild(start: int, end: int, shift: int) -> bytes:
        parts: list[bytes] = []
        for box in boxes(moov, start, end):
            if box.offset in tables:
                table, entries = tables[box.offset]
                parts.append(_table(moov, table, entries, shift, box.offset in wide))
            elif box.kind in _PATH:
                payload = rebuild(box.offset + box.header, box.end, shift)
                parts.append(box_header(box.kind, len(payload)) + payload)
            else:
                parts.append(moov[box.offset : box.end])
        return b"".join(parts)

    while True:
        size = len(rebuild(0, len(moov), 0))  # the size does not depend on the shift
        overflowing = {
            offset
            for offset, (_, entries) in tables.items()
            if offset not in wide and entries and max(entries) + size > _U32_MAX
        }
        if not overflowing:
            return rebuild(0, len(moov), size)
        wide |= overflowing


def top_level(fd: int, file_size: int) -> list[Box]:
    """The file's top-level boxes, read header by header without loading media."""
    boxes: list[Box] = []
    offset = 0
    while offset < file_size:
        head = os.pread(fd, 16, offset)
        if len(head) < _HEADER.size:
            raise ExportError("damaged MP4: truncated box header")
        size, kind = _HEADER.unpack_from(head)
        header = _HEADER.size
        if size == 1:
            if len(head) < 16:
                raise ExportError("damaged MP4: truncated box header")
            (size,) = _LARGE.unpack_from(head, 8)
            header = 16
        elif size == 0:
            size = file_size - offset
        if size < header or offset + size > file_size:
            raise ExportError(f"damaged MP4: top-level box {kind!r} is cut short")
        boxes.append(Box(kind, offset, header, size))
        offset += size
    return boxes


class _Shifter:
    """Moves the media of an open file forward, hashing it in its new order.

    The media moves to higher offsets, so a chunk may only be written once every
    original byte it overwrites has been read: reads run ahead of writes by at
    least the new index size. Writes go behind the hashing (sink.WriteBehind).
    """

    def __init__(self, fd: int, media: tuple[int, int], stop: threading.Event | None):
        self.fd = fd
        self.read_at, self.media_end = media
        self.stop = stop
        self.writer = WriteBehind(fd, CHUNK)
        self._read: deque[memoryview] = deque()

    def read_until(self, limit: int) -> None:
        limit = min(limit, self.media_end)
        while self.read_at < limit:
            if self.stop is not None and self.stop.is_set():
                raise CopyStopped
            view = memoryview(self.writer.buffer())[: self.media_end - self.read_at]
            got = os.preadv(self.fd, [view], self.read_at)
            if not got:
                raise ExportError("the remuxed file shrank while it was rewritten")
            self._read.append(view[:got])
            self.read_at += got

    def write(self, data: memoryview, offset: int) -> None:
        buffer = data.obj if isinstance(data.obj, bytearray) else None
        self.writer.write([data], offset, buffer)

    def shift(self, head: bytes, moov: bytes, at: int) -> int:
        """Hash `head`, write `moov` at `at` and the media after it; return the end."""
        self.writer.digest.update(head)
        try:
            self.read_until(at + len(moov))
            self.write(memoryview(moov), at)
            position = at + len(moov)
            # Reads stay ahead of `position` by the index size (> 0), so until the
            # media is all read there is always a next chunk waiting.
            while self._read:
                chunk = self._read.popleft()
                self.read_until(position + len(chunk))
                self.write(chunk, position)
                position += len(chunk)
        finally:
            self.writer.close()  # waits for the writes in flight
        return position


def _hash_fd(fd: int, size: int, stop: threading.Event | None) -> str:
    digest = hashlib.sha256()
    offset = 0
    while offset < size:
        if stop is not None and stop.is_set():
            raise CopyStopped
        chunk = os.pread(fd, min(CHUNK, size - offset), offset)
        if not chunk:
            raise ExportError("the remuxed file shrank while it was hashed")
        digest.update(chunk)
        offset += len(chunk)
    return digest.hexdigest()


def faststart_in_place(
    source: Path, destination: Path, stop: threading.Event | None = None
) -> tuple[str, int]:
    """Rewrite `source` with `moov` first and rename it to `destination`.

    Returns (sha256, size) of the final bytes, hashed as they are written. Blocking:
    run it in an executor thread. `destination` appears atomically (fsync, then
    rename) or not at all; on failure `source` is left for the caller to delete.
    Setting `stop` abandons the work with CopyStopped; a damaged `source` raises
    ExportError; disk errors are OSError.
    """
    fd = os.open(source, os.O_RDWR)
    try:
        file_size = os.fstat(fd).st_size
        boxes = top_level(fd, file_size)
        kinds = [box.kind for box in boxes]
        if b"moov" not in kinds or b"mdat" not in kinds:
            raise ExportError("ffmpeg did not produce a complete MP4")
        moov_box = boxes[kinds.index(b"moov")]
        if kinds.index(b"moov") < kinds.index(b"mdat"):  # already index-first
            digest, size = _hash_fd(fd, file_size, stop), file_size
        else:
            if moov_box.end != file_size:  # their offsets would move differently
                raise ExportError("unexpected boxes after the MP4 index")
            front = boxes[0].end if boxes[0].kind == b"ftyp" else 0
            moov = relocate_moov(os.pread(fd, moov_box.size, moov_box.offset))
            shifter = _Shifter(fd, (front, moov_box.offset), stop)
            size = shifter.shift(os.pread(fd, front, 0), moov, front)
            digest = shifter.writer.digest.hexdigest()
            if size < file_size:  # a rebuilt header came out smaller: cut the rest
                os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)
    source.replace(destination)
    return digest, size
