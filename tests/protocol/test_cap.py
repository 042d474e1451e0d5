"""CAP 1.2 input: the mapping onto requests, every refusal, and hostile XML."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.neighborhood_requests.protocol.cap import (
    ATOM_NS,
    CAP_NS,
    CAP_PARAMETERS,
    CapResult,
    latest_revisions,
    parse_cap,
)
from custom_components.neighborhood_requests.protocol.errors import (
    Problem,
    ProtocolError,
)
from custom_components.neighborhood_requests.protocol.model import (
    Circle,
    Contact,
    Incident,
    Legal,
    LegalBasis,
    Polygon,
    Request,
    Requested,
    Skipped,
    Status,
    Window,
)

SENT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ORIGINAL_REF = "dispatch@wolcott-pd.example.org,WPD-2026-0412,2026-11-20T15:00:00-00:00"
CIRCLE_AREA = (
    "<area><areaDesc>Elm Street</areaDesc><circle>41.6,-73.0 0.3</circle></area>"
)
DEFAULT_PARAMS: dict[str, str | None] = {
    "window_start": "2026-11-20T14:00:00-00:00",
    "window_end": "2026-11-20T14:30:00-00:00",
    "case_number": "24-1187",
    "upload_url": "https://feeds.example.org/upload",
}


def info(
    *,
    params: Mapping[str, str | None] | None = None,
    area: str = CIRCLE_AREA,
    extra: str = "",
    **fields: str | None,
) -> str:
    """An `<info>` block; a field or parameter set to None is left out."""
    values: dict[str, str | None] = {
        "language": "en-US",
        "category": "Security",
        "event": "Burglary",
        "urgency": "Past",
        "severity": "Minor",
        "certainty": "Observed",
        "expires": "2026-11-27T14:05:00-00:00",
        "headline": "Break-in on Elm Street",
        "description": "Looking for a person on foot between 14:00 and 14:30.",
        "web": "https://feeds.example.org/requests/wpd-2026-0412",
        "contact": "Det. A. Rivera",
    }
    values.update(fields)
    body = "".join(f"<{k}>{v}</{k}>" for k, v in values.items() if v is not None)
    merged = {**DEFAULT_PARAMS, **(params or {})}
    body += "".join(
        f"<parameter><valueName>{k}</valueName><value>{v}</value></parameter>"
        for k, v in merged.items()
        if v is not None
    )
    return f"<info>{body}{extra}{area}</info>"


def alert(*, ns: str = CAP_NS, body: str | None = None, **fields: str | None) -> str:
    """An `<alert>` element; `body` replaces the default `<info>`."""
    values: dict[str, str | None] = {
        "identifier": "WPD-2026-0412",
        "sender": "dispatch@wolcott-pd.example.org",
        "sent": "2026-11-20T15:00:00-00:00",
        "status": "Actual",
        "msgType": "Alert",
        "scope": "Public",
        "references": None,
    }
    values.update(fields)
    head = "".join(f"<{k}>{v}</{k}>" for k, v in values.items() if v is not None)
    return f'<alert xmlns="{ns}">{head}{info() if body is None else body}</alert>'


def document(xml: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml).encode()


def atom(*entries: str) -> bytes:
    body = "".join(
        f"<entry><id>urn:entry:{i}</id><title>t</title>"
        f'<updated>2026-11-20T15:00:00Z</updated><content type="text/xml">{e}'
        "</content></entry>"
        for i, e in enumerate(entries)
    )
    return document(
        f'<feed xmlns="{ATOM_NS}"><id>urn:feed</id><title>WPD</title>'
        f"<updated>2026-11-20T15:00:00Z</updated>{body}</feed>"
    )


def problems(data: bytes) -> list[Problem]:
    """Why the document, or else its video-request alerts, were refused.

    Alerts are judged one by one, so a refused alert leaves the document
    standing; this collects the problems of every refused alert in order.
    """
    try:
        result = parse_cap(data)
    except ProtocolError as err:
        return list(err.problems)
    assert not result.skipped, result.skipped
    assert result.rejected, result
    return [p for rejected in result.rejected for p in rejected.problems]


def one(data: bytes) -> Request:
    result = parse_cap(data)
    assert not result.rejected, result.rejected
    (request,) = result.requests
    return request


# --- mapping --------------------------------------------------------------------


def test_single_alert_maps_onto_a_request() -> None:
    assert parse_cap(document(alert())).requests == (
        Request(
            id="WPD-2026-0412",
            revision=int(SENT.timestamp()),
            status=Status.ACTIVE,
            issued_at=SENT,
            expires_at=datetime(2026, 11, 27, 14, 5, tzinfo=UTC),
            window=Window(
                datetime(2026, 11, 20, 14, 0, tzinfo=UTC),
                datetime(2026, 11, 20, 14, 30, tzinfo=UTC),
            ),
            area=Circle(41.6, -73.0, 300.0),
            incident=Incident(
                type="burglary",
                summary="Break-in on Elm Street",
                case_number="24-1187",
                reference_url=None,
            ),
            legal=Legal(LegalBasis.VOLUNTARY, None),
            requested=Requested(video=True, audio=False),
            contact=Contact(name="Det. A. Rivera"),
            upload_url="https://feeds.example.org/upload",
            public_url="https://feeds.example.org/requests/wpd-2026-0412",
        ),
    )


def test_parameter_names() -> None:
    assert {
        "window_start",
        "window_end",
        "case_number",
        "upload_url",
        "legal_basis",
    } <= set(CAP_PARAMETERS)


def test_revision_is_the_sent_time_in_epoch_seconds() -> None:
    request = one(document(alert(sent="2026-11-20T10:00:00-05:00")))
    assert request.revision == int(SENT.timestamp()) == 1_795_186_800
    assert request.issued_at == SENT


def test_circle_radius_is_in_kilometres() -> None:
    area = "<area><areaDesc>x</areaDesc><circle>41.6,-73.0 0.25</circle></area>"
    request = one(document(alert(body=info(area=area))))
    assert request.area == Circle(41.6, -73.0, 250.0)


@given(
    st.floats(-89, 89),
    st.floats(-179, 179),
    st.integers(1, 50_000),
)
def test_any_valid_circle_round_trips(lat: float, lon: float, radius_m: int) -> None:
    circle = f"{lat!r},{lon!r} {radius_m / 1000!r}"
    area = f"<area><areaDesc>x</areaDesc><circle>{circle}</circle></area>"
    request = one(document(alert(body=info(area=area))))
    assert isinstance(request.area, Circle)
    assert (request.area.lat, request.area.lon) == (lat, lon)
    assert request.area.radius_m == pytest.approx(radius_m)


def test_polygon() -> None:
    ring = "41.60,-73.00 41.60,-72.998 41.602,-72.998 41.602,-73.00 41.60,-73.00"
    area = f"<area><areaDesc>block</areaDesc><polygon>\n  {ring}\n</polygon></area>"
    request = one(document(alert(body=info(area=area))))
    assert request.area == Polygon(
        (
            (41.60, -73.00),
            (41.60, -72.998),
            (41.602, -72.998),
            (41.602, -73.00),
            (41.60, -73.00),
        )
    )


def test_identifier_is_made_safe_and_short() -> None:
    request = one(document(alert(identifier="urn:oid:2.49.0.1.840/2026 #0412")))
    assert request.id == "urn-oid-2.49.0.1.840-2026--0412"
    long_id = one(document(alert(identifier="A" * 80)))
    assert long_id.id == "A" * 64


def test_event_becomes_a_lowercase_incident_type() -> None:
    request = one(document(alert(body=info(event="Hit and  Run"))))
    assert request.incident.type == "hit_and_run"


def test_description_is_the_summary_without_a_headline() -> None:
    request = one(document(alert(body=info(headline=None))))
    assert (
        request.incident.summary
        == "Looking for a person on foot between 14:00 and 14:30."
    )


def test_optional_members_may_be_absent() -> None:
    body = info(web=None, contact=None, params={"case_number": None})
    request = one(document(alert(body=body)))
    assert request.public_url is None
    assert request.contact == Contact()
    assert request.incident.case_number is None


def test_legal_basis_and_reference_parameters() -> None:
    params = {"legal_basis": "warrant", "legal_reference": "W-2026-17"}
    request = one(document(alert(body=info(params=params))))
    assert request.legal == Legal(LegalBasis.WARRANT, "W-2026-17")


@pytest.mark.parametrize(("value", "audio"), [("true", True), ("FALSE", False)])
def test_audio_parameter(value: str, audio: bool) -> None:
    request = one(document(alert(body=info(params={"audio": value}))))
    assert request.requested == Requested(video=True, audio=audio)


def test_unknown_parameters_are_ignored() -> None:
    request = one(document(alert(body=info(params={"EAS-ORG": "CIV"}))))
    assert request.id == "WPD-2026-0412"


def test_only_the_first_info_block_is_used() -> None:
    second = info(event="Other", params={"case_number": "99"})
    request = one(document(alert(body=info() + second)))
    assert request.incident.type == "burglary"
    assert request.incident.case_number == "24-1187"


def test_atom_feed_of_three_alerts() -> None:
    data = atom(
        alert(identifier="WPD-1"),
        alert(identifier="WPD-2", body=info(event="Robbery")),
        alert(identifier="WPD-3"),
    )
    requests = parse_cap(data).requests
    assert [r.id for r in requests] == ["WPD-1", "WPD-2", "WPD-3"]
    assert requests[1].incident.type == "robbery"


def test_empty_atom_feed() -> None:
    assert parse_cap(atom()) == CapResult()


def test_atom_entry_without_an_inline_alert_is_skipped() -> None:
    """Many alert feeds link each alert instead of carrying it: not a request."""
    result = parse_cap(atom(alert(identifier="WPD-1"), "<p>see the link</p>"))

    assert [r.id for r in result.requests] == ["WPD-1"]
    assert result.skipped == (
        Skipped(1, "alert[1]: the entry has no inline CAP alert"),
    )
    assert result.rejected == ()


def test_atom_entry_without_content_is_skipped() -> None:
    data = document(f'<feed xmlns="{ATOM_NS}"><entry><id>urn:x</id></entry></feed>')

    assert parse_cap(data) == CapResult(
        skipped=(Skipped(0, "alert[0]: the entry has no inline CAP alert"),)
    )


# --- updates and cancellations ----------------------------------------------------


def test_update_revises_the_original_request() -> None:
    update = one(
        document(
            alert(
                identifier="WPD-2026-0412-U1",
                sent="2026-11-20T16:30:00-00:00",
                msgType="Update",
                references=ORIGINAL_REF,
                body=info(params={"window_end": "2026-11-20T14:45:00-00:00"}),
            )
        )
    )
    original = one(document(alert()))
    assert update.id == original.id == "WPD-2026-0412"
    assert update.revision == original.revision + 90 * 60
    assert update.status is Status.ACTIVE
    assert update.window.end == datetime(2026, 11, 20, 14, 45, tzinfo=UTC)


def test_original_and_update_in_one_feed_share_an_id() -> None:
    requests = parse_cap(
        atom(
            alert(),
            alert(
                identifier="WPD-2026-0412-U1",
                sent="2026-11-20T16:30:00-00:00",
                msgType="Update",
                references=ORIGINAL_REF,
            ),
        )
    ).requests
    assert [(r.id, r.revision) for r in requests] == [
        ("WPD-2026-0412", 1_795_186_800),
        ("WPD-2026-0412", 1_795_192_200),
    ]


def test_cancel_naming_only_an_update_in_the_same_feed_finds_the_original() -> None:
    update_ref = (
        "dispatch@wolcott-pd.example.org,WPD-2026-0412-U1,2026-11-20T16:30:00-00:00"
    )
    requests = parse_cap(
        atom(
            alert(),
            alert(
                identifier="WPD-2026-0412-U1",
                sent="2026-11-20T16:30:00-00:00",
                msgType="Update",
                references=ORIGINAL_REF,
            ),
            alert(
                identifier="WPD-2026-0412-C",
                sent="2026-11-20T17:00:00-00:00",
                msgType="Cancel",
                references=update_ref,
            ),
        )
    ).requests
    assert [(r.id, r.status) for r in requests] == [
        ("WPD-2026-0412", Status.ACTIVE),
        ("WPD-2026-0412", Status.ACTIVE),
        ("WPD-2026-0412", Status.CANCELLED),
    ]
    assert [r.revision for r in requests] == sorted({r.revision for r in requests})


def test_cancel_cancels_the_first_referenced_alert() -> None:
    references = (
        ORIGINAL_REF
        + " dispatch@wolcott-pd.example.org,WPD-2026-0412-U1,2026-11-20T16:30:00-00:00"
    )
    cancel = one(
        document(
            alert(
                identifier="WPD-2026-0412-C",
                sent="2026-11-20T17:00:00-00:00",
                msgType="Cancel",
                references=references,
                body=info(expires=None),
            )
        )
    )
    sent = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    assert cancel.id == "WPD-2026-0412"
    assert cancel.status is Status.CANCELLED
    assert cancel.revision == int(sent.timestamp())
    assert cancel.expires_at == sent + timedelta(days=7)


def test_cancel_keeps_an_explicit_expiry() -> None:
    cancel = one(
        document(
            alert(
                msgType="Cancel", references=ORIGINAL_REF, sent="2026-11-20T17:00:00Z"
            )
        )
    )
    assert cancel.expires_at == datetime(2026, 11, 27, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize("msg_type", ["Update", "Cancel"])
def test_update_and_cancel_need_references(msg_type: str) -> None:
    assert problems(document(alert(msgType=msg_type))) == [
        Problem(
            "alert[0].references",
            f"missing (an {msg_type} must name the alert it replaces)",
        )
    ]


@pytest.mark.parametrize(
    "references", ["WPD-2026-0412", "a,b", "sender,,2026-11-20T15:00:00Z", "a,b,c,d"]
)
def test_malformed_references(references: str) -> None:
    assert problems(document(alert(msgType="Cancel", references=references))) == [
        Problem(
            "alert[0].references",
            'expected space-separated "sender,identifier,sent" entries',
        )
    ]


# --- refusals -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["identifier", "sender", "sent", "msgType"])
def test_missing_alert_element(name: str) -> None:
    omit: dict[str, Any] = {name: None}
    assert problems(document(alert(**omit))) == [Problem(f"alert[0].{name}", "missing")]


def test_blank_element_counts_as_missing() -> None:
    assert problems(document(alert(identifier="   "))) == [
        Problem("alert[0].identifier", "missing")
    ]


def test_alert_without_info_is_not_a_request() -> None:
    assert parse_cap(document(alert(body="", identifier=None))) == CapResult(
        skipped=(Skipped(0, "alert[0]: no <info>, so no video request"),)
    )


@pytest.mark.parametrize("name", ["window_start", "window_end", "upload_url"])
def test_missing_required_parameter(name: str) -> None:
    assert problems(document(alert(body=info(params={name: None})))) == [
        Problem(f"alert[0].info.parameter.{name}", "missing")
    ]


@pytest.mark.parametrize("name", ["event", "expires"])
def test_missing_info_element(name: str) -> None:
    omit: dict[str, Any] = {name: None}
    assert problems(document(alert(body=info(**omit)))) == [
        Problem(f"alert[0].info.{name}", "missing")
    ]


def test_missing_headline_and_description() -> None:
    assert problems(document(alert(body=info(headline=None, description=None)))) == [
        Problem("alert[0].info.headline", "missing (give a headline or a description)")
    ]


def test_missing_area() -> None:
    assert problems(document(alert(body=info(area="")))) == [
        Problem("alert[0].info.area", "missing")
    ]


@pytest.mark.parametrize(
    ("area", "count"),
    [
        ("<area><areaDesc>Wolcott</areaDesc></area>", 0),
        (
            "<area><areaDesc>x</areaDesc><circle>41.6,-73 0.1</circle>"
            "<circle>41.7,-73 0.1</circle></area>",
            2,
        ),
        (CIRCLE_AREA + CIRCLE_AREA, 2),
    ],
)
def test_area_needs_exactly_one_shape(area: str, count: int) -> None:
    assert problems(document(alert(body=info(area=area)))) == [
        Problem(
            "alert[0].info.area",
            f"needs exactly one circle or polygon, found {count}",
        )
    ]


@pytest.mark.parametrize(
    "circle",
    ["41.6 -73.0 0.3", "41.6,-73.0", "41.6,-73.0,0.3 1", "nan,0 1", "41.6,-73 1_0", ""],
)
def test_malformed_circle(circle: str) -> None:
    area = f"<area><areaDesc>x</areaDesc><circle>{circle}</circle></area>"
    assert problems(document(alert(body=info(area=area)))) == [
        Problem(
            "alert[0].info.area.circle",
            f'expected "lat,lon radius_km", got "{circle}"',
        )
    ]


@pytest.mark.parametrize(
    ("circle", "problem"),
    [
        (
            "41.6,-73.0 0",
            Problem(
                "alert[0].info.area.circle.radius_m", "radius must be greater than 0 m"
            ),
        ),
        (
            "41.6,-73.0 60",
            Problem(
                "alert[0].info.area.circle.radius_m",
                "radius 60000 m is larger than the 50000 m limit",
            ),
        ),
        (
            "95,-73.0 1",
            Problem("alert[0].info.area.circle.lat", "95.0 is outside -90..90"),
        ),
    ],
)
def test_invalid_circle(circle: str, problem: Problem) -> None:
    area = f"<area><areaDesc>x</areaDesc><circle>{circle}</circle></area>"
    assert problems(document(alert(body=info(area=area)))) == [problem]


def test_polygon_with_a_bad_pair() -> None:
    ring = "41.6,-73 41.6;-72.9 41.7,-73 41.6,-73"
    area = f"<area><areaDesc>x</areaDesc><polygon>{ring}</polygon></area>"
    assert problems(document(alert(body=info(area=area)))) == [
        Problem("alert[0].info.area.polygon", '"41.6;-72.9" is not a "lat,lon" pair')
    ]


def test_polygon_not_closed() -> None:
    area = (
        "<area><areaDesc>x</areaDesc>"
        "<polygon>41.6,-73 41.6,-72.99 41.61,-72.99 41.61,-73</polygon></area>"
    )
    assert problems(document(alert(body=info(area=area)))) == [
        Problem(
            "alert[0].info.area.polygon",
            "ring is not closed: the first point must equal the last",
        )
    ]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (
            {"sent": "yesterday"},
            Problem(
                "alert[0].sent",
                '"yesterday" is not an RFC 3339 timestamp (like 2026-11-20T14:05:00Z)',
            ),
        ),
        (
            {"sent": "2026-11-20T15:00:00"},
            Problem(
                "alert[0].sent",
                "naive timestamp: a UTC offset is required (Z or +hh:mm/-hh:mm)",
            ),
        ),
    ],
)
def test_refused_alert_fields(fields: dict[str, str], problem: Problem) -> None:
    assert problems(document(alert(**fields))) == [problem]


def test_bad_parameters() -> None:
    body = info(
        params={"window_start": "soon", "audio": "yes"},
        extra=(
            "<parameter><valueName>case_number</valueName><value>2</value></parameter>"
            "<parameter><valueName>legal_basis</valueName></parameter>"
        ),
    )
    assert problems(document(alert(body=body))) == [
        Problem("alert[0].info.parameter.case_number", "given more than once"),
        Problem("alert[0].info.parameter.legal_basis", "has no value"),
        Problem(
            "alert[0].info.parameter.window_start",
            '"soon" is not an RFC 3339 timestamp (like 2026-11-20T14:05:00Z)',
        ),
        Problem("alert[0].info.parameter.audio", 'must be "true" or "false"'),
    ]


def test_duplicate_required_parameter_is_reported_once() -> None:
    extra = "<parameter><valueName>upload_url</valueName><value>https://x</value></parameter>"
    assert problems(document(alert(body=info(extra=extra)))) == [
        Problem("alert[0].info.parameter.upload_url", "given more than once")
    ]


def test_request_rules_apply_with_the_alert_prefix() -> None:
    body = info(
        params={
            "window_end": "2026-11-20T13:00:00Z",
            "upload_url": "ftp://feeds.example.org/upload",
            "legal_basis": "subpena",
        }
    )
    assert problems(document(alert(body=body))) == [
        Problem("alert[0].window.end", "must be after window.start"),
        Problem(
            "alert[0].legal_basis.type",
            'unknown value "subpena" (expected one of voluntary, warrant, subpoena, '
            "court_order)",
        ),
        Problem("alert[0].response.upload_url", "must be an absolute http(s) URL"),
    ]


def test_every_problem_of_every_alert_is_reported() -> None:
    data = atom(
        alert(identifier=None),
        alert(identifier="WPD-2"),
        alert(body=info(params={"window_start": None}, event=None)),
    )
    assert problems(data) == [
        Problem("alert[0].identifier", "missing"),
        Problem("alert[2].info.event", "missing"),
        Problem("alert[2].info.parameter.window_start", "missing"),
    ]


# --- hostile and foreign input --------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
<identifier>&lol4;</identifier></alert>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
<identifier>&xxe;</identifier></alert>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE alert SYSTEM "http://127.0.0.1:9/cap.dtd">
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
<identifier>x</identifier></alert>"""

