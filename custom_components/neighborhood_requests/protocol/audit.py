"""Append-only, hash-chained JSON Lines log of every decision, export and delivery.

Each line is `{"event", "prev", "seq", "ts"}` in canonical JSON (sorted keys, no
spaces, ASCII), and `prev` is the SHA-256 of the previous line's exact bytes, so
editing, removing or inserting any line breaks the chain at the next one. The
last line has no successor: pass the head hash kept elsewhere (`AuditLog.head`)
to `verify_audit_log` to cover it too.

Writes are synchronous and fsynced (Home Assistant runs them in an executor). The
writer keeps the head hash and sequence number in memory after reading only the
file's tail at open, so appending stays O(1) however long the log grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
import hashlib
import json
import os
from pathlib import Path
import re
import threading
from typing import IO, Any

from .errors import ProtocolError
from .parse import format_timestamp, parse_timestamp

GENESIS = "0" * 64
FIELDS = frozenset({"seq", "ts", "prev", "event"})
_BLOCK = 64 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}", re.ASCII)


def canonical_line(entry: Mapping[str, Any]) -> bytes:
    """The one byte spelling of an entry, without its newline."""
    return json.dumps(
        entry, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def line_hash(raw: bytes) -> str:
    """What the next entry's `prev` must be."""
    return hashlib.sha256(raw).hexdigest()


class AuditLog:
    """The single writer of one audit file; safe to share between threads.

    Opening recovers the head from the last line. A torn last line (the process
    died mid-write) is moved to `<name>.torn` and the repair itself is logged,
    so the chain stays verifiable and nothing written is thrown away.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._seq = 0
        self._head = GENESIS
        self._size = 0
        with self._lock:
            self._recover()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def seq(self) -> int:
        """Sequence number of the last entry (0 for an empty log)."""
        return self._seq

    @property
    def head(self) -> str:
        """SHA-256 of the last line: keep it elsewhere to anchor `verify_audit_log`."""
        return self._head

    def append(
        self, event: Mapping[str, Any], *, now: datetime | None = None
    ) -> dict[str, Any]:
        """Write one entry and fsync it; returns the entry as written.

        `event` must be plain JSON (TypeError or ValueError otherwise, and nothing
        is written). `now` must be timezone-aware; it defaults to the clock.
        """
        return self.append_many((event,), now=now)[0]

    def append_many(
        self, events: Iterable[Mapping[str, Any]], *, now: datetime | None = None
    ) -> list[dict[str, Any]]:
        """Write a batch of entries with one write and one fsync.

        A feed poll audits every verdict at once; one fsync per line made a
        1,000-request first poll spend most of its time waiting on the disk.
        The batch is all-or-nothing for bad events: each is encoded before any
        byte is written.
        """
        with self._lock:
            size = self._current_size()
            if size != self._size:
                self._resync(shrank=size < self._size)
            return self._write_many(events, now or datetime.now(UTC))

    def _resync(self, *, shrank: bool) -> None:
        """Re-read the tail after another writer, or someone cutting the file.

        Growth is taken as another writer's entries. A file that shrank (or went
        missing) lost entries: the new chain records what it expected to find.
        """
        expected_seq, expected_head = self._seq, self._head
        self._recover()
        if shrank:
            self._write(
                {
                    "type": "audit_log_shrank",
                    "expected_seq": expected_seq,
                    "expected_head": expected_head,
                    "found_seq": self._seq,
                },
                datetime.now(UTC),
            )

    def _write(self, event: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        return self._write_many((event,), now)[0]

    def _write_many(
        self, events: Iterable[Mapping[str, Any]], now: datetime
    ) -> list[dict[str, Any]]:
        seq, head, stamp = self._seq, self._head, format_timestamp(now)
        entries: list[dict[str, Any]] = []
        lines: list[bytes] = []
        for event in events:
            seq += 1
            entry = {"seq": seq, "ts": stamp, "prev": head, "event": dict(event)}
            raw = canonical_line(entry)
            head = line_hash(raw)
            entries.append(entry)
            lines.append(raw + b"\n")
        if not lines:
            return entries
        data = b"".join(lines)
        with self._path.open("ab") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        self._seq, self._head = seq, head
        self._size += len(data)
        return entries

    def _current_size(self) -> int:
        try:
            return self._path.stat().st_size
        except FileNotFoundError:
            return 0

    def _recover(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        if not self._path.exists():
            self._path.touch()
            _fsync_dir(self._path.parent)
        with self._path.open("r+b") as handle:
            size = os.fstat(handle.fileno()).st_size
            last, torn = _tail(handle, size)
            if torn:
                self._set_aside(torn)
                handle.truncate(size - len(torn))
                handle.flush()
                os.fsync(handle.fileno())
                size -= len(torn)
            self._size = size
            self._head = line_hash(last) if size else GENESIS
            self._seq = _last_seq(last, handle) if size else 0
        if torn:
            self._write(
                {
                    "type": "audit_log_repaired",
                    "torn_bytes": len(torn),
                    "torn_sha256": line_hash(torn),
                },
                datetime.now(UTC),
            )

    def _set_aside(self, torn: bytes) -> None:
        aside = self._path.with_name(self._path.name + ".torn")
        with aside.open("ab") as handle:
            handle.write(torn + b"\n")
            handle.flush()
            os.fsync(handle.fileno())


def _fsync_dir(directory: Path) -> None:
    """Make a new file's directory entry durable too (POSIX only)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _tail(handle: IO[bytes], size: int) -> tuple[bytes, bytes]:
    """(last complete line without its newline, torn bytes after it).

    Reads backwards in blocks, so only the end of a long log is touched.
    """
    buffer = b""
    position = size
    while position > 0:
        step = min(_BLOCK, position)
        position -= step
        handle.seek(position)
        buffer = handle.read(step) + buffer
        last_newline = buffer.rfind(b"\n")
        if last_newline == -1:
            continue
        before = buffer.rfind(b"\n", 0, last_newline)
        if before != -1 or position == 0:
            return buffer[before + 1 : last_newline], buffer[last_newline + 1 :]
    return b"", buffer


