"""Typed, immutable Community Request Feed v1 objects (see docs/feed-spec.md).

Only declarations live here; parsing from JSON is in `parse.py` and signing in
`jws.py`, so a reader sees the whole shape of the protocol in one screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .errors import Problem

CRF_VERSION = "1"


class PublisherKind(StrEnum):
    """Who publishes: shown to residents so they know who is asking."""

    LAW_ENFORCEMENT = "law_enforcement"
    COMMUNITY = "community"
    OTHER = "other"


class Status(StrEnum):
    """Lifecycle of a request; only `active` can ever be actionable."""

    ACTIVE = "active"
    CANCELLED = "cancelled"
    CLOSED = "closed"


class LegalBasis(StrEnum):
    """Why the requester believes it may ask; homes can require some of these."""

    VOLUNTARY = "voluntary"
    WARRANT = "warrant"
    SUBPOENA = "subpoena"
    COURT_ORDER = "court_order"


@dataclass(frozen=True, slots=True)
class Window:
    """The footage asked for; both ends timezone-aware (UTC after parsing)."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


# Why a clip lacks part of its window (`Gap.reason`).
GAP_CAMERA_OFFLINE = "camera_offline"  # the home's recorder saw the stream drop
GAP_NO_FOOTAGE = "no_footage"  # nothing recorded there; why is not known


@dataclass(frozen=True, slots=True)
class Gap:
    """A part of a clip's window with no footage, and why, where the home knows."""

    start: datetime
    end: datetime
    reason: str = GAP_NO_FOOTAGE


@dataclass(frozen=True, slots=True)
class VideoFormat:
    """The clip's picture from `start` on: codec and size (a camera whose
    resolution changed mid-window has several)."""

    start: datetime
    codec: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Circle:
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True, slots=True)
class Polygon:
    """A closed ring of (lat, lon) vertices; the first vertex equals the last."""

    points: tuple[tuple[float, float], ...]


type Area = Circle | Polygon


@dataclass(frozen=True, slots=True)
class Incident:
    type: str
    summary: str
    case_number: str | None = None
    reference_url: str | None = None


@dataclass(frozen=True, slots=True)
class Legal:
    basis: LegalBasis
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class Requested:
    video: bool = True
    audio: bool = False


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Request:
    """One request for video, exactly as its publisher signed it."""

    id: str
    revision: int
    status: Status
    issued_at: datetime
    expires_at: datetime
    window: Window
    area: Area
    incident: Incident
    legal: Legal
    requested: Requested
    contact: Contact
    upload_url: str
    public_url: str | None = None


@dataclass(frozen=True, slots=True)
class Publisher:
    """Feed owner; `keys` are public Ed25519 JWKs (`kty`, `crv`, `x`, `kid`).

    Nothing here is signed except `statement`, a JWS of `PublisherStatement`
    as published; a home believes only what a verified statement says.
    """

    id: str
    name: str
    kind: PublisherKind
    url: str
    keys: tuple[dict[str, Any], ...] = field(default=())
    statement: str | None = None


@dataclass(frozen=True, slots=True)
class PublisherStatement:
    """What a publisher signs about itself: who it is and where clips may go.

    `upload_origins` are the origins (`https://host[:port]`) of its inboxes
    besides the feed's own; a home that trusted them at setup sends clips there.
    """

    id: str
    name: str
    kind: PublisherKind
    url: str
    upload_origins: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejected:
    """An entry that must not be shown as actionable, with every reason found.

    `digest` names the entry as published (SHA-256 hex), so the same bad entry
    seen on every poll is counted once; empty when there is nothing to name.
    """

    index: int
    request_id: str | None
    problems: tuple[Problem, ...]
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something in a feed that is not a video request at all, and why.

    A CAP feed mixes video requests with weather and traffic alerts; those are
    counted and passed over, never held against the requests beside them.
    """

    index: int
    reason: str


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed but not yet verified feed.

    `entries` holds each request as published: a JWS compact string for a signed
    feed, or a plain JSON object for an unsigned one. Verification lives in
    `feed.py` so a feed can be inspected (publisher, fingerprint) before trust.
    A CAP document also brings what its decoding already refused (`rejected`)
    and the alerts that are not requests (`skipped`).
    """

    version: str
    publisher: Publisher
    entries: tuple[str | dict[str, Any], ...]
    rejected: tuple[Rejected, ...] = ()
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a home signs about a shared clip: custody, never who the home is."""

    request_id: str
    publisher_id: str
    camera: str
    window: Window
    sha256: str
    bytes: int
    exported_at: datetime
    exporter_version: str
    home_key_id: str
    include_audio: bool = False
    # Parts of the window the clip has no footage of (camera offline, not kept).
    gaps: tuple[Gap, ...] = ()
    # The picture's codec and size, from the window's start and where it changes.
    formats: tuple[VideoFormat, ...] = ()
