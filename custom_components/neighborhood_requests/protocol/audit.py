"""Append-only, hash-chained, signed JSON Lines log of every decision and delivery.

The line format, signatures and signed head are in `audit_chain`; checking a log
is `audit_verify.verify_audit_log` (re-exported here). This module is the single
writer: appends are synchronous and fsynced (Home Assistant runs them in an
executor), and after each one the signed head (entry count and last hash) is
rewritten durably beside it, so a cut or a replaced file shows.

The writer keeps the head hash and sequence number in memory after reading only
the file's tail at open, so appending stays O(1) however long the log grows.
Opening compares that tail with the signed head; only when they differ is the
whole log read, to tell a crash between the two writes (harmless: the head is
brought up to date) from a log that was cut, replaced or lost (recorded in the
chain as an incident, which verification reports for ever after).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import threading
from typing import IO, Any

from .audit_chain import (
    GENESIS,
    SIGNATURE,
    canonical_line,
    line_hash,
    make_head,
    read_head,
    sign_entry,
)
from .audit_verify import AuditVerification, verify_audit_log
from .durable_file import fsync_dir, write_durably
from .errors import ProtocolError
from .jws import SigningKey
from .parse import format_timestamp

__all__ = [
    "GENESIS",
    "AuditLog",
    "AuditVerification",
    "canonical_line",
    "line_hash",
    "verify_audit_log",
]

_BLOCK = 64 * 1024


class AuditLog:
    """The single writer of one audit file; safe to share between threads.

    Opening recovers the head from the last line. A torn last line (the process
    died mid-write) is moved to `<name>.torn` and the repair itself is logged,
    so the chain stays verifiable and nothing written is thrown away.

    With `key`, every line is signed and, with `head_path` too, the signed head
    is rewritten after every append and checked at open (see the module).
    """

    def __init__(
        self,
        path: Path,
        *,
        key: SigningKey | None = None,
        head_path: Path | None = None,
    ) -> None:
        self._path = path
        self._key = key
        self._head_path = head_path if key is not None else None
        self._lock = threading.Lock()
        self._seq = 0
        self._head = GENESIS
        self._size = 0
        with self._lock:
            existed = path.exists()
            torn = self._recover()
            # Against the head as the last run left it: before the repair is
            # written, so a cut hidden behind a torn line is still found.
            self._check_head(existed=existed)
            self._record_repair(torn)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def seq(self) -> int:
        """Sequence number of the last entry (0 for an empty log)."""
        return self._seq

    @property
    def head(self) -> str:
        """SHA-256 of the last line (the signed head file holds it too)."""
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
        self._record_repair(self._recover())
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
            entry: dict[str, Any] = {
                "seq": seq,
                "ts": stamp,
                "prev": head,
                "event": dict(event),
            }
            if self._key is not None:
                entry = sign_entry(entry, self._key.private_key)
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
        self._write_head(stamp)
        return entries

    def _write_head(self, stamp: str) -> None:
        """Anchor the end of the log: its count and last hash, signed, durably."""
        if self._head_path is None or self._key is None:
            return
        token = make_head(
            self._key.private_key,
            self._key.kid,
            entries=self._seq,
            head=self._head,
            ts=stamp,
        )
        write_durably(self._head_path, token.encode("ascii") + b"\n")

    def _check_head(self, *, existed: bool) -> None:
        """Compare the log with its signed head once, at open (see the module)."""
        if self._head_path is None or self._key is None:
            return
        now = datetime.now(UTC)
        found = {"found_entries": self._seq, "found_head": self._head}
        try:
            token = self._head_path.read_text(encoding="ascii")
        except FileNotFoundError:
            if self._seq and _is_signed(self._path):
                self._write({"type": "audit_head_missing", **found}, now)
            else:
                # A new log, or one written before this home signed its log.
                self._write_head(format_timestamp(now))
            return
        except (OSError, UnicodeDecodeError) as err:
            token = f"unreadable: {err}"
        try:
            signed = read_head(token, self._key.private_key.public_key())
        except ProtocolError as err:
            self._write(
                {"type": "audit_head_invalid", "reason": str(err), **found}, now
            )
            return
        if (signed.entries, signed.head) == (self._seq, self._head):
            return
        if self._seq > signed.entries and _hash_of_line(self._path, signed.entries) == (
            signed.head
        ):
            # Killed between appending and re-signing: the lines are ours.
            self._write_head(format_timestamp(now))
            return
        if not existed:
            finding = "missing"
        elif self._seq < signed.entries:
            finding = "truncated"
        elif self._seq == signed.entries:
            finding = "changed at its end"
        else:
            finding = "replaced"
        self._write(
            {
                "type": "audit_log_mismatch",
                "finding": finding,
                "expected_entries": signed.entries,
                "expected_head": signed.head,
                **found,
            },
            now,
        )

    def _current_size(self) -> int:
        try:
            return self._path.stat().st_size
        except FileNotFoundError:
            return 0

    def _recover(self) -> bytes:
        """Read the tail; set a torn last line aside and return it (unrecorded)."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        if not self._path.exists():
            self._path.touch()
            fsync_dir(self._path.parent)
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
        return torn

    def _record_repair(self, torn: bytes) -> None:
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


def _is_signed(path: Path) -> bool:
    """Whether the log's first line carries a signature (it is this home's kind)."""
    with path.open("rb") as handle:
        first = handle.readline()
    try:
        return SIGNATURE in json.loads(first)
    except ValueError, TypeError:
        return False


def _hash_of_line(path: Path, number: int) -> str:
    """SHA-256 of line `number` (GENESIS for 0 or a line that is not there)."""
    if number <= 0:
        return GENESIS
    with path.open("rb") as handle:
        for index, line in enumerate(handle, start=1):
            if index == number:
                return line_hash(line.rstrip(b"\n"))
    return GENESIS


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


def read_events(path: Path, types: frozenset[str]) -> list[tuple[int, dict[str, Any]]]:
    """(line, event) for every readable entry whose event type is in `types`.

    For reconciliation at start, not for verification: unreadable lines are
    skipped (verification names them), and a quick byte test keeps the JSON
    parser away from the many lines of other types.
    """
    needles = [f'"type":"{kind}"'.encode() for kind in types]
    found: list[tuple[int, dict[str, Any]]] = []
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return found
    with handle:
        for number, line in enumerate(handle, start=1):
            if not any(needle in line for needle in needles):
                continue
            try:
                event = json.loads(line)["event"]
            except ValueError, TypeError, KeyError:
                continue
            if isinstance(event, dict) and event.get("type") in types:
                found.append((number, event))
    return found
