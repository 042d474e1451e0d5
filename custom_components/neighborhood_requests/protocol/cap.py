"""CAP 1.2 (OASIS Common Alerting Protocol) alerts as Community Request Feed requests.

Agencies that already publish CAP can reuse it: a single `<alert>` or an Atom
`<feed>` whose entries carry alerts inline. A real alert feed mixes video requests
with weather, traffic and test alerts, so each alert is judged on its own: one
that is not a video request is skipped with its reason, one that is but breaks a
rule is rejected with every reason, and neither touches the requests beside it.
A video request is mapped onto a CRF request object and then goes through
`parse.parse_request`, so it is checked by exactly the same rules as a JSON one.
The mapping is in docs/feed-spec.md, section 9.

XML comes from the network, so it is parsed with defusedxml and any DTD or entity
declaration is refused outright (billion laughs, external entities).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import hashlib
import re
from typing import TYPE_CHECKING, Any

from defusedxml import DefusedXmlException
import defusedxml.ElementTree as DefusedET

from .errors import Problem, ProtocolError
from .geo import validate_area
from .model import Area, Circle, Polygon, Rejected, Request, Skipped
from .parse import (
    DEFAULT_MAX_REQUESTS,
    format_timestamp,
    parse_request,
    parse_timestamp,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
OLDER_CAP = {
    "urn:oasis:names:tc:emergency:cap:1.1": "CAP 1.1",
    "http://www.incident.com/cap/1.0": "CAP 1.0",
}
CAP_PARAMETERS = (
    "window_start",
    "window_end",
    "case_number",
    "upload_url",
    "legal_basis",
    "legal_reference",
    "audio",
)
REQUIRED_PARAMETERS = ("window_start", "window_end", "upload_url")
# The parameters that only a video request carries: an alert with none of them
# and no CRF event code is some other kind of alert.
REQUEST_PARAMETERS = ("window_start", "window_end", "upload_url")
EVENT_CODE_NAME = "CRF"
EVENT_CODE_VALUE = "video_request"
MESSAGE_TYPES = ("Alert", "Update", "Cancel")
CANCEL_LIFETIME = timedelta(days=7)
"""How long a Cancel without `expires` stays listed: long enough to reach every home."""

_NOT_ID = re.compile(r"[^A-Za-z0-9._-]", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class CapResult:
    """Each alert of a document, judged on its own.

    `requests` are the valid video requests in document order, `rejected` the
    alerts that are video requests but break a rule (with every reason), and
    `skipped` everything that is not a video request at all: a weather alert,
    a CAP 1.1 alert, an exercise, an Atom entry without an inline alert.
    """

    requests: tuple[Request, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    skipped: tuple[Skipped, ...] = ()


class _NotARequest(Exception):
    """An alert that is not a video request; the message says why."""


def parse_cap(data: bytes, *, max_alerts: int = DEFAULT_MAX_REQUESTS) -> CapResult:
    """Every alert in a CAP alert or Atom feed of alerts, each judged on its own.

    Only the document as a whole can fail (not XML, a DTD, a foreign root, more
    alerts than `max_alerts`): that is checked before any alert is looked at.
    """
    root = _parse_xml(data)
    items: list[Element | None]
    if root.tag == _atom("feed"):
        items = _feed_items(root, max_alerts)
    elif root.tag.endswith("}alert") and _namespace(root) in (CAP_NS, *OLDER_CAP):
        items = [root]
    else:
        raise ProtocolError.single(
            "",
            f"the root element must be a CAP 1.2 <alert> ({CAP_NS}) or an Atom "
            f"<feed> ({ATOM_NS}), not {root.tag}",
        )
    requests: list[Request] = []
    rejected: list[Rejected] = []
    skipped: list[Skipped] = []
    request_ids: dict[str, str] = {}
    for index, item in enumerate(items):
        path = f"alert[{index}]"
        try:
            alert = _video_request_alert(item)
            requests.append(_request(alert, path, request_ids))
        except _NotARequest as err:
            skipped.append(Skipped(index, f"{path}: {err}"))
        except ProtocolError as err:
            digest = hashlib.sha256(DefusedET.tostring(item)).hexdigest()
            claimed = _text(item, "identifier") if item is not None else None
            rejected.append(Rejected(index, claimed, err.problems, digest))
    return CapResult(tuple(requests), tuple(rejected), tuple(skipped))


def latest_revisions(result: CapResult) -> CapResult:
    """One request per id: an Alert and its Updates in one document are one request.

    The highest revision (the latest `sent`) stands; the others are superseded,
    which is history, not an error, so they join `skipped`.
    """
    latest: dict[str, tuple[int, Request]] = {}
    for index, request in enumerate(result.requests):
        kept = latest.get(request.id)
        if kept is None or request.revision >= kept[1].revision:
            latest[request.id] = (index, request)
    superseded = tuple(
        Skipped(
            index,
            f"request {request.id} revision {request.revision}: superseded by "
            f"revision {latest[request.id][1].revision} in this document",
        )
        for index, request in enumerate(result.requests)
        if latest[request.id][0] != index
    )
    kept_in_order = sorted(latest.values(), key=lambda item: item[0])
    return CapResult(
        tuple(request for _, request in kept_in_order),
        result.rejected,
        (*result.skipped, *superseded),
    )


def _parse_xml(data: bytes | str) -> Element:
    try:
        root: Element = DefusedET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ProtocolError.single(
            "", "XML with a DTD or entity declarations is refused"
        ) from None
    except DefusedET.ParseError as err:
        raise ProtocolError.single("", f"not well-formed XML ({err})") from None
    return root


def _cap(name: str) -> str:
    return f"{{{CAP_NS}}}{name}"


def _atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _namespace(element: Element) -> str:
    return element.tag[1:].partition("}")[0] if element.tag.startswith("{") else ""


def _feed_items(feed: Element, max_alerts: int) -> list[Element | None]:
    """Each Atom entry's inline alert (None for an entry without one).

    Counted before anything else: a feed over the limit is refused as a whole
    before any alert costs work.
    """
    entries = feed.findall(_atom("entry"))
    if len(entries) > max_alerts:
        raise ProtocolError.single(
            "", f"{len(entries)} entries exceed the limit of {max_alerts} per feed"
        )
    items: list[Element | None] = []
    for entry in entries:
        content = entry.find(_atom("content"))
        alerts = (
            [child for child in content if child.tag.endswith("}alert")]
            if content is not None
            else []
        )
        items.append(alerts[0] if alerts else None)
    return items


def _video_request_alert(item: Element | None) -> Element:
    """`item` if it is a CAP 1.2 video request, else `_NotARequest` saying why.

    A video request carries the event code CRF=video_request, or (for
    publishers that predate it) one of the window or upload parameters. An
    alert with neither is some other alert that shares the feed.
    """
    if item is None:
        raise _NotARequest("the entry has no inline CAP alert")
    namespace = _namespace(item)
    if namespace != CAP_NS:
        version = OLDER_CAP.get(namespace, namespace or "no namespace")
        raise _NotARequest(f"{version} alert; only CAP 1.2 alerts can be requests")
    status = _text(item, "status")
    if status is not None and status != "Actual":
        raise _NotARequest(f'status "{status}"; only "Actual" alerts are requests')
    msg_type = _text(item, "msgType")
    if msg_type is not None and msg_type not in MESSAGE_TYPES:
        raise _NotARequest(f'msgType "{msg_type}" is not a request')
    info = item.find(_cap("info"))
    if info is None:
        raise _NotARequest("no <info>, so no video request")
    codes = [
        (_text(code, "valueName") or "", _text(code, "value") or "")
        for code in info.findall(_cap("eventCode"))
    ]
    crf_codes = [value for name, value in codes if name == EVENT_CODE_NAME]
    if crf_codes:
        if EVENT_CODE_VALUE in crf_codes:
            return item
        raise _NotARequest(
            f"event code {EVENT_CODE_NAME}={crf_codes[0]} is not a video request"
        )
    names = {_text(p, "valueName") for p in info.findall(_cap("parameter"))}
    if names.intersection(REQUEST_PARAMETERS):
        return item
    if codes:
        name, value = codes[0]
        raise _NotARequest(f"event code {name}={value} is not a video request")
    raise _NotARequest("no window: neither the CRF event code nor window parameters")


def _text(parent: Element, name: str) -> str | None:
    """Stripped text of the first child `name`; None when absent or blank."""
    child = parent.find(_cap(name))
    if child is None or child.text is None or not child.text.strip():
        return None
    return child.text.strip()


class _Alert:
    """Reads one alert, collecting every problem before anything is built."""

    def __init__(self, element: Element, path: str) -> None:
        self.element = element
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    def required(self, parent: Element, name: str, path: str) -> str | None:
        value = _text(parent, name)
        if value is None:
            self.problem(f"{path}.{name}", "missing")
        return value

    def timestamp(self, value: str | None, path: str) -> datetime | None:
        if value is None:
            return None
        try:
            return parse_timestamp(value, path)
        except ProtocolError as err:
            self.problems.extend(err.problems)
            return None


def _request(element: Element, path: str, request_ids: dict[str, str]) -> Request:
    """One alert as a request.

    `request_ids` maps each CAP identifier seen earlier in the document to its
    request id, so an Update or Cancel that names only a previous Update still
    lands on the original request; this alert's own identifier is added to it.
    """
    alert = _Alert(element, path)
    own_identifier = identifier = alert.required(element, "identifier", path)
    alert.required(element, "sender", path)
    sent = alert.timestamp(alert.required(element, "sent", path), f"{path}.sent")
    msg_type = alert.required(element, "msgType", path)
    if msg_type in {"Update", "Cancel"}:
        referenced = _referenced(alert, msg_type)
        identifier = request_ids.get(referenced, referenced) if referenced else None
    info = element.find(_cap("info"))
    if info is None:
        alert.problem(f"{path}.info", "missing")
        raise ProtocolError(alert.problems)
    fields = _info(alert, info, cancel=msg_type == "Cancel")
    if alert.problems:
        raise ProtocolError(alert.problems)
    assert identifier is not None
    assert sent is not None
    assert msg_type is not None
    crf: dict[str, Any] = {
        "id": _NOT_ID.sub("-", identifier)[:64],
        "revision": int(sent.timestamp()),
        "status": "cancelled" if msg_type == "Cancel" else "active",
        "issued_at": format_timestamp(sent),
        "expires_at": format_timestamp(fields.pop("expires") or sent + CANCEL_LIFETIME),
        **fields,
    }
    try:
        request = parse_request(crf)
    except ProtocolError as err:
        raise err.prefixed(path) from None
    assert own_identifier is not None
    request_ids[own_identifier] = identifier
    return request


def _referenced(alert: _Alert, msg_type: str) -> str | None:
    """Identifier of the original alert that an Update or Cancel replaces.

    `references` lists "sender,identifier,sent" triplets, earliest first, so the
    first one names the alert the request was created from; its id is kept and
    the later `sent` becomes a higher revision.
    """
    path = f"{alert.path}.references"
    references = _text(alert.element, "references")
    if references is None:
        alert.problem(path, f"missing (an {msg_type} must name the alert it replaces)")
        return None
    triplets = [item.split(",") for item in references.split()]
    if any(len(t) != 3 or not t[1] for t in triplets):
        alert.problem(path, 'expected space-separated "sender,identifier,sent" entries')
        return None
    return triplets[0][1]


def _info(alert: _Alert, info: Element, *, cancel: bool) -> dict[str, Any]:
    """The CRF members that come from `<info>`; `expires` is a datetime or None."""
    path = f"{alert.path}.info"
    event = alert.required(info, "event", path)
    summary = _text(info, "headline") or _text(info, "description")
    if summary is None:
        alert.problem(f"{path}.headline", "missing (give a headline or a description)")
    expires_text = _text(info, "expires")
    if expires_text is None and not cancel:
        alert.problem(f"{path}.expires", "missing")
    expires = alert.timestamp(expires_text, f"{path}.expires")
    params = _parameters(alert, info, path)
    area = _area(alert, info, f"{path}.area")
    window_start = alert.timestamp(
        params.get("window_start"), f"{path}.parameter.window_start"
    )
    window_end = alert.timestamp(
        params.get("window_end"), f"{path}.parameter.window_end"
    )
    audio = params.get("audio", "false").lower()
    if audio not in {"true", "false"}:
        alert.problem(f"{path}.parameter.audio", 'must be "true" or "false"')
    if alert.problems:
        return {}
    assert window_start is not None
    assert window_end is not None
    assert area is not None
    contact = _text(info, "contact")
    web = _text(info, "web")
    fields: dict[str, Any] = {
        "expires": expires,
        "window": {
            "start": format_timestamp(window_start),
            "end": format_timestamp(window_end),
        },
        "area": _area_to_crf(area),
        "incident": {
            "type": "_".join(str(event).lower().split()),
            "summary": summary,
            "case_number": params.get("case_number"),
            "reference_url": None,
        },
        "legal_basis": {
            "type": params.get("legal_basis", "voluntary"),
            "reference": params.get("legal_reference"),
        },
        "requested": {"video": True, "audio": audio == "true"},
        "contact": {"name": contact} if contact else {},
        "response": {"upload_url": params["upload_url"]},
    }
    if web is not None:
        fields["public_url"] = web
    return fields


def _parameters(alert: _Alert, info: Element, path: str) -> dict[str, str]:
    """The known `<parameter>` values by valueName; unknown names are ignored."""
    params: dict[str, str] = {}
    for parameter in info.findall(_cap("parameter")):
        name = _text(parameter, "valueName")
        if name not in CAP_PARAMETERS:
            continue
        where = f"{path}.parameter.{name}"
        value = _text(parameter, "value")
        if name in params:
            alert.problem(where, "given more than once")
        elif value is None:
            alert.problem(where, "has no value")
        else:
            params[name] = value
    for name in REQUIRED_PARAMETERS:
        if name not in params and not any(
            p.path == f"{path}.parameter.{name}" for p in alert.problems
        ):
            alert.problem(f"{path}.parameter.{name}", "missing")
    return params


def _area(alert: _Alert, info: Element, path: str) -> Area | None:
    """The one circle or polygon of the alert's `<area>` elements."""
    areas = info.findall(_cap("area"))
    if not areas:
        alert.problem(path, "missing")
        return None
    shapes = [
        (kind, shape.text or "")
        for area in areas
        for kind in ("circle", "polygon")
        for shape in area.findall(_cap(kind))
    ]
    if len(shapes) != 1:
        alert.problem(
            path,
            f"needs exactly one circle or polygon, found {len(shapes)}",
        )
        return None
    kind, text = shapes[0]
    parsed = _circle(text) if kind == "circle" else _polygon(text)
    if isinstance(parsed, str):
        alert.problem(f"{path}.{kind}", parsed)
        return None
    problems = validate_area(parsed, path)
    alert.problems.extend(problems)
    return None if problems else parsed


