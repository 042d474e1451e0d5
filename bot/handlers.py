"""Chat commands. Anyone may ask how to link; everything else needs a linked user.

A group only gets requests when Home Assistant linked it on purpose, with a group
code (`/link CODE` sent in the group); a personal code never links a group, since
requests there are read by everyone in it. In a group the bot takes only `/link`,
`/start` and `/help`; everything else happens in private chats.

`/pause`, `/resume`, `/report` and `/history` ask Home Assistant for the Telegram
user who sent them, so a linked resident who may not pause or read the report
gets Home Assistant's refusal, whatever the bot's own account may do. `/pending`
lists only the requests Home Assistant lets that user see.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from telegram import BotCommand
from telegram.constants import ChatType

from bot.ha_errors import HAClientError, HAError
from bot.labels import incident_label
from bot.messages import local_time
from bot.relay import DOMAIN, audience
from bot.services import services
from bot.state import OPEN
from bot.texts import LANGUAGES, text

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from telegram import Bot, Chat, Update
    from telegram.ext import CallbackContext

    from bot.relay import Relay

    type Context = CallbackContext[Any, Any, Any, Any]
    type Command = Callable[[Relay, int, list[str], str], Awaitable[str]]

PAIRING_COMPLETE = f"{DOMAIN}/pairing/complete"
PAUSE = f"{DOMAIN}/pause"
REPORT = f"{DOMAIN}/report"
HISTORY = f"{DOMAIN}/history"
COMMANDS = ("pending", "history", "report", "pause", "resume", "language", "help")
PUBLIC = frozenset({"start", "help", "link", "language"})
# Home Assistant's pairing refusals -> what the resident is told.
LINK_ERRORS = {
    "group_code_in_private_chat": "link_group_code_in_private",
    "personal_code_in_group": "link_personal_code_in_group",
    "already_linked": "link_already_linked",
    "too_many_attempts": "link_throttled",
}


async def register_commands(bot: Bot) -> None:
    """The command menu, in each language Telegram clients may ask for."""
    for language in LANGUAGES:
        commands = [
            BotCommand(name, text(language, f"cmd_{name}")) for name in COMMANDS
        ]
        commands.append(BotCommand("link", text(language, "cmd_link")))
        await bot.set_my_commands(
            commands, language_code=None if language == "en" else language
        )


async def _start(relay: Relay, user_id: int, args: list[str], language: str) -> str:
    if (name := relay.state.linked.get(user_id)) is not None:
        return text(language, "start_linked", name=escape(name))
    return text(language, "start")


async def _help(relay: Relay, user_id: int, args: list[str], language: str) -> str:
    return text(language, "help")


async def _link(relay: Relay, user_id: int, args: list[str], language: str) -> str:
    code = args[0] if args else ""
    if not (len(code) == 6 and code.isdigit()):
        return text(language, "link_usage")
    name = relay.names.get(user_id, str(user_id))
    try:
        recipient = await relay.client.call(
            PAIRING_COMPLETE, code=code, telegram_user_id=str(user_id), name=name
        )
    except HAError as err:
        return text(language, LINK_ERRORS.get(err.code, "link_failed"))
    relay.state.linked[user_id] = str(recipient.get("name", name))
    relay.state.save()
    # Requests pending come from Home Assistant, which now counts this chat in.
    return text(language, "link_ok", name=escape(relay.state.linked[user_id]))


async def _in_group(
    relay: Relay, chat: Chat, name: str, args: list[str], language: str
) -> str:
    """A command in a group: link it with a group code, say how, or refuse."""
    chat_id, title = chat.id, (chat.title or str(chat.id))[:128]
    if name in ("start", "help"):
        if (linked := relay.state.groups.get(chat_id)) is not None:
            return text(language, "group_linked", name=escape(linked))
        return text(language, "group_start")
    if name != "link":
        return text(language, "group_refused")
    code = args[0] if args else ""
    if not (len(code) == 6 and code.isdigit()):
        return text(language, "link_usage")
    try:
        group = await relay.client.call(
            PAIRING_COMPLETE,
            code=code,
            telegram_user_id=str(chat_id),
            name=title,
            group=True,
        )
    except HAError as err:
        return text(language, LINK_ERRORS.get(err.code, "link_failed"))
    relay.state.groups[chat_id] = str(group.get("name", title))
    relay.state.save()
    return text(language, "group_link_ok", name=escape(relay.state.groups[chat_id]))


async def _language(relay: Relay, user_id: int, args: list[str], language: str) -> str:
    choice = args[0].lower() if args else ""
    if choice not in LANGUAGES:
        return text(language, "language_usage", current=language)
    relay.state.languages[user_id] = choice
    relay.state.save()
    return text(choice, "language_set")


async def _pending(relay: Relay, user_id: int, args: list[str], language: str) -> str:
    lines = [
        f"• {escape(str(t.payload.get('publisher_name')))} - "
        f"{escape(incident_label(language, t.payload.get('incident_type')))} - "
        f"{escape(str(t.payload.get('case_number') or '—'))} - "
        f"{text(language, 'expires')} "
        f"{local_time(t.payload.get('expires_at'), relay.zone)}"
        for t in relay.state.requests.values()
        if t.status == OPEN and user_id in audience(t.payload, "view")
    ]
    if not lines:
        return text(language, "pending_none")
    return "\n".join([text(language, "pending_head"), *lines])


async def _history(relay: Relay, user_id: int, args: list[str], language: str) -> str:
    answer = await relay.client.call(
        HISTORY, telegram_user_id=str(user_id), language=language
    )
    decisions = answer.get("decisions") or []
    if not decisions:
        return text(language, "history_none")
    lines = [text(language, "history_head")]
    for item in decisions:
        lines.append(
            f"• {local_time(item.get('decided_at'), relay.zone)} - "
            f"{escape(str(item.get('state')))} - "
            f"{escape(str(item.get('publisher_name')))} "
            f"{escape(str(item.get('case_number') or ''))} - "
            f"{escape(str(item.get('decided_by') or text(language, 'someone_in_ha')))}"
        )
    return "\n".join(lines)


async def _report(relay: Relay, user_id: int, args: list[str], language: str) -> str:
    answer = await relay.client.call(
        REPORT, telegram_user_id=str(user_id), language=language
    )
    lines = [f"<b>{text(language, 'report_head')}</b>"]
    for entry in answer.get("entries") or []:
        for publisher, counts in (entry.get("publishers") or {}).items():
            lines.append(
                text(
                    language,
                    "report_line",
                    publisher=escape(str(publisher)),
                    **{
                        k: int(counts.get(k, 0))
                        for k in (
                            "received",
                            "shared",
                            "declined",
                            "expired",
                            "rejected",
                        )
                    },
                )
            )
    if len(lines) == 1:
        return text(language, "report_none")
    return "\n".join(lines)


async def _set_paused(relay: Relay, user_id: int, paused: bool, language: str) -> bool:
    """Pause or resume every feed this user may; False when there is none."""
    answer = await relay.client.call(
        PAUSE, paused=paused, telegram_user_id=str(user_id), language=language
    )
    return bool(answer.get("entries"))


async def _pause(relay: Relay, user_id: int, args: list[str], language: str) -> str:
    done = await _set_paused(relay, user_id, True, language)
    return text(language, "paused" if done else "no_switch")


async def _resume(relay: Relay, user_id: int, args: list[str], language: str) -> str:
    done = await _set_paused(relay, user_id, False, language)
    return text(language, "resumed" if done else "no_switch")


async def _refused(relay: Relay, err: HAError, language: str) -> str:
    """Home Assistant's refusal as text; unlinked meanwhile, the bot forgets it."""
    if err.code == "unauthorized":
        try:
            await relay.refresh_recipients()
        except HAClientError:
            return text(language, "ha_down")
        return text(language, "not_linked")
    return text(language, "ha_error", error=escape(err.message or err.code))


