"""Guardrails: each rule pinned with its exact reason, and all reported together."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.neighborhood_requests.protocol.errors import Problem
from custom_components.neighborhood_requests.protocol.model import (
    Circle,
    Incident,
    Legal,
    LegalBasis,
    Polygon,
    Request,
    Window,
)
from custom_components.neighborhood_requests.protocol.parse import parse_request
from custom_components.neighborhood_requests.protocol.policy import (
    Guardrails,
    Verdict,
    evaluate,
    normalise_incident_type,
)

from .factories import NOW, PUBLISHER_URL, make_request

DEFAULTS = Guardrails()


def request(**overrides: Any) -> Request:
    return parse_request(make_request(**overrides))


def reasons(
    req: Request,
    guardrails: Guardrails = DEFAULTS,
    *,
    publisher_url: str = PUBLISHER_URL,
    recent_actionable: int = 0,
) -> list[Problem]:
    verdict = evaluate(
        req,
        guardrails,
        now=NOW,
        publisher_url=publisher_url,
        recent_actionable=recent_actionable,
    )
    assert verdict.actionable is (not verdict.reasons)
    return list(verdict.reasons)


def with_window(start: timedelta, end: timedelta) -> Request:
    """A valid request whose window is [NOW + start, NOW + end]."""
    return dataclasses.replace(request(), window=Window(NOW + start, NOW + end))


def with_upload(url: str) -> Request:
    return dataclasses.replace(request(), upload_url=url)


def with_incident(**changes: Any) -> Request:
    req = request()
    return dataclasses.replace(
        req, incident=dataclasses.replace(req.incident, **changes)
    )


# --- defaults and the happy path ------------------------------------------------


def test_defaults_match_the_design() -> None:
    assert DEFAULTS.max_window == timedelta(hours=2)
    assert DEFAULTS.max_radius_m == 400.0
    assert DEFAULTS.require_case_number is True
    assert DEFAULTS.legal_bases == frozenset(LegalBasis)
    assert DEFAULTS.blocked_incident_types == {"protest", "demonstration", "assembly"}
    assert DEFAULTS.retention == timedelta(hours=48)
    assert DEFAULTS.allowed_upload_hosts == frozenset()
    assert DEFAULTS.allow_loopback is False
    assert DEFAULTS.max_actionable_per_week == 10


def test_a_good_request_is_actionable() -> None:
    verdict = evaluate(request(), DEFAULTS, now=NOW, publisher_url=PUBLISHER_URL)
    assert verdict == Verdict(actionable=True, reasons=())


def test_every_violation_is_reported_in_a_fixed_order() -> None:
    req = dataclasses.replace(
        request(status="cancelled"),
        expires_at=NOW - timedelta(minutes=5),
        window=Window(NOW - timedelta(hours=50), NOW + timedelta(hours=1)),
        area=Circle(41.6, -73.0, 900.0),
        incident=Incident(type="protest", summary="march", case_number=None),
        legal=Legal(LegalBasis.SUBPOENA),
        upload_url="http://evil.example/upload",
    )
    guardrails = Guardrails(legal_bases=frozenset({LegalBasis.VOLUNTARY}))
    assert reasons(req, guardrails, recent_actionable=10) == [
        Problem("status", "request is cancelled"),
        Problem("expires_at", "request expired at 2026-11-20T15:55:00Z"),
        Problem("window.end", "window must lie in the past"),
        Problem("window.start", "older than the 48h of footage this home keeps"),
        Problem("window", "51h 0m is longer than the 2h 0m this home allows"),
        Problem("area", "radius 900 m is larger than the 400 m this home allows"),
        Problem("incident.case_number", "a case number is required"),
        Problem("incident.type", 'requests about "protest" are refused'),
        Problem("legal_basis", '"subpoena" is not accepted by this home'),
        Problem("response.upload_url", "must use https"),
        Problem(
            "response.upload_url",
            'host "evil.example" is not the publisher\'s host "feeds.example.org"',
        ),
        Problem("publisher", "10 actionable requests in the last 7 days already"),
    ]


# --- lifecycle ------------------------------------------------------------------


@pytest.mark.parametrize("status", ["cancelled", "closed"])
def test_only_active_requests_are_actionable(status: str) -> None:
    assert reasons(request(status=status)) == [
        Problem("status", f"request is {status}")
    ]


def test_expired_at_exactly_now() -> None:
    req = dataclasses.replace(request(), expires_at=NOW)
    assert reasons(req) == [
        Problem("expires_at", "request expired at 2026-11-20T16:00:00Z")
    ]


def test_expiring_a_second_from_now_is_still_actionable() -> None:
    req = dataclasses.replace(request(), expires_at=NOW + timedelta(seconds=1))
    assert reasons(req) == []


# --- window ---------------------------------------------------------------------


def test_window_ending_now_is_in_the_past() -> None:
    assert reasons(with_window(timedelta(hours=-1), timedelta(0))) == []


def test_window_ending_in_the_future() -> None:
    assert reasons(with_window(timedelta(hours=-1), timedelta(seconds=1))) == [
        Problem("window.end", "window must lie in the past")
    ]


def test_window_starting_exactly_at_the_retention_edge() -> None:
    assert reasons(with_window(timedelta(hours=-48), timedelta(hours=-47))) == []


def test_window_starting_before_the_retention() -> None:
    req = with_window(timedelta(hours=-48, seconds=-1), timedelta(hours=-47))
    assert reasons(req) == [
        Problem("window.start", "older than the 48h of footage this home keeps")
    ]


def test_retention_that_is_not_whole_hours_is_written_with_minutes() -> None:
    guardrails = Guardrails(retention=timedelta(hours=6, minutes=30))
    req = with_window(timedelta(hours=-7), timedelta(hours=-6, minutes=45))
    assert reasons(req, guardrails) == [
        Problem("window.start", "older than the 6h 30m of footage this home keeps")
    ]


def test_window_of_exactly_the_maximum() -> None:
    assert reasons(with_window(timedelta(hours=-3), timedelta(hours=-1))) == []


@pytest.mark.parametrize(
    ("length", "text"),
    [
        (timedelta(hours=3), "3h 0m"),
        (timedelta(hours=2, seconds=1), "2h 0m 1s"),
        (timedelta(hours=2, minutes=15), "2h 15m"),
    ],
)
def test_window_longer_than_allowed(length: timedelta, text: str) -> None:
    req = with_window(-length - timedelta(minutes=1), timedelta(minutes=-1))
    assert reasons(req) == [
        Problem("window", f"{text} is longer than the 2h 0m this home allows")
    ]


def test_a_home_can_loosen_the_window() -> None:
    req = with_window(timedelta(hours=-13), timedelta(hours=-1))
    assert reasons(req, Guardrails(max_window=timedelta(hours=12))) == []


@given(
    st.integers(-60 * 60, 60 * 3),  # start, minutes from NOW
    st.integers(1, 60 * 5),  # length in minutes
)
def test_window_rules_hold_for_any_window(start_min: int, length_min: int) -> None:
    start = timedelta(minutes=start_min)
    end = start + timedelta(minutes=length_min)
    paths = [p.path for p in reasons(with_window(start, end))]
    expected = []
    if end > timedelta(0):
        expected.append("window.end")
    if start < -timedelta(hours=48):
        expected.append("window.start")
    if end - start > timedelta(hours=2):
        expected.append("window")
    assert paths == expected


# --- area -----------------------------------------------------------------------


def test_circle_of_exactly_the_maximum_radius() -> None:
    req = dataclasses.replace(request(), area=Circle(41.6, -73.0, 400.0))
    assert reasons(req) == []


@pytest.mark.parametrize(
    ("radius", "text"), [(900.0, "900"), (400.5, "400.5"), (412.25, "412.2")]
)
def test_circle_larger_than_allowed(radius: float, text: str) -> None:
    req = dataclasses.replace(request(), area=Circle(41.6, -73.0, radius))
    assert reasons(req) == [
        Problem("area", f"radius {text} m is larger than the 400 m this home allows")
    ]


def test_polygon_is_compared_by_equivalent_radius() -> None:
    # 0.01 x 0.01 degrees at the equator: 1.236 km², like a 627 m radius circle
    square = Polygon(((0.0, 0.0), (0.0, 0.01), (0.01, 0.01), (0.01, 0.0), (0.0, 0.0)))
    req = dataclasses.replace(request(), area=square)
    assert reasons(req) == [
        Problem(
            "area",
            "polygon of 1.236 km² (like a 627 m radius) is larger than the "
            "400 m radius this home allows",
        )
    ]
    assert reasons(req, Guardrails(max_radius_m=628.0)) == []


def test_small_polygon_is_fine() -> None:
    # 0.005 deg squares are 556 m a side: 0.309 km², like a 314 m radius
    square = Polygon(
        ((0.0, 0.0), (0.0, 0.005), (0.005, 0.005), (0.005, 0.0), (0.0, 0.0))
    )
    assert reasons(dataclasses.replace(request(), area=square)) == []


def test_invalid_area_is_reported_not_measured() -> None:
    req = dataclasses.replace(request(), area=Circle(41.6, -73.0, 0.0))
    assert reasons(req) == [
        Problem("area.circle.radius_m", "radius must be greater than 0 m")
    ]


# --- incident and legal basis ---------------------------------------------------


@pytest.mark.parametrize("case_number", [None, "", "   "])
def test_case_number_is_required(case_number: str | None) -> None:
    assert reasons(with_incident(case_number=case_number)) == [
        Problem("incident.case_number", "a case number is required")
    ]


def test_case_number_can_be_optional() -> None:
    guardrails = Guardrails(require_case_number=False)
    assert reasons(with_incident(case_number=None), guardrails) == []


@pytest.mark.parametrize(
    "incident_type", ["protest", "Protest", "  DEMONSTRATION ", "assembly"]
)
def test_blocked_incident_types_are_refused(incident_type: str) -> None:
    assert reasons(with_incident(type=incident_type)) == [
        Problem("incident.type", f'requests about "{incident_type}" are refused')
    ]


def test_blocked_types_compare_spaces_hyphens_and_case_alike() -> None:
    guardrails = Guardrails(blocked_incident_types=frozenset({"Street Party"}))
    for spelling in ("street_party", "street-party", "STREET  PARTY"):
        assert [p.path for p in reasons(with_incident(type=spelling), guardrails)] == [
            "incident.type"
        ]
    # the configured list replaces the default one
    assert reasons(with_incident(type="protest"), guardrails) == []


def test_normalise_incident_type() -> None:
    assert normalise_incident_type(" Public - Protest ") == "public_protest"
    assert normalise_incident_type("hit_and_run") == "hit_and_run"


def test_legal_basis_not_accepted() -> None:
    guardrails = Guardrails(
        legal_bases=frozenset({LegalBasis.WARRANT, LegalBasis.COURT_ORDER})
    )
    assert reasons(request(), guardrails) == [
        Problem("legal_basis", '"voluntary" is not accepted by this home')
    ]
    warrant = request(legal_basis={"type": "warrant", "reference": "W-1"})
    assert reasons(warrant, guardrails) == []


# --- upload URL -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://feeds.example.org/upload",
        "https://FEEDS.Example.org./upload",
        "https://feeds.example.org:8443/upload",
    ],
)
def test_upload_to_the_publishers_host(url: str) -> None:
    assert reasons(with_upload(url)) == []


def test_upload_over_http_is_refused() -> None:
    assert reasons(with_upload("http://feeds.example.org/upload")) == [
        Problem("response.upload_url", "must use https")
    ]


def test_upload_to_another_host_is_refused() -> None:
    assert reasons(with_upload("https://evil.example/upload")) == [
        Problem(
            "response.upload_url",
            'host "evil.example" is not the publisher\'s host "feeds.example.org"',
        )
    ]


def test_upload_to_a_sibling_subdomain_is_refused() -> None:
    assert [
        p.reason for p in reasons(with_upload("https://x.feeds.example.org/upload"))
    ] == ['host "x.feeds.example.org" is not the publisher\'s host "feeds.example.org"']


def test_user_info_cannot_disguise_the_host() -> None:
    url = "https://feeds.example.org@evil.example/upload"
    assert reasons(with_upload(url)) == [
        Problem("response.upload_url", "must not carry a user name or password"),
        Problem(
            "response.upload_url",
            'host "evil.example" is not the publisher\'s host "feeds.example.org"',
        ),
    ]


def test_allowed_upload_hosts() -> None:
    guardrails = Guardrails(allowed_upload_hosts=frozenset({"Uploads.Example.NET"}))
    assert reasons(with_upload("https://uploads.example.net/in"), guardrails) == []
    assert [
        p.reason
        for p in reasons(with_upload("http://uploads.example.net/in"), guardrails)
    ] == ["must use https"]


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "https:///no-host",
        "https://[::1/upload",
        "https://feeds.example.org:99999/upload",
    ],
)
def test_malformed_upload_url(url: str) -> None:
    assert reasons(with_upload(url)) == [
        Problem("response.upload_url", "is not an absolute URL with a host")
    ]


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://127.0.0.1/upload", "127.0.0.1"),
        ("https://127.8.9.10/upload", "127.8.9.10"),
        ("https://localhost/upload", "localhost"),
        ("https://inbox.localhost/upload", "inbox.localhost"),
        ("https://[::1]/upload", "::1"),
        ("https://[::ffff:127.0.0.1]/upload", "::ffff:127.0.0.1"),
        ("https://127.1/upload", "127.1"),
        ("https://2130706433/upload", "2130706433"),
        ("https://0.0.0.0/upload", "0.0.0.0"),
    ],
)
def test_loopback_upload_is_refused(url: str, host: str) -> None:
    assert reasons(with_upload(url)) == [
        Problem("response.upload_url", "loopback hosts are refused"),
        Problem(
            "response.upload_url",
            f'host "{host}" is not the publisher\'s host "feeds.example.org"',
        ),
    ]


def test_loopback_refused_even_when_the_publisher_is_loopback() -> None:
    assert reasons(
        with_upload("https://127.0.0.1:9000/upload"),
        publisher_url="https://127.0.0.1:8000/",
    ) == [Problem("response.upload_url", "loopback hosts are refused")]


def test_allow_loopback_permits_http_on_loopback_only() -> None:
    guardrails = Guardrails(allow_loopback=True)
    publisher = "http://127.0.0.1:8000/feed.json"
    ok = with_upload("http://127.0.0.1:9000/upload")
    assert reasons(ok, guardrails, publisher_url=publisher) == []
    assert (
        reasons(
            with_upload("https://127.0.0.1:9000/upload"),
            guardrails,
            publisher_url=publisher,
        )
        == []
    )
    assert reasons(with_upload("http://feeds.example.org/upload"), guardrails) == [
        Problem("response.upload_url", "must use https")
    ]


def test_other_schemes_are_refused() -> None:
    guardrails = Guardrails(allow_loopback=True)
    assert reasons(
        with_upload("ftp://127.0.0.1/upload"),
        guardrails,
        publisher_url="http://127.0.0.1/",
    ) == [Problem("response.upload_url", "must use https")]


def test_publisher_url_without_a_host() -> None:
    assert reasons(request(), publisher_url="not a url") == [
        Problem(
            "response.upload_url",
            'host "feeds.example.org" is not the publisher\'s host ""',
        )
    ]


# --- weekly cap -----------------------------------------------------------------


def test_weekly_cap() -> None:
    assert reasons(request(), recent_actionable=9) == []
    assert reasons(request(), recent_actionable=10) == [
        Problem("publisher", "10 actionable requests in the last 7 days already")
    ]
    assert reasons(request(), Guardrails(max_actionable_per_week=0)) == [
        Problem("publisher", "0 actionable requests in the last 7 days already")
    ]
