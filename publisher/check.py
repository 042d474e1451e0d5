"""`check`: judge a feed exactly as a home would, and say why for every request.

The verdicts come from the integration's own `FeedVerifier`, `geo` and `policy`,
so a publisher sees before publishing what every home will decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from custom_components.neighborhood_requests.protocol import geo, jws, policy
from custom_components.neighborhood_requests.protocol.cap import (
    CapResult,
    latest_revisions,
    parse_cap,
)
from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.feed import (
    FeedResult,
    FeedVerifier,
)
from custom_components.neighborhood_requests.protocol.model import Feed, Request
from custom_components.neighborhood_requests.protocol.origins import (
    origin_label,
    origin_of,
)
from custom_components.neighborhood_requests.protocol.parse import parse_feed
from publisher.errors import PublisherError
from publisher.keys import Trust

type Format = Literal["auto", "crf", "cap"]


@dataclass(frozen=True, slots=True)
class Home:
    """Where `--home` puts the home, and how far its cameras see."""

    lat: float
    lon: float
    radius_m: float = 0.0


@dataclass(frozen=True, slots=True)
class CheckOptions:
    trust: Trust | None = None
    format: Format = "auto"
    allow_unsigned: bool = False
    home: Home | None = None
    now: datetime | None = None
    # Where the feed was fetched from: its origin is one a home trusts. A feed
    # read from a file is taken to be served from its `publisher.url`.
    feed_url: str = ""
    # Filled in while checking: where a home trusting this feed sends clips.
    upload_origins: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Report:
    """Lines to print, and whether every request verified."""

    lines: list[str] = field(default_factory=list)
    ok: bool = True


def detect_format(data: bytes, requested: Format) -> Literal["crf", "cap"]:
    """CAP is XML, CRF is JSON: the first non-blank byte tells them apart."""
    if requested != "auto":
        return requested
    return "cap" if data.lstrip()[:1] == b"<" else "crf"


def check_bytes(data: bytes, options: CheckOptions) -> Report:
    """Verdicts for a feed's bytes; a feed that does not parse is a PublisherError."""
    try:
        if detect_format(data, options.format) == "cap":
            return _check_cap(parse_cap(data), options)
        return _check_crf(parse_feed(data), options)
    except ProtocolError as err:
        raise PublisherError(f"not a valid feed: {err}") from None


def _check_crf(feed: Feed, options: CheckOptions) -> Report:
    publisher = feed.publisher
    trusted, pin_note, pin_ok = _trusted_keys(publisher.keys, options.trust)
    fingerprints = ", ".join(jws.fingerprint(k) for k in publisher.keys) or "none"
    lines = [
        f"publisher {publisher.name!r} ({publisher.id}) "
        f"kind {publisher.kind.value} fingerprint {fingerprints}; {pin_note}"
    ]
    result = FeedVerifier(trusted, allow_unsigned=options.allow_unsigned).verify(feed)
    if result.keys_changed and options.trust is not None:
        lines.append("WARNING the feed's keys differ from the pinned key")
    origins = _origins(options.feed_url or publisher.url, result.upload_origins)
    lines.append(_origins_line(options.feed_url or publisher.url, result, origins))
    judged = dataclasses.replace(options, upload_origins=origins)
    warnings = 0
    for item in result.accepted:
        lines.append(_accept_line(item.request, verified=item.verified, options=judged))
        if (warning := _origin_warning(item.request, origins)) is not None:
            lines.append(warning)
            warnings += 1
    for rejected in result.rejected:
        name = rejected.request_id or f"#{rejected.index}"
        if rejected.index < 0:
            name = "publisher statement"
        reasons = "; ".join(str(p) for p in rejected.problems)
        lines.append(f"REJECT {name}: {reasons}")
    return Report(lines, pin_ok and not result.rejected and not warnings)


def _origins(feed_url: str, signed: Sequence[str] | None) -> frozenset[str]:
    """What a home that trusted this feed would send clips to."""
    origins = set(signed or ())
    with suppress(ValueError):
        origins.add(origin_of(feed_url))
    return frozenset(origins)


