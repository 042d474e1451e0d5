"""Inline keyboards whose callback data is an opaque token, never the action itself.

Telegram lets any client send any callback data with a tap. A token that only the
bot's state can resolve, bound to the user it was shown to, means forged or
replayed data resolves to nothing and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.state import BotState, Button
from bot.texts import text

PREVIEW = "preview"
SHARE = "share"
DECLINE = "decline"
CONFIRM = "confirm"
AUDIO = "audio"
CANCEL = "cancel"


def _button(state: BotState, label: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=state.add_button(button))


@dataclass(frozen=True, slots=True)
class Offer:
    """The buttons one chat gets, as Home Assistant's audience allows."""

    preview: bool = False
    decide: bool = False

    def __bool__(self) -> bool:
        return self.preview or self.decide


def request_keyboard(
    state: BotState, key: str, user_id: int, language: str, offer: Offer
) -> InlineKeyboardMarkup | None:
    """Preview · Share · Decline for one chat's copy of a request, as offered."""
    row = []
    if offer.preview:
        row.append(
            _button(state, text(language, "btn_preview"), Button(user_id, PREVIEW, key))
        )
    if offer.decide:
        row += [
            _button(state, text(language, "btn_share"), Button(user_id, SHARE, key)),
            _button(
                state, text(language, "btn_decline"), Button(user_id, DECLINE, key)
            ),
        ]
    return InlineKeyboardMarkup([row]) if row else None


def confirm_keyboard(
    state: BotState, key: str, user_id: int, language: str, audio: bool
) -> InlineKeyboardMarkup:
    """Audio toggle, then Confirm / Cancel; the tokens carry the audio choice."""
    audio_label = text(language, "btn_audio_on" if audio else "btn_audio_off")
    return InlineKeyboardMarkup(
        [
            [_button(state, audio_label, Button(user_id, AUDIO, key, audio=not audio))],
            [
                _button(
                    state,
                    text(language, "btn_confirm"),
                    Button(user_id, CONFIRM, key, audio=audio),
                ),
                _button(
                    state, text(language, "btn_cancel"), Button(user_id, CANCEL, key)
                ),
            ],
        ]
    )
