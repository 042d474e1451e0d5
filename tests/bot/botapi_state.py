"""What the Bot API stand-in remembers: chats, messages, updates, rate windows."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
import itertools
import secrets
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description, optional retry_after."""

    def __init__(
        self, code: int, description: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass(frozen=True)
class RateLimits:
    """Telegram's documented limits: about 30 messages/s overall, 1/s per chat."""

    overall_per_s: int = 30
    per_chat_per_s: int = 1


@dataclass(frozen=True)
class Chat:
    """A chat as Telegram describes it (private chats double as the user)."""

    id: int
    type: str
    first_name: str | None = None
    username: str | None = None
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("first_name", "username", "title"):
            if (value := getattr(self, key)) is not None:
                data[key] = value
        return data

    def user_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name or "",
            "language_code": "en",
        }
        if self.username is not None:
            data["username"] = self.username
        return data


# Methods that post a message and therefore count against the rate limits.
SENDING_METHODS = frozenset({"sendmessage", "sendvideo", "sendlocation", "sendvenue"})


class StandInState:
    """Everything the stand-in knows; methods in botapi_methods read and change it."""

    def __init__(
        self,
        tokens: dict[str, str],
        *,
        rate_limits: RateLimits | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.tokens = tokens
        self.rate_limits = rate_limits
        self.clock = clock or time.monotonic
        self.chats: dict[int, Chat] = {}
        self.blocked: set[int] = set()
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.injected: dict[str, list[ApiError]] = {}
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.open_callbacks: set[str] = set()
        self.answered_callbacks: dict[str, dict[str, Any]] = {}
        self.updates: list[dict[str, Any]] = []
        self.updates_changed = asyncio.Condition()
        self.closing = False
        self.pollers = 0
        # Calls the real Bot API would refuse or does not define (botapi_spec).
        self.violations: list[str] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._sent_overall: deque[float] = deque()
        self._sent_per_chat: dict[int, deque[float]] = {}

    async def close(self) -> None:
        """End every long poll so the server can shut down at once."""
        self.closing = True
        async with self.updates_changed:
            self.updates_changed.notify_all()

    async def wait_for_poller(self) -> None:
        """Wait until a getUpdates long poll is waiting for updates."""
        async with self.updates_changed:
            await self.updates_changed.wait_for(lambda: self.pollers > 0)

    def bot_user(self, token: str) -> dict[str, Any]:
        return {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Neighborhood Requests",
            "username": self.tokens[token],
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def add_user(self, user_id: int, first_name: str, username: str | None) -> Chat:
        chat = Chat(user_id, "private", first_name=first_name, username=username)
        self.chats[user_id] = chat
        return chat

    def add_group(self, chat_id: int, title: str) -> Chat:
        chat = Chat(chat_id, "group", title=title)
        self.chats[chat_id] = chat
        return chat

    def chat(self, chat_id: Any) -> Chat:
        """The chat a method addresses; Telegram's errors when there is none."""
        try:
            key = int(chat_id)
        except TypeError, ValueError:
            raise ApiError(400, "Bad Request: chat not found") from None
        if key not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        if key in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return self.chats[key]

    def new_message(
        self, token: str | None, chat: Chat, content: dict[str, Any]
    ) -> dict[str, Any]:
        """Store a message in `chat`, from the bot (token) or from the chat's user."""
        counter = self._message_ids.setdefault(chat.id, itertools.count(1))
        message: dict[str, Any] = {
            "message_id": next(counter),
            "from": self.bot_user(token) if token else chat.user_json(),
            "chat": chat.to_json(),
            "date": int(time.time()),
            **content,
        }
        self.messages[(chat.id, message["message_id"])] = message
        return message

    async def push_message(self, user_id: int, text: str, chat_id: int | None) -> int:
        sender = self.chats[user_id]
        chat = self.chats[chat_id if chat_id is not None else user_id]
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": length}
            ]
        message = self.new_message(None, chat, content)
        message["from"] = sender.user_json()
        return await self._push_update({"message": message})

    async def push_callback(
        self, user_id: int, chat_id: int, message_id: int, data: str
    ) -> str:
        query_id = str(secrets.randbits(63))
        self.open_callbacks.add(query_id)
        await self._push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.chats[user_id].user_json(),
                    "message": self.messages[(chat_id, message_id)],
                    "chat_instance": str(chat_id),
                    "data": data,
                }
            }
        )
        return query_id

    async def _push_update(self, content: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        async with self.updates_changed:
            self.updates.append({"update_id": update_id, **content})
            self.updates_changed.notify_all()
        return update_id

    def check_rate_limit(self, method: str, params: dict[str, Any]) -> None:
        """Answer 429 when a send would pass the overall or the per-chat limit."""
        if self.rate_limits is None or method.lower() not in SENDING_METHODS:
            return
        now = self.clock()
        overall = self._sent_overall
        chat_key = _int_or_none(params.get("chat_id"))
        per_chat = self._sent_per_chat.setdefault(chat_key or 0, deque())
        for window in (overall, per_chat):
            while window and now - window[0] >= 1.0:
                window.popleft()
        waits = []
        if len(overall) >= self.rate_limits.overall_per_s:
            waits.append(overall[0] + 1.0 - now)
        if len(per_chat) >= self.rate_limits.per_chat_per_s:
            waits.append(per_chat[0] + 1.0 - now)
        if waits:
            retry_after = max(1, int(-(-max(waits) // 1)))
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                retry_after=retry_after,
            )
        overall.append(now)
        per_chat.append(now)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except TypeError, ValueError:
        return None
