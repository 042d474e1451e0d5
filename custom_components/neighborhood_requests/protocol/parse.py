"""JSON <-> model for CRF v1: strict on what matters, quiet about the unknown.

Every problem in an object is collected before raising, so a publisher sees the whole
list at once. Unknown members are ignored everywhere (a v1 reader must accept a
feed written by a later minor revision); known members are checked exactly, and a
request that is wrong in any way is refused whole rather than half-shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
import json
import math
import re
from typing import Any, cast
from urllib.parse import urlsplit

from .errors import Problem, ProtocolError
from .geo import MAX_POLYGON_POINTS, validate_area
from .model import (
    CRF_VERSION,
    GAP_NO_FOOTAGE,
    Area,
    Circle,
    Contact,
    Feed,
    Gap,
    Incident,
    Legal,
    LegalBasis,
    Manifest,
    Polygon,
    Publisher,
    PublisherKind,
    PublisherStatement,
    Request,
    Requested,
    Status,
    VideoFormat,
    Window,
)
from .origins import parse_origin
from .strict_json import read_json

MANIFEST_VERSION = "1"
DEFAULT_MAX_REQUESTS = 5000
MAX_KEYS = 16
MAX_UPLOAD_ORIGINS = 8
MAX_STATEMENT_CHARS = 16 * 1024
STATEMENT_VERSION = "1"
MAX_SAFE_INT = 2**53 - 1  # the largest integer every JSON reader holds exactly
MAX_URL_CHARS = 2048
MAX_SUMMARY_CHARS = 4000
MAX_TEXT_CHARS = 256
MAX_SHORT_CHARS = 64

ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}", re.ASCII)
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)"
    r"(?:\.[0-9]{1,9})?(?P<offset>[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?",
    re.ASCII,
)
_SHA256_HEX = re.compile(r"[0-9a-f]{64}", re.ASCII)
_JWS_COMPACT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", re.ASCII)
# 32 bytes are 43 unpadded base64url characters; the last one carries 2 spare
# bits that must be zero, so exactly one spelling exists per key.
_ED25519_X = re.compile(r"[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]", re.ASCII)
# Spaces, C0 and C1 controls and DEL, and any other Unicode white space: a URL
# that reads one way to a person and another way to a parser is refused.
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
# Control characters in text: C0 except tab, line feed and carriage return, DEL
# and C1 (U+0080-U+009F, which some terminals still obey).
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MISSING: Any = object()

_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (tuple, "array"),
    (Mapping, "object"),
)


def _kind(value: object) -> str:
    """JSON's name for the type of `value`, for messages a publisher understands."""
    if value is None:
        return "null"
    for cls, name in _JSON_TYPES:
        if isinstance(value, cls):
            return name
    return type(value).__name__


def _fail(path: str, reason: str) -> ProtocolError:
    return ProtocolError.single(path, reason)