PLAIN_DOCTYPE = (
    b"""<!DOCTYPE alert><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>"""
)


@pytest.mark.parametrize(
    "data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PLAIN_DOCTYPE]
)
def test_dtds_and_entities_are_refused(data: bytes) -> None:
    assert problems(data) == [
        Problem("", "XML with a DTD or entity declarations is refused")
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>x</alert>",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b'{"crf": "1", "requests": []}',
        b"\xff\xfe<\x00a\x00",
    ],
)
def test_malformed_or_non_xml_input(data: bytes) -> None:
    (problem,) = problems(data)
    assert problem.path == ""
    assert problem.reason.startswith("not well-formed XML (")


@pytest.mark.parametrize(
    ("xml", "tag"),
    [
        ("<alert><identifier>x</identifier></alert>", "alert"),
        ('<rss version="2.0"><channel/></rss>', "rss"),
        ('<feed xmlns="http://purl.org/atom/ns#"/>', "{http://purl.org/atom/ns#}feed"),
    ],
)
def test_wrong_namespace_or_root(xml: str, tag: str) -> None:
    assert problems(document(xml)) == [
        Problem(
            "",
            "the root element must be a CAP 1.2 <alert> "
            "(urn:oasis:names:tc:emergency:cap:1.2) or an Atom <feed> "
            f"(http://www.w3.org/2005/Atom), not {tag}",
        )
    ]


