"""Checking an audit log: the chain, each line's signature, and the signed head.

The answer names what happened and where, as a `code` (for translated messages),
an English `reason`, and `first_broken_line`: the first line that is not what the
home wrote (for lines cut off the end, the first missing one).

What each check covers:
- the chain (`prev`, `seq`, canonical form): a line removed, inserted, reordered or
  re-spelled, and, without signatures, an edited line (found at the line after it);
- each line's signature (with the home's public key): an edited line, at that very
  line, even if every hash after it was recomputed;
- the signed head (entry count and last hash): lines cut off the end, a changed
  last line, a missing log, a log replaced by another one;
- incidents the writer recorded in the chain itself (it found the log cut short,
  missing, or its head gone when Home Assistant started): reported for ever after.

A torn last line (the write was interrupted) is reported too; the writer sets it
aside and records that repair the next time it opens the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .audit_chain import (
    FIELDS,
    GENESIS,
    INCIDENTS,
    REPAIRS,
    SIGNATURE,
    SignedHead,
    canonical_line,
    line_hash,
    read_head,
    signature_valid,
)
from .errors import ProtocolError
from .parse import parse_timestamp

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class Finding:
    """An incident or repair the log records about itself, at line `line`."""

    line: int
    type: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuditVerification:
    """Result of checking a log; `entries` counts the good lines before any break.

    `head` is the hash of the last good line (GENESIS when there is none), and
    `expected_entries` what the signed head says (None without one).
    """

    ok: bool
    entries: int
    first_broken_line: int | None
    reason: str | None
    head: str = GENESIS
    code: str | None = None
    expected_entries: int | None = None
    incidents: tuple[Finding, ...] = field(default=())
    repairs: tuple[Finding, ...] = field(default=())


@dataclass(slots=True)
class _Scan:
    count: int = 0
    last: str = GENESIS
    hash_at: dict[int, str] = field(default_factory=dict)
    signed: bool = False
    incidents: list[Finding] = field(default_factory=list)
    repairs: list[Finding] = field(default_factory=list)


def verify_audit_log(
    path: Path,
    *,
    head: str | None = None,
    public_key: Ed25519PublicKey | None = None,
    signed_head: str | None = None,
) -> AuditVerification:
    """Check every line of the log at `path`, stopping at the first broken one.

    `head` is a bare hash the last line must have. With `public_key`, every line
    must carry the home's signature, and `signed_head` (the head file's text, None
    if there is none) anchors the end; a signed log without a head is reported.
    A missing or empty file without a head is a valid log with no entries.
    """
    expected: SignedHead | None = None
    if signed_head is not None:
        if public_key is None:
            raise ValueError("a signed head needs the public key to check it")
        try:
            expected = read_head(signed_head, public_key)
        except ProtocolError as err:
            return _result(
                _Scan(),
                None,
                "head_invalid",
                f"the signed head does not verify with the home key ({err}): "
                "it was replaced or damaged",
            )
    if head is not None:
        expected = SignedHead(-1, head, "")
    scan = _Scan()
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        if expected is not None and expected.entries != 0:
            return _result(
                scan,
                1,
                "missing",
                "the log file is missing"
                + (
                    f", but its signed head names {expected.entries} entries"
                    if expected.entries > 0
                    else ""
                ),
                expected,
            )
        return _result(scan, None, None, None, expected)
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.endswith(b"\n"):
                return _result(
                    scan,
                    number,
                    "torn",
                    "truncated: the last line has no newline "
                    "(the write was interrupted)",
                    expected,
                )
            raw = line[:-1]
            problem = _line_problem(raw, number, scan, public_key)
            if problem is not None:
                line_number, code, reason = problem
                return _result(scan, line_number, code, reason, expected)
            scan.last = line_hash(raw)
            scan.count = number
            if expected is not None and number == expected.entries:
                scan.hash_at[number] = scan.last
    return _against_head(scan, expected, public_key)


def _against_head(
    scan: _Scan, expected: SignedHead | None, public_key: Ed25519PublicKey | None
) -> AuditVerification:
    if expected is None and public_key is not None and scan.signed:
        return _result(
            scan,
            None,
            "head_missing",
            "the signed head is missing: the end of the log cannot be checked "
            "(it was deleted, or the log was copied without it)",
        )
    if expected is not None:
        count, wanted = scan.count, expected.entries
        if wanted < 0:  # a bare hash: only the last line can be compared
            if scan.last != expected.head:
                return _result(
                    scan,
                    max(count, 1),
                    "tail_changed",
                    f"the log ends at {scan.last[:12]}, not at the expected head "
                    f"{expected.head[:12]} (its end was edited or cut off)",
                    expected,
                )
        elif count < wanted:
            return _result(
                scan,
                count + 1,
                "truncated",
                f"the log ends after entry {count}, but its signed head says "
                f"{wanted}: entries {count + 1} to {wanted} were removed",
                expected,
            )
        elif scan.hash_at.get(wanted, GENESIS) != expected.head:
            if count == wanted:
                return _result(
                    scan,
                    max(count, 1),
                    "tail_changed",
                    f"entry {count}, the last one, is not the one the signed head "
                    "names: the end of the log was changed or the file replaced",
                    expected,
                )
            return _result(
                scan,
                max(wanted, 1),
                "replaced",
                f"entry {wanted} is not the one the signed head names: the file "
                "was replaced by another log",
                expected,
            )
    if scan.incidents:
        first = scan.incidents[0]
        return _result(
            scan,
            _incident_line(first),
            "incident",
            f"line {first.line} records that the home found its log altered: "
            + describe_incident(first),
            expected,
        )
    return _result(scan, None, None, None, expected)


def _incident_line(finding: Finding) -> int:
    """The first line the incident says is not what the home had written."""
    found = finding.detail.get("found_entries", finding.detail.get("found_seq"))
    if isinstance(found, int) and not isinstance(found, bool):
        return found + 1
    return finding.line


def describe_incident(finding: Finding) -> str:
    """An incident entry in plain words."""
    detail = finding.detail
    found = detail.get("found_entries", detail.get("found_seq"))
    expected = detail.get("expected_entries", detail.get("expected_seq"))
    kind = finding.type
    if kind == "audit_head_missing":
        return "the signed head was missing when the log was opened"
    if kind == "audit_head_invalid":
        return f"the signed head did not verify ({detail.get('reason')})"
    if kind == "audit_log_shrank":
        return (
            f"it shrank while Home Assistant ran: {expected} entries expected, "
            f"{found} found"
        )
    return (
        f"it was found {detail.get('finding')} when Home Assistant started: "
        f"{expected} entries expected from the signed head, {found} found"
    )


def _result(
    scan: _Scan,
    line: int | None,
    code: str | None,
    reason: str | None,
    expected: SignedHead | None = None,
) -> AuditVerification:
    return AuditVerification(
        ok=code is None,
        entries=scan.count,
        first_broken_line=line,
        reason=reason,
        head=scan.last,
        code=code,
        expected_entries=(
            expected.entries if expected is not None and expected.entries >= 0 else None
        ),
        incidents=tuple(scan.incidents),
        repairs=tuple(scan.repairs),
    )


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _line_problem(
    raw: bytes, number: int, scan: _Scan, public_key: Ed25519PublicKey | None
) -> tuple[int, str, str] | None:
    """(first altered line, code, reason) if line `number` is not the next entry."""
    if not raw.strip():
        return number, "line_invalid", "empty line"
    try:
        entry = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as err:
        return number, "line_invalid", f"invalid JSON ({err})"
    if not isinstance(entry, dict):
        return number, "line_invalid", "not a JSON object"
    missing = sorted(FIELDS - entry.keys())
    if missing:
        return number, "line_invalid", f"missing field(s): {', '.join(missing)}"
    extra = sorted(entry.keys() - FIELDS - {SIGNATURE})
    if extra:
        return number, "line_invalid", f"unexpected field(s): {', '.join(extra)}"
    if canonical_line(entry) != raw:
        return (
            number,
            "line_changed",
            "not in canonical form (the line was re-formatted or edited)",
        )
    # The signature first: an edited line is named itself, whatever it broke.
    if public_key is not None:
        if SIGNATURE not in entry:
            return number, "unsigned", "the line carries no signature"
        if not signature_valid(entry, public_key):
            return (
                number,
                "line_changed",
                "the home's signature does not match: the line was changed "
                "(or written without the home key)",
            )
    problem = _field_problem(entry, number, scan.last)
    if problem is not None:
        return problem
    scan.signed = scan.signed or SIGNATURE in entry
    event = entry["event"]
    kind = event.get("type")
    if kind in INCIDENTS:
        scan.incidents.append(Finding(number, kind, event))
    elif kind in REPAIRS:
        scan.repairs.append(Finding(number, kind, event))
    return None


def _field_problem(
    entry: dict[str, Any], number: int, expected_prev: str
) -> tuple[int, str, str] | None:
    seq, ts, prev, event = entry["seq"], entry["ts"], entry["prev"], entry["event"]
    if isinstance(seq, bool) or not isinstance(seq, int):
        return number, "line_invalid", "seq must be an integer"
    if seq != number:
        return (
            number,
            "line_removed" if seq > number else "line_inserted",
            f"seq {seq} out of order (expected {number}): "
            + ("a line before it was removed" if seq > number else "a line was added"),
        )
    try:
        parse_timestamp(ts, "ts")
    except ProtocolError as err:
        return number, "line_invalid", str(err)
    if not isinstance(prev, str) or len(prev) != 64 or not set(prev) <= _HEX:
        return number, "line_invalid", "prev must be 64 lowercase hex digits"
    if prev != expected_prev:
        if number == 1:
            return (
                1,
                "line_inserted",
                "prev is not GENESIS: the log does not start at its first entry",
            )
        # Signed lines were each checked already, so an unsigned log is the
        # one that lands here: either the line before was edited (the usual
        # case, so it is the one named) or a line between them was removed
        # and the rest renumbered.
        return (
            number - 1,
            "line_changed",
            f"line {number - 1} was changed, or a line after it removed: "
            f"line {number} records another hash for it",
        )
    if not isinstance(event, dict):
        return number, "line_invalid", "event must be a JSON object"
    return None