class _Collector:
    """Runs field parsers and keeps every ProtocolError instead of stopping at one."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def take[T](
        self, parser: Callable[[object, str], T], value: object, path: str
    ) -> T:
        """`parser(value, path)`, or a placeholder that is never used once recorded.

        Callers raise `done()` before building anything, so the placeholder cannot
        leak into a model object.
        """
        try:
            return parser(value, path)
        except ProtocolError as err:
            self.problems.extend(err.problems)
            return cast(T, None)

    def add(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    def done(self) -> None:
        if self.problems:
            raise ProtocolError(self.problems)


# --- scalars ----------------------------------------------------------------------


def _object(value: object, path: str) -> Mapping[Any, Any]:
    if value is _MISSING:
        raise _fail(path, "is required")
    if not isinstance(value, Mapping):
        raise _fail(path, f"must be an object, not {_kind(value)}")
    return value


def _optional_object(value: object, path: str) -> Mapping[Any, Any]:
    if value is _MISSING or value is None:
        return {}
    return _object(value, path)


def _string(value: object, path: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    if value is _MISSING:
        raise _fail(path, "is required")
    if not isinstance(value, str):
        raise _fail(path, f"must be a string, not {_kind(value)}")
    if not value:
        raise _fail(path, "must not be empty")
    if len(value) > max_chars:
        raise _fail(path, f"longer than {max_chars} characters")
    if (control := _TEXT_CONTROL.search(value)) is not None:
        raise _fail(path, f"contains the control character {_codepoint(control[0])}")
    return value


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def _short(value: object, path: str) -> str:
    return _string(value, path, MAX_SHORT_CHARS)


def _summary(value: object, path: str) -> str:
    return _string(value, path, MAX_SUMMARY_CHARS)


def _optional[T](
    parser: Callable[[object, str], T],
) -> Callable[[object, str], T | None]:
    def parse(value: object, path: str) -> T | None:
        return None if value is _MISSING or value is None else parser(value, path)

    return parse


_optional_short = _optional(_short)
_optional_text = _optional(_string)


def _identifier(value: object, path: str) -> str:
    if value is _MISSING:
        raise _fail(path, "is required")
    if not isinstance(value, str):
        raise _fail(path, f"must be a string, not {_kind(value)}")
    if "/" in value or "\\" in value:
        raise _fail(path, "must not contain path separators")
    if ID_PATTERN.fullmatch(value) is None:
        raise _fail(path, "must match [A-Za-z0-9._-]{1,64}")
    if value in {".", ".."}:
        raise _fail(path, f'must not be "{value}"')
    return value


def _integer(value: object, path: str, minimum: int) -> int:
    if value is _MISSING:
        raise _fail(path, "is required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(path, f"must be an integer, not {_kind(value)}")
    if value < minimum:
        raise _fail(path, f"must be at least {minimum}")
    if value > MAX_SAFE_INT:
        raise _fail(path, f"must be at most {MAX_SAFE_INT}")
    return value


def _revision(value: object, path: str) -> int:
    return _integer(value, path, 1)


def _byte_count(value: object, path: str) -> int:
    return _integer(value, path, 0)


def _boolean(value: object, path: str) -> bool:
    if value is _MISSING:
        raise _fail(path, "is required")
    if not isinstance(value, bool):
        raise _fail(path, f"must be true or false, not {_kind(value)}")
    return value


def _number(value: object, path: str) -> float:
    if value is _MISSING:
        raise _fail(path, "is required")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, f"must be a number, not {_kind(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise _fail(path, "must be a finite number") from None
    if not math.isfinite(number):
        raise _fail(path, "must be a finite number")
    return number


def _url(value: object, path: str) -> str:
    if value is _MISSING:
        raise _fail(path, "is required")
    if not isinstance(value, str):
        raise _fail(path, f"must be a URL string, not {_kind(value)}")
    if len(value) > MAX_URL_CHARS:
        raise _fail(path, f"longer than {MAX_URL_CHARS} characters")
    if (bad := _URL_FORBIDDEN.search(value)) is not None:
        raise _fail(
            path,
            "must not contain spaces or control characters "
            f"({_codepoint(bad[0])} at position {bad.start()})",
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme not in {"http", "https"} or not host:
        raise _fail(path, "must be an absolute http(s) URL")
    return value


_optional_url = _optional(_url)


def _enum[E: (Status, LegalBasis, PublisherKind)](
    cls: type[E],
) -> Callable[[object, str], E]:
    allowed = ", ".join(member.value for member in cls)

    def parse(value: object, path: str) -> E:
        if value is _MISSING:
            raise _fail(path, "is required")
        if not isinstance(value, str):
            raise _fail(path, f"must be a string, not {_kind(value)}")
        try:
            return cls(value)
        except ValueError:
            raise _fail(
                path, f"unknown value {json.dumps(value)} (expected one of {allowed})"
            ) from None

    return parse


_status = _enum(Status)
_legal_basis = _enum(LegalBasis)
_publisher_kind = _enum(PublisherKind)


# --- timestamps -------------------------------------------------------------------


def parse_timestamp(value: object, path: str) -> datetime:
    """RFC 3339 date-time with a required offset, as an aware UTC datetime.

    A timestamp without an offset means a different instant in every time zone, so
    it is refused rather than guessed. Fractions beyond microseconds are truncated.
    """
    if value is _MISSING:
        raise _fail(path, "is required")
    if not isinstance(value, str):
        raise _fail(path, f"must be an RFC 3339 timestamp string, not {_kind(value)}")
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        raise _fail(
            path,
            f"{json.dumps(value[:40])} is not an RFC 3339 timestamp "
            "(like 2026-11-20T14:05:00Z)",
        )
    if match["offset"] is None:
        raise _fail(
            path, "naive timestamp: a UTC offset is required (Z or +hh:mm/-hh:mm)"
        )
    try:
        parsed = datetime.fromisoformat(value.upper())
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError) as err:
        raise _fail(path, f"invalid date or time ({err})") from None


def format_timestamp(dt: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` in UTC; microseconds are written only when present.

    Keeping non-zero microseconds makes `parse_request(request_to_dict(r)) == r`
    hold for every request, not only whole-second ones.
    """
    if dt.tzinfo is None:
        raise ValueError("format_timestamp needs an aware datetime")
    utc = dt.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"


