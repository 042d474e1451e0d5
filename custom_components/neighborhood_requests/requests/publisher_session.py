"""The one HTTP session through which the integration reaches any publisher.

Feed polls, the config flow's fetch and every upload go through it; Frigate,
an address the owner typed for their own NVR, does not. It is Home Assistant's
own client set-up (TLS context, resolver with mDNS, user agent, header limits)
with three differences:

* every address is checked where the connection is made (`address_guard`), so
  a name that resolves to a private address, or is re-pointed there between
  two polls, gets no connection;
* no cookies are kept or sent: a cookie would let a publisher tell homes apart,
  which the feed spec forbids it to learn;
* no redirect is followed by aiohttp; callers follow same-origin ones themselves.

There are two sessions per Home Assistant, one for entries that allow a
publisher on the home's own network and one for all others.
"""

from __future__ import annotations

import aiohttp
from aiohttp.hdrs import USER_AGENT
from homeassistant.const import EVENT_HOMEASSISTANT_CLOSE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import aiohttp_client
from homeassistant.util import ssl as ssl_util
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from .address_guard import GuardedResolver, guarded_socket_factory

SESSIONS: HassKey[dict[bool, aiohttp.ClientSession]] = HassKey(f"{DOMAIN}_sessions")


@callback
def publisher_session(hass: HomeAssistant, *, allow_lan: bool) -> aiohttp.ClientSession:
    """The shared session for publishers, created on first use."""
    sessions = hass.data.setdefault(SESSIONS, {})
    if (session := sessions.get(allow_lan)) is not None and not session.closed:
        return session
    # Home Assistant's own session brings its resolver into being.
    aiohttp_client.async_get_clientsession(hass)
    inner = hass.data.get(aiohttp_client.DATA_RESOLVER)
    connector = aiohttp_client.HomeAssistantTCPConnector(
        ssl=ssl_util.client_context(
            ssl_util.SSLCipherList.PYTHON_DEFAULT, ssl_util.SSL_ALPN_HTTP11
        ),
        limit=aiohttp_client.MAXIMUM_CONNECTIONS,
        limit_per_host=aiohttp_client.MAXIMUM_CONNECTIONS_PER_HOST,
        resolver=GuardedResolver(
            inner if inner is not None else aiohttp.ThreadedResolver(),
            allow_lan=allow_lan,
        ),
        socket_factory=guarded_socket_factory(allow_lan=allow_lan),
    )
    session = aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        headers={USER_AGENT: aiohttp_client.SERVER_SOFTWARE},
        max_line_size=aiohttp_client.MAXIMUM_HEADER_SIZE,
        max_field_size=aiohttp_client.MAXIMUM_HEADER_SIZE,
    )
    sessions[allow_lan] = session

    async def close(_event: Event) -> None:
        await session.close()

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_CLOSE, close)
    return session