HANDLERS: dict[str, Command] = {
    "start": _start,
    "help": _help,
    "link": _link,
    "language": _language,
    "pending": _pending,
    "history": _history,
    "report": _report,
    "pause": _pause,
    "resume": _resume,
}


async def on_text(update: Update, context: Context) -> None:
    """Plain text in a private chat: how to link, or what the bot can do."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:  # pragma: no cover - filtered by the handler
        return
    relay = services(context).relay
    language = relay.language(user.id)
    key = "help" if user.id in relay.state.linked else "not_linked"
    await relay.sender.send(chat.id, text(language, key))


async def on_command(update: Update, context: Context) -> None:
    """Every command: refuse groups and unlinked users, then answer."""
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None or not message.text:
        return  # pragma: no cover - CommandHandler only passes text commands
    relay = services(context).relay
    language = relay.language(user.id)
    name = message.text.split(maxsplit=1)[0].lstrip("/").split("@")[0].lower()
    args = list(context.args or [])
    if chat.type != ChatType.PRIVATE:
        try:
            answer = await _in_group(relay, chat, name, args, language)
        except HAClientError:
            answer = text(language, "ha_down")
        await relay.sender.send(chat.id, answer)
        return
    if name not in PUBLIC and user.id not in relay.state.linked:
        await relay.sender.send(chat.id, text(language, "not_linked"))
        return
    relay.names[user.id] = user.full_name[:128]
    try:
        answer = await HANDLERS[name](relay, user.id, args, language)
    except HAError as err:
        answer = await _refused(relay, err, language)
    except HAClientError:
        answer = text(language, "ha_down")
    await relay.sender.send(chat.id, answer)
