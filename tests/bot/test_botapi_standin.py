"""The Bot API stand-in, driven by the real python-telegram-bot `Bot`."""

from __future__ import annotations

import asyncio
import io
import json
from typing import TYPE_CHECKING

import aiohttp
import pytest
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import ExtBot

from tests.bot.botapi_standin import BotApiStandIn, RateLimits
from tests.bot.conftest import TELEGRAM_TOKEN

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

pytestmark = pytest.mark.timeout(60)

ALICE = 1001
KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Share", callback_data="s:abc")]]
)


@pytest.fixture
async def bot(botapi: BotApiStandIn) -> AsyncIterator[ExtBot[None]]:
    botapi.add_user(ALICE, "Alice", "alice")
    async with ExtBot(TELEGRAM_TOKEN, base_url=botapi.base_url) as ext_bot:
        yield ext_bot


async def test_get_me_and_unknown_token(botapi: BotApiStandIn) -> None:
    async with ExtBot(TELEGRAM_TOKEN, base_url=botapi.base_url) as bot:
        assert bot.bot.username == "neighborhood_test_bot"
        assert bot.bot.id == 123456789
        assert bot.bot.is_bot
    wrong = "987654321:AAEhBOweik6ad9r_QxMwUfZ3mYv5lSsT7qX"
    with pytest.raises(InvalidToken):
        async with ExtBot(wrong, base_url=botapi.base_url):
            pass
    assert botapi.calls_to("getMe")[-1].status == 401


async def test_send_and_edit_with_not_modified(
    bot: ExtBot[None], botapi: BotApiStandIn
) -> None:
    sent = await bot.send_message(
        ALICE,
        "<b>Burglary</b> &amp; more",
        parse_mode=ParseMode.HTML,
        reply_markup=KEYBOARD,
    )
    assert sent.text == "Burglary & more"
    assert sent.chat.id == ALICE
    assert sent.reply_markup == KEYBOARD
    call = botapi.calls_to("sendMessage")[0]
    assert call.params["text"] == "<b>Burglary</b> &amp; more"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == (
        "s:abc"
    )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "<b>Burglary</b> &amp; more",
            chat_id=ALICE,
            message_id=sent.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=KEYBOARD,
        )
    # An edit without reply_markup removes the keyboard, as on Telegram.
    edited = await bot.edit_message_text(
        "Shared", chat_id=ALICE, message_id=sent.message_id
    )
    assert isinstance(edited, object)
    assert "reply_markup" not in botapi.message(ALICE, sent.message_id)
    assert botapi.message(ALICE, sent.message_id)["text"] == "Shared"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(chat_id=ALICE, message_id=sent.message_id)
    await bot.edit_message_reply_markup(
        chat_id=ALICE, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    assert botapi.message(ALICE, sent.message_id)["reply_markup"] == KEYBOARD.to_dict()
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=999)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a < b", "can't parse entities: Unsupported start tag"),
        ("a > b", "can't parse entities: Unexpected end of name token"),
        ("Smith & Sons", 'can\'t parse entities: Character "&" is reserved'),
        ("<b>open", "can't parse entities: Can't find end tag"),
        ("<b>x</i>", "can't parse entities: Unexpected end tag"),
        ("<script>x</script>", 'Unsupported start tag "script"'),
        ("   ", "message text is empty"),
        ("x" * 4097, "message text is too long"),
    ],
)
async def test_html_is_checked_like_telegram(
    bot: ExtBot[None], botapi: BotApiStandIn, text: str, error: str
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)" + error):
        await bot.send_message(ALICE, text, parse_mode=ParseMode.HTML)
    # Text over the limit breaks Telegram's API description; bad HTML does not.
    over = ["message text: 4097 characters, over 4096"] if len(text) > 4096 else []
    assert botapi.take_violations() == over


async def test_plain_text_and_other_parse_modes(bot: ExtBot[None]) -> None:
    sent = await bot.send_message(ALICE, "a < b & c")
    assert sent.text == "a < b & c"
    with pytest.raises(BadRequest, match=r"(?i)only parse_mode HTML"):
        await bot.send_message(ALICE, "*x*", parse_mode=ParseMode.MARKDOWN_V2)


async def test_chat_errors(bot: ExtBot[None], botapi: BotApiStandIn) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(4242, "hello")
    botapi.block_bot(ALICE)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(ALICE, "hello")


async def test_callback_data_over_64_bytes_is_rejected(
    bot: ExtBot[None], botapi: BotApiStandIn
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE, "hello", reply_markup=markup)
    assert botapi.take_violations() == [
        "sendMessage.reply_markup.inline_keyboard[0][0].callback_data: 65 bytes, "
        "Telegram allows 1-64"
    ]