def _window(value: object, path: str) -> Window:
    obj = _object(value, path)
    c = _Collector()
    start = c.take(parse_timestamp, obj.get("start", _MISSING), f"{path}.start")
    end = c.take(parse_timestamp, obj.get("end", _MISSING), f"{path}.end")
    c.done()
    if end <= start:
        raise _fail(f"{path}.end", f"must be after {path}.start")
    return Window(start=start, end=end)


# --- area -------------------------------------------------------------------------


def _circle(value: object, path: str) -> Circle:
    obj = _object(value, path)
    c = _Collector()
    lat = c.take(_number, obj.get("lat", _MISSING), f"{path}.lat")
    lon = c.take(_number, obj.get("lon", _MISSING), f"{path}.lon")
    radius = c.take(_number, obj.get("radius_m", _MISSING), f"{path}.radius_m")
    c.done()
    return Circle(lat=lat, lon=lon, radius_m=radius)


def _point(value: object, path: str) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise _fail(path, "must be a [lat, lon] pair")
    c = _Collector()
    lat = c.take(_number, value[0], f"{path}[0]")
    lon = c.take(_number, value[1], f"{path}[1]")
    c.done()
    return (lat, lon)


def _polygon(value: object, path: str) -> Polygon:
    if not isinstance(value, list | tuple):
        raise _fail(path, f"must be an array of [lat, lon] pairs, not {_kind(value)}")
    if len(value) > MAX_POLYGON_POINTS:
        raise _fail(
            path,
            f"polygon has {len(value)} points; at most {MAX_POLYGON_POINTS} "
            "are supported",
        )
    c = _Collector()
    points = tuple(c.take(_point, p, f"{path}[{i}]") for i, p in enumerate(value))
    c.done()
    return Polygon(points=points)


def _area(value: object, path: str) -> Area:
    obj = _object(value, path)
    has_circle = obj.get("circle") is not None
    has_polygon = obj.get("polygon") is not None
    if has_circle == has_polygon:
        raise _fail(path, "must have exactly one of circle or polygon")
    area: Area = (
        _circle(obj["circle"], f"{path}.circle")
        if has_circle
        else _polygon(obj["polygon"], f"{path}.polygon")
    )
    problems = validate_area(area, path)
    if problems:
        raise ProtocolError(problems)
    return area


# --- request ----------------------------------------------------------------------


