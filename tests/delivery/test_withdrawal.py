"""When a revision takes a share away (feed spec 3.2), decided without any I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from custom_components.neighborhood_requests.delivery.withdrawal import (
    DESCRIPTIONS,
    Reason,
    Verdict,
    judge,
)
from custom_components.neighborhood_requests.protocol.geo import ViewPoint
from custom_components.neighborhood_requests.protocol.model import (
    Circle,
    Request,
    Status,
    Window,
)
from custom_components.neighborhood_requests.protocol.parse import parse_request
from tests.protocol.factories import HOME_LAT, HOME_LON, UPLOAD_URL, make_request

HOME = (ViewPoint(HOME_LAT, HOME_LON),)
SHARED = parse_request(make_request())
MINUTE = timedelta(minutes=1)


def revised(**changes: object) -> Request:
    return replace(SHARED, revision=2, **changes)  # type: ignore[arg-type]


def window(start: timedelta, end: timedelta) -> Window:
    return Window(SHARED.window.start + start, SHARED.window.end + end)


@pytest.mark.parametrize(
    ("request_now", "reason"),
    [
        (revised(status=Status.CANCELLED), Reason.CANCELLED),
        (revised(status=Status.CLOSED), Reason.CLOSED),
        (revised(window=window(MINUTE, timedelta(0))), Reason.WINDOW),
        (revised(window=window(timedelta(0), -MINUTE)), Reason.WINDOW),
        (revised(window=window(2 * MINUTE, 2 * MINUTE)), Reason.WINDOW),
        (
            revised(area=Circle(HOME_LAT + 0.05, HOME_LON, 300.0)),
            Reason.AREA,
        ),
        (revised(upload_url="https://other.example.org/upload"), Reason.UPLOAD_ORIGIN),
        (revised(upload_url="http://feeds.example.org/upload"), Reason.UPLOAD_ORIGIN),
        (revised(upload_url="https://feeds.example.org:8443/up"), Reason.UPLOAD_ORIGIN),
    ],
    ids=[
        "cancelled",
        "closed",
        "later-start",
        "earlier-end",
        "shifted",
        "area-away",
        "other-host",
        "other-scheme",
        "other-port",
    ],
)
def test_what_withdraws_a_share(request_now: Request, reason: Reason) -> None:
    verdict = judge(UPLOAD_URL, SHARED.window, request_now, HOME)
    assert verdict == Verdict(withdraw=reason)
    assert DESCRIPTIONS[reason]


@pytest.mark.parametrize(
    "request_now",
    [
        SHARED,
        revised(window=window(-MINUTE, MINUTE)),  # wider: still contains the clip
        revised(area=Circle(HOME_LAT + 0.001, HOME_LON, 300.0)),  # still covers it
        revised(upload_url="https://FEEDS.example.org:443/v2/upload"),
    ],
    ids=["unchanged", "wider-window", "nearby-area", "same-origin-new-path"],
)
def test_what_a_share_still_answers(request_now: Request) -> None:
    verdict = judge(UPLOAD_URL, SHARED.window, request_now, HOME)
    assert verdict == Verdict(upload_url=request_now.upload_url)


def test_a_share_stored_without_its_window_is_judged_on_the_rest() -> None:
    narrowed = revised(window=window(MINUTE, -MINUTE))
    assert judge(UPLOAD_URL, None, narrowed, HOME).withdraw is None
    cancelled = revised(status=Status.CANCELLED)
    assert judge(UPLOAD_URL, None, cancelled, HOME).withdraw is Reason.CANCELLED
