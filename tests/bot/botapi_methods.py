"""The Bot API methods the stand-in implements, with Telegram's checks and errors."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from typing import TYPE_CHECKING, Any

from tests.bot.botapi_spec import SPEC
from tests.bot.botapi_state import ApiError
from tests.bot.telegram_html import EntityParseError, render_html

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from tests.bot.botapi_standin import Upload
    from tests.bot.botapi_state import StandInState

    type Handler = Callable[
        [StandInState, str, dict[str, Any], dict[str, Upload]], Awaitable[Any]
    ]

__all__ = ["METHODS", "ApiError"]

# Telegram's limits, as its API description states them.
MAX_TEXT = SPEC.limit("sendMessage", "text").high
MAX_CAPTION = SPEC.limit("sendVideo", "caption").high
MAX_CALLBACK_DATA_BYTES = SPEC.type_limit("InlineKeyboardButton", "callback_data").high
MAX_CALLBACK_ANSWER = SPEC.limit("answerCallbackQuery", "text").high
MAX_COMMAND = SPEC.type_limit("BotCommand", "command").high
MAX_COMMAND_DESCRIPTION = SPEC.type_limit("BotCommand", "description").high
_COMMAND = re.compile(rf"^[a-z0-9_]{{1,{MAX_COMMAND}}}$")
_BUTTON_ACTIONS = frozenset(
    {
        "callback_data",
        "url",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "copy_text",
        "web_app",
        "pay",
    }
)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and "
    "reply markup are exactly the same as a current content and reply markup of "
    "the message"
)


def _int(params: dict[str, Any], name: str, default: int | None = None) -> int:
    value = params.get(name, default)
    if value is None:
        raise ApiError(400, f"Bad Request: {name} is empty")
    try:
        return int(value)
    except TypeError, ValueError:
        raise ApiError(400, f"Bad Request: invalid {name} specified") from None


def _float(params: dict[str, Any], name: str) -> float:
    try:
        return float(params[name])
    except KeyError:
        raise ApiError(400, f"Bad Request: {name} is empty") from None
    except TypeError, ValueError:
        raise ApiError(400, f"Bad Request: invalid {name} specified") from None


def _bool(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _render(
    state: StandInState, text: Any, parse_mode: Any, *, limit: int, what: str
) -> str:
    """Return the shown text after the parse mode, or Telegram's error."""
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, f"Bad Request: {what} is empty")
    if parse_mode in (None, ""):
        plain = text
    elif str(parse_mode).upper() == "HTML":
        try:
            plain = render_html(text)
        except EntityParseError as err:
            raise ApiError(400, f"Bad Request: can't parse entities: {err}") from None
    else:
        raise ApiError(400, "Bad Request: the stand-in speaks only parse_mode HTML")
    if len(plain) > limit:
        state.violations.append(f"{what}: {len(plain)} characters, over {limit}")
        raise ApiError(400, f"Bad Request: {what} is too long")
    return plain


def _inline_keyboard(markup: Any) -> dict[str, Any] | None:
    """Check reply_markup; return it if it is an inline keyboard (kept on messages)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(
            400, "Bad Request: can't parse reply keyboard markup JSON object"
        )
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ApiError(400, "Bad Request: can't parse inline keyboard button")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed")
            actions = _BUTTON_ACTIONS.intersection(button)
            if len(actions) != 1:
                raise ApiError(400, "Bad Request: can't parse inline keyboard button")
            data = button.get("callback_data")
            if "callback_data" in actions and not (
                isinstance(data, str)
                and 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES
            ):
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return {"inline_keyboard": rows}


def _bot_message(state: StandInState, token: str, params: dict[str, Any]) -> Any:
    """The bot's own message that an edit addresses."""
    if "inline_message_id" in params:
        raise ApiError(400, "Bad Request: the stand-in has no inline messages")
    chat = state.chat(params.get("chat_id"))
    message = state.messages.get((chat.id, _int(params, "message_id")))
    if message is None:
        raise ApiError(400, "Bad Request: message to edit not found")
    if not message["from"].get("is_bot"):
        raise ApiError(400, "Bad Request: message can't be edited")
    return message


