"""The running bot: python-telegram-bot's Application plus the Home Assistant link.

PTB's `run_polling` wants to own the event loop and the signals; the bot has a
second long-lived connection (Home Assistant) to start and stop in order, so it
drives the Application's lifecycle itself: reach Telegram (retrying while it is
unreachable, see `telegram_link`), start polling, connect to Home Assistant, and on
SIGINT/SIGTERM stop polling first (no new taps), then Home Assistant, then PTB.
A rejected Telegram token or Home Assistant access token ends the run with exit
status 1: neither heals by waiting.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import on_callback
from bot.decisions import Decisions
from bot.ha_client import Backoff, HAClient
from bot.handlers import HANDLERS, on_command, on_text, register_commands
from bot.network import client_session
from bot.relay import Relay
from bot.sender import PER_CHAT_INTERVAL_S, Sender
from bot.services import KEY, Services
from bot.state import BotState
from bot.telegram_link import TelegramLink, WatchedBot, initialize

if TYPE_CHECKING:
    from telegram.ext import CallbackContext

    from bot.config import BotConfig
    from bot.ha_connection import HAConnection

_LOGGER = logging.getLogger(__name__)

# Telegram's documented limits (FACTS.md): ~30 messages/s overall, 20/min per group.
# A 429 is retried after its `retry_after`, up to three times.
OVERALL_PER_S = 30
GROUP_PER_MINUTE = 20
MAX_RETRIES = 3


def build_application(
    config: BotConfig, link: TelegramLink
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The PTB Application, pointed at `TELEGRAM_API_BASE_URL`, rate limited."""
    bot = WatchedBot(
        config.telegram_token,
        base_url=config.telegram_api_base_url,
        rate_limiter=AIORateLimiter(
            overall_max_rate=OVERALL_PER_S,
            overall_time_period=1,
            group_max_rate=GROUP_PER_MINUTE,
            group_time_period=60,
            max_retries=MAX_RETRIES,
        ),
        link=link,
    )
    return (
        ApplicationBuilder()
        .bot(bot)
        # Two household members tapping at once are handled at once; the
        # request's lock in the relay decides who was first.
        .concurrent_updates(True)
        .build()
    )


async def _log_error(
    update: object, context: CallbackContext[Any, Any, Any, Any]
) -> None:
    _LOGGER.error("handling an update failed", exc_info=context.error)


class BotApp:
    """Everything the bot runs, started and stopped in a safe order."""

    def __init__(
        self,
        config: BotConfig,
        *,
        backoff: Backoff | None = None,
        per_chat_interval_s: float = PER_CHAT_INTERVAL_S,
    ) -> None:
        self.config = config
        self.session = client_session()
        self.link = TelegramLink(
            config.telegram_api_base_url, config.telegram_token, backoff
        )
        self.application = build_application(config, self.link)
        self.state = BotState.load(config.state_file)

        async def on_connect(connection: HAConnection) -> None:
            await self.relay.on_connect(connection)

        self.client = HAClient(
            self.session,
            config.ha_url,
            config.ha_token,
            on_connect=on_connect,
            backoff=backoff,
        )
        sender = Sender(self.application.bot, per_chat_interval_s)
        self.relay = Relay(self.state, sender, self.client, config.language)
        self.decisions = Decisions(self.relay, self.session)
        self.application.bot_data[KEY] = Services(self.relay, self.decisions)
        app = self.application
        app.add_handler(CommandHandler(list(HANDLERS), on_command))
        app.add_handler(CallbackQueryHandler(on_callback))
        app.add_handler(
            MessageHandler(
                filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text
            )
        )
        app.add_error_handler(_log_error)

    async def start(self, stop: asyncio.Event | None = None) -> bool:
        """Reach Telegram, poll, connect to HA; False if stopped or refused first."""
        app = self.application
        if not await initialize(app, self.link, stop or asyncio.Event()):
            return False
        try:
            await register_commands(app.bot)
        except TelegramError as err:
            # The menu is a convenience; the next start registers it again.
            _LOGGER.warning("could not register the command menu: %s", err)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY],
            error_callback=self.link.polling_refused,
        )
        self.client.start()
        return True

    async def run_until(self, stop: asyncio.Event) -> int:
        """Run until `stop`, or until a token is refused; the exit status."""
        if not await self.start(stop):
            return 1 if self.link.failed.is_set() else 0
        _LOGGER.info("bot running; Ctrl+C or SIGTERM stops it")
        waits = [
            asyncio.create_task(event.wait())
            for event in (stop, self.link.failed, self.client.failed)
        ]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
            await asyncio.gather(*waits, return_exceptions=True)
        return 1 if self.link.failed.is_set() or self.client.failed.is_set() else 0

    async def stop(self) -> None:
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await self.client.close()
        await self.relay.close()
        await app.shutdown()
        await self.session.close()


async def run(config: BotConfig, backoff: Backoff | None = None) -> int:
    """Run until SIGINT or SIGTERM (status 0) or a refused token (status 1)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    bot = BotApp(config, backoff=backoff)
    try:
        return await bot.run_until(stop)
    finally:
        await bot.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
