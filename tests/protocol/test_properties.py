"""Properties: valid requests survive the wire unchanged; garbage only ever yields
ProtocolError, never another exception, whatever a hostile feed puts in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.neighborhood_requests.protocol.errors import (
    Problem,
    ProtocolError,
)
from custom_components.neighborhood_requests.protocol.feed import FeedVerifier
from custom_components.neighborhood_requests.protocol.jws import (
    b64url_encode,
    verify_jws,
)
from custom_components.neighborhood_requests.protocol.model import (
    Area,
    Circle,
    Contact,
    Incident,
    Legal,
    LegalBasis,
    Manifest,
    Polygon,
    Request,
    Requested,
    Status,
    Window,
)
from custom_components.neighborhood_requests.protocol.parse import (
    manifest_to_dict,
    parse_feed,
    parse_manifest,
    parse_request,
    request_to_dict,
)

from .factories import TEST_JWK, make_feed, make_request, trusted_keys

PROPERTY_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150
)

# --- valid requests -----------------------------------------------------------------

identifiers = st.from_regex(r"[A-Za-z0-9._-]{1,64}", fullmatch=True).filter(
    lambda s: s not in {".", ".."}
)
instants = st.datetimes(
    # Hypothesis takes naive bounds and attaches `timezones` itself.
    min_value=datetime(1970, 1, 1),
    max_value=datetime(2200, 1, 1),
    timezones=st.just(UTC),
)


def texts(max_size: int) -> st.SearchStrategy[str]:
    """Text a request may carry: anything but control characters (spec section 1)."""
    return st.text(
        st.characters(blacklist_categories=("Cc", "Cs")),
        min_size=1,
        max_size=max_size,
    )


urls = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["http", "https"]),
    st.from_regex(
        r"[a-z0-9]{1,12}(\.[a-z0-9]{1,8}){0,2}\.(org|net|example)", fullmatch=True
    ),
    st.from_regex(r"[A-Za-z0-9/_.~%-]{0,30}", fullmatch=True),
)


@st.composite
def ordered_pair(draw: st.DrawFn) -> tuple[datetime, datetime]:
    start = draw(instants)
    length = draw(
        st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=30))
    )
    return start, start + length


circles = st.builds(
    Circle,
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
    radius_m=st.floats(0.01, 50_000),
)


@st.composite
def polygons(draw: st.DrawFn) -> Polygon:
    """Convex rings (regular n-gons) away from poles and the antimeridian."""
    lat = draw(st.floats(-80, 80))
    lon = draw(st.floats(-170, 170))
    size = draw(st.floats(0.0005, 0.05))
    sides = draw(st.integers(3, 12))
    turn = draw(st.floats(0, 2 * math.pi))
    ring = [
        (
            lat + size * math.sin(turn + 2 * math.pi * k / sides),
            lon + size * math.cos(turn + 2 * math.pi * k / sides),
        )
        for k in range(sides)
    ]
    return Polygon(points=(*ring, ring[0]))


areas: st.SearchStrategy[Area] = st.one_of(circles, polygons())


@st.composite
def requests(draw: st.DrawFn) -> Request:
    issued_at, expires_at = draw(ordered_pair())
    start, end = draw(ordered_pair())
    return Request(
        id=draw(identifiers),
        revision=draw(st.integers(1, 2**53 - 1)),
        status=draw(st.sampled_from(Status)),
        issued_at=issued_at,
        expires_at=expires_at,
        window=Window(start, end),
        area=draw(areas),
        incident=Incident(
            type=draw(texts(64)),
            summary=draw(texts(500)),
            case_number=draw(st.none() | texts(64)),
            reference_url=draw(st.none() | urls),
        ),
        legal=Legal(
            basis=draw(st.sampled_from(LegalBasis)),
            reference=draw(st.none() | texts(256)),
        ),
        requested=Requested(video=True, audio=draw(st.booleans())),
        contact=Contact(
            name=draw(st.none() | texts(256)),
            phone=draw(st.none() | texts(256)),
            email=draw(st.none() | texts(256)),
        ),
        upload_url=draw(urls),
        public_url=draw(st.none() | urls),
    )


@PROPERTY_SETTINGS
@given(requests())
def test_request_round_trips(request: Request) -> None:
    assert parse_request(request_to_dict(request)) == request


@PROPERTY_SETTINGS
@given(requests())
def test_request_round_trips_through_json_text(request: Request) -> None:
    wire = json.dumps(request_to_dict(request))

    assert parse_request(json.loads(wire)) == request


@st.composite
def manifests(draw: st.DrawFn) -> Manifest:
    start, end = draw(ordered_pair())
    return Manifest(
        request_id=draw(identifiers),
        publisher_id=draw(identifiers),
        camera=draw(texts(64)),
        window=Window(start, end),
        sha256=draw(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
        bytes=draw(st.integers(0, 2**53 - 1)),
        exported_at=draw(instants),
        exporter_version=draw(texts(64)),
        home_key_id=draw(texts(128)),
        include_audio=draw(st.booleans()),
    )


@PROPERTY_SETTINGS
@given(manifests())
def test_manifest_round_trips(manifest: Manifest) -> None:
    assert parse_manifest(manifest_to_dict(manifest)) == manifest


# --- hostile input ------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
json_like: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)


def only_protocol_errors(call: Any, *args: Any) -> None:
    problems: tuple[Problem, ...] = ()
    try:
        call(*args)
    except ProtocolError as err:
        problems = err.problems
    assert all(isinstance(p.reason, str) and p.reason for p in problems)


@PROPERTY_SETTINGS
@given(json_like)
def test_parse_request_on_anything(value: Any) -> None:
    only_protocol_errors(parse_request, value)


@PROPERTY_SETTINGS
@given(
    st.sampled_from(sorted(make_request())),
    json_like,
)
def test_parse_request_with_one_member_replaced(name: str, value: Any) -> None:
    only_protocol_errors(parse_request, make_request(**{name: value}))


NESTED = ["window", "area", "incident", "legal_basis", "requested", "contact"]


@PROPERTY_SETTINGS
@given(st.data())
def test_parse_request_with_one_nested_member_replaced(data: st.DataObject) -> None:
    request = make_request()
    outer = data.draw(st.sampled_from(NESTED))
    inner: Any = request[outer]
    if outer == "area":
        inner = data.draw(
            st.sampled_from(
                [
                    {"circle": dict(inner["circle"])},
                    {"polygon": [[0.0, 0.0], [0.0, 0.01], [0.01, 0.01], [0.0, 0.0]]},
                ]
            )
        )
        shape = next(iter(inner))
        if shape == "circle":
            inner["circle"][data.draw(st.sampled_from(["lat", "lon", "radius_m"]))] = (
                data.draw(json_like)
            )
        else:
            ring = inner["polygon"]
            ring[data.draw(st.integers(0, 3))] = data.draw(json_like)
    else:
        inner = dict(inner)
        inner[data.draw(st.sampled_from(sorted(inner)))] = data.draw(json_like)
    only_protocol_errors(parse_request, {**request, outer: inner})


@PROPERTY_SETTINGS
@given(json_like)
def test_parse_feed_on_anything(value: Any) -> None:
    only_protocol_errors(parse_feed, value)


@PROPERTY_SETTINGS
@given(st.text())
def test_parse_feed_on_any_text(value: str) -> None:
    only_protocol_errors(parse_feed, value)


@PROPERTY_SETTINGS
@given(st.binary())
def test_parse_feed_on_any_bytes(value: bytes) -> None:
    only_protocol_errors(parse_feed, value)


@PROPERTY_SETTINGS
@given(st.sampled_from(["crf", "publisher", "requests"]), json_like)
def test_parse_feed_with_one_member_replaced(name: str, value: Any) -> None:
    only_protocol_errors(parse_feed, {**make_feed([make_request()]), name: value})


@PROPERTY_SETTINGS
@given(st.sampled_from(["id", "name", "kind", "url", "keys"]), json_like)
def test_parse_feed_with_one_publisher_member_replaced(name: str, value: Any) -> None:
    document = make_feed([make_request()])
    document["publisher"] = {**document["publisher"], name: value}

    only_protocol_errors(parse_feed, document)


@PROPERTY_SETTINGS
@given(json_like | st.text() | st.binary())
def test_verify_jws_on_anything(value: Any) -> None:
    only_protocol_errors(verify_jws, value, trusted_keys())


segments = st.from_regex(r"[A-Za-z0-9_-]{1,120}", fullmatch=True)


@PROPERTY_SETTINGS
@given(segments, segments, segments)
def test_verify_jws_on_well_shaped_garbage(header: str, payload: str, sig: str) -> None:
    only_protocol_errors(verify_jws, f"{header}.{payload}.{sig}", trusted_keys())


@PROPERTY_SETTINGS
@given(json_like, json_like, st.binary(max_size=80))
def test_verify_jws_on_any_header_and_payload(
    header: Any, payload: Any, signature: bytes
) -> None:
    def encode(value: Any) -> str:
        return b64url_encode(json.dumps(value).encode())

    token = f"{encode(header)}.{encode(payload)}.{b64url_encode(signature) or 'AA'}"

    only_protocol_errors(verify_jws, token, trusted_keys())


@PROPERTY_SETTINGS
@given(
    st.lists(
        st.text(max_size=200) | st.dictionaries(st.text(max_size=5), json_like),
        max_size=5,
    ),
    st.booleans(),
)
def test_feed_verifier_never_raises_on_entries(
    entries: list[Any], allow_unsigned: bool
) -> None:
    feed = parse_feed({**make_feed(), "requests": entries})
    verifier = FeedVerifier([TEST_JWK], allow_unsigned=allow_unsigned)

    result = verifier.verify(feed)

    assert len(result.accepted) + len(result.rejected) == len(entries)