def _replace_markup(
    message: dict[str, Any], markup: dict[str, Any] | None, changes: dict[str, Any]
) -> dict[str, Any]:
    """Apply an edit or answer Telegram's "message is not modified"."""
    current = {key: message.get(key) for key in changes}
    if current == changes and message.get("reply_markup") == markup:
        raise ApiError(400, NOT_MODIFIED)
    message.update(changes)
    message.pop("reply_markup", None)
    if markup is not None:
        message["reply_markup"] = markup
    message["edit_date"] = int(time.time())
    return message


async def get_me(state: StandInState, token: str, *_: Any) -> Any:
    return state.bot_user(token)


async def get_updates(
    state: StandInState, token: str, params: dict[str, Any], *_: Any
) -> Any:
    offset = _int(params, "offset", 0)
    limit = max(1, min(100, _int(params, "limit", 100)))
    timeout = max(0, _int(params, "timeout", 0))
    async with state.updates_changed:
        # An offset confirms every earlier update, as on Telegram.
        state.updates[:] = [u for u in state.updates if u["update_id"] >= offset]

        def ready() -> bool:
            return state.closing or bool(state.updates)

        if timeout and not ready():
            state.pollers += 1
            state.updates_changed.notify_all()
            try:
                async with asyncio.timeout(timeout):
                    await state.updates_changed.wait_for(ready)
            except TimeoutError:
                pass
            finally:
                state.pollers -= 1
        return state.updates[:limit]


async def send_message(
    state: StandInState, token: str, params: dict[str, Any], *_: Any
) -> Any:
    chat = state.chat(params.get("chat_id"))
    text = _render(
        state,
        params.get("text"),
        params.get("parse_mode"),
        limit=MAX_TEXT,
        what="message text",
    )
    content: dict[str, Any] = {"text": text}
    if markup := _inline_keyboard(params.get("reply_markup")):
        content["reply_markup"] = markup
    return state.new_message(token, chat, content)


async def edit_message_text(
    state: StandInState, token: str, params: dict[str, Any], *_: Any
) -> Any:
    message = _bot_message(state, token, params)
    text = _render(
        state,
        params.get("text"),
        params.get("parse_mode"),
        limit=MAX_TEXT,
        what="text",
    )
    markup = _inline_keyboard(params.get("reply_markup"))
    return _replace_markup(message, markup, {"text": text})


async def edit_message_reply_markup(
    state: StandInState, token: str, params: dict[str, Any], *_: Any
) -> Any:
    message = _bot_message(state, token, params)
    markup = _inline_keyboard(params.get("reply_markup"))
    return _replace_markup(message, markup, {})


async def answer_callback_query(
    state: StandInState, token: str, params: dict[str, Any], *_: Any
) -> Any:
    query_id = str(params.get("callback_query_id", ""))
    if query_id not in state.open_callbacks:
        raise ApiError(
            400,
            "Bad Request: query is too old and response timeout expired or "
            "query ID is invalid",
        )
    text = params.get("text") or ""
    if len(str(text)) > MAX_CALLBACK_ANSWER:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    state.open_callbacks.discard(query_id)
    state.answered_callbacks[query_id] = {
        "text": text,
        "show_alert": _bool(params.get("show_alert")),
    }
    return True


