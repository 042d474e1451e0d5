"""The way to Telegram: kept open through outages, with one line per failed try.

python-telegram-bot's own answer to an unreachable Bot API is a traceback: at
start (`initialize` calls getMe) it raises, and while polling its retry loop logs
every failure with the full exception. A companion bot on a home server must ride
out a router reboot or a DNS hiccup instead, and say in one line what is wrong and
when it tries again. So the first getMe is retried here with the same capped
exponential backoff as the Home Assistant connection, and `WatchedBot.get_updates`
turns a network failure of the long poll into "no updates this round" after a
backoff sleep, which PTB's loop takes as success. A rejected token (401) will not
heal: it is said once and ends the bot with exit status 1.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import ExtBot

from bot.config import mask_secret
from bot.ha_client import Backoff
from bot.network import explain

if TYPE_CHECKING:
    from telegram import Update
    from telegram.ext import Application

_LOGGER = logging.getLogger(__name__)


class TelegramLink:
    """Counts failed tries, logs each once with the next retry, notes recovery."""

    def __init__(
        self, base_url: str, token: str, backoff: Backoff | None = None
    ) -> None:
        self.base_url = base_url
        self._token = token
        self._backoff = backoff or Backoff()
        self._attempt = 0
        self.failed = asyncio.Event()  # set when retrying cannot help

    def _reason(self, err: BaseException) -> str:
        text = explain(err, self.base_url)
        return text.replace(self._token, mask_secret(self._token))

    def unreachable(self, err: TelegramError) -> float:
        """Log why this try failed; return the seconds to wait before the next."""
        delay = self._backoff.delay(self._attempt)
        self._attempt += 1
        if isinstance(err, BadRequest):
            _LOGGER.warning(
                "the Telegram Bot API at %s answered an error: %s; retrying in %.1f s",
                self.base_url,
                self._reason(err),
                delay,
            )
        else:
            _LOGGER.warning(
                "cannot reach Telegram at %s: %s; retrying in %.1f s",
                self.base_url,
                self._reason(err),
                delay,
            )
        return delay

    def reachable(self) -> None:
        """A call got through: say so once after failures, and start backoff over."""
        if self._attempt:
            _LOGGER.info("Telegram at %s is reachable again", self.base_url)
        self._attempt = 0

    def token_rejected(self) -> None:
        _LOGGER.error(
            "Telegram rejected the bot token %s: copy it again from @BotFather "
            "(TELEGRAM_BOT_TOKEN); stopping",
            mask_secret(self._token),
        )
        self.failed.set()

    def polling_refused(self, err: TelegramError) -> None:
        """PTB's polling error callback, for answers that are not network failures
        (say, 409 Conflict when a second instance polls the same token)."""
        _LOGGER.warning("Telegram refused getUpdates: %s", self._reason(err))


class WatchedBot(ExtBot[None]):
    """ExtBot whose long poll outlasts an unreachable Telegram."""

    def __init__(self, *args: Any, link: TelegramLink, **kwargs: Any) -> None:
        # Private names may be set on PTB objects at any time; set it first.
        self._link = link
        super().__init__(*args, **kwargs)

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            updates = await super().get_updates(*args, **kwargs)
        except InvalidToken:
            # Said once; the run loop sees `failed` and stops polling, which
            # cancels this wait.
            self._link.token_rejected()
            await asyncio.Event().wait()
            raise
        except BadRequest:
            raise  # an answer, not an outage: PTB's loop and error callback handle it
        except NetworkError as err:  # includes TimedOut
            await asyncio.sleep(self._link.unreachable(err))
            return ()
        self._link.reachable()
        return updates


async def initialize(
    application: Application[Any, Any, Any, Any, Any, Any],
    link: TelegramLink,
    stop: asyncio.Event,
) -> bool:
    """getMe until it answers; False if the token was rejected or `stop` was set."""
    while not stop.is_set():
        try:
            await application.initialize()
        except InvalidToken:
            link.token_rejected()
            return False
        except NetworkError as err:  # BadRequest and TimedOut included
            delay = link.unreachable(err)
            try:
                async with asyncio.timeout(delay):
                    await stop.wait()
            except TimeoutError:
                continue
        else:
            link.reachable()
            return True
    return False
