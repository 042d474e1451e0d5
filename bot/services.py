"""The bot's long-lived parts, reachable from every PTB handler via `bot_data`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telegram.ext import CallbackContext

    from bot.decisions import Decisions
    from bot.relay import Relay

KEY = "neighborhood_requests"


@dataclass(frozen=True)
class Services:
    relay: Relay
    decisions: Decisions


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    found: Services = context.bot_data[KEY]
    return found