async def test_updates_callbacks_and_answers(
    bot: ExtBot[None], botapi: BotApiStandIn
) -> None:
    sent = await bot.send_message(ALICE, "request", reply_markup=KEYBOARD)
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await botapi.wait_for_poller()
    first_id = await botapi.push_message(ALICE, "/link 123456")
    updates = await poll
    assert [u.update_id for u in updates] == [first_id]
    assert updates[0].message is not None
    assert updates[0].message.text == "/link 123456"
    assert updates[0].message.from_user is not None
    assert updates[0].message.from_user.id == ALICE
    assert updates[0].message.entities[0].type == "bot_command"

    query_id = await botapi.push_callback(ALICE, ALICE, sent.message_id, "s:abc")
    updates = await bot.get_updates(offset=first_id + 1, timeout=10)
    query = updates[0].callback_query
    assert query is not None
    assert (query.id, query.data) == (query_id, "s:abc")
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query_id, "Already decided", show_alert=True)
    assert botapi.state.answered_callbacks[query_id] == {
        "text": "Already decided",
        "show_alert": True,
    }
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    # Confirmed updates are gone; an empty poll returns at once with timeout 0.
    assert await bot.get_updates(offset=updates[0].update_id + 1) == ()


async def test_callback_answer_text_limit(
    bot: ExtBot[None], botapi: BotApiStandIn
) -> None:
    sent = await bot.send_message(ALICE, "request", reply_markup=KEYBOARD)
    query_id = await botapi.push_callback(ALICE, ALICE, sent.message_id, "s:abc")
    with pytest.raises(BadRequest, match=r"(?i)MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(query_id, "x" * 201)
    assert botapi.take_violations() == [
        "answerCallbackQuery.text: 201 characters, Telegram allows 0-200"
    ]


async def test_close_ends_a_waiting_long_poll(socket_enabled: None) -> None:
    standin = BotApiStandIn(tokens={TELEGRAM_TOKEN: "bot"})
    await standin.start()
    async with ExtBot(TELEGRAM_TOKEN, base_url=standin.base_url) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await standin.wait_for_poller()
        await standin.close()
        assert await poll == ()


async def test_send_video_location_commands_and_webhook(
    bot: ExtBot[None], botapi: BotApiStandIn
) -> None:
    clip = b"\x00\x00\x00\x18ftypmp42" + bytes(1000)
    message = await bot.send_video(
        ALICE,
        InputFile(io.BytesIO(clip), filename="clip.mp4"),
        caption="Preview <i>10 s</i>",
        parse_mode=ParseMode.HTML,
        width=640,
        height=360,
        duration=10,
    )
    assert message.video is not None
    assert message.video.file_size == len(clip)
    assert (message.video.width, message.video.height) == (640, 360)
    assert message.caption == "Preview 10 s"
    upload = botapi.calls_to("sendVideo")[0].uploads["video"]
    assert upload.size == len(clip)
    assert upload.filename == "clip.mp4"
    again = await bot.send_video(ALICE, message.video.file_id)
    assert again.video == message.video
    assert botapi.calls_to("sendVideo")[1].uploads == {}
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_video(ALICE, "no-such-file-id")
    with pytest.raises(BadRequest, match=r"(?i)there is no video"):
        await bot.do_api_request("sendVideo", api_kwargs={"chat_id": ALICE})
    assert botapi.take_violations() == ["sendVideo: required parameter 'video' missing"]

    location = await bot.send_location(ALICE, latitude=41.6, longitude=-73.0)
    assert location.location is not None
    assert (location.location.latitude, location.location.longitude) == (41.6, -73.0)
    with pytest.raises(BadRequest, match=r"(?i)wrong location"):
        await bot.send_location(ALICE, latitude=91.0, longitude=0.0)

    reply = ReplyParameters(location.message_id)
    venue = await bot.send_venue(
        ALICE, 41.6, -73.0, "Elm St", "Request area", reply_parameters=reply
    )
    assert venue.venue is not None
    assert (venue.venue.title, venue.venue.address) == ("Elm St", "Request area")
    assert venue.venue.location.latitude == 41.6
    assert venue.reply_to_message is not None
    assert venue.reply_to_message.message_id == location.message_id
    gone = ReplyParameters(9999, allow_sending_without_reply=True)
    alone = await bot.send_venue(ALICE, 1.0, 1.0, "t", "a", reply_parameters=gone)
    assert alone.reply_to_message is None
    with pytest.raises(BadRequest, match=r"(?i)replied not found"):
        await bot.send_venue(
            ALICE, 1.0, 1.0, "t", "a", reply_parameters=ReplyParameters(9999)
        )
    for title, address, match in (("", "a", "title"), ("t", " ", "address")):
        with pytest.raises(BadRequest, match=rf"(?i)venue {match} is empty"):
            await bot.do_api_request(
                "sendVenue",
                api_kwargs={
                    "chat_id": ALICE,
                    "latitude": 0,
                    "longitude": 0,
                    "title": title,
                    "address": address,
                },
            )
    with pytest.raises(BadRequest, match=r"(?i)wrong location"):
        await bot.send_venue(ALICE, 1.0, 181.0, "t", "a")
    with pytest.raises(BadRequest, match=r"(?i)ReplyParameters needs 'message_id'"):
        await bot.do_api_request(
            "sendVenue",
            api_kwargs={
                "chat_id": ALICE,
                "latitude": 0,
                "longitude": 0,
                "title": "t",
                "address": "a",
                "reply_parameters": {"chat_id": ALICE},
            },
        )

    commands = [BotCommand("pending", "Open requests"), BotCommand("help", "Help")]
    assert await bot.set_my_commands(commands, language_code="de")
    assert botapi.state.commands["default:de"] == [c.to_dict() for c in commands]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Command", "x")])
    assert await bot.delete_webhook()
    assert botapi.take_violations() == [
        "sendVenue.reply_parameters: ReplyParameters needs 'message_id'"
    ]


async def test_uploads_over_the_limit_are_413(socket_enabled: None) -> None:
    standin = BotApiStandIn(tokens={TELEGRAM_TOKEN: "bot"}, upload_limit_bytes=1000)
    await standin.start()
    standin.add_user(ALICE, "Alice")
    try:
        async with ExtBot(TELEGRAM_TOKEN, base_url=standin.base_url) as bot:
            with pytest.raises(Exception, match=r"(?i)Request Entity Too Large"):
                await bot.send_video(ALICE, InputFile(io.BytesIO(bytes(1001))))
        assert standin.calls_to("sendVideo")[0].status == 413
    finally:
        await standin.close()


async def test_rate_limits_answer_429_with_retry_after(
    socket_enabled: None,
) -> None:
    now = [100.0]
    standin = BotApiStandIn(
        tokens={TELEGRAM_TOKEN: "bot"},
        rate_limits=RateLimits(overall_per_s=3, per_chat_per_s=1),
        clock=lambda: now[0],
    )
    await standin.start()
    for user_id in (1, 2, 3, 4):
        standin.add_user(user_id, f"User {user_id}")
    try:
        async with ExtBot(TELEGRAM_TOKEN, base_url=standin.base_url) as bot:
            await bot.send_message(1, "first")
            with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
                await bot.send_message(1, "second, same second")
            await bot.send_message(2, "other chat")
            await bot.send_message(3, "third chat")
            with pytest.raises(RetryAfter):
                await bot.send_message(4, "over the overall limit")
            now[0] += 1.0
            await bot.send_message(1, "a second later")
            await bot.send_message(4, "a second later")
            # Edits are not sends and are not limited.
            await bot.edit_message_text("edited", chat_id=1, message_id=1)
        failed = [c for c in standin.calls_to("sendMessage") if c.status == 429]
        assert len(failed) == 2
    finally:
        await standin.close()


async def test_injected_failures_and_unknown_methods(
    bot: ExtBot[None], botapi: BotApiStandIn
) -> None:
    botapi.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5
    )
    with pytest.raises(RetryAfter, match="Retry in 5 seconds"):
        await bot.send_message(ALICE, "x")
    await bot.send_message(ALICE, "the next one goes through")
    # A method outside the description (or outside the pinned extract) is 404,
    # and recorded as a call the bot must not make.
    with pytest.raises(Exception, match=r"(?i)Not Found"):
        await bot.do_api_request("sendDice", api_kwargs={"chat_id": ALICE})
    assert botapi.take_violations() == ["sendDice: no such method in Bot API 7.2"]