def _incident(value: object, path: str) -> Incident:
    obj = _object(value, path)
    c = _Collector()
    incident = Incident(
        type=c.take(_short, obj.get("type", _MISSING), f"{path}.type"),
        summary=c.take(_summary, obj.get("summary", _MISSING), f"{path}.summary"),
        case_number=c.take(
            _optional_short, obj.get("case_number"), f"{path}.case_number"
        ),
        reference_url=c.take(
            _optional_url, obj.get("reference_url"), f"{path}.reference_url"
        ),
    )
    c.done()
    return incident


def _legal(value: object, path: str) -> Legal:
    obj = _object(value, path)
    c = _Collector()
    legal = Legal(
        basis=c.take(_legal_basis, obj.get("type", _MISSING), f"{path}.type"),
        reference=c.take(_optional_text, obj.get("reference"), f"{path}.reference"),
    )
    c.done()
    return legal


def _requested(value: object, path: str) -> Requested:
    obj = _optional_object(value, path)
    c = _Collector()
    video = c.take(_boolean, obj.get("video", True), f"{path}.video")
    audio = c.take(_boolean, obj.get("audio", False), f"{path}.audio")
    c.done()
    if not video:
        raise _fail(f"{path}.video", "must be true (CRF v1 requests are for video)")
    return Requested(video=video, audio=audio)


def _contact(value: object, path: str) -> Contact:
    obj = _optional_object(value, path)
    text = _optional_text
    c = _Collector()
    contact = Contact(
        name=c.take(text, obj.get("name"), f"{path}.name"),
        phone=c.take(text, obj.get("phone"), f"{path}.phone"),
        email=c.take(text, obj.get("email"), f"{path}.email"),
    )
    c.done()
    return contact


def _upload_url(value: object, path: str) -> str:
    obj = _object(value, path)
    return _url(obj.get("upload_url", _MISSING), f"{path}.upload_url")


def parse_request(obj: object) -> Request:
    """A request object as the model, or a ProtocolError listing every problem."""
    data = _object(obj, "")
    c = _Collector()
    issued_at = c.take(parse_timestamp, data.get("issued_at", _MISSING), "issued_at")
    expires_at = c.take(parse_timestamp, data.get("expires_at", _MISSING), "expires_at")
    if not c.problems and expires_at <= issued_at:
        c.add("expires_at", "must be after issued_at")
    request = Request(
        id=c.take(_identifier, data.get("id", _MISSING), "id"),
        revision=c.take(_revision, data.get("revision", _MISSING), "revision"),
        status=c.take(_status, data.get("status", _MISSING), "status"),
        issued_at=issued_at,
        expires_at=expires_at,
        window=c.take(_window, data.get("window", _MISSING), "window"),
        area=c.take(_area, data.get("area", _MISSING), "area"),
        incident=c.take(_incident, data.get("incident", _MISSING), "incident"),
        legal=c.take(_legal, data.get("legal_basis", _MISSING), "legal_basis"),
        requested=c.take(_requested, data.get("requested"), "requested"),
        contact=c.take(_contact, data.get("contact"), "contact"),
        upload_url=c.take(_upload_url, data.get("response", _MISSING), "response"),
        public_url=c.take(_optional_url, data.get("public_url"), "public_url"),
    )
    c.done()
    return request


def _area_to_dict(area: Area) -> dict[str, Any]:
    if isinstance(area, Circle):
        return {"circle": {"lat": area.lat, "lon": area.lon, "radius_m": area.radius_m}}
    return {"polygon": [[lat, lon] for lat, lon in area.points]}


def _window_to_dict(window: Window) -> dict[str, str]:
    return {
        "start": format_timestamp(window.start),
        "end": format_timestamp(window.end),
    }


