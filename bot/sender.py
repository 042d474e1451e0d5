"""Telegram calls that never take the bot down, and complain once, not forever.

Telegram allows about one message per second in a chat, and PTB's AIORateLimiter
enforces only the overall and group limits, so sends to one chat are spaced here:
each send reserves the chat's next free slot, and the slot after it is counted
from when Telegram answered, so a burst to five residents goes out as fast as the
overall limit allows without a single 429, even on a busy machine.

A user who blocked the bot, a deleted chat or an edit that changes nothing are
normal in a long-running bot. They are logged once per chat and kind, and the
call reports failure to its caller; flooding the log on every retry would hide
the problems that matter. Rate limits (429) are handled below this layer by
PTB's AIORateLimiter, which waits `retry_after` and tries again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import logging
import time
from typing import TYPE_CHECKING, Any

from telegram import LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from telegram import Bot, InlineKeyboardMarkup, Message

_LOGGER = logging.getLogger(__name__)

NOT_MODIFIED = "message is not modified"
# A tenth of a second of slack: requests travel with jitter, and Telegram measures
# arrival, not departure.
PER_CHAT_INTERVAL_S = 1.1
# A link in a publisher's summary must not make Telegram fetch it: the fetch
# would tell the publisher that some home was shown the request, and when.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass
class Sender:
    """Sends and edits HTML messages; returns None (or False) when Telegram refused."""

    bot: Bot
    per_chat_interval_s: float = PER_CHAT_INTERVAL_S
    _logged: set[tuple[int, str]] = field(default_factory=set)
    _next_slot: dict[int, float] = field(default_factory=dict)

    async def _paced(self, chat_id: int, call: Awaitable[Any]) -> Any:
        """Send in the chat's next slot; the slot after it counts from the answer."""
        await self._pace(chat_id)
        try:
            return await self._guard(chat_id, call)
        finally:
            self._spaced_after(chat_id)

    async def _pace(self, chat_id: int) -> None:
        """Wait for this chat's next free send slot (reserved before waiting)."""
        now = time.monotonic()
        slot = max(now, self._next_slot.get(chat_id, now))
        self._next_slot[chat_id] = slot + self.per_chat_interval_s
        if slot > now:
            await asyncio.sleep(slot - now)

    def _spaced_after(self, chat_id: int) -> None:
        """The chat's next slot is at least an interval after this call returned.

        A reserved slot only spaces departures; a send delayed on its way (a
        busy machine, a 429 retried by the rate limiter) would then arrive close
        to the next one. Telegram has seen a message by the time its call
        returns, so counting from the return spaces arrivals too.
        """
        after = time.monotonic() + self.per_chat_interval_s
        self._next_slot[chat_id] = max(self._next_slot.get(chat_id, after), after)

    def _log_once(self, chat_id: int, err: TelegramError) -> None:
        kind = type(err).__name__ + ":" + err.message.split(":")[0]
        if (chat_id, kind) in self._logged:
            return
        self._logged.add((chat_id, kind))
        _LOGGER.warning("Telegram refused a message for chat %s: %s", chat_id, err)

    async def _guard(self, chat_id: int, call: Awaitable[Any]) -> Any:
        try:
            return await call
        except BadRequest as err:
            if NOT_MODIFIED in err.message.lower():
                return True  # already shows exactly this: the goal is reached
            self._log_once(chat_id, err)
        except Forbidden as err:
            self._log_once(chat_id, err)
        except TelegramError as err:
            self._log_once(chat_id, err)
        return None

    async def send(
        self,
        chat_id: int,
        html: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> Message | None:
        result: Message | None = await self._paced(
            chat_id,
            self.bot.send_message(
                chat_id,
                html,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            ),
        )
        return result

    async def edit(
        self,
        chat_id: int,
        message_id: int,
        html: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> bool:
        result = await self._guard(
            chat_id,
            self.bot.edit_message_text(
                html,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            ),
        )
        return result is not None

    async def send_venue(
        self,
        chat_id: int,
        place: tuple[float, float, str, str],
        reply_to: int | None = None,
    ) -> bool:
        """A map pin with a title and address (plain text), under `reply_to`."""
        latitude, longitude, title, address = place
        result = await self._paced(
            chat_id,
            self.bot.send_venue(
                chat_id,
                latitude,
                longitude,
                title,
                address,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to is not None
                    else None
                ),
            ),
        )
        return result is not None

    async def send_video(
        self, chat_id: int, video: bytes, caption: str, filename: str
    ) -> bool:
        result = await self._paced(
            chat_id,
            self.bot.send_video(
                chat_id,
                video,
                caption=caption,
                parse_mode=ParseMode.HTML,
                filename=filename,
            ),
        )
        return result is not None