def _last_seq(last: bytes, handle: IO[bytes]) -> int:
    """`seq` of the last line; if it is unreadable, count lines so numbering goes on."""
    try:
        seq = json.loads(last)["seq"]
    except ValueError, TypeError, KeyError:
        seq = None
    if isinstance(seq, int) and not isinstance(seq, bool):
        return seq
    handle.seek(0)
    return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(_BLOCK), b""))


# --- verification -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditVerification:
    """Result of checking a log; `entries` counts the good lines before any break.

    `head` is the hash of the last good line (GENESIS when there is none).
    """

    ok: bool
    entries: int
    first_broken_line: int | None
    reason: str | None
    head: str = GENESIS


def verify_audit_log(path: Path, *, head: str | None = None) -> AuditVerification:
    """Check every line of the log at `path`, stopping at the first broken one.

    `head`, if given, is the hash the last line must have (from `AuditLog.head`
    kept elsewhere); it covers edits to the last line and lines cut off the end.
    A missing or empty file is a valid log with no entries.
    """
    expected_prev = GENESIS
    count = 0
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return _checked_head(0, GENESIS, head)
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.endswith(b"\n"):
                return _broken(
                    number,
                    count,
                    expected_prev,
                    "truncated: the last line has no newline "
                    "(the write was interrupted)",
                )
            raw = line[:-1]
            reason = _line_problem(raw, number, expected_prev)
            if reason is not None:
                return _broken(number, count, expected_prev, reason)
            expected_prev = line_hash(raw)
            count = number
    return _checked_head(count, expected_prev, head)


def _checked_head(count: int, last: str, head: str | None) -> AuditVerification:
    if head is not None and head != last:
        return AuditVerification(
            ok=False,
            entries=count,
            first_broken_line=max(count, 1),
            reason=f"the log ends at {last[:12]}, not at the expected head "
            f"{head[:12]} (its end was edited or cut off)",
            head=last,
        )
    return AuditVerification(
        ok=True, entries=count, first_broken_line=None, reason=None, head=last
    )


def _broken(number: int, count: int, head: str, reason: str) -> AuditVerification:
    return AuditVerification(
        ok=False, entries=count, first_broken_line=number, reason=reason, head=head
    )


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _line_problem(raw: bytes, number: int, expected_prev: str) -> str | None:
    """Why line `number` is not the entry that must follow `expected_prev`."""
    if not raw.strip():
        return "empty line"
    try:
        entry = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as err:
        return f"invalid JSON ({err})"
    if not isinstance(entry, dict):
        return "not a JSON object"
    missing = sorted(FIELDS - entry.keys())
    if missing:
        return f"missing field(s): {', '.join(missing)}"
    extra = sorted(entry.keys() - FIELDS)
    if extra:
        return f"unexpected field(s): {', '.join(extra)}"
    reason = _field_problem(entry, number, expected_prev)
    if reason is None and canonical_line(entry) != raw:
        reason = "not in canonical form (the line was re-formatted or edited)"
    return reason


def _field_problem(
    entry: dict[str, Any], number: int, expected_prev: str
) -> str | None:
    seq, ts, prev, event = entry["seq"], entry["ts"], entry["prev"], entry["event"]
    if isinstance(seq, bool) or not isinstance(seq, int):
        return "seq must be an integer"
    if seq != number:
        return f"seq {seq} out of order (expected {number})"
    try:
        parse_timestamp(ts, "ts")
    except ProtocolError as err:
        return str(err)
    if not isinstance(prev, str) or not _HEX64.fullmatch(prev):
        return "prev must be 64 lowercase hex digits"
    if prev != expected_prev:
        if number == 1:
            return "prev is not GENESIS: the log does not start at its first entry"
        return (
            f"prev does not match the hash of line {number - 1} "
            "(a line was edited, removed or inserted)"
        )
    if not isinstance(event, dict):
        return "event must be a JSON object"
    return None
