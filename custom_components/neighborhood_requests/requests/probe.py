"""Trying a feed before it is trusted: fetch, decode, and check it verifies itself.

The config flow's user, reconfigure and reauth steps all probe the same way, and
each failure is logged once at warning with its detail (the form shows the
translated cause; the log keeps what an expert needs, such as the TLS error).
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from yarl import URL

from ..const import LOGGER
from ..protocol.errors import ProtocolError
from ..protocol.feed import FeedVerifier, self_verified_statement
from ..protocol.model import Feed, PublisherStatement
from .feed_client import decode_feed, fetch_feed
from .fetch_errors import FeedFetchError, url_problem
from .publisher_session import publisher_session


def check_signatures(feed: Feed) -> PublisherStatement | None:
    """Refuse a signed feed none of whose requests verify with its own keys.

    Pinning keys that cannot verify anything would only hide a broken or
    tampered feed until the first poll. The publisher's statement must verify
    too: the upload origins it names are shown to the owner as trusted.
    """
    if not feed.publisher.keys:
        return None
    try:
        result = FeedVerifier(feed.publisher.keys).verify(feed)
    except ProtocolError as err:
        raise FeedFetchError("not_a_feed", str(err)) from err
    if feed.entries and not result.accepted:
        raise FeedFetchError("bad_signature", str(result.rejected[0].problems))
    try:
        return self_verified_statement(feed.publisher)
    except ProtocolError as err:
        raise FeedFetchError("bad_statement", str(err)) from err


async def async_probe(
    hass: HomeAssistant, url: str, token: str | None, *, allow_lan: bool
) -> tuple[Feed, PublisherStatement | None]:
    """Fetch, decode and self-verify a feed, off the event loop where it is CPU work.

    The fetch goes only where the entry may connect (`publisher_session`).
    """
    try:
        if (problem := url_problem(url)) is not None:
            raise problem
        session = publisher_session(hass, allow_lan=allow_lan)
        fetched = await fetch_feed(session, url, token=token)
        assert fetched.body is not None  # no validators sent, so never a 304
        feed = await hass.async_add_executor_job(decode_feed, fetched.body, url)
        statement = await hass.async_add_executor_job(check_signatures, feed)
    except FeedFetchError as err:
        if err.reason == "private_address" and not allow_lan:
            # Not a failure yet: the flow asks the owner whether to allow it.
            LOGGER.debug("Feed at %s is on the home's network", shown_url(url))
        else:
            LOGGER.warning("Feed at %s cannot be used: %s", shown_url(url), err)
        raise
    return feed, statement


def shown_url(text: str) -> str:
    """The address without user info or query, which may hold secrets."""
    try:
        url = URL(text)
    except ValueError:
        return "(not a URL)"
    if not url.absolute:
        return str(url.with_query(None))
    return str(url.with_user(None).with_query(None).with_fragment(None))
