"""Trying a feed before it is trusted: fetch, decode, and check it verifies itself.

The config flow's user, reconfigure and reauth steps all probe the same way, and
each failure is logged once at warning with its detail (the form shows the
translated cause; the log keeps what an expert needs, such as the TLS error).
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from yarl import URL

from ..const import LOGGER
from ..protocol.errors import ProtocolError
from ..protocol.feed import FeedVerifier
from ..protocol.model import Feed
from .feed_client import decode_feed, fetch_feed
from .fetch_errors import FeedFetchError, url_problem


def check_signatures(feed: Feed) -> None:
    """Refuse a signed feed none of whose requests verify with its own keys.

    Pinning keys that cannot verify anything would only hide a broken or
    tampered feed until the first poll.
    """
    if not feed.publisher.keys:
        return
    try:
        result = FeedVerifier(feed.publisher.keys).verify(feed)
    except ProtocolError as err:
        raise FeedFetchError("not_a_feed", str(err)) from err
    if feed.entries and not result.accepted:
        raise FeedFetchError("bad_signature", str(result.rejected[0].problems))


async def async_probe(hass: HomeAssistant, url: str, token: str | None) -> Feed:
    """Fetch, decode and self-verify a feed, off the event loop where it is CPU work."""
    try:
        if (problem := url_problem(url)) is not None:
            raise problem
        fetched = await fetch_feed(async_get_clientsession(hass), url, token=token)
        assert fetched.body is not None  # no validators sent, so never a 304
        feed = await hass.async_add_executor_job(decode_feed, fetched.body, url)
        await hass.async_add_executor_job(check_signatures, feed)
    except FeedFetchError as err:
        LOGGER.warning("Feed at %s cannot be used: %s", shown_url(url), err)
        raise
    return feed


def shown_url(text: str) -> str:
    """The address without user info or query, which may hold secrets."""
    try:
        url = URL(text)
    except ValueError:
        return "(not a URL)"
    if not url.absolute:
        return str(url.with_query(None))
    return str(url.with_user(None).with_query(None).with_fragment(None))
