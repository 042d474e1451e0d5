"""Button taps: resolve the opaque token, check the tapping user, then act.

Every query is answered (Telegram's client spins until it is). A token the state
does not know (forged, or voided when the request ended), a token shown to someone
else, or a tap by a user no longer linked is answered with an alert and nothing
else happens. In a group Home Assistant linked, any member may tap, but only one
who is a linked resident is acted for (as themselves); the others get the alert.
A tap on Preview, Share or Decline by someone Home Assistant does not let
preview or decide (its `audience`; an old keyboard may still show the button)
is answered with that refusal, and Home Assistant checks again anyway.
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
from bot.relay import CONFIRM_ACTIONS, may
from bot.services import Services, services
from bot.state import OPEN, Button, Prompt
from bot.texts import text

if TYPE_CHECKING:
    from telegram import CallbackQuery, Update
    from telegram.ext import CallbackContext

# What Home Assistant must allow the tapping user (its `audience`) per button.
NEEDS = {
    PREVIEW: "preview",
    SHARE: "decide",
    AUDIO: "decide",
    CONFIRM: "decide",
    DECLINE: "decide",
}


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
    in_group = button.user_id in state.groups
    if button.user_id != user_id and not in_group:
        await query.answer(text(language, "not_your_button"), show_alert=True)
        return
    if user_id not in state.linked:
        refusal = "group_member_not_linked" if in_group else "not_linked"
        await query.answer(text(language, refusal), show_alert=True)
        return
    if tracked.status != OPEN:
        answer = found.decisions.closed_answer(tracked, language)
        await query.answer(answer, show_alert=True)
        return
    right = NEEDS.get(button.action)
    if right is not None and not may(tracked.payload, right, user_id):
        await query.answer(text(language, f"not_allowed_{right}"), show_alert=True)
        return
    await _act(found, query, button, user_id, language)


async def _act(
    found: Services,
    query: CallbackQuery,
    button: Button,
    user_id: int,
    language: str,
) -> None:
    """Act as the pressing user; in a group, that is the linked member who tapped."""
    decisions = found.decisions
    if button.action == DECLINE:
        answer = await decisions.decide(user_id, button.key, "decline", False)
        await query.answer(answer[:200])
    elif button.action == CONFIRM:
        answer = await decisions.decide(user_id, button.key, "share", button.audio)
        await query.answer(answer[:200], show_alert=True)
    elif button.action in (SHARE, AUDIO):
        await query.answer()
        await _show_confirmation(found, button)
    elif button.action == CANCEL:
        await query.answer()
        await _cancel_confirmation(found, button)
    elif button.action == PREVIEW:
        # Footage goes only to the resident who asked, never into a group.
        private = button.user_id == user_id
        await query.answer(text(language, "working" if private else "preview_private"))
        for note in await decisions.preview(user_id, button.key):
            await found.relay.sender.send(user_id, note)


async def _show_confirmation(found: Services, button: Button) -> None:
    """Show (or redraw, after the audio toggle) the scope to confirm.

    It appears in the chat the button was in; in a group any linked member may
    confirm, and the decision is then that member's.
    """
    relay = found.relay
    state = relay.state
    language = relay.language(button.user_id)
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


async def _cancel_confirmation(found: Services, button: Button) -> None:
    relay = found.relay
    state = relay.state
    language = relay.language(button.user_id)
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