async def test_raw_http_shapes(socket_enabled: None, botapi: BotApiStandIn) -> None:
    """JSON bodies, GET queries and malformed tokens, as Telegram answers them."""
    botapi.add_user(ALICE, "Alice")
    async with aiohttp.ClientSession() as session:
        url = f"{botapi.base_url}{TELEGRAM_TOKEN}"
        async with session.post(
            f"{url}/sendMessage",
            json={"chat_id": ALICE, "text": "json body", "reply_markup": None},
        ) as response:
            body = await response.json()
        assert body["ok"] is True
        assert body["result"]["text"] == "json body"
        async with session.get(f"{url}/getMe") as response:
            assert (await response.json())["result"]["is_bot"] is True
        async with session.post(f"{botapi.base_url}nonsense/getMe") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with session.post(f"{url}/sendMessage", json=[1, 2]) as response:
            assert response.status == 400
        async with session.post(
            f"{url}/sendMessage",
            data={"chat_id": str(ALICE), "text": "x", "reply_markup": "{not json"},
        ) as response:
            assert (await response.json())["description"] == (
                "Bad Request: can't parse reply_markup JSON object"
            )
        async with session.post(
            f"{url}/editMessageText",
            json={"inline_message_id": "abc", "text": "x"},
        ) as response:
            assert response.status == 400
        for markup in ("[]", json.dumps({"inline_keyboard": "x"})):
            async with session.post(
                f"{url}/sendMessage",
                data={"chat_id": str(ALICE), "text": "x", "reply_markup": markup},
            ) as response:
                assert response.status == 400
    # "[]" is no keyboard, and {"inline_keyboard": "x"} has no rows: both break
    # the description of reply_markup.
    assert len(botapi.take_violations()) == 2


