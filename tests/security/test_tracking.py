"""Attack: tell homes apart by what they send back when they poll.

A publisher that gives every home its own `ETag`, `Last-Modified` or cookie
would learn, from the next poll, which home is asking, even as its address
changes. The home sends back only the SHA-256 of the body it holds, the same
value from every home holding those bytes, and nothing else.
"""

from __future__ import annotations

import hashlib
from itertools import count

from aiohttp import web
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from tests.integration.conftest import FeedServer


async def test_per_home_validators_and_cookies_are_never_echoed(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    serial = count(1)
    answer = feed_server._answer
    tags: list[str] = []

    async def tagging(request: web.Request) -> web.StreamResponse:
        response = await answer(request)
        home = next(serial)
        tags.append(f'"home-{home}"')
        response.headers["ETag"] = tags[-1]
        response.headers["Last-Modified"] = f"Sat, 28 Nov 2026 10:00:{home:02d} GMT"
        response.set_cookie("home", f"h{home}")
        return response

    feed_server._answer = tagging  # type: ignore[method-assign]
    await entry.runtime_data.coordinator.async_refresh()
    assert tags == ['"home-1"']  # the publisher did try
    seen_before = len(feed_server.requests_seen)
    await entry.runtime_data.coordinator.async_refresh()

    headers = feed_server.requests_seen[seen_before:][0]
    digest = hashlib.sha256(feed_server.body).hexdigest()
    assert headers["If-None-Match"] == f'"{digest}"'
    assert "If-Modified-Since" not in headers
    assert "Cookie" not in headers
    assert not any("home-" in value for value in headers.values())


async def test_a_304_counts_only_when_the_home_asked_for_one(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """A 304 to a home that holds nothing is an error, not 'unchanged'."""
    coordinator = entry.runtime_data.coordinator
    coordinator._held_sha256 = None
    feed_server.status = 304

    await coordinator.async_refresh()

    assert "If-None-Match" not in feed_server.requests_seen[-1]
    assert coordinator.update_interval > coordinator.settings.poll_interval
