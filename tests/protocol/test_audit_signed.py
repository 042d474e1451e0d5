"""The signed audit log: a signature per line and a signed head outside the log.

Each test acts on the files as an attacker or a power cut would (cutting, editing,
recomputing, deleting, replacing) and checks what verification names.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import shutil
import tempfile

from hypothesis import given, settings, strategies as st

from custom_components.neighborhood_requests.protocol.audit import (
    AuditLog,
    verify_audit_log,
)
from custom_components.neighborhood_requests.protocol.audit_chain import (
    canonical_line,
    line_hash,
    make_head,
    sign_entry,
)
from custom_components.neighborhood_requests.protocol.audit_verify import (
    AuditVerification,
)
from custom_components.neighborhood_requests.protocol.jws import (
    SigningKey,
    generate_private_key,
)

T0 = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
KEY = SigningKey.from_private(generate_private_key())
OTHER = SigningKey.from_private(generate_private_key())


def open_log(folder: Path, key: SigningKey = KEY) -> AuditLog:
    return AuditLog(folder / "audit.jsonl", key=key, head_path=folder / "audit.head")


def make_log(folder: Path, count: int) -> AuditLog:
    log = open_log(folder)
    for i in range(count):
        log.append({"type": "decision", "n": i}, now=T0 + timedelta(seconds=i))
    return log


def verify(folder: Path, key: SigningKey = KEY) -> AuditVerification:
    head = folder / "audit.head"
    return verify_audit_log(
        folder / "audit.jsonl",
        public_key=key.private_key.public_key(),
        signed_head=head.read_text() if head.exists() else None,
    )


def lines(folder: Path) -> list[bytes]:
    return (folder / "audit.jsonl").read_bytes().split(b"\n")[:-1]


def write_lines(folder: Path, raw: list[bytes]) -> None:
    (folder / "audit.jsonl").write_bytes(b"".join(line + b"\n" for line in raw))


def events(folder: Path) -> list[dict[str, object]]:
    return [json.loads(raw)["event"] for raw in lines(folder)]


def test_a_written_log_verifies_and_every_line_is_signed(tmp_path: Path) -> None:
    make_log(tmp_path, 4)
    result = verify(tmp_path)
    assert (result.ok, result.entries, result.expected_entries) == (True, 4, 4)
    assert all("sig" in json.loads(raw) for raw in lines(tmp_path))


def test_the_head_names_the_count_and_the_last_hash(tmp_path: Path) -> None:
    log = make_log(tmp_path, 3)
    token = (tmp_path / "audit.head").read_text().strip()
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert (payload["entries"], payload["head"]) == (3, log.head)
    assert log.head == line_hash(lines(tmp_path)[-1])


def test_dropping_the_last_lines_is_named_truncation(tmp_path: Path) -> None:
    make_log(tmp_path, 5)
    write_lines(tmp_path, lines(tmp_path)[:3])
    result = verify(tmp_path)
    assert (result.ok, result.code, result.first_broken_line) == (
        False,
        "truncated",
        4,
    )
    assert result.reason == (
        "the log ends after entry 3, but its signed head says 5: "
        "entries 4 to 5 were removed"
    )


def test_emptying_the_file_is_truncation_from_line_one(tmp_path: Path) -> None:
    make_log(tmp_path, 2)
    (tmp_path / "audit.jsonl").write_bytes(b"")
    result = verify(tmp_path)
    assert (result.code, result.first_broken_line, result.entries) == (
        "truncated",
        1,
        0,
    )


def test_editing_the_last_line_names_that_line(tmp_path: Path) -> None:
    make_log(tmp_path, 3)
    raw = lines(tmp_path)
    edited = json.loads(raw[2])
    edited["event"]["n"] = 99
    raw[2] = canonical_line(edited)
    write_lines(tmp_path, raw)
    result = verify(tmp_path)
    assert (result.ok, result.code, result.first_broken_line) == (
        False,
        "line_changed",
        3,
    )


def test_an_edit_with_the_chain_recomputed_names_the_edited_line(
    tmp_path: Path,
) -> None:
    """The attacker edits line 2 and rewrites every hash after it; no key to sign."""
    make_log(tmp_path, 5)
    raw = lines(tmp_path)
    entries = [json.loads(line) for line in raw]
    entries[1]["event"]["n"] = 42
    prev = line_hash(raw[0])
    rewritten = [raw[0]]
    for entry in entries[1:]:
        entry["prev"] = prev
        line = canonical_line(entry)
        rewritten.append(line)
        prev = line_hash(line)
    write_lines(tmp_path, rewritten)
    result = verify(tmp_path)
    assert (result.code, result.first_broken_line) == ("line_changed", 2)
    assert result.reason is not None
    assert "signature does not match" in result.reason


def test_a_chain_recomputed_and_re_signed_with_another_key_fails_at_line_one(
    tmp_path: Path,
) -> None:
    forged = tmp_path / "forged"
    forged.mkdir()
    log = open_log(forged, OTHER)
    log.append({"type": "decision", "decision": "decline"}, now=T0)
    shutil.copy(forged / "audit.jsonl", tmp_path / "audit.jsonl")
    make_log(tmp_path / "real", 1)
    shutil.copy(tmp_path / "real" / "audit.head", tmp_path / "audit.head")
    result = verify(tmp_path)
    assert (result.code, result.first_broken_line) == ("line_changed", 1)


def test_replacing_the_head_with_one_signed_by_another_key(tmp_path: Path) -> None:
    log = make_log(tmp_path, 2)
    (tmp_path / "audit.head").write_text(
        make_head(OTHER.private_key, OTHER.kid, entries=2, head=log.head, ts="x")
    )
    result = verify(tmp_path)
    assert (result.ok, result.code) == (False, "head_invalid")


def test_a_deleted_head_is_reported(tmp_path: Path) -> None:
    make_log(tmp_path, 2)
    (tmp_path / "audit.head").unlink()
    result = verify(tmp_path)
    assert (result.ok, result.code, result.entries) == (False, "head_missing", 2)


def test_a_deleted_log_is_reported(tmp_path: Path) -> None:
    make_log(tmp_path, 2)
    (tmp_path / "audit.jsonl").unlink()
    result = verify(tmp_path)
    assert (result.ok, result.code, result.first_broken_line) == (False, "missing", 1)
    assert result.reason == (
        "the log file is missing, but its signed head names 2 entries"
    )


def test_a_file_replaced_by_an_older_copy_with_another_ending(tmp_path: Path) -> None:
    """A copy taken at entry 2, continued differently by the home itself."""
    make_log(tmp_path, 2)
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(tmp_path / "audit.jsonl", copy / "audit.jsonl")
    shutil.copy(tmp_path / "audit.head", copy / "audit.head")
    open_log(tmp_path).append({"type": "decision", "n": "real"}, now=T0)
    open_log(copy).append({"type": "decision", "n": "other"}, now=T0)
    shutil.copy(copy / "audit.jsonl", tmp_path / "audit.jsonl")
    result = verify(tmp_path)
    assert (result.code, result.first_broken_line) == ("tail_changed", 3)


def test_removing_a_line_in_the_middle_names_its_place(tmp_path: Path) -> None:
    make_log(tmp_path, 4)
    raw = lines(tmp_path)
    del raw[1]
    write_lines(tmp_path, raw)
    assert (verify(tmp_path).code, verify(tmp_path).first_broken_line) == (
        "line_removed",
        2,
    )


def test_an_unsigned_line_is_named(tmp_path: Path) -> None:
    make_log(tmp_path, 2)
    raw = lines(tmp_path)
    entry = json.loads(raw[1])
    del entry["sig"]
    raw[1] = canonical_line(entry)
    write_lines(tmp_path, raw)
    assert (verify(tmp_path).code, verify(tmp_path).first_broken_line) == (
        "unsigned",
        2,
    )


# --- what the writer does at open --------------------------------------------------


def test_opening_a_truncated_log_records_it_and_verification_keeps_saying_so(
    tmp_path: Path,
) -> None:
    expected_head = make_log(tmp_path, 5).head
    write_lines(tmp_path, lines(tmp_path)[:3])
    log = open_log(tmp_path)
    assert events(tmp_path)[3] == {
        "type": "audit_log_mismatch",
        "finding": "truncated",
        "expected_entries": 5,
        "expected_head": expected_head,
        "found_entries": 3,
        "found_head": line_hash(lines(tmp_path)[2]),
    }
    log.append({"type": "decision", "n": "after"}, now=T0)
    result = verify(tmp_path)
    assert (result.ok, result.code, result.first_broken_line) == (False, "incident", 4)
    assert result.reason == (
        "line 4 records that the home found its log altered: it was found "
        "truncated when Home Assistant started: 5 entries expected from the "
        "signed head, 3 found"
    )


def test_opening_after_the_log_was_deleted_starts_over_and_says_so(
    tmp_path: Path,
) -> None:
    make_log(tmp_path, 3)
    (tmp_path / "audit.jsonl").unlink()
    open_log(tmp_path)
    (event,) = events(tmp_path)
    assert (event["type"], event["finding"], event["expected_entries"]) == (
        "audit_log_mismatch",
        "missing",
        3,
    )
    assert verify(tmp_path).code == "incident"


def test_opening_without_the_head_records_that_it_was_missing(tmp_path: Path) -> None:
    make_log(tmp_path, 2)
    (tmp_path / "audit.head").unlink()
    open_log(tmp_path)
    assert events(tmp_path)[-1]["type"] == "audit_head_missing"
    result = verify(tmp_path)
    assert (result.code, result.first_broken_line) == ("incident", 3)


def test_opening_with_a_forged_head_records_it(tmp_path: Path) -> None:
    log = make_log(tmp_path, 2)
    (tmp_path / "audit.head").write_text(
        make_head(OTHER.private_key, OTHER.kid, entries=2, head=log.head, ts="x")
    )
    open_log(tmp_path)
    assert events(tmp_path)[-1]["type"] == "audit_head_invalid"
    assert verify(tmp_path).code == "incident"


def test_a_kill_between_the_append_and_the_head_is_harmless(tmp_path: Path) -> None:
    """The lines reached the disk, the new head did not: the old head still fits."""
    make_log(tmp_path, 2)
    old_head = (tmp_path / "audit.head").read_bytes()
    open_log(tmp_path).append({"type": "decision", "n": 2}, now=T0)
    (tmp_path / "audit.head").write_bytes(old_head)
    log = open_log(tmp_path)
    assert (log.seq, len(lines(tmp_path))) == (3, 3)  # nothing added
    result = verify(tmp_path)
    assert (result.ok, result.entries, result.expected_entries) == (True, 3, 3)


def test_a_torn_last_line_is_set_aside_and_the_repair_is_signed(tmp_path: Path) -> None:
    make_log(tmp_path, 2)
    with (tmp_path / "audit.jsonl").open("ab") as handle:
        handle.write(b'{"event":{"type":"dec')
    assert verify(tmp_path).code == "torn"
    open_log(tmp_path)
    result = verify(tmp_path)
    assert (result.ok, result.entries) == (True, 3)
    assert [(r.line, r.type) for r in result.repairs] == [(3, "audit_log_repaired")]
    assert (tmp_path / "audit.jsonl.torn").read_bytes() == b'{"event":{"type":"dec\n'


def test_a_legacy_unsigned_log_gets_a_head_without_an_incident(tmp_path: Path) -> None:
    AuditLog(tmp_path / "audit.jsonl").append({"type": "old"}, now=T0)
    open_log(tmp_path)
    assert len(lines(tmp_path)) == 1
    assert (tmp_path / "audit.head").exists()


def test_signing_an_entry_covers_everything_but_the_signature() -> None:
    entry = sign_entry(
        {"seq": 1, "ts": "2026-11-20T16:00:00Z", "prev": "0" * 64, "event": {}},
        KEY.private_key,
    )
    assert set(entry) == {"seq", "ts", "prev", "event", "sig"}
    again = sign_entry(entry, KEY.private_key)
    assert again == entry  # re-signing replaces, never nests


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.data())
def test_any_single_byte_edit_of_a_signed_log_is_named_at_its_line(
    count: int, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        make_log(folder, count)
        original = (folder / "audit.jsonl").read_bytes()
        for _ in range(8):
            offset = data.draw(st.integers(0, len(original) - 1), label="offset")
            flip = data.draw(st.integers(1, 255), label="xor")
            edited = bytearray(original)
            edited[offset] ^= flip
            (folder / "audit.jsonl").write_bytes(bytes(edited))
            result = verify(folder)
            assert not result.ok
            assert result.first_broken_line == original[:offset].count(b"\n") + 1