def _decimal(text: str) -> float | None:
    return float(text) if _DECIMAL.fullmatch(text) else None


def _point(text: str) -> tuple[float, float] | None:
    parts = text.split(",")
    if len(parts) != 2:
        return None
    lat, lon = _decimal(parts[0]), _decimal(parts[1])
    return None if lat is None or lon is None else (lat, lon)


def _circle(text: str) -> Circle | str:
    """CAP circle: "lat,lon radius" with the radius in kilometres."""
    parts = text.split()
    centre = _point(parts[0]) if len(parts) == 2 else None
    radius_km = _decimal(parts[1]) if len(parts) == 2 else None
    if centre is None or radius_km is None:
        return f'expected "lat,lon radius_km", got "{text.strip()[:60]}"'
    return Circle(lat=centre[0], lon=centre[1], radius_m=radius_km * 1000)


def _polygon(text: str) -> Polygon | str:
    """CAP polygon: space-separated "lat,lon" pairs, first equal to last."""
    points: list[tuple[float, float]] = []
    for pair in text.split():
        point = _point(pair)
        if point is None:
            return f'"{pair[:40]}" is not a "lat,lon" pair'
        points.append(point)
    return Polygon(points=tuple(points))


def _area_to_crf(area: Area) -> dict[str, Any]:
    if isinstance(area, Circle):
        return {"circle": {"lat": area.lat, "lon": area.lon, "radius_m": area.radius_m}}
    return {"polygon": [[lat, lon] for lat, lon in area.points]}
