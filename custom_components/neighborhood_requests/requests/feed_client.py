"""Fetching a feed over HTTP and turning its bytes into a `Feed`.

The config flow and the coordinator share this so both name the same failure the
same way; every failure becomes a `FeedFetchError` (see `fetch_errors`) whose
`reason` is a translation key (`dns_failure`, `http_status`, ...), never a traceback.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import hashlib
from urllib.parse import urlsplit

import aiohttp
from aiohttp import hdrs
from yarl import URL

from .. import const
from ..protocol.cap import latest_revisions, parse_cap
from ..protocol.errors import ProtocolError
from ..protocol.feed import DEFAULT_MAX_BYTES, read_capped
from ..protocol.model import CRF_VERSION, Feed, Publisher, PublisherKind
from ..protocol.origins import origin_label, origin_of
from ..protocol.parse import parse_feed, request_to_dict
from .address_guard import refused_address
from .fetch_errors import FeedFetchError, connection_problem, status_problem

__all__ = ["FeedFetchError", "FetchResult", "decode_feed", "fetch_feed"]

MAX_BYTES = DEFAULT_MAX_BYTES
MAX_REDIRECTS = 5
_AUTH_FAILED = frozenset({401, 403})
_NOT_MODIFIED = 304
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The body (None when the server said 304) and its SHA-256, for next time."""

    body: bytes | None
    sha256: str | None


def validator(sha256: str) -> str:
    """The only validator a home sends: the digest of what it holds, as an ETag.

    Every home holding these bytes sends the same value, so it tells the
    publisher nothing about which home asks (docs/feed-spec.md, section 6).
    """
    return f'"{sha256}"'


async def fetch_feed(
    session: aiohttp.ClientSession,
    url: str,
    *,
    token: str | None = None,
    held_sha256: str | None = None,
    max_bytes: int | None = None,
    timeout_s: float | None = None,
) -> FetchResult:
    """GET the feed, conditionally on the body held, reading at most `max_bytes`.

    A server's own `ETag` or `Last-Modified` is never echoed back: either could
    be a different value for every home, a cookie by another name. Redirects
    are followed only within the feed's origin.
    """
    limit = MAX_BYTES if max_bytes is None else max_bytes
    headers: dict[str, str] = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if held_sha256:
        headers["If-None-Match"] = validator(held_sha256)
    try:
        async with asyncio.timeout(timeout_s or const.FEED_TIMEOUT_S):
            target = URL(url)
            for _ in range(MAX_REDIRECTS + 1):
                async with session.get(
                    target, headers=headers, allow_redirects=False
                ) as response:
                    if response.status in _REDIRECTS:
                        target = _same_origin(target, response)
                        continue
                    if response.status in _AUTH_FAILED:
                        raise FeedFetchError("invalid_auth", str(response.status))
                    if response.status == _NOT_MODIFIED and held_sha256:
                        return FetchResult(None, held_sha256)
                    if response.status >= 300 or response.status < 200:
                        raise status_problem(response.status, url)
                    body = await read_capped(
                        response.content.iter_chunked(64 * 1024), limit
                    )
                    return FetchResult(body, hashlib.sha256(body).hexdigest())
            raise FeedFetchError(
                "cannot_connect", f"more than {MAX_REDIRECTS} redirects"
            )
    except TimeoutError as err:
        raise FeedFetchError("timeout") from err
    except ProtocolError as err:
        raise FeedFetchError("too_large", str(err)) from err
    except (aiohttp.ClientError, ValueError) as err:
        if (found := refused_address(err)) is not None:
            reason = "private_address" if found.lan else "forbidden_address"
            raise FeedFetchError(reason, f"feed address {found}") from err
        raise connection_problem(err, url) from err


def _same_origin(target: URL, response: aiohttp.ClientResponse) -> URL:
    """Where a redirect leads, if it stays on the feed's origin."""
    location = response.headers.get(hdrs.LOCATION)
    if not location:
        raise FeedFetchError(
            "cannot_connect", f"HTTP {response.status} without a Location"
        )
    following = target.join(URL(location))
    if origin_of(str(following)) != origin_of(str(target)):
        raise FeedFetchError(
            "redirected",
            f"the feed redirects to {origin_label(origin_of(str(following)))}, "
            "another origin",
        )
    return following


def decode_feed(body: bytes, url: str) -> Feed:
    """Bytes to an unverified `Feed`: CRF JSON, or CAP 1.2 XML as an unsigned feed.

    CAP carries no publisher keys, so it can only ever be an unsigned feed whose
    publisher is named after the host serving it. Its alerts are judged one by
    one: the feed carries what was refused and what was not a request at all.
    """
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        try:
            return parse_feed(body)
        except ProtocolError as err:
            raise FeedFetchError("not_a_feed", str(err)) from err
    if head == b"<":
        try:
            alerts = latest_revisions(parse_cap(body))
        except ProtocolError as err:
            raise FeedFetchError("not_a_feed", str(err)) from err
        host = urlsplit(url).hostname or "cap"
        publisher = Publisher(id=host, name=host, kind=PublisherKind.OTHER, url=url)
        return Feed(
            version=CRF_VERSION,
            publisher=publisher,
            entries=tuple(request_to_dict(request) for request in alerts.requests),
            rejected=alerts.rejected,
            skipped=alerts.skipped,
        )
    raise FeedFetchError("unknown_format")