def request_to_dict(request: Request) -> dict[str, Any]:
    """The wire form; `parse_request(request_to_dict(r)) == r` for every valid `r`."""
    data: dict[str, Any] = {
        "id": request.id,
        "revision": request.revision,
        "status": request.status.value,
        "issued_at": format_timestamp(request.issued_at),
        "expires_at": format_timestamp(request.expires_at),
        "window": _window_to_dict(request.window),
        "area": _area_to_dict(request.area),
        "incident": {
            "type": request.incident.type,
            "summary": request.incident.summary,
            "case_number": request.incident.case_number,
            "reference_url": request.incident.reference_url,
        },
        "legal_basis": {
            "type": request.legal.basis.value,
            "reference": request.legal.reference,
        },
        "requested": {
            "video": request.requested.video,
            "audio": request.requested.audio,
        },
        "contact": {
            "name": request.contact.name,
            "phone": request.contact.phone,
            "email": request.contact.email,
        },
        "response": {"upload_url": request.upload_url},
    }
    if request.public_url is not None:
        data["public_url"] = request.public_url
    return data


# --- keys and feeds ---------------------------------------------------------------


def validate_jwk(
    value: object, path: str, *, require_kid: bool = True
) -> list[Problem]:
    """Why `value` is not a public Ed25519 JWK (RFC 8037); empty when it is."""
    if not isinstance(value, Mapping):
        return [Problem(path, f"must be a JWK object, not {_kind(value)}")]
    problems: list[Problem] = []
    kty, crv, x = value.get("kty"), value.get("crv"), value.get("x")
    if kty != "OKP":
        problems.append(
            Problem(f"{path}.kty", f'must be "OKP" (Ed25519), not {_shown(kty)}')
        )
    if crv != "Ed25519":
        problems.append(Problem(f"{path}.crv", f'must be "Ed25519", not {_shown(crv)}'))
    if not isinstance(x, str) or _ED25519_X.fullmatch(x) is None:
        problems.append(
            Problem(f"{path}.x", "must be a 32-byte public key in unpadded base64url")
        )
    if "d" in value:
        problems.append(
            Problem(f"{path}.d", "private key material must never be published")
        )
    alg = value.get("alg")
    if alg is not None and alg not in ("EdDSA", "Ed25519"):
        problems.append(Problem(f"{path}.alg", f"must be EdDSA, not {_shown(alg)}"))
    use = value.get("use")
    if use is not None and use != "sig":
        problems.append(Problem(f"{path}.use", f'must be "sig", not {_shown(use)}'))
    kid = value.get("kid", _MISSING)
    if require_kid or kid is not _MISSING:
        try:
            _string(kid, f"{path}.kid", 128)
        except ProtocolError as err:
            problems.extend(err.problems)
    return problems


def _shown(value: object) -> str:
    if value is None:
        return "missing"
    try:
        return json.dumps(value)[:40]
    except TypeError, ValueError:
        return _kind(value)


def _keys(value: object, path: str) -> tuple[dict[str, Any], ...]:
    if value is _MISSING:
        raise _fail(path, "is required (an empty array for an unsigned feed)")
    if not isinstance(value, list | tuple):
        raise _fail(path, f"must be an array of JWKs, not {_kind(value)}")
    if len(value) > MAX_KEYS:
        raise _fail(path, f"{len(value)} keys exceed the limit of {MAX_KEYS}")
    problems: list[Problem] = []
    keys: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, jwk in enumerate(value):
        found = validate_jwk(jwk, f"{path}[{i}]")
        problems.extend(found)
        if found:
            continue
        kid = jwk["kid"]
        if kid in seen:
            problems.append(Problem(f"{path}[{i}].kid", f"duplicate kid {_shown(kid)}"))
        seen.add(kid)
        keys.append({"kty": "OKP", "crv": "Ed25519", "x": jwk["x"], "kid": kid})
    if problems:
        raise ProtocolError(problems)
    return tuple(keys)


