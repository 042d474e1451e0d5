"""Per-publisher counts of what was asked and what this home did about it.

A feed is public, so anyone can count what an agency asked; this report is the
home's side: how much of it was refused by guardrails (and why), shared or declined.
Entries that never verified are not records but counts (`rejections.py`); they
join the report here, so `rejected` still counts everything the home refused.
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
from .rejections import RejectionTally
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


def transparency_report(
    records: Iterable[RequestRecord], rejections: RejectionTally | None = None
) -> dict[str, Any]:
    """Counts, rejection reasons and the median window and radius asked for."""
    by_publisher: dict[str, list[RequestRecord]] = {}
    for record in records:
        by_publisher.setdefault(record.publisher_id, []).append(record)
    if rejections is not None:
        for publisher in rejections.publishers:
            by_publisher.setdefault(publisher, [])
    return {
        "publishers": {
            publisher: _with_counts(
                _report(group),
                rejections.report(publisher) if rejections is not None else None,
            )
            for publisher, group in sorted(by_publisher.items())
        }
    }


def _with_counts(
    report: dict[str, Any], counts: dict[str, Any] | None
) -> dict[str, Any]:
    """Fold the counted entries into the report's totals and reasons."""
    if counts is None:
        return report
    reasons = Counter(report["rejected_reasons"])
    reasons.update(counts["rejected_rules"])
    return {
        **report,
        "received": report["received"] + counts["rejected_entries"],
        "rejected": report["rejected"] + counts["rejected_entries"],
        "rejected_reasons": dict(reasons.most_common()),
        "rejected_entries": counts["rejected_entries"],
        "rejected_examples": counts["rejected_examples"],
        "skipped": counts["skipped"],
        "skipped_reasons": counts["skipped_reasons"],
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
