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

from .factories import NOW, UPLOAD_ORIGIN, make_request

DEFAULTS = Guardrails()
FEED_ORIGIN = "https://feeds.example.org:8443"


def rails(**changes: Any) -> Guardrails:
    """A home that trusted the factories' feed and its signed upload origin."""
    changes.setdefault("upload_origins", frozenset({FEED_ORIGIN, UPLOAD_ORIGIN}))
    return Guardrails(**changes)


TRUSTING = rails()


def request(**overrides: Any) -> Request:
    return parse_request(make_request(**overrides))


def reasons(
    req: Request,
    guardrails: Guardrails = TRUSTING,
    *,
    recent_actionable: int = 0,
) -> list[Problem]:
    verdict = evaluate(req, guardrails, now=NOW, recent_actionable=recent_actionable)
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
    assert DEFAULTS.upload_origins == frozenset()
    assert DEFAULTS.allow_lan is False
    assert DEFAULTS.max_actionable_per_week == 10


def test_a_good_request_is_actionable() -> None:
    verdict = evaluate(request(), TRUSTING, now=NOW)
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
    guardrails = rails(legal_bases=frozenset({LegalBasis.VOLUNTARY}))
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
            "upload origin http://evil.example is not one this home trusted for "
            "this publisher (feeds.example.org, feeds.example.org:8443)",
        ),
        Problem("publisher", "10 actionable requests in the last 7 days already"),
    ]


def test_every_violation_carries_its_code_and_raw_values() -> None:
    """What people read in their language: a code and machine values (seconds,
    metres, timestamps) beside the English, which stays as the test above pins."""
    req = dataclasses.replace(
        request(status="cancelled"),
        expires_at=NOW - timedelta(minutes=5),
        window=Window(NOW - timedelta(hours=50), NOW + timedelta(hours=1)),
        area=Circle(41.6, -73.0, 900.0),
        incident=Incident(type="protest", summary="march", case_number=None),
        legal=Legal(LegalBasis.SUBPOENA),
        upload_url="http://user@10.0.0.5/upload",
    )
    guardrails = rails(legal_bases=frozenset({LegalBasis.VOLUNTARY}))
    found = [
        (p.code, dict(p.params)) for p in reasons(req, guardrails, recent_actionable=10)
    ]
    assert found == [
        ("request_cancelled", {}),
        ("request_expired", {"at": "2026-11-20T15:55:00Z"}),
        ("window_in_future", {}),
        ("window_too_old", {"retention": "172800"}),
        ("window_too_long", {"length": "183600", "max_length": "7200"}),
        ("radius_too_large", {"radius": "900", "limit": "400"}),
        ("case_number_required", {}),
        ("incident_type_refused", {"incident": "protest"}),
        ("legal_basis_refused", {"basis": "subpoena"}),
        ("upload_url_credentials", {}),
        ("upload_address_refused", {"address": "10.0.0.5", "kind": "private"}),
        ("upload_not_https", {}),
        (
            "upload_origin_untrusted",
            {
                "origin": "http://10.0.0.5",
                "trusted": "feeds.example.org, feeds.example.org:8443",
            },
        ),
        ("too_many_requests", {"count": "10"}),
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
    guardrails = rails(retention=timedelta(hours=6, minutes=30))
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
    assert reasons(req, rails(max_window=timedelta(hours=12))) == []


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
    assert reasons(req, rails(max_radius_m=628.0)) == []


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
    guardrails = rails(require_case_number=False)
    assert reasons(with_incident(case_number=None), guardrails) == []


@pytest.mark.parametrize(
    "incident_type", ["protest", "Protest", "  DEMONSTRATION ", "assembly"]
)
def test_blocked_incident_types_are_refused(incident_type: str) -> None:
    assert reasons(with_incident(type=incident_type)) == [
        Problem("incident.type", f'requests about "{incident_type}" are refused')
    ]


def test_blocked_types_compare_spaces_hyphens_and_case_alike() -> None:
    guardrails = rails(blocked_incident_types=frozenset({"Street Party"}))
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
    guardrails = rails(
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
        "https://feeds.example.org:443/upload",
        "https://feeds.example.org:8443/other/path",
    ],
)
def test_upload_to_a_trusted_origin(url: str) -> None:
    assert reasons(with_upload(url)) == []


def test_upload_over_http_is_refused() -> None:
    assert reasons(with_upload("http://feeds.example.org/upload")) == [
        Problem("response.upload_url", "must use https"),
        Problem(
            "response.upload_url",
            "upload origin http://feeds.example.org is not one this home trusted "
            "for this publisher (feeds.example.org, feeds.example.org:8443)",
        ),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/upload",
        "https://x.feeds.example.org/upload",
        "https://feeds.example.org:8080/upload",
    ],
)
def test_upload_to_another_origin_is_refused(url: str) -> None:
    """Another host, a sibling subdomain, the same host on another port."""
    (problem,) = reasons(with_upload(url))
    assert problem.path == "response.upload_url"
    assert "is not one this home trusted for this publisher" in problem.reason


