"""What signing the audit log costs: a poll's batch, one decision, a full check.

Side by side in one run, on the same disk: the unsigned chain (no key, no head)
against the signed one (a signature per line, the signed head rewritten durably
after each append), for
  (a) a first poll's batch of 1,000 verdicts (one append),
  (b) 50 single appends, as a share writes them (decision, export, queued, ...),
  (c) verifying a 10,000-line log: chain only, against signatures and head.
Times are wall seconds (fsync included), best of 3. Prints one JSON line.

Run: .venv/bin/python bench/audit_bench.py
"""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
import sys
import tempfile
import time

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from custom_components.neighborhood_requests.protocol.audit import (
    AuditLog,
    verify_audit_log,
)
from custom_components.neighborhood_requests.protocol.jws import (
    SigningKey,
    generate_private_key,
)

KEY = SigningKey.from_private(generate_private_key())
VERDICT = {
    "type": "verdict",
    "publisher_id": "wolcott-pd",
    "revision": 1,
    "state": "pending",
    "verified": True,
    "digest": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "reasons": [],
}


def best(run: Callable[[Path], float]) -> float:
    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory(dir=Path(__file__).parent) as folder:
            times.append(run(Path(folder)))
    return min(times)


def opened(folder: Path, *, signed: bool) -> AuditLog:
    if signed:
        return AuditLog(folder / "a.jsonl", key=KEY, head_path=folder / "a.head")
    return AuditLog(folder / "a.jsonl")


def batch(signed: bool) -> Callable[[Path], float]:
    def run(folder: Path) -> float:
        log = opened(folder, signed=signed)
        events = [{**VERDICT, "request_id": f"r-{n}"} for n in range(1000)]
        began = time.perf_counter()
        log.append_many(events)
        return time.perf_counter() - began

    return run


def singles(signed: bool) -> Callable[[Path], float]:
    def run(folder: Path) -> float:
        log = opened(folder, signed=signed)
        began = time.perf_counter()
        for n in range(50):
            log.append({"type": "decision", "request_id": f"r-{n}"})
        return time.perf_counter() - began

    return run


def verify(signed: bool) -> Callable[[Path], float]:
    def run(folder: Path) -> float:
        log = opened(folder, signed=True)
        for chunk in range(10):
            log.append_many(
                {**VERDICT, "request_id": f"r-{chunk}-{n}"} for n in range(1000)
            )
        head = (folder / "a.head").read_text()
        began = time.perf_counter()
        if signed:
            result = verify_audit_log(
                folder / "a.jsonl",
                public_key=KEY.private_key.public_key(),
                signed_head=head,
            )
        else:
            result = verify_audit_log(folder / "a.jsonl")
        elapsed = time.perf_counter() - began
        assert result.ok, result
        assert result.entries == 10_000, result
        return elapsed

    return run


def main() -> None:
    figures = {}
    for name, make in (("batch_1000", batch), ("singles_50", singles)):
        plain, signed = best(make(False)), best(make(True))
        figures[f"{name}_plain_ms"] = round(plain * 1000, 1)
        figures[f"{name}_signed_ms"] = round(signed * 1000, 1)
        figures[f"{name}_ratio"] = round(signed / plain, 2)
    plain, signed = best(verify(False)), best(verify(True))
    figures["verify_10000_chain_ms"] = round(plain * 1000, 1)
    figures["verify_10000_signed_ms"] = round(signed * 1000, 1)
    figures["verify_10000_ratio"] = round(signed / plain, 2)
    print(json.dumps({"bench": "audit", **figures}))


if __name__ == "__main__":
    main()
