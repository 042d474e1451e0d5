"""Fixtures for the bot: a real Home Assistant over HTTP, and the Bot API stand-in.

Home Assistant runs in-process (pytest-homeassistant-custom-component's `hass`),
its HTTP app served on 127.0.0.1 so the bot's websocket client connects for real.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import aiohttp
from homeassistant.setup import async_setup_component
import pytest

from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.tcp_proxy import TcpProxy

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

TELEGRAM_TOKEN = "123456789:AAEhBOweik6ad9r_QxMwUfZ3mYv5lSsT7qX"


@pytest.fixture
async def ha_url(
    hass: HomeAssistant,
    socket_enabled: None,
    aiohttp_client: Any,
) -> str:
    """Base URL of a real Home Assistant with its websocket API, on 127.0.0.1."""
    assert await async_setup_component(hass, "websocket_api", {})
    client = await aiohttp_client(hass.http.app)
    return str(client.make_url("")).rstrip("/")


@pytest.fixture
async def ha_proxy(ha_url: str) -> AsyncIterator[TcpProxy]:
    """A cuttable TCP path to that Home Assistant."""
    port = int(ha_url.rsplit(":", 1)[1])
    proxy = TcpProxy(port)
    await proxy.start()
    yield proxy
    await proxy.close()


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """The bot's own HTTP session, closed after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
async def botapi(socket_enabled: None) -> AsyncIterator[BotApiStandIn]:
    """The Telegram Bot API stand-in, knowing one valid bot token.

    A test fails if anything sent to it breaks Telegram's API description: an
    unknown method or parameter, a wrong type, text over a limit. Tests that
    provoke such calls on purpose take them with `take_violations()`.
    """
    standin = BotApiStandIn(tokens={TELEGRAM_TOKEN: "neighborhood_test_bot"})
    await standin.start()
    yield standin
    await standin.close()
    assert standin.violations == [], "calls the real Bot API would refuse"


# -- the integration, set up for real, for the running bot's tests ------------------
# Fixtures re-exported from the integration's tests: a signed feed on 127.0.0.1
# and a home in the middle of the request's area.
from tests.integration.conftest import feed_server, home  # noqa: E402, F401


@pytest.fixture
async def nr_entry(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    socket_enabled: None,
    enable_custom_integrations: None,
    feed_server: Any,  # noqa: F811 - the re-exported fixture, requested
    home: tuple[float, float],  # noqa: F811
    tmp_path: Any,
) -> Any:
    """The real integration with one feed, two linked cameras, and HA's `config`.

    `config` provides the registry and config-entry commands that /report, /pause
    and /resume use; Berlin makes the time zone conversion visible.
    """
    from tests.integration.conftest import add_entry

    hass.config.config_dir = str(tmp_path)
    await hass.config.async_set_time_zone("Europe/Berlin")
    for component in ("websocket_api", "auth", "config", "media_source"):
        assert await async_setup_component(hass, component, {})
    return await add_entry(
        hass, feed_server.url, cameras=["camera.porch", "camera.hall"]
    )


@pytest.fixture
async def nr_ha_url(nr_entry: Any, hass: HomeAssistant, aiohttp_client: Any) -> str:
    """Home Assistant with the integration, served only once everything is set up.

    aiohttp freezes the router when serving starts, and the integration registers
    its preview view during setup.
    """
    client = await aiohttp_client(hass.http.app)
    return str(client.make_url("")).rstrip("/")
