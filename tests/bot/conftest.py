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
    """The Telegram Bot API stand-in, knowing one valid bot token."""
    standin = BotApiStandIn(tokens={TELEGRAM_TOKEN: "neighborhood_test_bot"})
    await standin.start()
    yield standin
    await standin.close()
