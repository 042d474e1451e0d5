"""Per-publisher counts of what was asked and what this home did about it.

A feed is public, so anyone can count what an agency asked; this report is the
home's side: how much of it was refused by guardrails (and why), shared or declined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from statistics import median
from typing import Any

from ..const import (
    STATE_CANCELLED,
    STATE_DECLINED,
    STATE_EXPIRED,
    STATE_OUTSIDE,
    STATE_PAUSED,
    STATE_PENDING,
    STATE_REJECTED,
    STATE_SHARED,
)
from ..protocol.geo import equivalent_radius_m
from .store import RequestRecord

_COUNTED = (
    STATE_PENDING,
    STATE_PAUSED,
    STATE_SHARED,
    STATE_DECLINED,
    STATE_EXPIRED,
    STATE_CANCELLED,
    STATE_OUTSIDE,
)


def transparency_report(records: Iterable[RequestRecord]) -> dict[str, Any]:
    """Counts, rejection reasons and the median window and radius asked for."""
    by_publisher: dict[str, list[RequestRecord]] = {}
    for record in records:
        by_publisher.setdefault(record.publisher_id, []).append(record)
    return {
        "publishers": {
            publisher: _report(group)
            for publisher, group in sorted(by_publisher.items())
        }
    }


def _report(records: list[RequestRecord]) -> dict[str, Any]:
    states = Counter(record.state for record in records)
    reasons = Counter(
        problem.reason
        for record in records
        if record.state == STATE_REJECTED
        for problem in record.reasons
    )
    asked = [record.request for record in records if record.request is not None]
    windows = [r.window.duration.total_seconds() / 60 for r in asked]
    radii = [equivalent_radius_m(r.area) for r in asked]
    return {
        "received": len(records),
        "rejected": states[STATE_REJECTED],
        "rejected_reasons": dict(reasons.most_common()),
        **{state: states[state] for state in _COUNTED},
        "median_window_minutes": round(median(windows), 1) if windows else None,
        "median_radius_m": round(median(radii)) if radii else None,
    }