def test_cap_elements_in_another_namespace_are_not_read() -> None:
    # the right root but children from CAP 1.1: nothing required is found
    xml = alert().replace("<identifier>", '<identifier xmlns="urn:other">')
    assert problems(document(xml)) == [Problem("alert[0].identifier", "missing")]


# --- alerts judged one by one ---------------------------------------------------

WEATHER = alert(
    identifier="NWS-TOR-1",
    body=(
        "<info><category>Met</category><event>Tornado Warning</event>"
        "<urgency>Immediate</urgency><severity>Extreme</severity>"
        "<certainty>Observed</certainty>"
        "<eventCode><valueName>SAME</valueName><value>TOR</value></eventCode>"
        "<headline>Tornado warning</headline>"
        f"{CIRCLE_AREA}</info>"
    ),
)
FLOOD_WITHOUT_CODES = alert(
    identifier="NWS-FLOOD-1",
    body=(
        "<info><category>Met</category><event>Flood</event>"
        "<headline>Flooding</headline>"
        f"{CIRCLE_AREA}</info>"
    ),
)
CAP_1_1 = alert(identifier="OLD-1", ns="urn:oasis:names:tc:emergency:cap:1.1")
CAP_1_0 = alert(identifier="OLD-0", ns="http://www.incident.com/cap/1.0")
CRF_CODE = (
    "<eventCode><valueName>CRF</valueName><value>video_request</value></eventCode>"
)


