"""CRF v1 JSON <-> model: every bad input named at its exact path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
import json
from typing import Any

import pytest

from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.model import (
    GAP_CAMERA_OFFLINE,
    GAP_NO_FOOTAGE,
    Circle,
    Feed,
    Gap,
    LegalBasis,
    Manifest,
    Polygon,
    PublisherKind,
    Status,
    VideoFormat,
    Window,
)
from custom_components.neighborhood_requests.protocol.parse import (
    feed_to_dict,
    format_timestamp,
    manifest_to_dict,
    parse_feed,
    parse_manifest,
    parse_request,
    parse_statement,
    parse_timestamp,
    request_to_dict,
    statement_to_dict,
)

from .factories import (
    HOME_KID,
    OMIT,
    OTHER_JWK,
    TEST_JWK,
    feed_bytes,
    make_feed,
    make_publisher,
    make_request,
)


def problems(parse: Callable[[Any], object], value: Any) -> list[str]:
    """Every problem `parse` reports, as `path: reason` strings."""
    with pytest.raises(ProtocolError) as err:
        parse(value)
    return [str(p) for p in err.value.problems]


# --- requests: the good case --------------------------------------------------------


def test_valid_request_parses_to_model() -> None:
    request = parse_request(make_request())

    assert request.id == "wpd-2026-0412"
    assert request.status is Status.ACTIVE
    assert request.legal.basis is LegalBasis.VOLUNTARY
    assert request.area == Circle(lat=41.6, lon=-73.0, radius_m=300.0)
    assert request.window.start == datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    assert request.window.duration == timedelta(minutes=30)
    assert request.upload_url == "https://feeds.example.org/upload"
    assert request.incident.case_number == "24-1187"


def test_request_round_trips_through_dict() -> None:
    request = parse_request(make_request())

    assert parse_request(request_to_dict(request)) == request
    assert request_to_dict(request) == make_request()


def test_unknown_members_are_ignored_for_forward_compatibility() -> None:
    data = make_request(priority="high", window={**make_request()["window"], "x": 1})

    assert parse_request(data) == parse_request(make_request())


def test_optional_members_default() -> None:
    request = parse_request(make_request(requested=OMIT, contact=OMIT, public_url=OMIT))

    assert request.requested.video is True
    assert request.requested.audio is False
    assert request.contact.name is None
    assert request.public_url is None
    assert "public_url" not in request_to_dict(request)


def test_polygon_area_parses() -> None:
    ring = [[41.60, -73.00], [41.60, -72.99], [41.61, -72.99], [41.60, -73.00]]

    request = parse_request(make_request(area={"polygon": ring}))

    assert request.area == Polygon(points=tuple((a, b) for a, b in ring))
    assert request_to_dict(request)["area"] == {"polygon": ring}


def test_integer_coordinates_become_floats() -> None:
    request = parse_request(
        make_request(area={"circle": {"lat": 41, "lon": -73, "radius_m": 300}})
    )

    assert request.area == Circle(lat=41.0, lon=-73.0, radius_m=300.0)
    assert isinstance(request.area.lat, float)


# --- requests: every bad input has its own message ----------------------------------

BAD_REQUESTS: list[tuple[str, dict[str, Any], str]] = [
    ("id with slash", {"id": "a/b"}, "id: must not contain path separators"),
    ("id with backslash", {"id": "a\\b"}, "id: must not contain path separators"),
    ("id empty", {"id": ""}, "id: must match [A-Za-z0-9._-]{1,64}"),
    ("id too long", {"id": "x" * 65}, "id: must match [A-Za-z0-9._-]{1,64}"),
    ("id non-ascii", {"id": "caf\u00e9"}, "id: must match [A-Za-z0-9._-]{1,64}"),
    ("id dot", {"id": "."}, 'id: must not be "."'),
    ("id dotdot", {"id": ".."}, 'id: must not be ".."'),
    ("id number", {"id": 7}, "id: must be a string, not integer"),
    ("id missing", {"id": OMIT}, "id: is required"),
    ("revision bool", {"revision": True}, "revision: must be an integer, not boolean"),
    ("revision float", {"revision": 1.0}, "revision: must be an integer, not number"),
    ("revision text", {"revision": "1"}, "revision: must be an integer, not string"),
    ("revision zero", {"revision": 0}, "revision: must be at least 1"),
    (
        "revision unsafe",
        {"revision": 2**53},
        "revision: must be at most 9007199254740991",
    ),
    (
        "status unknown",
        {"status": "pending"},
        'status: unknown value "pending" (expected one of active, cancelled, closed)',
    ),
    ("status null", {"status": None}, "status: must be a string, not null"),
    (
        "issued_at naive",
        {"issued_at": "2026-11-20T14:05:00"},
        "issued_at: naive timestamp: a UTC offset is required (Z or +hh:mm/-hh:mm)",
    ),
    (
        "issued_at date only",
        {"issued_at": "2026-11-20"},
        'issued_at: "2026-11-20" is not an RFC 3339 timestamp '
        "(like 2026-11-20T14:05:00Z)",
    ),
    (
        "issued_at hour 24",
        {"issued_at": "2026-11-20T24:00:00Z"},
        'issued_at: "2026-11-20T24:00:00Z" is not an RFC 3339 timestamp '
        "(like 2026-11-20T14:05:00Z)",
    ),
    (
        "issued_at epoch number",
        {"issued_at": 1_790_000_000},
        "issued_at: must be an RFC 3339 timestamp string, not integer",
    ),
    (
        "expires_at February 30",
        {"expires_at": "2026-02-30T00:00:00Z"},
        "expires_at: invalid date or time (day 30 must be in range 1..28 "
        "for month 2 in year 2026)",
    ),
    (
        "expires_at leap second",
        {"expires_at": "2026-12-31T23:59:60Z"},
        "expires_at: invalid date or time (second must be in 0..59, not 60)",
    ),
    (
        "expires before issued",
        {"expires_at": "2026-11-20T15:00:00Z"},
        "expires_at: must be after issued_at",
    ),
    (
        "window end equals start",
        {"window": {"start": "2026-11-20T14:00:00Z", "end": "2026-11-20T14:00:00Z"}},
        "window.end: must be after window.start",
    ),
    (
        "window end before start",
        {"window": {"start": "2026-11-20T14:00:00Z", "end": "2026-11-20T13:00:00Z"}},
        "window.end: must be after window.start",
    ),
    (
        "window start missing",
        {"window": {"end": "2026-11-20T13:00:00Z"}},
        "window.start: is required",
    ),
    ("window array", {"window": []}, "window: must be an object, not array"),
    (
        "area both shapes",
        {
            "area": {
                "circle": {"lat": 1, "lon": 1, "radius_m": 1},
                "polygon": [[0, 0], [0, 1], [1, 1], [0, 0]],
            }
        },
        "area: must have exactly one of circle or polygon",
    ),
    ("area empty", {"area": {}}, "area: must have exactly one of circle or polygon"),
    (
        "lat above 90",
        {"area": {"circle": {"lat": 91, "lon": 0, "radius_m": 100}}},
        "area.circle.lat: 91.0 is outside -90..90",
    ),
    (
        "lon below -180",
        {"area": {"circle": {"lat": 0, "lon": -180.5, "radius_m": 100}}},
        "area.circle.lon: -180.5 is outside -180..180",
    ),
    (
        "radius zero",
        {"area": {"circle": {"lat": 0, "lon": 0, "radius_m": 0}}},
        "area.circle.radius_m: radius must be greater than 0 m",
    ),
    (
        "radius negative",
        {"area": {"circle": {"lat": 0, "lon": 0, "radius_m": -5}}},
        "area.circle.radius_m: radius must be greater than 0 m",
    ),
    (
        "lat bool",
        {"area": {"circle": {"lat": True, "lon": 0, "radius_m": 5}}},
        "area.circle.lat: must be a number, not boolean",
    ),
    (
        "lat text",
        {"area": {"circle": {"lat": "41.6", "lon": 0, "radius_m": 5}}},
        "area.circle.lat: must be a number, not string",
    ),
    (
        "lat NaN",
        {"area": {"circle": {"lat": float("nan"), "lon": 0, "radius_m": 5}}},
        "area.circle.lat: must be a finite number",
    ),
    (
        "radius huge integer",
        {"area": {"circle": {"lat": 0, "lon": 0, "radius_m": 10**400}}},
        "area.circle.radius_m: must be a finite number",
    ),
    (
        "radius missing",
        {"area": {"circle": {"lat": 0, "lon": 0}}},
        "area.circle.radius_m: is required",
    ),
    (
        "polygon open",
        {"area": {"polygon": [[0, 0], [0, 0.01], [0.01, 0.01], [0.01, 0]]}},
        "area.polygon: ring is not closed: the first point must equal the last",
    ),
    (
        "polygon three points",
        {"area": {"polygon": [[0, 0], [0, 0.01], [0, 0]]}},
        "area.polygon: a polygon needs at least 4 points (a closed ring), got 3",
    ),
    (
        "polygon point not a pair",
        {"area": {"polygon": [[0, 0], [0, 0.01, 5], [0.01, 0.01], [0, 0]]}},
        "area.polygon[1]: must be a [lat, lon] pair",
    ),
    (
        "polygon lon text",
        {"area": {"polygon": [[0, 0], [0, "x"], [0.01, 0.01], [0, 0]]}},
        "area.polygon[1][1]: must be a number, not string",
    ),
    (
        "polygon not array",
        {"area": {"polygon": "0,0 0,1 1,1 0,0"}},
        "area.polygon: must be an array of [lat, lon] pairs, not string",
    ),
    (
        "polygon too many points",
        {"area": {"polygon": [[0, 0]] * 501}},
        "area.polygon: polygon has 501 points; at most 500 are supported",
    ),
    (
        "incident type missing",
        {"incident": {"summary": "x"}},
        "incident.type: is required",
    ),
    (
        "incident summary empty",
        {"incident": {"type": "theft", "summary": ""}},
        "incident.summary: must not be empty",
    ),
    (
        "incident type too long",
        {"incident": {"type": "t" * 65, "summary": "x"}},
        "incident.type: longer than 64 characters",
    ),
    (
        "summary too long",
        {"incident": {"type": "theft", "summary": "s" * 4001}},
        "incident.summary: longer than 4000 characters",
    ),
    (
        "case number integer",
        {"incident": {"type": "theft", "summary": "x", "case_number": 1187}},
        "incident.case_number: must be a string, not integer",
    ),
    (
        "reference url not a url",
        {"incident": {"type": "theft", "summary": "x", "reference_url": "nope"}},
        "incident.reference_url: must be an absolute http(s) URL",
    ),
    (
        "legal basis unknown",
        {"legal_basis": {"type": "gut_feeling"}},
        'legal_basis.type: unknown value "gut_feeling" '
        "(expected one of voluntary, warrant, subpoena, court_order)",
    ),
    (
        "legal basis as string",
        {"legal_basis": "warrant"},
        "legal_basis: must be an object, not string",
    ),
    (
        "legal reference number",
        {"legal_basis": {"type": "warrant", "reference": 12}},
        "legal_basis.reference: must be a string, not integer",
    ),
    (
        "video false",
        {"requested": {"video": False}},
        "requested.video: must be true (CRF v1 requests are for video)",
    ),
    (
        "audio text",
        {"requested": {"audio": "yes"}},
        "requested.audio: must be true or false, not string",
    ),
    ("requested array", {"requested": []}, "requested: must be an object, not array"),
    (
        "contact name number",
        {"contact": {"name": 5}},
        "contact.name: must be a string, not integer",
    ),
    (
        "contact email too long",
        {"contact": {"email": "e" * 257}},
        "contact.email: longer than 256 characters",
    ),
    ("response missing", {"response": OMIT}, "response: is required"),
    ("upload url missing", {"response": {}}, "response.upload_url: is required"),
    (
        "upload url number",
        {"response": {"upload_url": 5}},
        "response.upload_url: must be a URL string, not integer",
    ),
    (
        "upload url ftp",
        {"response": {"upload_url": "ftp://feeds.example.org/up"}},
        "response.upload_url: must be an absolute http(s) URL",
    ),
    (
        "upload url relative",
        {"response": {"upload_url": "/upload"}},
        "response.upload_url: must be an absolute http(s) URL",
    ),
    (
        "upload url without host",
        {"response": {"upload_url": "https://"}},
        "response.upload_url: must be an absolute http(s) URL",
    ),
    (
        "upload url broken ipv6",
        {"response": {"upload_url": "https://[::1/up"}},
        "response.upload_url: must be an absolute http(s) URL",
    ),
    (
        "upload url with space",
        {"response": {"upload_url": "https://feeds.example.org/a b"}},
        "response.upload_url: must not contain spaces or control characters "
        "(U+0020 at position 27)",
    ),
    (
        "upload url with a C1 control",
        {"response": {"upload_url": "https://feeds.example.org/\x85upload"}},
        "response.upload_url: must not contain spaces or control characters "
        "(U+0085 at position 26)",
    ),
    (
        "upload url with a CSI control",
        {"response": {"upload_url": "https://feeds.example.org\x9b/upload"}},
        "response.upload_url: must not contain spaces or control characters "
        "(U+009B at position 25)",
    ),
    (
        "upload url with a no-break space",
        {"response": {"upload_url": "https://feeds.example.org/\xa0"}},
        "response.upload_url: must not contain spaces or control characters "
        "(U+00A0 at position 26)",
    ),
    (
        "reference url with an escaped NUL",
        {
            "incident": {
                **make_request()["incident"],
                "reference_url": "https://e.org/\x00",
            }
        },
        "incident.reference_url: must not contain spaces or control characters "
        "(U+0000 at position 14)",
    ),
    (
        "summary with a terminal escape",
        {"incident": {**make_request()["incident"], "summary": "a\x1b[31mred"}},
        "incident.summary: contains the control character U+001B",
    ),
    (
        "contact name with a C1 control",
        {"contact": {"name": "Det.\x9b Rivera"}},
        "contact.name: contains the control character U+009B",
    ),
    (
        "upload url too long",
        {"response": {"upload_url": "https://e.org/" + "a" * 2048}},
        "response.upload_url: longer than 2048 characters",
    ),
    (
        "public url invalid",
        {"public_url": "javascript:alert(1)"},
        "public_url: must be an absolute http(s) URL",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [pytest.param(o, e, id=name) for name, o, e in BAD_REQUESTS],
)
def test_bad_request_names_the_problem(
    overrides: dict[str, Any], expected: str
) -> None:
    assert expected in problems(parse_request, make_request(**overrides))


def test_self_intersecting_polygon_is_rejected() -> None:
    bow_tie = [[0, 0], [0.01, 0.01], [0, 0.01], [0.01, 0], [0, 0]]

    found = problems(parse_request, make_request(area={"polygon": bow_tie}))

    assert len(found) == 1
    assert found[0].startswith("area.polygon")
    assert "intersect" in found[0] or "cross" in found[0]


@pytest.mark.parametrize(
    ("value", "kind"),
    [(None, "null"), ([], "array"), ("req", "string"), (5, "integer"), (1.5, "number")],
)
def test_request_must_be_an_object(value: object, kind: str) -> None:
    assert problems(parse_request, value) == [f"must be an object, not {kind}"]


def test_non_json_python_values_are_named_by_type() -> None:
    assert problems(parse_request, make_request(id=object())) == [
        "id: must be a string, not object"
    ]


def test_all_problems_are_collected_at_once() -> None:
    data = make_request(
        id="a/b",
        revision=True,
        status="pending",
        window={"start": "2026-11-20T14:00:00Z", "end": "2026-11-20T13:00:00Z"},
        legal_basis={"type": "hunch"},
        response={"upload_url": 3},
    )

    found = problems(parse_request, data)

    assert [p.split(":")[0] for p in found] == [
        "id",
        "revision",
        "status",
        "window.end",
        "legal_basis.type",
        "response.upload_url",
    ]


def test_every_required_member_is_reported_missing() -> None:
    found = problems(parse_request, {})

    assert found == [
        "issued_at: is required",
        "expires_at: is required",
        "id: is required",
        "revision: is required",
        "status: is required",
        "window: is required",
        "area: is required",
        "incident: is required",
        "legal_basis: is required",
        "response: is required",
    ]


# --- timestamps ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T14:05:00Z", datetime(2026, 11, 20, 14, 5, tzinfo=UTC)),
        ("2026-11-20t14:05:00z", datetime(2026, 11, 20, 14, 5, tzinfo=UTC)),
        ("2026-11-20T09:05:00-05:00", datetime(2026, 11, 20, 14, 5, tzinfo=UTC)),
        ("2026-11-20T14:05:00-00:00", datetime(2026, 11, 20, 14, 5, tzinfo=UTC)),
        (
            "2026-11-20T14:05:00.1234567Z",
            datetime(2026, 11, 20, 14, 5, 0, 123456, tzinfo=UTC),
        ),
    ],
)
def test_timestamps_become_aware_utc(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text, "t")

    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_timestamp_overflowing_after_offset_is_rejected() -> None:
    with pytest.raises(ProtocolError) as err:
        parse_timestamp("0001-01-01T00:00:00+01:00", "issued_at")

    assert err.value.problems[0].path == "issued_at"
    assert err.value.problems[0].reason.startswith("invalid date or time")


def test_unicode_digits_are_not_timestamps() -> None:
    with pytest.raises(ProtocolError, match="is not an RFC 3339 timestamp"):
        parse_timestamp("\u0662026-11-20T14:05:00Z", "t")


def test_format_timestamp_writes_utc_with_z() -> None:
    eastern = timezone(timedelta(hours=-5))

    assert format_timestamp(datetime(2026, 11, 20, 9, 5, tzinfo=eastern)) == (
        "2026-11-20T14:05:00Z"
    )
    assert format_timestamp(datetime(2026, 11, 20, 9, 5, 0, 250, tzinfo=UTC)) == (
        "2026-11-20T09:05:00.000250Z"
    )


def test_format_timestamp_refuses_naive() -> None:
    with pytest.raises(ValueError, match="aware"):
        format_timestamp(datetime(2026, 11, 20, 9, 5))


# --- feeds ----------------------------------------------------------------------------


def test_feed_parses_from_bytes_str_and_mapping() -> None:
    document = make_feed([make_request()])

    from_bytes = parse_feed(feed_bytes(document))

    assert from_bytes == parse_feed(feed_bytes(document).decode())
    assert from_bytes == parse_feed(document)
    assert from_bytes.publisher.kind is PublisherKind.LAW_ENFORCEMENT
    assert from_bytes.publisher.keys == (TEST_JWK,)
    assert len(from_bytes.entries) == 1
    assert isinstance(from_bytes.entries[0], str)


def test_feed_round_trips_through_dict() -> None:
    feed = parse_feed(make_feed([make_request()]))

    assert parse_feed(feed_to_dict(feed)) == feed


def test_unsigned_feed_keeps_objects() -> None:
    feed = parse_feed(make_feed([make_request()], signed=False))

    assert feed.publisher.keys == ()
    assert feed.entries == (make_request(),)
    assert feed_to_dict(feed)["requests"] == [make_request()]


def test_jwk_extras_are_dropped_and_alg_use_accepted() -> None:
    jwk = {**TEST_JWK, "alg": "EdDSA", "use": "sig", "x5c": ["..."]}

    feed = parse_feed(make_feed(keys=[jwk]))

    assert feed.publisher.keys == (TEST_JWK,)


def test_feed_ignores_unknown_top_level_members() -> None:
    document = {**make_feed(), "generated_by": "something newer"}

    assert parse_feed(document) == parse_feed(make_feed())


BAD_FEEDS: list[tuple[str, Any, str]] = [
    ("not json", b"{not json", "feed: not valid JSON"),
    ("nan", b'{"crf": NaN}', "feed: NaN is not a JSON number"),
    (
        "bad utf-8",
        b'{"crf": "\xff"}',
        "feed: not valid UTF-8 (byte 9: invalid start byte)",
    ),
    ("deep nesting", b"[" * 100_000, "feed: nested too deeply to read"),
    ("infinity", b'{"crf": -Infinity}', "feed: -Infinity is not a JSON number"),
    ("overflowing number", b'{"crf": 1e400}', "feed: number 1e400 is too large"),
    (
        "duplicate key",
        b'{"crf": "1", "crf": "2"}',
        'feed: duplicate key "crf"',
    ),
    (
        "utf-16 with bom",
        '{"crf": "1"}'.encode("utf-16"),
        "feed: is UTF-16 (byte order mark); JSON here must be UTF-8",
    ),
    (
        "utf-32 with bom",
        '{"crf": "1"}'.encode("utf-32"),
        "feed: is UTF-32 (byte order mark); JSON here must be UTF-8",
    ),
    (
        "utf-16 without bom",
        '{"crf": "1"}'.encode("utf-16-le"),
        "feed: looks like UTF-16 or UTF-32; it must be UTF-8",
    ),
    (
        "lone surrogate",
        b'{"crf": "1", "x": "\\ud800"}',
        "feed: contains a lone surrogate",
    ),
    (
        "lone low surrogate in a key",
        b'{"crf": "1", "\\udc00": 1}',
        "feed: contains a lone surrogate",
    ),
    (
        "utf-8 encoded surrogate",
        b'{"crf": "\xed\xa0\x80"}',
        "feed: not valid UTF-8",
    ),
    ("array", b"[]", "feed: must be a JSON object, not array"),
    ("string", '"feed"', "feed: must be a JSON object, not string"),
    ("crf missing", {}, 'crf: is required (this reader understands version "1")'),
    (
        "crf 2",
        {"crf": "2"},
        'crf: unsupported version "2" (this reader understands "1")',
    ),
    (
        "crf integer",
        {"crf": 1},
        'crf: unsupported version 1 (this reader understands "1")',
    ),
    ("publisher missing", {"crf": "1", "requests": []}, "publisher: is required"),
    (
        "publisher string",
        {"crf": "1", "publisher": "pd", "requests": []},
        "publisher: must be an object, not string",
    ),
]


@pytest.mark.parametrize(
    ("document", "expected"), [pytest.param(d, e, id=n) for n, d, e in BAD_FEEDS]
)
def test_bad_feed_document(document: Any, expected: str) -> None:
    found = problems(parse_feed, document)

    assert any(p.startswith(expected) for p in found), found


BAD_PUBLISHERS: list[tuple[str, dict[str, Any], str]] = [
    ("id missing", {"id": OMIT}, "publisher.id: is required"),
    ("id bad", {"id": "pd/1"}, "publisher.id: must not contain path separators"),
    ("name missing", {"name": OMIT}, "publisher.name: is required"),
    ("name number", {"name": 3}, "publisher.name: must be a string, not integer"),
    (
        "kind unknown",
        {"kind": "vigilante"},
        'publisher.kind: unknown value "vigilante" '
        "(expected one of law_enforcement, community, other)",
    ),
    (
        "url bad",
        {"url": "feeds.example.org"},
        "publisher.url: must be an absolute http(s) URL",
    ),
    (
        "keys missing",
        {"keys": OMIT},
        "publisher.keys: is required (an empty array for an unsigned feed)",
    ),
    (
        "keys object",
        {"keys": {}},
        "publisher.keys: must be an array of JWKs, not object",
    ),
    (
        "too many keys",
        {"keys": [TEST_JWK] * 17},
        "publisher.keys: 17 keys exceed the limit of 16",
    ),
    (
        "key string",
        {"keys": ["abc"]},
        "publisher.keys[0]: must be a JWK object, not string",
    ),
    (
        "key RSA",
        {"keys": [{**TEST_JWK, "kty": "RSA"}]},
        'publisher.keys[0].kty: must be "OKP" (Ed25519), not "RSA"',
    ),
    (
        "key X25519",
        {"keys": [{**TEST_JWK, "crv": "X25519"}]},
        'publisher.keys[0].crv: must be "Ed25519", not "X25519"',
    ),
    (
        "key crv missing",
        {"keys": [{k: v for k, v in TEST_JWK.items() if k != "crv"}]},
        'publisher.keys[0].crv: must be "Ed25519", not missing',
    ),
    (
        "key x short",
        {"keys": [{**TEST_JWK, "x": "AAAA"}]},
        "publisher.keys[0].x: must be a 32-byte public key in unpadded base64url",
    ),
    (
        "key x padded",
        {"keys": [{**TEST_JWK, "x": TEST_JWK["x"] + "="}]},
        "publisher.keys[0].x: must be a 32-byte public key in unpadded base64url",
    ),
    (
        "key private",
        {"keys": [{**TEST_JWK, "d": "secret"}]},
        "publisher.keys[0].d: private key material must never be published",
    ),
    (
        "key alg RS256",
        {"keys": [{**TEST_JWK, "alg": "RS256"}]},
        'publisher.keys[0].alg: must be EdDSA, not "RS256"',
    ),
    (
        "key use enc",
        {"keys": [{**TEST_JWK, "use": "enc"}]},
        'publisher.keys[0].use: must be "sig", not "enc"',
    ),
    (
        "key kid missing",
        {"keys": [{k: v for k, v in TEST_JWK.items() if k != "kid"}]},
        "publisher.keys[0].kid: is required",
    ),
    (
        "duplicate kid",
        {"keys": [TEST_JWK, {**OTHER_JWK, "kid": TEST_JWK["kid"]}]},
        'publisher.keys[1].kid: duplicate kid "test-key-1"',
    ),
]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [pytest.param(o, e, id=n) for n, o, e in BAD_PUBLISHERS],
)
def test_bad_publisher(overrides: dict[str, Any], expected: str) -> None:
    publisher = make_publisher()
    for name, value in overrides.items():
        if value is OMIT:
            del publisher[name]
        else:
            publisher[name] = value

    found = problems(parse_feed, make_feed(publisher=publisher))

    assert expected in found, found


def test_non_json_values_in_keys_are_named_by_type() -> None:
    publisher = make_publisher(keys=[{**TEST_JWK, "kty": object()}])

    assert problems(parse_feed, make_feed(publisher=publisher)) == [
        'publisher.keys[0].kty: must be "OKP" (Ed25519), not object'
    ]


def test_requests_must_be_an_array() -> None:
    document = {**make_feed(), "requests": {"a": 1}}

    assert problems(parse_feed, document) == ["requests: must be an array, not object"]


def test_requests_are_required() -> None:
    document = make_feed()
    del document["requests"]

    assert problems(parse_feed, document) == ["requests: is required"]


def test_request_entries_must_be_strings_or_objects() -> None:
    document = {**make_feed(), "requests": ["a.b.c", 5, None]}

    assert problems(parse_feed, document) == [
        "requests[1]: must be a JWS compact string or an object, not integer",
        "requests[2]: must be a JWS compact string or an object, not null",
    ]


def test_more_entries_than_the_cap_are_refused() -> None:
    document = {**make_feed(), "requests": ["a.b.c"] * 3}

    assert problems(lambda d: parse_feed(d, max_requests=2), document) == [
        "requests: 3 entries exceed the limit of 2 per feed"
    ]
    assert len(parse_feed(document, max_requests=3).entries) == 3


def test_feed_problems_are_collected() -> None:
    publisher = make_publisher(kind="x", url="nope")
    document = {**make_feed(publisher=publisher), "requests": 5}

    assert [p.split(":")[0] for p in problems(parse_feed, document)] == [
        "publisher.kind",
        "publisher.url",
        "requests",
    ]


# --- manifests ----------------------------------------------------------------------


def make_manifest(**overrides: Any) -> Manifest:
    values: dict[str, Any] = {
        "request_id": "wpd-2026-0412",
        "publisher_id": "wolcott-pd",
        "camera": "camera.front_door",
        "window": Window(
            datetime(2026, 11, 20, 14, tzinfo=UTC),
            datetime(2026, 11, 20, 14, 30, tzinfo=UTC),
        ),
        "sha256": "ab" * 32,
        "bytes": 1_234_567,
        "exported_at": datetime(2026, 11, 20, 16, 1, tzinfo=UTC),
        "exporter_version": "0.1.0",
        "home_key_id": HOME_KID,
        "include_audio": False,
    }
    values.update(overrides)
    return Manifest(**values)


def test_manifest_round_trips() -> None:
    manifest = make_manifest()

    data = manifest_to_dict(manifest)

    assert data["crf_manifest"] == "1"
    assert data["window"] == {
        "start": "2026-11-20T14:00:00Z",
        "end": "2026-11-20T14:30:00Z",
    }
    assert parse_manifest(data) == manifest
    assert parse_manifest(json.loads(json.dumps(data))) == manifest


BAD_MANIFESTS: list[tuple[str, dict[str, Any], str]] = [
    (
        "version 2",
        {"crf_manifest": "2"},
        'crf_manifest: unsupported manifest version "2" (this reader understands "1")',
    ),
    (
        "version missing",
        {"crf_manifest": OMIT},
        "crf_manifest: unsupported manifest version missing "
        '(this reader understands "1")',
    ),
    (
        "sha256 uppercase",
        {"sha256": "AB" * 32},
        "sha256: must be 64 lowercase hex characters (SHA-256)",
    ),
    (
        "sha256 short",
        {"sha256": "ab"},
        "sha256: must be 64 lowercase hex characters (SHA-256)",
    ),
    ("bytes negative", {"bytes": -1}, "bytes: must be at least 0"),
    ("bytes bool", {"bytes": True}, "bytes: must be an integer, not boolean"),
    ("audio missing", {"include_audio": OMIT}, "include_audio: is required"),
    (
        "audio text",
        {"include_audio": "no"},
        "include_audio: must be true or false, not string",
    ),
    (
        "request id bad",
        {"request_id": "../x"},
        "request_id: must not contain path separators",
    ),
    ("camera empty", {"camera": ""}, "camera: must not be empty"),
    (
        "window reversed",
        {"window": {"start": "2026-11-20T14:30:00Z", "end": "2026-11-20T14:00:00Z"}},
        "window.end: must be after window.start",
    ),
    (
        "exported naive",
        {"exported_at": "2026-11-20T16:01:00"},
        "exported_at: naive timestamp: a UTC offset is required (Z or +hh:mm/-hh:mm)",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [pytest.param(o, e, id=n) for n, o, e in BAD_MANIFESTS],
)
def test_bad_manifest(overrides: dict[str, Any], expected: str) -> None:
    data = manifest_to_dict(make_manifest())
    for name, value in overrides.items():
        if value is OMIT:
            del data[name]
        else:
            data[name] = value

    assert expected in problems(parse_manifest, data)


def test_manifest_must_be_an_object() -> None:
    assert problems(parse_manifest, ["x"]) == ["must be an object, not array"]


def test_feed_is_frozen_model() -> None:
    feed = parse_feed(make_feed())

    assert isinstance(feed, Feed)
    with pytest.raises(AttributeError):
        feed.version = "2"  # type: ignore[misc]


def _gap(start_min: int, end_min: int) -> dict[str, str]:
    return {
        "start": f"2026-11-20T14:{start_min:02d}:00Z",
        "end": f"2026-11-20T14:{end_min:02d}:00Z",
    }


def _at(minute: int) -> datetime:
    return datetime(2026, 11, 20, 14, minute, tzinfo=UTC)


def test_manifest_gaps_round_trip_and_default_to_none() -> None:
    gaps = (Gap(_at(5), _at(6), GAP_CAMERA_OFFLINE), Gap(_at(7), _at(8)))
    manifest = make_manifest(gaps=gaps)
    data = manifest_to_dict(manifest)
    assert data["gaps"] == [
        {**_gap(5, 6), "reason": "camera_offline"},
        {**_gap(7, 8), "reason": "no_footage"},
    ]
    assert parse_manifest(json.loads(json.dumps(data))) == manifest
    data["gaps"] = [_gap(5, 6)]  # no reason given: no footage, cause unknown
    assert parse_manifest(data).gaps == (Gap(_at(5), _at(6), GAP_NO_FOOTAGE),)
    data["gaps"] = [{**_gap(5, 6), "reason": "power_cut"}]  # a newer home's reason
    assert parse_manifest(data).gaps[0].reason == "power_cut"
    del data["gaps"]  # an older home: no gaps stated
    assert parse_manifest(data).gaps == ()


def test_manifest_formats_round_trip() -> None:
    """A camera that changed its resolution mid-window: the manifest says where."""
    formats = (
        VideoFormat(_at(0), "h264", 640, 360),
        VideoFormat(_at(12), "h264", 1920, 1080),
    )
    manifest = make_manifest(formats=formats)
    data = manifest_to_dict(manifest)
    assert data["formats"] == [
        {"start": "2026-11-20T14:00:00Z", "codec": "h264", "width": 640, "height": 360},
        {
            "start": "2026-11-20T14:12:00Z",
            "codec": "h264",
            "width": 1920,
            "height": 1080,
        },
    ]
    assert parse_manifest(json.loads(json.dumps(data))) == manifest
    del data["formats"]  # an older home
    assert parse_manifest(data).formats == ()


def _format(minute: int, **changes: Any) -> dict[str, Any]:
    return {
        "start": f"2026-11-20T14:{minute:02d}:00Z",
        "codec": "hevc",
        "width": 1280,
        "height": 720,
        **changes,
    }


@pytest.mark.parametrize(
    ("formats", "expected"),
    [
        ({}, "formats: must be a list of formats"),
        ([_format(0), _format(0)], "formats[1]: must start after the previous format"),
        ([_format(0, width=0)], "formats[0].width: "),
        ([_format(0, height=20000)], "formats[0].height: must be at most 16384"),
        ([_format(0, codec="")], "formats[0].codec"),
        ([_format(45)], "formats[0]: must lie inside the manifest's window"),
        ([_format(0)] * 101, "formats: at most 100 formats"),
    ],
)
def test_bad_manifest_formats(formats: object, expected: str) -> None:
    data = manifest_to_dict(make_manifest())
    data["formats"] = formats
    assert any(expected in problem for problem in problems(parse_manifest, data))


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        ("none", "gaps: must be a list of windows"),
        ([_gap(5, 6), _gap(5, 7)], "gaps[1]: must start after the previous gap ends"),
        ([_gap(6, 5)], "gaps[0]"),
        (
            [{"start": "2026-11-20T13:59:00Z", "end": "2026-11-20T14:01:00Z"}],
            "gaps[0]: must lie inside the manifest's window",
        ),
        ([_gap(1, 2)] * 1001, "gaps: at most 1000 gaps"),
        ([{**_gap(1, 2), "reason": "Camera Offline"}], "gaps[0].reason: must be"),
        ([{**_gap(1, 2), "reason": 7}], "gaps[0].reason: must be"),
    ],
)
def test_bad_manifest_gaps(gaps: object, expected: str) -> None:
    """A gap the home states must be a real hole inside the clip's window."""
    data = manifest_to_dict(make_manifest())
    data["gaps"] = gaps
    assert any(expected in problem for problem in problems(parse_manifest, data))