def test_publisher_url_vouches_for_nothing() -> None:
    """`publisher.url` is not signed: a feed claiming evil.example gains nothing."""
    req = dataclasses.replace(request(), upload_url="https://evil.example/in")
    assert reasons(req, rails(upload_origins=frozenset())) == [
        Problem(
            "response.upload_url",
            "upload origin evil.example is not one this home trusted for this "
            "publisher (none)",
        )
    ]


def test_user_info_cannot_disguise_the_host() -> None:
    url = "https://feeds.example.org@evil.example/upload"
    assert reasons(with_upload(url)) == [
        Problem("response.upload_url", "must not carry a user name or password"),
        Problem(
            "response.upload_url",
            "upload origin evil.example is not one this home trusted for this "
            "publisher (feeds.example.org, feeds.example.org:8443)",
        ),
    ]


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
    ("host", "reason"),
    [
        ("127.0.0.1", "127.0.0.1 is on this computer (loopback)"),
        ("127.8.9.10", "127.8.9.10 is on this computer (loopback)"),
        ("localhost", "localhost is this computer (localhost)"),
        ("inbox.localhost", "inbox.localhost is this computer (localhost)"),
        ("[::1]", "::1 is on this computer (loopback)"),
        ("0.0.0.0", "0.0.0.0 is unspecified"),
        ("127.1", "127.1 is a non-canonical spelling of 127.0.0.1"),
        ("2130706433", "2130706433 is a non-canonical spelling of 127.0.0.1"),
        ("169.254.169.254", "169.254.169.254 is link-local (where cloud metadata "
         "services answer)"),
        ("10.0.0.5", "10.0.0.5 is on a private network"),
        ("192.168.1.1", "192.168.1.1 is on a private network"),
        ("172.16.0.1", "172.16.0.1 is on a private network"),
        ("100.64.0.1", "100.64.0.1 is in the shared address range 100.64.0.0/10 "
         "(carrier-grade NAT)"),
        ("[fe80::1]", "fe80::1 is link-local (where cloud metadata services answer)"),
        ("[fd00::1]", "fd00::1 is on a private network (IPv6 unique local)"),
        ("[::ffff:a9fe:a9fe]", "::ffff:169.254.169.254 is an IPv4-mapped IPv6 address "
         "(of 169.254.169.254)"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1 is an IPv4-mapped IPv6 address "
         "(of 127.0.0.1)"),
        ("[::a00:5]", "::a00:5 is an IPv4-compatible IPv6 address"),
        ("[64:ff9b::a00:5]", "64:ff9b::a00:5 is NAT64 for 10.0.0.5, which is on a "
         "private network"),
        ("224.0.0.1", "224.0.0.1 is a multicast address"),
        ("192.0.2.7", "192.0.2.7 is reserved, not a public address"),
    ],
)  # fmt: skip
def test_upload_into_the_homes_network_is_refused(host: str, reason: str) -> None:
    """The address is named with the rule it breaks, even on a trusted origin."""
    url = f"https://{host}/upload"
    guardrails = rails(upload_origins=frozenset({f"https://{host.lower()}"}))
    assert reasons(with_upload(url), guardrails) == [
        Problem("response.upload_url", f"upload address {reason}")
    ]


def test_a_lan_publisher_may_use_its_own_network_over_http() -> None:
    """With the owner's yes: loopback, private, CGNAT and ULA, plain http too."""
    for host in ("127.0.0.1:9000", "10.0.0.5", "100.64.0.1", "[fd00::1]", "nas.local"):
        url = f"http://{host}/upload"
        guardrails = rails(upload_origins=frozenset({f"http://{host}"}), allow_lan=True)
        assert reasons(with_upload(url), guardrails) == [], host


def test_a_lan_allowance_still_refuses_link_local_and_tricks() -> None:
    for host, reason in (
        ("169.254.169.254", "169.254.169.254 is link-local (where cloud metadata "
         "services answer)"),
        ("[::ffff:a00:5]", "::ffff:10.0.0.5 is an IPv4-mapped IPv6 address (of "
         "10.0.0.5)"),
        ("2130706433", "2130706433 is a non-canonical spelling of 127.0.0.1"),
    ):  # fmt: skip
        guardrails = rails(
            upload_origins=frozenset({f"https://{host}"}), allow_lan=True
        )
        assert reasons(with_upload(f"https://{host}/upload"), guardrails) == [
            Problem("response.upload_url", f"upload address {reason}")
        ]


def test_a_lan_allowance_keeps_https_for_public_hosts() -> None:
    guardrails = rails(allow_lan=True)
    assert reasons(with_upload("http://feeds.example.org/upload"), guardrails)[0] == (
        Problem("response.upload_url", "must use https")
    )


def test_other_schemes_are_refused() -> None:
    guardrails = rails(upload_origins=frozenset({"http://127.0.0.1"}), allow_lan=True)
    assert reasons(with_upload("ftp://127.0.0.1/upload"), guardrails) == [
        Problem("response.upload_url", "must use https"),
        Problem("response.upload_url", "is not an absolute URL with a host"),
    ]


def test_weekly_cap() -> None:
    assert reasons(request(), recent_actionable=9) == []
    assert reasons(request(), recent_actionable=10) == [
        Problem("publisher", "10 actionable requests in the last 7 days already")
    ]
    assert reasons(request(), rails(max_actionable_per_week=0)) == [
        Problem("publisher", "0 actionable requests in the last 7 days already")
    ]