def test_a_video_request_among_other_alerts_is_kept() -> None:
    """A real alert feed mixes kinds: the request beside them still arrives."""
    result = parse_cap(
        atom(
            WEATHER,
            CAP_1_1,
            alert(identifier="WPD-1"),
            CAP_1_0,
            FLOOD_WITHOUT_CODES,
            alert(identifier="EX-1", status="Exercise"),
            alert(identifier="ACK-1", msgType="Ack"),
            alert(
                identifier="OTHER-1",
                body=info(
                    extra="<eventCode><valueName>CRF</valueName>"
                    "<value>missing_person</value></eventCode>"
                ),
            ),
        )
    )

    assert [r.id for r in result.requests] == ["WPD-1"]
    assert result.rejected == ()
    assert result.skipped == (
        Skipped(0, "alert[0]: event code SAME=TOR is not a video request"),
        Skipped(1, "alert[1]: CAP 1.1 alert; only CAP 1.2 alerts can be requests"),
        Skipped(3, "alert[3]: CAP 1.0 alert; only CAP 1.2 alerts can be requests"),
        Skipped(
            4,
            "alert[4]: no window: neither the CRF event code nor window parameters",
        ),
        Skipped(5, 'alert[5]: status "Exercise"; only "Actual" alerts are requests'),
        Skipped(6, 'alert[6]: msgType "Ack" is not a request'),
        Skipped(7, "alert[7]: event code CRF=missing_person is not a video request"),
    )


