"""Hash-chained audit log: exact bytes, recovery after crashes, every edit detected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
import hashlib
import json
import math
from pathlib import Path
import tempfile
import threading

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.neighborhood_requests.protocol.audit import (
    GENESIS,
    AuditLog,
    AuditVerification,
    canonical_line,
    verify_audit_log,
)

T0 = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]


def write_lines(path: Path, raw: list[bytes]) -> None:
    path.write_bytes(b"".join(line + b"\n" for line in raw))


def make_log(path: Path, count: int) -> AuditLog:
    log = AuditLog(path)
    for i in range(count):
        log.append({"type": "decision", "n": i}, now=T0 + timedelta(seconds=i))
    return log


def entry(raw: bytes) -> dict[str, object]:
    parsed: dict[str, object] = json.loads(raw)
    return parsed


# --- writing --------------------------------------------------------------------


def test_entries_are_canonical_and_chained(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "audit.jsonl"
    log = AuditLog(path)
    first = log.append({"type": "received", "request_id": "wpd-1"}, now=T0)
    second = log.append({"type": "shared", "cameras": ["front"]}, now=T0)
    raw = lines(path)
    assert raw[0] == (
        b'{"event":{"request_id":"wpd-1","type":"received"},'
        b'"prev":"' + GENESIS.encode() + b'","seq":1,"ts":"2026-11-20T16:00:00Z"}'
    )
    assert first == {
        "seq": 1,
        "ts": "2026-11-20T16:00:00Z",
        "prev": GENESIS,
        "event": {"type": "received", "request_id": "wpd-1"},
    }
    assert second["prev"] == sha(raw[0])
    assert entry(raw[1]) == second
    assert log.seq == 2
    assert log.head == sha(raw[1])
    assert path.read_bytes().endswith(b"\n")


def test_timestamps_are_utc_with_z(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    plus_two = timezone(timedelta(hours=2))
    written = log.append(
        {"type": "x"}, now=datetime(2026, 11, 20, 17, 30, 0, 250_000, tzinfo=plus_two)
    )
    assert written["ts"] == "2026-11-20T15:30:00.250000Z"
    default = log.append({"type": "y"})
    assert str(default["ts"]).endswith("Z")


def test_non_ascii_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    AuditLog(path).append({"note": "café ✓"}, now=T0)
    assert b"caf\\u00e9 \\u2713" in path.read_bytes()
    assert verify_audit_log(path).ok


def test_rejected_events_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 1)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="Out of range float"):
        log.append({"value": math.nan}, now=T0)
    with pytest.raises(TypeError, match="not JSON serializable"):
        log.append({"value": object()}, now=T0)
    with pytest.raises(ValueError, match="aware datetime"):
        log.append({"type": "x"}, now=datetime(2026, 11, 20, 16, 0))
    assert path.read_bytes() == before
    assert log.seq == 1
    assert log.path == path


def test_a_batch_is_one_chain_and_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 1)
    written = log.append_many([{"type": "a"}, {"type": "b"}], now=T0)
    assert [entry["seq"] for entry in written] == [2, 3]
    assert written[1]["prev"] != written[0]["prev"]
    before = path.read_bytes()
    with pytest.raises(TypeError, match="not JSON serializable"):
        log.append_many([{"type": "c"}, {"value": object()}], now=T0)
    assert path.read_bytes() == before
    assert log.append_many([], now=T0) == []
    assert verify_audit_log(path, head=log.head).entries == 3


def test_reopening_continues_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    first = make_log(path, 3)
    again = AuditLog(path)
    assert (again.seq, again.head) == (3, first.head)
    written = again.append({"type": "after-restart"}, now=T0)
    assert written["seq"] == 4
    assert written["prev"] == first.head
    assert verify_audit_log(path, head=again.head) == AuditVerification(
        ok=True, entries=4, first_broken_line=None, reason=None, head=again.head
    )


def test_reopening_reads_only_the_tail_of_long_lines(tmp_path: Path) -> None:
    # the last line spans several 64 KiB read blocks
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 5)
    log.append({"blob": "x" * 200_000}, now=T0)
    log.append({"blob": "y" * 70_000}, now=T0)
    again = AuditLog(path)
    assert (again.seq, again.head) == (7, log.head)


def test_reopening_a_log_with_a_single_long_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append({"blob": "z" * 150_000}, now=T0)
    again = AuditLog(path)
    assert (again.seq, again.head) == (1, log.head)


def test_append_uses_the_cached_head_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 3)
    raw = lines(path)
    # vandalise line 1 without changing the file size: the writer must not notice
    raw[0] = b"#" * len(raw[0])
    write_lines(path, raw)
    written = log.append({"type": "next"}, now=T0)
    assert written["seq"] == 4
    assert written["prev"] == sha(raw[2])
    result = verify_audit_log(path)
    assert (result.ok, result.first_broken_line) == (False, 1)


def test_two_writers_on_one_file_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    a = AuditLog(path)
    b = AuditLog(path)
    a.append({"by": "a"}, now=T0)
    b.append({"by": "b"}, now=T0)
    a.append({"by": "a"}, now=T0)
    assert [entry(r)["seq"] for r in lines(path)] == [1, 2, 3]
    assert verify_audit_log(path, head=a.head).ok


def test_threads_share_one_writer(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)

    def work(worker: int) -> None:
        for i in range(25):
            log.append({"worker": worker, "i": i}, now=T0)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = verify_audit_log(path, head=log.head)
    assert (result.ok, result.entries) == (True, 200)


def test_a_deleted_log_restarts_with_a_record_of_what_was_lost(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 3)
    expected_head = log.head
    path.unlink()
    written = log.append({"type": "next"}, now=T0)
    raw = lines(path)
    assert entry(raw[0])["event"] == {
        "type": "audit_log_shrank",
        "expected_seq": 3,
        "expected_head": expected_head,
        "found_seq": 0,
    }
    assert entry(raw[0])["prev"] == GENESIS
    assert written["seq"] == 2
    # The chain is whole again, but it says for ever after what was lost.
    result = verify_audit_log(path, head=log.head)
    assert (result.ok, result.code, result.first_broken_line) == (False, "incident", 1)
    assert [i.type for i in result.incidents] == ["audit_log_shrank"]


def test_a_log_cut_short_records_it_in_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 3)
    expected_head = log.head
    write_lines(path, lines(path)[:1])
    log.append({"type": "next"}, now=T0)
    raw = lines(path)
    assert [entry(r)["seq"] for r in raw] == [1, 2, 3]
    assert entry(raw[1])["event"] == {
        "type": "audit_log_shrank",
        "expected_seq": 3,
        "expected_head": expected_head,
        "found_seq": 1,
    }
    result = verify_audit_log(path, head=log.head)
    assert (result.ok, result.code, result.first_broken_line) == (False, "incident", 2)
    assert result.reason == (
        "line 2 records that the home found its log altered: it shrank while "
        "Home Assistant ran: 3 entries expected, 1 found"
    )


# --- crash recovery -------------------------------------------------------------


def test_torn_last_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 2)
    with path.open("ab") as handle:
        handle.write(b'{"event":{"type":"sha')
    assert verify_audit_log(path) == AuditVerification(
        ok=False,
        entries=2,
        first_broken_line=3,
        reason="truncated: the last line has no newline (the write was interrupted)",
        head=log.head,
        code="torn",
    )


def test_opening_sets_a_torn_line_aside_and_logs_the_repair(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 2)
    torn = b'{"event":{"type":"sha'
    with path.open("ab") as handle:
        handle.write(torn)
    log = AuditLog(path)
    assert (tmp_path / "audit.jsonl.torn").read_bytes() == torn + b"\n"
    raw = lines(path)
    assert len(raw) == 3
    repair = entry(raw[2])
    assert repair["seq"] == 3
    assert repair["prev"] == sha(raw[1])
    assert repair["event"] == {
        "type": "audit_log_repaired",
        "torn_bytes": len(torn),
        "torn_sha256": sha(torn),
    }
    assert log.seq == 3
    assert verify_audit_log(path, head=log.head).ok


def test_a_file_that_is_all_torn_starts_over_with_the_repair(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b'{"seq":1,"ts"')
    log = AuditLog(path)
    raw = lines(path)
    assert len(raw) == 1
    assert entry(raw[0])["prev"] == GENESIS
    assert log.seq == 1
    assert verify_audit_log(path).ok


def test_unreadable_last_line_keeps_numbering_by_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 2)
    with path.open("ab") as handle:
        handle.write(b"garbage\n")
    log = AuditLog(path)
    written = log.append({"type": "next"}, now=T0)
    assert written["seq"] == 4
    assert written["prev"] == sha(b"garbage")
    result = verify_audit_log(path)
    assert (result.first_broken_line, result.entries) == (3, 2)
    assert result.reason is not None
    assert result.reason.startswith("invalid JSON (")


def test_last_line_with_a_non_integer_seq_counts_lines(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 1)
    with path.open("ab") as handle:
        handle.write(b'{"seq":true}\n')
    assert AuditLog(path).seq == 2


# --- verification ---------------------------------------------------------------


def test_missing_and_empty_logs_are_valid(tmp_path: Path) -> None:
    empty = AuditVerification(
        ok=True, entries=0, first_broken_line=None, reason=None, head=GENESIS
    )
    assert verify_audit_log(tmp_path / "absent.jsonl") == empty
    (tmp_path / "empty.jsonl").write_bytes(b"")
    assert verify_audit_log(tmp_path / "empty.jsonl") == empty
    assert verify_audit_log(tmp_path / "empty.jsonl", head=GENESIS) == empty


def test_a_good_log_verifies(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 5)
    assert verify_audit_log(path) == AuditVerification(
        ok=True, entries=5, first_broken_line=None, reason=None, head=log.head
    )


def broken(path: Path, raw: list[bytes]) -> tuple[int | None, str | None, int]:
    write_lines(path, raw)
    result = verify_audit_log(path)
    assert not result.ok
    return result.first_broken_line, result.reason, result.entries


def test_edited_event_is_caught_at_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 4)
    raw = lines(path)
    raw[1] = raw[1].replace(b'"n":1', b'"n":7')
    assert broken(path, raw) == (
        2,
        "line 2 was changed, or a line after it removed: "
        "line 3 records another hash for it",
        2,
    )


def test_deleted_line_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 4)
    raw = lines(path)
    del raw[1]
    assert broken(path, raw) == (
        2,
        "seq 3 out of order (expected 2): a line before it was removed",
        1,
    )


def test_deleted_line_with_renumbered_seq_is_caught_by_the_chain(
    tmp_path: Path,
) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 4)
    raw = lines(path)
    del raw[1]
    for i in (1, 2):
        obj = entry(raw[i])
        obj["seq"] = i + 1
        raw[i] = canonical_line(obj)
    # Unsigned, this reads like an edit of line 1: the earliest line that can
    # be at fault is named (signed logs name the renumbered line itself).
    assert broken(path, raw) == (
        1,
        "line 1 was changed, or a line after it removed: "
        "line 2 records another hash for it",
        1,
    )


def test_inserted_first_line_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 2)
    raw = lines(path)
    forged = canonical_line(
        {"seq": 1, "ts": "2026-11-20T15:00:00Z", "prev": GENESIS, "event": {}}
    )
    assert broken(path, [forged, *raw]) == (
        2,
        "seq 1 out of order (expected 2): a line was added",
        1,
    )


def test_log_not_starting_at_genesis(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 3)
    raw = lines(path)
    first = entry(raw[1])
    first["seq"] = 1
    assert broken(path, [canonical_line(first)]) == (
        1,
        "prev is not GENESIS: the log does not start at its first entry",
        0,
    )


def test_reformatted_line_is_caught_at_that_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 3)
    raw = lines(path)
    raw[2] = json.dumps(entry(raw[2]), indent=None).encode()  # ", " and ": "
    assert broken(path, raw) == (
        3,
        "not in canonical form (the line was re-formatted or edited)",
        2,
    )


def test_duplicate_keys_are_not_canonical(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, 1)
    raw = lines(path)
    raw[0] = raw[0][:-1] + b',"seq":1}'
    assert broken(path, raw)[1] == (
        "not in canonical form (the line was re-formatted or edited)"
    )


def good_first(**changes: object) -> bytes:
    obj: dict[str, object] = {
        "seq": 1,
        "ts": "2026-11-20T16:00:00Z",
        "prev": GENESIS,
        "event": {},
    }
    obj.update(changes)
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"", "empty line"),
        (b"   ", "empty line"),
        (b"[1,2]", "not a JSON object"),
        (b'"text"', "not a JSON object"),
        (b'{"seq":1,"ts":"2026-11-20T16:00:00Z"}', "missing field(s): event, prev"),
        (good_first(extra=1), "unexpected field(s): extra"),
        (good_first(seq="1"), "seq must be an integer"),
        (good_first(seq=True), "seq must be an integer"),
        (
            good_first(seq=2),
            "seq 2 out of order (expected 1): a line before it was removed",
        ),
        (
            good_first(ts="2026-11-20 16:00"),
            'ts: "2026-11-20 16:00" is not an RFC 3339 timestamp '
            "(like 2026-11-20T14:05:00Z)",
        ),
        (
            good_first(ts="2026-11-20T16:00:00"),
            "ts: naive timestamp: a UTC offset is required (Z or +hh:mm/-hh:mm)",
        ),
        (good_first(prev="0" * 63), "prev must be 64 lowercase hex digits"),
        (good_first(prev="A" * 64), "prev must be 64 lowercase hex digits"),
        (good_first(prev=None), "prev must be 64 lowercase hex digits"),
        (good_first(event=[]), "event must be a JSON object"),
        (good_first(event="shared"), "event must be a JSON object"),
    ],
)
def test_line_problems(tmp_path: Path, line: bytes, reason: str) -> None:
    assert broken(tmp_path / "audit.jsonl", [line]) == (1, reason, 0)


@pytest.mark.parametrize(
    "line",
    [
        b"{not json}",
        b'{"seq":NaN}',
        b'{"seq":Infinity}',
        b'{"x":"\xff\xfe"}',
        b'{"seq":1,',
    ],
)
def test_invalid_json(tmp_path: Path, line: bytes) -> None:
    where, reason, entries = broken(tmp_path / "audit.jsonl", [line])
    assert (where, entries) == (1, 0)
    assert reason is not None
    assert reason.startswith("invalid JSON (")


def test_head_anchor_catches_an_edit_to_the_last_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 3)
    raw = lines(path)
    raw[2] = raw[2].replace(b"16:00:02Z", b"16:00:09Z")
    write_lines(path, raw)
    assert verify_audit_log(path).ok  # nothing after it to notice
    result = verify_audit_log(path, head=log.head)
    assert (result.ok, result.first_broken_line, result.entries) == (False, 3, 3)
    assert result.reason == (
        f"the log ends at {sha(raw[2])[:12]}, not at the expected head "
        f"{log.head[:12]} (its end was edited or cut off)"
    )


def test_head_anchor_catches_lines_cut_off_the_end(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 3)
    write_lines(path, lines(path)[:2])
    result = verify_audit_log(path, head=log.head)
    assert (result.ok, result.first_broken_line, result.entries) == (False, 2, 2)
    path.write_bytes(b"")
    result = verify_audit_log(path, head=log.head)
    assert (result.ok, result.first_broken_line, result.entries) == (False, 1, 0)


def test_verify_streams_a_long_log(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, 500)
    result = verify_audit_log(path, head=log.head)
    assert (result.ok, result.entries) == (True, 500)


# --- properties -----------------------------------------------------------------

_LOG_EVENTS = st.lists(
    st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.one_of(st.integers(), st.text(max_size=20), st.booleans(), st.none()),
        max_size=3,
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(_LOG_EVENTS, st.data())
def test_any_single_byte_edit_is_detected_at_that_line_or_the_one_before(
    events: list[dict[str, object]], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.jsonl"
        log = AuditLog(path)
        for event in events:
            log.append(event, now=T0)
        original = path.read_bytes()
        for _ in range(10):
            offset = data.draw(st.integers(0, len(original) - 1), label="offset")
            flip = data.draw(st.integers(1, 255), label="xor")  # never a no-op
            edited = bytearray(original)
            edited[offset] ^= flip
            path.write_bytes(bytes(edited))
            line = original[:offset].count(b"\n") + 1
            result = verify_audit_log(path, head=log.head)
            assert not result.ok
            # Unsigned, a changed `prev` reads like an edit of the line before.
            assert result.first_broken_line in {line - 1, line}


@settings(max_examples=50, deadline=None)
@given(_LOG_EVENTS)
def test_written_logs_always_verify_and_reopen(events: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.jsonl"
        log = AuditLog(path)
        written = [log.append(event, now=T0) for event in events]
        assert [entry(r) for r in lines(path)] == written
        assert verify_audit_log(path, head=log.head).entries == len(events)
        again = AuditLog(path)
        assert (again.seq, again.head) == (log.seq, log.head)