def _origins_line(feed_url: str, result: FeedResult, origins: frozenset[str]) -> str:
    shown = ", ".join(sorted(origin_label(o) for o in origins)) or "nowhere"
    if result.upload_origins is None:
        source = "the feed's own origin; no verified publisher statement"
    else:
        source = "the feed's own origin and the signed publisher statement"
    return f"uploads go to: {shown} ({source}; feed at {feed_url})"


def _origin_warning(request: Request, origins: frozenset[str]) -> str | None:
    """A request a home would refuse for where it sends clips."""
    try:
        origin = origin_of(request.upload_url)
    except ValueError:
        return None  # the request would not have parsed
    if origin in origins:
        return None
    return (
        f"WARNING {request.id}: upload origin {origin_label(origin)} is neither "
        "the feed's origin nor a signed upload origin; homes will not act on it"
    )


def _trusted_keys(
    keys: Sequence[dict[str, Any]], trust: Trust | None
) -> tuple[list[dict[str, Any]], str, bool]:
    """The keys to verify with, what to say about pinning, and whether pinning held."""
    if trust is None:
        note = "key not pinned" if keys else "unsigned feed"
        return list(keys), note, True
    if trust.jwk is not None:
        return [trust.jwk], f"key pinned ({jws.fingerprint(trust.jwk)})", True
    matching = [k for k in keys if jws.jwk_thumbprint(k) == trust.thumbprint]
    if not matching:
        return [], f"pinned fingerprint SHA256:{trust.thumbprint} not in feed", False
    return matching, f"key pinned (SHA256:{trust.thumbprint})", True


def _check_cap(alerts: CapResult, options: CheckOptions) -> Report:
    """CAP alerts carry no signature, so they pass only with `--allow-unsigned`.

    Alerts that are not video requests are listed as SKIP and fail nothing: a
    real alert feed mixes them with its requests.
    """
    current = latest_revisions(alerts)
    lines = ["publisher (CAP alerts) kind other fingerprint none; unsigned feed"]
    if options.allow_unsigned:
        lines.extend(
            _accept_line(r, verified=False, options=options) for r in current.requests
        )
    else:
        lines.extend(
            f"REJECT {r.id}: unsigned CAP alert; pass --allow-unsigned to accept"
            for r in current.requests
        )
    for rejected in current.rejected:
        name = rejected.request_id or f"alert[{rejected.index}]"
        reasons = "; ".join(str(p) for p in rejected.problems)
        lines.append(f"REJECT {name}: {reasons}")
    lines.extend(f"SKIP {skipped.reason}" for skipped in current.skipped)
    ok = not current.rejected and (options.allow_unsigned or not current.requests)
    return Report(lines, ok)


def _accept_line(request: Request, *, verified: bool, options: CheckOptions) -> str:
    line = f"ACCEPT {request.id} rev {request.revision}"
    if not verified:
        line += " (unverified)"
    if options.home is None:
        return line
    return f"{line}; home: {'; '.join(_home_reasons(request, options)) or 'actionable'}"


def _home_reasons(request: Request, options: CheckOptions) -> list[str]:
    """Why this home would not be asked; empty when it would be."""
    assert options.home is not None
    home = options.home
    reasons = []
    point = geo.ViewPoint(home.lat, home.lon, home.radius_m)
    if not geo.matches(request.area, [point]):
        distance = geo.distance_to_area_m(request.area, home.lat, home.lon)
        reasons.append(f"area: {distance:.0f} m from the home, beyond its view")
    verdict = policy.evaluate(
        request,
        policy.Guardrails(
            upload_origins=options.upload_origins or _origins(options.feed_url, None)
        ),
        now=options.now or datetime.now(UTC),
    )
    reasons.extend(str(p) for p in verdict.reasons)
    if reasons:
        reasons[0] = f"not actionable: {reasons[0]}"
    return reasons