def test_a_single_older_cap_alert_is_skipped_not_an_error() -> None:
    assert parse_cap(document(CAP_1_1)) == CapResult(
        skipped=(
            Skipped(0, "alert[0]: CAP 1.1 alert; only CAP 1.2 alerts can be requests"),
        )
    )


def test_a_broken_request_is_rejected_alone() -> None:
    """The CRF event code makes it a request, so a missing window is an error."""
    broken = alert(
        identifier="WPD-2",
        body=info(
            params={"window_start": None, "window_end": None, "upload_url": None},
            extra=CRF_CODE,
        ),
    )
    result = parse_cap(atom(alert(identifier="WPD-1"), broken, WEATHER))

    assert [r.id for r in result.requests] == ["WPD-1"]
    (rejected,) = result.rejected
    assert (rejected.index, rejected.request_id) == (1, "WPD-2")
    assert rejected.problems == (
        Problem("alert[1].info.parameter.window_start", "missing"),
        Problem("alert[1].info.parameter.window_end", "missing"),
        Problem("alert[1].info.parameter.upload_url", "missing"),
    )
    assert len(rejected.digest) == 64
    assert [s.index for s in result.skipped] == [2]


def test_the_crf_event_code_alone_marks_a_request() -> None:
    request = one(document(alert(body=info(extra=CRF_CODE))))

    assert request.id == "WPD-2026-0412"


def test_more_alerts_than_the_limit_refuse_the_document_first() -> None:
    """Counted before any alert is read: three broken alerts, one message."""
    broken = alert(identifier=None, body=info(event=None))

    with pytest.raises(ProtocolError) as err:
        parse_cap(atom(broken, broken, broken), max_alerts=2)

    assert err.value.problems == (
        Problem("", "3 entries exceed the limit of 2 per feed"),
    )


def test_latest_revision_per_request_stands() -> None:
    update = alert(
        identifier="WPD-2026-0412-U1",
        sent="2026-11-20T16:30:00-00:00",
        msgType="Update",
        references=ORIGINAL_REF,
    )

    result = latest_revisions(parse_cap(atom(alert(), update, WEATHER)))

    assert [(r.id, r.revision) for r in result.requests] == [
        ("WPD-2026-0412", 1_795_192_200)
    ]
    assert result.skipped[-1] == Skipped(
        0,
        "request WPD-2026-0412 revision 1795186800: superseded by revision "
        "1795192200 in this document",
    )