async def send_video(
    state: StandInState,
    token: str,
    params: dict[str, Any],
    uploads: dict[str, Upload],
) -> Any:
    chat = state.chat(params.get("chat_id"))
    video = params.get("video")
    if isinstance(video, str) and video.startswith("attach://"):
        upload = uploads.get(video.removeprefix("attach://"))
    else:
        upload = uploads.get("video")
    if upload is not None:
        video_json: dict[str, Any] = {
            "file_id": f"video-{upload.sha256[:16]}",
            "file_unique_id": hashlib.sha256(upload.sha256.encode()).hexdigest()[:16],
            "width": _int(params, "width", 0),
            "height": _int(params, "height", 0),
            "duration": _int(params, "duration", 0),
            "mime_type": upload.content_type,
            "file_size": upload.size,
        }
        if upload.filename:
            video_json["file_name"] = upload.filename
        state.files[video_json["file_id"]] = video_json
    elif isinstance(video, str) and video in state.files:
        video_json = dict(state.files[video])  # re-sent by file_id, no upload
    elif isinstance(video, str) and video:
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
    else:
        raise ApiError(400, "Bad Request: there is no video in the request")
    content: dict[str, Any] = {"video": video_json}
    if params.get("caption"):
        content["caption"] = _render(
            state,
            params["caption"],
            params.get("parse_mode"),
            limit=MAX_CAPTION,
            what="message caption",
        )
    if markup := _inline_keyboard(params.get("reply_markup")):
        content["reply_markup"] = markup
    return state.new_message(token, chat, content)


async def send_location(
    state: StandInState, token: str, params: dict[str, Any], *_: Any
) -> Any:
    chat = state.chat(params.get("chat_id"))
    latitude, longitude = _float(params, "latitude"), _float(params, "longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ApiError(400, "Bad Request: wrong location specified")
    content: dict[str, Any] = {
        "location": {"latitude": latitude, "longitude": longitude}
    }
    if "horizontal_accuracy" in params:
        content["location"]["horizontal_accuracy"] = _float(
            params, "horizontal_accuracy"
        )
    return state.new_message(token, chat, content)


def _reply_to(state: StandInState, chat_id: int, params: dict[str, Any]) -> Any:
    """The message a send replies to, as Telegram nests it (None if there is none)."""
    reply = params.get("reply_parameters")
    if reply is None:
        return None
    if not isinstance(reply, dict) or "message_id" not in reply:
        raise ApiError(400, "Bad Request: can't parse reply parameters JSON object")
    message = state.messages.get((chat_id, _int(reply, "message_id")))
    if message is None and not _bool(reply.get("allow_sending_without_reply")):
        raise ApiError(400, "Bad Request: message to be replied not found")
    return message


async def send_venue(
    state: StandInState, token: str, params: dict[str, Any], *_: Any
) -> Any:
    """A venue: a location with a title and an address (plain text, both required)."""
    chat = state.chat(params.get("chat_id"))
    latitude, longitude = _float(params, "latitude"), _float(params, "longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ApiError(400, "Bad Request: wrong location specified")
    title, address = params.get("title"), params.get("address")
    if not isinstance(title, str) or not title.strip():
        raise ApiError(400, "Bad Request: venue title is empty")
    if not isinstance(address, str) or not address.strip():
        raise ApiError(400, "Bad Request: venue address is empty")
    location = {"latitude": latitude, "longitude": longitude}
    content: dict[str, Any] = {
        "location": location,
        "venue": {"location": location, "title": title, "address": address},
    }
    if (replied := _reply_to(state, chat.id, params)) is not None:
        content["reply_to_message"] = {
            k: v for k, v in replied.items() if k != "reply_to_message"
        }
    return state.new_message(token, chat, content)


async def set_my_commands(
    state: StandInState, token: str, params: dict[str, Any], *_: Any
) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise ApiError(400, "Bad Request: can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.match(
            str(command.get("command", ""))
        ):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= MAX_COMMAND_DESCRIPTION:
            raise ApiError(400, "Bad Request: command description is empty")
    scope = params.get("scope") or {"type": "default"}
    key = f"{scope.get('type', 'default')}:{params.get('language_code') or ''}"
    state.commands[key] = commands
    return True


async def delete_webhook(state: StandInState, token: str, *_: Any) -> Any:
    return True


METHODS: dict[str, Handler] = {
    "getme": get_me,
    "getupdates": get_updates,
    "sendmessage": send_message,
    "editmessagetext": edit_message_text,
    "editmessagereplymarkup": edit_message_reply_markup,
    "answercallbackquery": answer_callback_query,
    "sendvideo": send_video,
    "sendlocation": send_location,
    "sendvenue": send_venue,
    "setmycommands": set_my_commands,
    "deletewebhook": delete_webhook,
}
