"""Fetching a feed over HTTP and turning its bytes into a `Feed`.

The config flow and the coordinator share this so both name the same failure the
same way; every failure becomes a `FeedFetchError` (see `fetch_errors`) whose
`reason` is a translation key (`dns_failure`, `http_status`, ...), never a traceback.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from .. import const
from ..protocol.cap import parse_cap
from ..protocol.errors import ProtocolError
from ..protocol.feed import DEFAULT_MAX_BYTES, read_capped
from ..protocol.model import CRF_VERSION, Feed, Publisher, PublisherKind
from ..protocol.parse import parse_feed, request_to_dict
from .fetch_errors import FeedFetchError, connection_problem, status_problem

__all__ = ["FeedFetchError", "FetchResult", "decode_feed", "fetch_feed"]

MAX_BYTES = DEFAULT_MAX_BYTES
_AUTH_FAILED = frozenset({401, 403})
_NOT_MODIFIED = 304


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The body (None when the server said 304) and the validators for next time."""

    body: bytes | None
    etag: str | None
    last_modified: str | None


async def fetch_feed(
    session: aiohttp.ClientSession,
    url: str,
    *,
    token: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int | None = None,
    timeout_s: float | None = None,
) -> FetchResult:
    """GET the feed conditionally, reading at most `max_bytes` of it."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    headers: dict[str, str] = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(timeout_s or const.FEED_TIMEOUT_S):
            async with session.get(
                url, headers=headers, allow_redirects=True
            ) as response:
                if response.status in _AUTH_FAILED:
                    raise FeedFetchError("invalid_auth", str(response.status))
                if response.status == _NOT_MODIFIED:
                    return FetchResult(None, etag, last_modified)
                if response.status >= 300:
                    raise status_problem(response.status, url)
                body = await read_capped(
                    response.content.iter_chunked(64 * 1024), limit
                )
                return FetchResult(
                    body,
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
    except TimeoutError as err:
        raise FeedFetchError("timeout") from err
    except ProtocolError as err:
        raise FeedFetchError("too_large", str(err)) from err
    except (aiohttp.ClientError, ValueError) as err:
        raise connection_problem(err, url) from err


def decode_feed(body: bytes, url: str) -> Feed:
    """Bytes to an unverified `Feed`: CRF JSON, or CAP 1.2 XML as an unsigned feed.

    CAP carries no publisher keys, so it can only ever be an unsigned feed whose
    publisher is named after the host serving it.
    """
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        try:
            return parse_feed(body)
        except ProtocolError as err:
            raise FeedFetchError("not_a_feed", str(err)) from err
    if head == b"<":
        try:
            requests = parse_cap(body)
        except ProtocolError as err:
            raise FeedFetchError("not_a_feed", str(err)) from err
        host = urlsplit(url).hostname or "cap"
        publisher = Publisher(id=host, name=host, kind=PublisherKind.OTHER, url=url)
        return Feed(
            version=CRF_VERSION,
            publisher=publisher,
            entries=tuple(request_to_dict(request) for request in requests),
        )
    raise FeedFetchError("unknown_format")