def test_summary_keeps_tabs_and_line_breaks() -> None:
    """Paragraphs are text, not control: only the other C0, DEL and C1 are refused."""
    incident = {**make_request()["incident"], "summary": "Line one\r\n\tLine two"}

    request = parse_request(make_request(incident=incident))

    assert request.incident.summary == "Line one\r\n\tLine two"


# --- publisher statement (spec 2.3) ------------------------------------------------

STATEMENT = {
    "crf_publisher": "1",
    "id": "wolcott-pd",
    "name": "Wolcott Police Department",
    "kind": "law_enforcement",
    "url": "https://feeds.example.org/",
    "upload_origins": ["https://inbox.example.org"],
}


def test_statement_round_trips() -> None:
    statement = parse_statement(STATEMENT)

    assert statement.upload_origins == ("https://inbox.example.org",)
    assert statement_to_dict(statement) == STATEMENT


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"crf_publisher": "2"}, 'crf_publisher: unsupported statement version "2"'),
        ({"upload_origins": "https://a.example"}, "upload_origins: must be an array"),
        (
            {"upload_origins": [f"https://{n}.example" for n in range(9)]},
            "upload_origins: 9 origins exceed the limit of 8",
        ),
        (
            {"upload_origins": ["https://a.example", "HTTPS://A.example:443"]},
            "upload_origins[1]: duplicate origin https://a.example",
        ),
        (
            {"upload_origins": ["https://a.example/upload"]},
            "upload_origins[0]: must be an origin: scheme://host[:port], without a "
            "path",
        ),
        (
            {"upload_origins": ["ftp://a.example"]},
            "upload_origins[0]: must be an absolute http(s) URL",
        ),
        (
            {"upload_origins": ["https://a.example\x85"]},
            "upload_origins[0]: must not contain spaces or control characters "
            "(U+0085 at position 17)",
        ),
        ({"name": None}, "name: must be a string, not null"),
    ],
)
def test_bad_statement(changes: dict[str, Any], expected: str) -> None:
    found = problems(parse_statement, {**STATEMENT, **changes})

    assert any(p.startswith(expected) for p in found), found


def test_statement_in_the_block_must_be_a_compact_jws() -> None:
    publisher = make_publisher(statement="not a jws")

    assert problems(parse_feed, make_feed(publisher=publisher)) == [
        "publisher.statement: must be a JWS compact string (three base64url segments)"
    ]


def test_statement_is_written_back_with_the_feed() -> None:
    document = make_feed([make_request()])

    assert feed_to_dict(parse_feed(document)) == document
