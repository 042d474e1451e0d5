"""`push`: hand a feed straight to a home's webhook instead of waiting for its poll."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.feed import DEFAULT_MAX_BYTES
from custom_components.neighborhood_requests.protocol.parse import parse_feed
from publisher.errors import PublisherError
from publisher.fetch import read_file


async def push(feed_path: Path, webhook: str, *, time_limit: float) -> str:
    """POST the feed bytes unchanged; a home verifies them as if it had polled."""
    body = read_file(feed_path, DEFAULT_MAX_BYTES)
    try:
        parse_feed(body)
    except ProtocolError as err:
        raise PublisherError(f"{feed_path}: not a valid feed: {err}") from None
    try:
        async with (
            aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=time_limit)
            ) as session,
            session.post(
                webhook, data=body, headers={"Content-Type": "application/json"}
            ) as response,
        ):
            status, reason = response.status, response.reason or ""
    except aiohttp.ClientError as err:
        raise PublisherError(f"push to {webhook} failed: {err}") from None
    except TimeoutError:
        raise PublisherError(
            f"push to {webhook} failed: timed out after {time_limit:g} s"
        ) from None
    summary = f"HTTP {status} {reason}".rstrip()
    if not 200 <= status < 300:
        raise PublisherError(f"push to {webhook} failed: {summary}")
    return f"pushed {len(body)} bytes to {webhook}: {summary}"
