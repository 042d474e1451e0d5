"""The whole bot (BotApp) against the Bot API stand-in and a real Home Assistant.

Tests talk as residents (`say`, `tap`) and wait for what the bot does through the
stand-in's record of calls; no sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.app import BotApp
from bot.config import BotConfig
from bot.ha_client import Backoff
from tests.bot.conftest import TELEGRAM_TOKEN

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.bot.botapi_standin import BotApiStandIn, Call

FAST = Backoff(initial_s=0.01, maximum_s=0.05)
ALICE, BOB = 1001, 1002
REQUEST_ID = "wpd-2026-0412"


def bot_config(
    ha_url: str, ha_token: str, botapi: BotApiStandIn, state: Path
) -> BotConfig:
    return BotConfig(
        telegram_token=TELEGRAM_TOKEN,
        ha_url=ha_url,
        ha_token=ha_token,
        telegram_api_base_url=botapi.base_url,
        state_file=state,
    )


class Harness:
    """One running bot; `restart()` replaces it by a new process-like instance."""

    def __init__(self, config: BotConfig, botapi: BotApiStandIn) -> None:
        self.config = config
        self.botapi = botapi
        self.app: BotApp | None = None

    @property
    def bot(self) -> BotApp:
        assert self.app is not None
        return self.app

    async def start(self) -> None:
        # Unpaced: these tests are about behaviour; pacing has its own test.
        self.app = BotApp(self.config, backoff=FAST, per_chat_interval_s=0.0)
        await self.app.start()
        await self.app.relay.wait_synced(1)
        await self.botapi.wait_for_poller()

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def wait(self, predicate: Callable[[], Any]) -> Any:
        """Wait until `predicate()` is truthy after some Bot API call; return it."""
        found: Any = None

        def check() -> bool:
            nonlocal found
            found = predicate()
            return bool(found)

        async with self.botapi.changed:
            await self.botapi.changed.wait_for(check)
        return found

    def sent(self, chat_id: int, contains: str = "") -> list[Call]:
        """Successful sendMessage calls to `chat_id` whose text contains `contains`."""
        return [
            c
            for c in self.botapi.calls_to("sendMessage")
            if c.status == 200
            and int(c.params["chat_id"]) == chat_id
            and contains in c.params["text"]
        ]

    def messages(self, chat_id: int, contains: str = "") -> list[dict[str, Any]]:
        """The bot's messages in a chat as they stand now (after edits)."""
        return [
            m
            for (chat, _), m in sorted(self.botapi.state.messages.items())
            if chat == chat_id
            and m["from"].get("is_bot")
            and contains in m.get("text", "")
        ]

    async def say(self, user_id: int, text: str, contains: str) -> dict[str, Any]:
        """The user writes `text`; wait for the bot's reply containing `contains`."""
        before = len(self.sent(user_id, contains))
        await self.botapi.push_message(user_id, text)
        calls = await self.wait(
            lambda: (
                len(self.sent(user_id, contains)) > before
                and self.sent(user_id, contains)
            )
        )
        return dict(calls[-1].params)

    async def request_message(self, user_id: int) -> dict[str, Any]:
        """Wait for the request message (the one with Preview/Share/Decline)."""
        found: list[dict[str, Any]] = await self.wait(
            lambda: self.messages(user_id, "Case number")
        )
        return found[-1]

    async def tap(
        self,
        user_id: int,
        message: dict[str, Any],
        label: str,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """Tap the button starting with `label`; wait for and return the answer."""
        data = button(message, label)
        return await self.tap_data(
            user_id, chat_id or user_id, message["message_id"], data
        )

    async def tap_data(
        self, user_id: int, chat_id: int, message_id: int, data: str
    ) -> dict[str, Any]:
        query_id = await self.botapi.push_callback(user_id, chat_id, message_id, data)
        answered: dict[str, Any] = await self.wait(
            lambda: self.botapi.state.answered_callbacks.get(query_id)
        )
        return answered


def button(message: dict[str, Any], label: str) -> str:
    """The callback data of the button whose text starts with `label`."""
    for row in message.get("reply_markup", {}).get("inline_keyboard", []):
        for key in row:
            if key["text"].startswith(label):
                return str(key["callback_data"])
    raise AssertionError(f"no button {label!r} in {message.get('reply_markup')}")


async def pairing_code(hass_ws_client: Callable[..., Any], hass: Any) -> str:
    """A pairing code made in HA by the (admin) resident, as the options flow would."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "neighborhood_requests/pairing/create"})
    answer = await client.receive_json()
    assert answer["success"], answer
    return str(answer["result"]["code"])


async def link(
    harness: Harness, hass_ws_client: Callable[..., Any], hass: Any, user_id: int
) -> None:
    code = await pairing_code(hass_ws_client, hass)
    await harness.say(user_id, f"/link {code}", "Linked as")


async def gather(*aws: Any) -> list[Any]:
    return list(await asyncio.gather(*aws))


@contextlib.asynccontextmanager
async def running_bot(
    ha_url: str, ha_token: str, botapi: BotApiStandIn, state_path: Path
) -> AsyncIterator[Harness]:
    """A started bot against Home Assistant and the stand-in, stopped on exit."""
    harness = Harness(bot_config(ha_url, ha_token, botapi, state_path), botapi)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
