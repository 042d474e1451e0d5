"""The home's guardrails: whether a valid, verified request may prompt anyone.

A request that passes parsing and signature checks can still ask for more than
this home agreed to give. Every rule it breaks is reported, not only the first,
so the audit log and the transparency report say exactly why it was held back
and a publisher can see all it would have to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import SplitResult, urlsplit

from .addresses import Refusal, host_refusal, is_local_name
from .errors import Problem
from .geo import area_m2, equivalent_radius_m, validate_area
from .model import Circle, LegalBasis, Request, Status
from .origins import origin_label, origin_of
from .parse import format_timestamp

DEFAULT_BLOCKED_INCIDENT_TYPES = frozenset({"protest", "demonstration", "assembly"})


@dataclass(frozen=True, slots=True)
class Guardrails:
    """Limits a home sets; the defaults are stricter than Ring's 2021-24 policy.

    `upload_origins` are the origins the owner trusted for this feed (its own
    origin and those of the publisher's signed statement); no clip goes
    anywhere else. `allow_lan` is the owner's yes to a publisher on the home's
    own network.
    """

    max_window: timedelta = timedelta(hours=2)
    max_radius_m: float = 400.0
    require_case_number: bool = True
    legal_bases: frozenset[LegalBasis] = field(
        default_factory=lambda: frozenset(LegalBasis)
    )
    blocked_incident_types: frozenset[str] = DEFAULT_BLOCKED_INCIDENT_TYPES
    retention: timedelta = timedelta(hours=48)
    upload_origins: frozenset[str] = frozenset()
    allow_lan: bool = False
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
        *upload_url_problems(request.upload_url, guardrails),
    ]
    if recent_actionable >= guardrails.max_actionable_per_week:
        reasons.append(
            Problem(
                "publisher",
                f"{recent_actionable} actionable requests in the last 7 days already",
                "too_many_requests",
                {"count": str(recent_actionable)},
            )
        )
    return Verdict(actionable=not reasons, reasons=tuple(reasons))


def normalise_incident_type(value: str) -> str:
    """`"Public Protest"`, `"public-protest"` and `"public_protest"` are one type."""
    return "_".join(value.strip().lower().replace("-", " ").split())


def _lifecycle(request: Request, now: datetime) -> list[Problem]:
    reasons = []
    if request.status is not Status.ACTIVE:
        reasons.append(
            Problem(
                "status",
                f"request is {request.status.value}",
                f"request_{request.status.value}",
            )
        )
    if request.expires_at <= now:
        reasons.append(
            Problem(
                "expires_at",
                f"request expired at {format_timestamp(request.expires_at)}",
                "request_expired",
                {"at": format_timestamp(request.expires_at)},
            )
        )
    return reasons


def _window(request: Request, guardrails: Guardrails, now: datetime) -> list[Problem]:
    window = request.window
    reasons = []
    if window.end > now:
        reasons.append(
            Problem("window.end", "window must lie in the past", "window_in_future")
        )
    if window.start < now - guardrails.retention:
        reasons.append(
            Problem(
                "window.start",
                f"older than the {_duration(guardrails.retention, hours_only=True)} "
                "of footage this home keeps",
                "window_too_old",
                {"retention": _seconds(guardrails.retention)},
            )
        )
    if window.duration > guardrails.max_window:
        reasons.append(
            Problem(
                "window",
                f"{_duration(window.duration)} is longer than the "
                f"{_duration(guardrails.max_window)} this home allows",
                "window_too_long",
                {
                    "length": _seconds(window.duration),
                    "max_length": _seconds(guardrails.max_window),
                },
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
                    "radius_too_large",
                    {"radius": _metres(area.radius_m), "limit": _metres(limit)},
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
                "polygon_too_large",
                {
                    "area": f"{area_m2(area) / 1e6:.3f}",
                    "radius": _metres(round(radius)),
                    "limit": _metres(limit),
                },
            )
        ]
    return []


def _incident(request: Request, guardrails: Guardrails) -> list[Problem]:
    reasons = []
    case_number = request.incident.case_number
    if guardrails.require_case_number and not (case_number and case_number.strip()):
        reasons.append(
            Problem(
                "incident.case_number",
                "a case number is required",
                "case_number_required",
            )
        )
    blocked = {normalise_incident_type(t) for t in guardrails.blocked_incident_types}
    if normalise_incident_type(request.incident.type) in blocked:
        reasons.append(
            Problem(
                "incident.type",
                f'requests about "{request.incident.type}" are refused',
                "incident_type_refused",
                {"incident": request.incident.type},
            )
        )
    basis = request.legal.basis
    if basis not in guardrails.legal_bases:
        reasons.append(
            Problem(
                "legal_basis",
                f'"{basis.value}" is not accepted by this home',
                "legal_basis_refused",
                {"basis": basis.value},
            )
        )
    return reasons


def upload_url_problems(url: str, guardrails: Guardrails) -> list[Problem]:
    """Only to an origin the owner trusted, over TLS, never into the home's network.

    Names are judged again on the address actually connected to; what can be
    told from the URL alone (an IP literal, localhost) is refused here already,
    so such a request is never shown as actionable.
    """
    path = "response.upload_url"
    parts = _split(url)
    host = _host(parts)
    if parts is None or not host:
        return [_not_absolute(path)]
    reasons = []
    if parts.username is not None or parts.password is not None:
        reasons.append(
            Problem(
                path, "must not carry a user name or password", "upload_url_credentials"
            )
        )
    refused = host_refusal(host)
    if refused is not None and not (refused.lan and guardrails.allow_lan):
        reasons.append(upload_address_problem(path, refused))
    local = guardrails.allow_lan and is_local_name(host)
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        reasons.append(Problem(path, "must use https", "upload_not_https"))
    try:
        origin = origin_of(url)
    except ValueError:
        return [*reasons, _not_absolute(path)]
    if origin not in guardrails.upload_origins:
        trusted = ", ".join(sorted(origin_label(o) for o in guardrails.upload_origins))
        reasons.append(
            Problem(
                path,
                f"upload origin {origin_label(origin)} is not one this home trusted "
                f"for this publisher ({trusted or 'none'})",
                "upload_origin_untrusted",
                {"origin": origin_label(origin), "trusted": trusted or "-"},
            )
        )
    return reasons


def upload_address_problem(path: str, refused: Refusal) -> Problem:
    """An upload address the home will not connect to, and which kind it is."""
    return Problem(
        path,
        f"upload address {refused}",
        "upload_address_refused",
        {"address": refused.address, "kind": refused.kind},
    )


def _not_absolute(path: str) -> Problem:
    return Problem(path, "is not an absolute URL with a host", "upload_url_invalid")


def _seconds(value: timedelta) -> str:
    """A length as a machine value for `Problem.params`: whole seconds."""
    return str(int(value.total_seconds()))


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
