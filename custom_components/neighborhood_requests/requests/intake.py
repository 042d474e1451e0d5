"""What a newly verified request (or revision) means for this home.

Pure functions from (request, what we knew, settings, now) to the record to keep and
the event to fire, so every consent rule is testable without a feed or a clock:
a decided request stays decided, a revision updates a prompt instead of adding one,
and nothing that fails a guardrail or lies outside the home's view is ever pending.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..const import (
    EVENT_CANCELLED,
    EVENT_EXPIRED,
    EVENT_RECEIVED,
    EVENT_REJECTED,
    STATE_CANCELLED,
    STATE_DECLINED,
    STATE_EXPIRED,
    STATE_OUTSIDE,
    STATE_PAUSED,
    STATE_PENDING,
    STATE_REJECTED,
    STATE_SHARED,
)
from ..protocol.errors import Problem
from ..protocol.feed import VerifiedRequest
from ..protocol.geo import matches
from ..protocol.model import Status
from ..protocol.policy import evaluate
from ..settings import Settings
from .store import RequestRecord, record_key

DECIDED = frozenset({STATE_SHARED, STATE_DECLINED})
OPEN = frozenset({STATE_PENDING, STATE_PAUSED})
WEEK = timedelta(days=7)

type Outcome = tuple[RequestRecord, str | None]


# Verdicts that depend on the home's own settings, which the owner may have changed.
REJUDGED = frozenset({STATE_REJECTED, STATE_OUTSIDE})


def is_new(
    verified: VerifiedRequest, old: RequestRecord | None, *, rejudge: bool = False
) -> bool:
    """Only a higher revision (or a first sighting) is worth looking at again.

    With `rejudge` (the first poll after the entry was set up, so after any
    change to its options) a request this home turned away is judged again: an
    owner who loosens a guardrail expects the requests it blocked to appear.
    Nothing decided or prompted is ever looked at twice (only a decision the
    start-up reconciliation restored without its request takes it back).
    """
    if old is None or verified.request.revision > old.revision:
        return True
    if old.request is None and old.state in DECIDED:
        return True  # a decision restored after the store was lost: fill it in
    return (
        rejudge
        and verified.request.revision == old.revision
        and old.state in REJUDGED
        and old.request is not None
    )


def classify(
    verified: VerifiedRequest,
    old: RequestRecord | None,
    *,
    settings: Settings,
    publisher_id: str,
    now: datetime,
    recent_actionable: int,
    paused: bool,
) -> Outcome:
    """The record for a new request or revision, and the event it fires (if any)."""
    request = verified.request
    # Only someone who was prompted needs telling that the prompt went away.
    was_prompted = old is not None and old.state == STATE_PENDING
    base = RequestRecord(
        key=record_key(publisher_id, request.id),
        publisher_id=publisher_id,
        request_id=request.id,
        revision=request.revision,
        state=STATE_PENDING,
        request=request,
        verified=verified.verified,
        digest=verified.digest,
        first_seen=old.first_seen if old else now,
        prompted_at=old.prompted_at if old else None,
        decision=old.decision if old else None,
    )
    if old is not None and old.state in DECIDED:
        return base.evolve(state=old.state), None
    if request.status is not Status.ACTIVE:
        event = EVENT_CANCELLED if was_prompted else None
        return base.evolve(state=STATE_CANCELLED), event
    if not matches(request.area, settings.view_points):
        event = EVENT_CANCELLED if was_prompted else None
        return base.evolve(state=STATE_OUTSIDE), event
    verdict = evaluate(
        request,
        settings.guardrails,
        now=now,
        recent_actionable=recent_actionable - (1 if _counted(old, now) else 0),
    )
    if not verdict.actionable:
        record = base.evolve(state=STATE_REJECTED, reasons=verdict.reasons)
        return record, EVENT_REJECTED
    if was_prompted:
        return base, None
    if paused:
        return base.evolve(state=STATE_PAUSED), None
    return base.evolve(prompted_at=now), EVENT_RECEIVED


def _counted(old: RequestRecord | None, now: datetime) -> bool:
    """A revision of a request already prompted this week must not count twice."""
    return (
        old is not None and old.prompted_at is not None and now - old.prompted_at < WEEK
    )


def expire(record: RequestRecord, now: datetime) -> Outcome | None:
    """An open request past its expiry becomes `expired`, firing only if prompted."""
    if record.state not in OPEN or record.request is None:
        return None
    if record.request.expires_at > now:
        return None
    event = EVENT_EXPIRED if record.state == STATE_PENDING else None
    reason = Problem("expires_at", "expired before a decision", "expired_undecided")
    return record.evolve(state=STATE_EXPIRED, reasons=(reason,)), event


def recent_actionable(
    records: list[RequestRecord], publisher_id: str, now: datetime
) -> int:
    """How many of this publisher's requests prompted in the past 7 days."""
    return sum(
        1
        for record in records
        if record.publisher_id == publisher_id
        and record.prompted_at is not None
        and now - record.prompted_at < WEEK
    )
