"""The home's guardrails: whether a valid, verified request may prompt anyone.

A request that passes parsing and signature checks can still ask for more than
this home agreed to give. Every rule it breaks is reported, not only the first,
so the audit log and the transparency report say exactly why it was held back
and a publisher can see all it would have to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from .errors import Problem
from .geo import area_m2, equivalent_radius_m, validate_area
from .model import Circle, LegalBasis, Request, Status
from .parse import format_timestamp

DEFAULT_BLOCKED_INCIDENT_TYPES = frozenset({"protest", "demonstration", "assembly"})


@dataclass(frozen=True, slots=True)
class Guardrails:
    """Limits a home sets; the defaults are stricter than Ring's 2021-24 policy."""

    max_window: timedelta = timedelta(hours=2)
    max_radius_m: float = 400.0
    require_case_number: bool = True
    legal_bases: frozenset[LegalBasis] = field(
        default_factory=lambda: frozenset(LegalBasis)
    )
    blocked_incident_types: frozenset[str] = DEFAULT_BLOCKED_INCIDENT_TYPES
    retention: timedelta = timedelta(hours=48)
    allowed_upload_hosts: frozenset[str] = frozenset()
    allow_loopback: bool = False
    max_actionable_per_week: int = 10


@dataclass(frozen=True, slots=True)
class Verdict:
    """`actionable` exactly when there are no reasons."""

    actionable: bool
    reasons: tuple[Problem, ...]


def evaluate(
    request: Request,
    guardrails: Guardrails,
    *,
    now: datetime,
    publisher_url: str,
    recent_actionable: int = 0,
) -> Verdict:
    """Check `request` against every guardrail at aware time `now`.

    `recent_actionable` is how many of this publisher's requests were actionable
    in the 7 days before `now`; the caller keeps that count.
    """
    reasons = [
        *_lifecycle(request, now),
        *_window(request, guardrails, now),
        *_area(request, guardrails),
        *_incident(request, guardrails),
        *_upload_url(request.upload_url, publisher_url, guardrails),
    ]
    if recent_actionable >= guardrails.max_actionable_per_week:
        reasons.append(
            Problem(
                "publisher",
                f"{recent_actionable} actionable requests in the last 7 days already",
            )
        )
    return Verdict(actionable=not reasons, reasons=tuple(reasons))


def normalise_incident_type(value: str) -> str:
    """`"Public Protest"`, `"public-protest"` and `"public_protest"` are one type."""
    return "_".join(value.strip().lower().replace("-", " ").split())


def _lifecycle(request: Request, now: datetime) -> list[Problem]:
    reasons = []
    if request.status is not Status.ACTIVE:
        reasons.append(Problem("status", f"request is {request.status.value}"))
    if request.expires_at <= now:
        reasons.append(
            Problem(
                "expires_at",
                f"request expired at {format_timestamp(request.expires_at)}",
            )
        )
    return reasons


def _window(request: Request, guardrails: Guardrails, now: datetime) -> list[Problem]:
    window = request.window
    reasons = []
    if window.end > now:
        reasons.append(Problem("window.end", "window must lie in the past"))
    if window.start < now - guardrails.retention:
        reasons.append(
            Problem(
                "window.start",
                f"older than the {_duration(guardrails.retention, hours_only=True)} "
                "of footage this home keeps",
            )
        )
    if window.duration > guardrails.max_window:
        reasons.append(
            Problem(
                "window",
                f"{_duration(window.duration)} is longer than the "
                f"{_duration(guardrails.max_window)} this home allows",
            )
        )
    return reasons


def _area(request: Request, guardrails: Guardrails) -> list[Problem]:
    area = request.area
    problems = validate_area(area)
    if problems:
        return problems
    limit = guardrails.max_radius_m
    if isinstance(area, Circle):
        if area.radius_m > limit:
            return [
                Problem(
                    "area",
                    f"radius {_metres(area.radius_m)} m is larger than the "
                    f"{_metres(limit)} m this home allows",
                )
            ]
        return []
    radius = equivalent_radius_m(area)
    if radius > limit:
        return [
            Problem(
                "area",
                f"polygon of {area_m2(area) / 1e6:.3f} km² (like a "
                f"{_metres(round(radius))} m radius) is larger than the "
                f"{_metres(limit)} m radius this home allows",
            )
        ]
    return []


def _incident(request: Request, guardrails: Guardrails) -> list[Problem]:
    reasons = []
    case_number = request.incident.case_number
    if guardrails.require_case_number and not (case_number and case_number.strip()):
        reasons.append(Problem("incident.case_number", "a case number is required"))
    blocked = {normalise_incident_type(t) for t in guardrails.blocked_incident_types}
    if normalise_incident_type(request.incident.type) in blocked:
        reasons.append(
            Problem(
                "incident.type",
                f'requests about "{request.incident.type}" are refused',
            )
        )
    basis = request.legal.basis
    if basis not in guardrails.legal_bases:
        reasons.append(
            Problem("legal_basis", f'"{basis.value}" is not accepted by this home')
        )
    return reasons


def _upload_url(url: str, publisher_url: str, guardrails: Guardrails) -> list[Problem]:
    """HTTPS to the publisher's own host, so a feed cannot send clips elsewhere."""
    path = "response.upload_url"
    parts = _split(url)
    host = _host(parts)
    if parts is None or not host:
        return [Problem(path, "is not an absolute URL with a host")]
    reasons = []
    loopback = is_loopback_host(host)
    if parts.username is not None or parts.password is not None:
        reasons.append(Problem(path, "must not carry a user name or password"))
    if loopback and not guardrails.allow_loopback:
        reasons.append(Problem(path, "loopback hosts are refused"))
    if parts.scheme != "https" and not (
        loopback and guardrails.allow_loopback and parts.scheme == "http"
    ):
        reasons.append(Problem(path, "must use https"))
    publisher_host = _host(_split(publisher_url))
    allowed = {h.lower().rstrip(".") for h in guardrails.allowed_upload_hosts}
    if host != publisher_host and host not in allowed:
        reasons.append(
            Problem(
                path,
                f'host "{host}" is not the publisher\'s host "{publisher_host or ""}"',
            )
        )
    return reasons


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a malformed port
    except ValueError:
        return None
    return parts


def _host(parts: SplitResult | None) -> str | None:
    if parts is None or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip(".")


def is_loopback_host(host: str) -> bool:
    """Also catches spellings a resolver accepts: `127.1`, `2130706433`, `0.0.0.0`."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError, ValueError:
            return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def _duration(value: timedelta, *, hours_only: bool = False) -> str:
    """`2h 0m` (seconds only when present); `48h` for whole-hour retention."""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours_only and not rest:
        return f"{hours}h"
    text = f"{hours}h {minutes}m"
    return f"{text} {secs}s" if secs else text


def _metres(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