@pytest.mark.parametrize(
    ("method", "params", "violation"),
    [
        (
            "sendMessage",
            {"chat_id": ALICE, "text": "x", "disable_web_page_previews": True},
            "sendMessage: unknown parameter 'disable_web_page_previews'",
        ),
        (
            "sendVenue",
            {
                "chat_id": ALICE,
                "latitude": "north",
                "longitude": 1,
                "title": "t",
                "address": "a",
            },
            "sendVenue.latitude: expected Float, got 'north'",
        ),
        (
            "sendMessage",
            {"chat_id": ALICE, "text": "x", "protect_content": "yes"},
            "sendMessage.protect_content: expected Boolean, got 'yes'",
        ),
        (
            "editMessageText",
            {"chat_id": ALICE, "message_id": "first", "text": "x"},
            "editMessageText.message_id: expected Integer, got 'first'",
        ),
        (
            "sendMessage",
            {
                "chat_id": ALICE,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "a", "callback": "b"}]]},
            },
            "sendMessage.reply_markup.inline_keyboard[0][0]: InlineKeyboardButton "
            "has no field 'callback'",
        ),
        (
            "setMyCommands",
            {"commands": [{"command": "help", "description": "d" * 257}]},
            "setMyCommands.commands[0].description: 257 characters, Telegram "
            "allows 1-256",
        ),
        (
            "setMyCommands",
            {
                "commands": [{"command": "help", "description": "d"}],
                "scope": {"type": "everyone"},
            },
            "setMyCommands.scope: no BotCommandScope has type 'everyone'",
        ),
        (
            "setMyCommands",
            {
                "commands": [{"command": "help", "description": "d"}],
                "scope": {"type": "chat"},
            },
            "setMyCommands.scope: BotCommandScopeChat needs 'chat_id'",
        ),
    ],
)
async def test_calls_outside_the_api_description_fail_the_test(
    socket_enabled: None,
    method: str,
    params: dict[str, object],
    violation: str,
) -> None:
    """Attack on the stand-in's honesty: a call the real API would refuse.

    The bot could shrug off the error answer; the violation list is what makes
    the test that made the call fail (the `botapi` fixture asserts it is empty).
    """
    standin = BotApiStandIn(tokens={TELEGRAM_TOKEN: "bot"})
    await standin.start()
    standin.add_user(ALICE, "Alice")
    try:
        async with aiohttp.ClientSession() as session:
            url = f"{standin.base_url}{TELEGRAM_TOKEN}/{method}"
            async with session.post(url, json=params) as response:
                assert response.status == 400
                assert not (await response.json())["ok"]
        assert standin.violations == [violation]
        assert standin.take_violations() == [violation]
        assert standin.violations == []
    finally:
        await standin.close()


async def test_the_bots_own_calls_fit_the_description(
    bot: ExtBot[None], botapi: BotApiStandIn
) -> None:
    """Every call shape the bot makes, through PTB, passes the description."""
    sent = await bot.send_message(
        ALICE, "<b>request</b>", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )
    await bot.edit_message_text(
        "<i>decided</i>",
        chat_id=ALICE,
        message_id=sent.message_id,
        parse_mode=ParseMode.HTML,
    )
    await bot.send_venue(
        ALICE,
        41.6,
        -73.0,
        "t",
        "a",
        reply_parameters=ReplyParameters(
            sent.message_id, allow_sending_without_reply=True
        ),
    )
    await bot.set_my_commands([BotCommand("help", "Help")], language_code="es")
    await bot.send_video(
        ALICE,
        InputFile(io.BytesIO(b"mp4"), filename="c.mp4"),
        caption="<b>c</b>",
        parse_mode=ParseMode.HTML,
    )
    assert botapi.violations == []
