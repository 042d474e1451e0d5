"""Button taps: resolve the opaque token, check the tapping user, then act.

Every query is answered (Telegram's client spins until it is). A token the state
does not know (forged, or voided when the request ended), a token shown to someone
else, or a tap by a user no longer linked is answered with an alert and nothing
else happens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.keyboards import (
    AUDIO,
    CANCEL,
    CONFIRM,
    DECLINE,
    PREVIEW,
    SHARE,
    confirm_keyboard,
)
from bot.messages import render_confirm
from bot.relay import CONFIRM_ACTIONS
from bot.services import Services, services
from bot.state import OPEN, Button, Prompt
from bot.texts import text

if TYPE_CHECKING:
    from telegram import CallbackQuery, Update
    from telegram.ext import CallbackContext


async def on_callback(
    update: Update, context: CallbackContext[Any, Any, Any, Any]
) -> None:
    """Entry point for every inline-button tap."""
    query = update.callback_query
    if query is None:  # pragma: no cover - the handler only gets callback queries
        return
    found = services(context)
    state = found.relay.state
    user_id = query.from_user.id
    language = found.relay.language(user_id)
    button = state.buttons.get(query.data or "")
    tracked = state.requests.get(button.key) if button is not None else None
    if button is None or tracked is None:
        await query.answer(text(language, "stale_button"), show_alert=True)
        return
    if button.user_id != user_id:
        await query.answer(text(language, "not_your_button"), show_alert=True)
        return
    if user_id not in state.linked:
        await query.answer(text(language, "not_linked"), show_alert=True)
        return
    if tracked.status != OPEN:
        answer = found.decisions.closed_answer(tracked, language)
        await query.answer(answer, show_alert=True)
        return
    await _act(found, query, button, language)


async def _act(
    found: Services, query: CallbackQuery, button: Button, language: str
) -> None:
    decisions = found.decisions
    if button.action == DECLINE:
        answer = await decisions.decide(button.user_id, button.key, "decline", False)
        await query.answer(answer[:200])
    elif button.action == CONFIRM:
        answer = await decisions.decide(
            button.user_id, button.key, "share", button.audio
        )
        await query.answer(answer[:200], show_alert=True)
    elif button.action in (SHARE, AUDIO):
        await query.answer()
        await _show_confirmation(found, button, language)
    elif button.action == CANCEL:
        await query.answer()
        await _cancel_confirmation(found, button, language)
    elif button.action == PREVIEW:
        await query.answer(text(language, "working"))
        for note in await decisions.preview(button.user_id, button.key):
            await found.relay.sender.send(button.user_id, note)


async def _show_confirmation(found: Services, button: Button, language: str) -> None:
    """Show (or redraw, after the audio toggle) the scope to confirm."""
    relay = found.relay
    state = relay.state
    async with relay.lock(button.key):
        tracked = state.requests[button.key]
        prompt = tracked.prompts.get(button.user_id)
        if tracked.status != OPEN or prompt is None:
            return
        audio = button.audio if button.action == AUDIO else False
        state.drop_buttons(button.key, button.user_id, CONFIRM_ACTIONS)
        html = render_confirm(tracked, language, relay.zone, audio)
        markup = confirm_keyboard(state, button.key, button.user_id, language, audio)
        if prompt.confirm_id is not None:
            await relay.sender.edit(button.user_id, prompt.confirm_id, html, markup)
        else:
            message = await relay.sender.send(button.user_id, html, markup)
            if message is not None:
                tracked.prompts[button.user_id] = Prompt(
                    prompt.chat_id, prompt.message_id, message.message_id
                )
        state.save()


async def _cancel_confirmation(found: Services, button: Button, language: str) -> None:
    relay = found.relay
    state = relay.state
    async with relay.lock(button.key):
        tracked = state.requests[button.key]
        prompt = tracked.prompts.get(button.user_id)
        state.drop_buttons(button.key, button.user_id, CONFIRM_ACTIONS)
        if prompt is not None and prompt.confirm_id is not None:
            await relay.sender.edit(
                button.user_id, prompt.confirm_id, text(language, "confirm_cancelled")
            )
            tracked.prompts[button.user_id] = Prompt(prompt.chat_id, prompt.message_id)
        state.save()
