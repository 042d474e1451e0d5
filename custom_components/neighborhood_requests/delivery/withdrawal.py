"""Whether a share still answers its request after the publisher changed it.

A resident consented to one thing: these cameras, this window, for this
requester, sent to the host they were shown. A later revision can take that
consent away: the request is cancelled or closed, or it now asks for something
the clip is not. Then the undelivered clip must not go (feed spec 3.2).
Pure: what was shared and the request as it now stands in, a verdict out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from ..protocol.geo import ViewPoint, matches
from ..protocol.model import Request, Status, Window


class Reason(StrEnum):
    """Why a clip was withdrawn; each has owner-facing words in the translations."""

    CANCELLED = "cancelled"
    CLOSED = "closed"
    WINDOW = "window"
    AREA = "area"
    UPLOAD_ORIGIN = "upload_origin"
    GONE = "gone"  # the inbox itself answered 410


# The audit log's and the record's words (the owner's notification is translated).
DESCRIPTIONS = {
    Reason.CANCELLED: "the publisher cancelled the request",
    Reason.CLOSED: "the publisher closed the request",
    Reason.WINDOW: "the publisher changed the window; the clip is not what is asked",
    Reason.AREA: "the publisher moved the request's area away from this home",
    Reason.UPLOAD_ORIGIN: "the publisher moved the upload to another host",
    Reason.GONE: "the publisher's inbox no longer takes clips for it (HTTP 410)",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """`withdraw` with its reason, else `upload_url` to send to (maybe a new path)."""

    withdraw: Reason | None = None
    upload_url: str | None = None


def judge(
    shared_url: str,
    shared_window: Window | None,
    request: Request,
    view_points: Iterable[ViewPoint],
) -> Verdict:
    """What the request as it now stands means for a clip shared earlier.

    `shared_window` is the window the resident consented to (None for shares
    stored before it was kept); `shared_url` is where the clip was to go.
    """
    if request.status is Status.CANCELLED:
        return Verdict(withdraw=Reason.CANCELLED)
    if request.status is not Status.ACTIVE:
        return Verdict(withdraw=Reason.CLOSED)
    if shared_window is not None and not (
        request.window.start <= shared_window.start
        and shared_window.end <= request.window.end
    ):
        return Verdict(withdraw=Reason.WINDOW)
    if not matches(request.area, view_points):
        return Verdict(withdraw=Reason.AREA)
    if _origin(request.upload_url) != _origin(shared_url):
        return Verdict(withdraw=Reason.UPLOAD_ORIGIN)
    return Verdict(upload_url=request.upload_url)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    default = {"https": 443, "http": 80}.get(scheme)
    return scheme, (parts.hostname or "").lower().rstrip("."), port or default