def _statement_token(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise _fail(path, f"must be a JWS compact string, not {_kind(value)}")
    if len(value) > MAX_STATEMENT_CHARS:
        raise _fail(path, f"longer than {MAX_STATEMENT_CHARS} characters")
    if _JWS_COMPACT.fullmatch(value) is None:
        raise _fail(path, "must be a JWS compact string (three base64url segments)")
    return value


_optional_statement = _optional(_statement_token)


def _publisher(value: object, path: str) -> Publisher:
    obj = _object(value, path)
    c = _Collector()
    publisher = Publisher(
        id=c.take(_identifier, obj.get("id", _MISSING), f"{path}.id"),
        name=c.take(_string, obj.get("name", _MISSING), f"{path}.name"),
        kind=c.take(_publisher_kind, obj.get("kind", _MISSING), f"{path}.kind"),
        url=c.take(_url, obj.get("url", _MISSING), f"{path}.url"),
        keys=c.take(_keys, obj.get("keys", _MISSING), f"{path}.keys"),
        statement=c.take(
            _optional_statement, obj.get("statement"), f"{path}.statement"
        ),
    )
    c.done()
    return publisher


def _origin(value: object, path: str) -> str:
    url = _url(value, path)
    try:
        return parse_origin(url)
    except ValueError as err:
        raise _fail(path, str(err)) from None


def _upload_origins(value: object, path: str) -> tuple[str, ...]:
    if value is _MISSING or value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise _fail(path, f"must be an array of origins, not {_kind(value)}")
    if len(value) > MAX_UPLOAD_ORIGINS:
        raise _fail(
            path, f"{len(value)} origins exceed the limit of {MAX_UPLOAD_ORIGINS}"
        )
    c = _Collector()
    origins = [c.take(_origin, item, f"{path}[{i}]") for i, item in enumerate(value)]
    c.done()
    for i, origin in enumerate(origins):
        if origin in origins[:i]:
            c.add(f"{path}[{i}]", f"duplicate origin {origin}")
    c.done()
    return tuple(origins)


def _statement_version(value: object, path: str) -> str:
    if value != STATEMENT_VERSION:
        raise _fail(
            path,
            f"unsupported statement version {_shown(value)} "
            f'(this reader understands "{STATEMENT_VERSION}")',
        )
    return STATEMENT_VERSION


def parse_statement(obj: object) -> PublisherStatement:
    """A publisher statement (the payload of `publisher.statement`), every problem."""
    data = _object(obj, "")
    c = _Collector()
    c.take(_statement_version, data.get("crf_publisher"), "crf_publisher")
    statement = PublisherStatement(
        id=c.take(_identifier, data.get("id", _MISSING), "id"),
        name=c.take(_string, data.get("name", _MISSING), "name"),
        kind=c.take(_publisher_kind, data.get("kind", _MISSING), "kind"),
        url=c.take(_url, data.get("url", _MISSING), "url"),
        upload_origins=c.take(
            _upload_origins, data.get("upload_origins"), "upload_origins"
        ),
    )
    c.done()
    return statement


def statement_to_dict(statement: PublisherStatement) -> dict[str, Any]:
    """The payload a publisher signs; `parse_statement(statement_to_dict(s)) == s`."""
    return {
        "crf_publisher": STATEMENT_VERSION,
        "id": statement.id,
        "name": statement.name,
        "kind": statement.kind.value,
        "url": statement.url,
        "upload_origins": list(statement.upload_origins),
    }


def _entries(
    value: object, path: str, max_requests: int
) -> tuple[str | dict[str, Any], ...]:
    if value is _MISSING:
        raise _fail(path, "is required")
    if not isinstance(value, list | tuple):
        raise _fail(path, f"must be an array, not {_kind(value)}")
    if len(value) > max_requests:
        raise _fail(
            path, f"{len(value)} entries exceed the limit of {max_requests} per feed"
        )
    entries: list[str | dict[str, Any]] = []
    problems: list[Problem] = []
    for i, entry in enumerate(value):
        if isinstance(entry, str):
            entries.append(entry)
        elif isinstance(entry, Mapping):
            entries.append(dict(entry))
        else:
            problems.append(
                Problem(
                    f"{path}[{i}]",
                    f"must be a JWS compact string or an object, not {_kind(entry)}",
                )
            )
    if problems:
        raise ProtocolError(problems)
    return tuple(entries)


def parse_feed(
    data: bytes | str | Mapping[str, Any], *, max_requests: int = DEFAULT_MAX_REQUESTS
) -> Feed:
    """Structure of a feed document; signatures are `feed.FeedVerifier`'s job."""
    obj: object = data
    if isinstance(data, bytes | bytearray | str):
        obj = read_json(data, "feed")
    if not isinstance(obj, Mapping):
        raise _fail("feed", f"must be a JSON object, not {_kind(obj)}")
    version = obj.get("crf", _MISSING)
    if version is _MISSING:
        raise _fail("crf", 'is required (this reader understands version "1")')
    if version != CRF_VERSION:
        raise _fail(
            "crf",
            f"unsupported version {_shown(version)} "
            f'(this reader understands "{CRF_VERSION}")',
        )
    c = _Collector()
    publisher = c.take(_publisher, obj.get("publisher", _MISSING), "publisher")
    entries = c.take(
        lambda v, p: _entries(v, p, max_requests),
        obj.get("requests", _MISSING),
        "requests",
    )
    c.done()
    return Feed(version=CRF_VERSION, publisher=publisher, entries=entries)


def feed_to_dict(feed: Feed) -> dict[str, Any]:
    """The wire form of a feed; `parse_feed(feed_to_dict(f)) == f`."""
    publisher = feed.publisher
    block: dict[str, Any] = {
        "id": publisher.id,
        "name": publisher.name,
        "kind": publisher.kind.value,
        "url": publisher.url,
        "keys": [dict(key) for key in publisher.keys],
    }
    if publisher.statement is not None:
        block["statement"] = publisher.statement
    return {
        "crf": feed.version,
        "publisher": block,
        "requests": [
            entry if isinstance(entry, str) else dict(entry) for entry in feed.entries
        ],
    }


# --- manifests --------------------------------------------------------------------


def _sha256_hex(value: object, path: str) -> str:
    if not isinstance(value, str) or _SHA256_HEX.fullmatch(value) is None:
        raise _fail(path, "must be 64 lowercase hex characters (SHA-256)")
    return value


def _manifest_version(value: object, path: str) -> str:
    if value != MANIFEST_VERSION:
        raise _fail(
            path,
            f"unsupported manifest version {_shown(value)} "
            f'(this reader understands "{MANIFEST_VERSION}")',
        )
    return MANIFEST_VERSION


def parse_manifest(obj: object) -> Manifest:
    """A clip manifest as the model, with every problem listed."""
    data = _object(obj, "")
    c = _Collector()
    c.take(_manifest_version, data.get("crf_manifest"), "crf_manifest")
    manifest = Manifest(
        request_id=c.take(_identifier, data.get("request_id", _MISSING), "request_id"),
        publisher_id=c.take(
            _identifier, data.get("publisher_id", _MISSING), "publisher_id"
        ),
        camera=c.take(_string, data.get("camera", _MISSING), "camera"),
        window=c.take(_window, data.get("window", _MISSING), "window"),
        sha256=c.take(_sha256_hex, data.get("sha256"), "sha256"),
        bytes=c.take(_byte_count, data.get("bytes", _MISSING), "bytes"),
        exported_at=c.take(
            parse_timestamp, data.get("exported_at", _MISSING), "exported_at"
        ),
        exporter_version=c.take(
            _short, data.get("exporter_version", _MISSING), "exporter_version"
        ),
        home_key_id=c.take(_string, data.get("home_key_id", _MISSING), "home_key_id"),
        include_audio=c.take(
            _boolean, data.get("include_audio", _MISSING), "include_audio"
        ),
        gaps=c.take(_gaps, data.get("gaps", []), "gaps"),
        formats=c.take(_formats, data.get("formats", []), "formats"),
    )
    c.done()
    window = manifest.window
    outside = [
        f"gaps[{index}]"
        for index, gap in enumerate(manifest.gaps)
        if gap.start < window.start or gap.end > window.end
    ] + [
        f"formats[{index}]"
        for index, form in enumerate(manifest.formats)
        if not window.start <= form.start < window.end
    ]
    if outside:
        raise ProtocolError.single(outside[0], "must lie inside the manifest's window")
    return manifest


MAX_GAPS = 1000


MAX_FORMATS = 100
MAX_PICTURE_SIDE = 16384


def _gap(value: object, path: str) -> Gap:
    """A window, and optionally why it has no footage (a short identifier; a
    reason this reader does not know is kept as it is)."""
    window = _window(value, path)
    obj = _object(value, path)
    reason = obj.get("reason", GAP_NO_FOOTAGE)
    if not isinstance(reason, str) or not _REASON.fullmatch(reason):
        raise ProtocolError.single(
            f"{path}.reason", "must be a short identifier such as camera_offline"
        )
    return Gap(window.start, window.end, reason)


_REASON = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _gaps(value: object, path: str) -> tuple[Gap, ...]:
    """Holes in a clip's footage: windows in order, none overlapping the next."""
    if not isinstance(value, list):
        raise ProtocolError.single(path, "must be a list of windows")
    if len(value) > MAX_GAPS:
        raise ProtocolError.single(path, f"at most {MAX_GAPS} gaps")
    gaps = tuple(_gap(item, f"{path}[{index}]") for index, item in enumerate(value))
    for index in range(1, len(gaps)):
        if gaps[index].start < gaps[index - 1].end:
            raise ProtocolError.single(
                f"{path}[{index}]", "must start after the previous gap ends"
            )
    return gaps


def _side(value: object, path: str) -> int:
    side = _integer(value, path, 1)
    if side > MAX_PICTURE_SIDE:
        raise ProtocolError.single(path, f"must be at most {MAX_PICTURE_SIDE}")
    return side


def _format(value: object, path: str) -> VideoFormat:
    obj = _object(value, path)
    c = _Collector()
    form = VideoFormat(
        start=c.take(parse_timestamp, obj.get("start", _MISSING), f"{path}.start"),
        codec=c.take(_short, obj.get("codec", _MISSING), f"{path}.codec"),
        width=c.take(_side, obj.get("width", _MISSING), f"{path}.width"),
        height=c.take(_side, obj.get("height", _MISSING), f"{path}.height"),
    )
    c.done()
    return form


def _formats(value: object, path: str) -> tuple[VideoFormat, ...]:
    """The picture's formats, each from its start on, in order."""
    if not isinstance(value, list):
        raise ProtocolError.single(path, "must be a list of formats")
    if len(value) > MAX_FORMATS:
        raise ProtocolError.single(path, f"at most {MAX_FORMATS} formats")
    forms = tuple(_format(item, f"{path}[{index}]") for index, item in enumerate(value))
    for index in range(1, len(forms)):
        if forms[index].start <= forms[index - 1].start:
            raise ProtocolError.single(
                f"{path}[{index}]", "must start after the previous format"
            )
    return forms


def manifest_to_dict(manifest: Manifest) -> dict[str, Any]:
    """The wire form a home signs; `parse_manifest(manifest_to_dict(m)) == m`."""
    return {
        "crf_manifest": MANIFEST_VERSION,
        "request_id": manifest.request_id,
        "publisher_id": manifest.publisher_id,
        "camera": manifest.camera,
        "window": _window_to_dict(manifest.window),
        "sha256": manifest.sha256,
        "bytes": manifest.bytes,
        "exported_at": format_timestamp(manifest.exported_at),
        "exporter_version": manifest.exporter_version,
        "home_key_id": manifest.home_key_id,
        "include_audio": manifest.include_audio,
        "gaps": [
            {**_window_to_dict(Window(gap.start, gap.end)), "reason": gap.reason}
            for gap in manifest.gaps
        ],
        "formats": [
            {
                "start": format_timestamp(form.start),
                "codec": form.codec,
                "width": form.width,
                "height": form.height,
            }
            for form in manifest.formats
        ],
    }
