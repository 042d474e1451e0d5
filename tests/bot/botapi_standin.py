"""A Telegram Bot API stand-in: an aiohttp server on 127.0.0.1 for the real PTB.

Every call is first held to Telegram's machine-readable description of the API
(`botapi_spec`, pinned under `tests/specs/`): an unknown method answers 404, an
unknown parameter, a wrong type or a missing required one answers 400, and each is
recorded in `violations`, which the `botapi` fixture requires to be empty at the
end of a test. It speaks the real wire protocol: `POST /bot<token>/<method>` with
JSON, form or multipart bodies (python-telegram-bot sends forms, JSON-encoding
nested values),
answers `{"ok": true, "result": ...}` or `{"ok": false, "error_code", "description"}`
with Telegram's status codes and wording, and a 429 with `parameters.retry_after`
when its rate limits are on. Every call is recorded for assertions, and tests
drive the users' side (messages, button taps) through `push_*`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import hashlib
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.bot.botapi_methods import METHODS
from tests.bot.botapi_spec import SPEC, SpecViolation
from tests.bot.botapi_state import ApiError, RateLimits, StandInState

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.bot.botapi_state import Chat

__all__ = ["ApiError", "BotApiStandIn", "Call", "RateLimits", "Upload"]

UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded (multipart), kept as size and digest."""

    filename: str | None
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Call:
    """One request the bot made, with its parameters as Telegram would parse them."""

    token: str
    method: str
    params: dict[str, Any]
    uploads: dict[str, Upload] = field(default_factory=dict)
    status: int = 200


class BotApiStandIn:
    """The stand-in server; `base_url` goes to `Bot(..., base_url=...)`."""

    def __init__(
        self,
        tokens: dict[str, str],
        *,
        rate_limits: RateLimits | None = None,
        clock: Callable[[], float] | None = None,
        upload_limit_bytes: int = UPLOAD_LIMIT_BYTES,
    ) -> None:
        self.state = StandInState(tokens, rate_limits=rate_limits, clock=clock)
        self.upload_limit_bytes = upload_limit_bytes
        self.calls: list[Call] = []
        self.changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self, port: int = 0) -> None:
        """Serve on 127.0.0.1 (`port` 0 picks a free one; a test that restarts
        Telegram passes the old one)."""
        app = web.Application(client_max_size=self.upload_limit_bytes * 2)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        await self.state.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what tests use --------------------------------------------------------

    def add_user(
        self, user_id: int, first_name: str, username: str | None = None
    ) -> Chat:
        """A Telegram user with a private chat with the bot."""
        return self.state.add_user(user_id, first_name, username)

    def add_group(self, chat_id: int, title: str) -> Chat:
        """A group chat the bot is a member of."""
        return self.state.add_group(chat_id, title)

    def block_bot(self, user_id: int) -> None:
        """The user blocked the bot: sends to them answer 403."""
        self.state.blocked.add(user_id)

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
    ) -> None:
        """Make the next call of `method` fail with this error, once."""
        self.state.injected.setdefault(method, []).append(
            ApiError(error_code, description, retry_after=retry_after)
        )

    async def push_message(
        self, user_id: int, text: str, chat_id: int | None = None
    ) -> int:
        """The user writes `text` (in their private chat by default); the update id."""
        return await self.state.push_message(user_id, text, chat_id)

    async def push_callback(
        self, user_id: int, chat_id: int, message_id: int, data: str
    ) -> str:
        """The user taps an inline button; returns the callback query id."""
        return await self.state.push_callback(user_id, chat_id, message_id, data)

    async def wait_for_poller(self) -> None:
        """Wait until the bot's getUpdates long poll is waiting here."""
        await self.state.wait_for_poller()

    @property
    def violations(self) -> list[str]:
        """Calls the real Bot API would refuse or does not define, in order."""
        return self.state.violations

    def take_violations(self) -> list[str]:
        """The violations so far, forgotten: for tests that provoke them."""
        taken = list(self.state.violations)
        self.state.violations.clear()
        return taken

    def calls_to(self, method: str) -> list[Call]:
        """Successful and failed calls of one method, in order."""
        return [call for call in self.calls if call.method == method]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """A message as it stands now (after edits)."""
        return self.state.messages[(chat_id, message_id)]

    # -- the server ------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        params: dict[str, Any] = {}
        uploads: dict[str, Upload] = {}
        try:
            params, uploads = await self._read_params(request, method)
            result = await self._dispatch(token, method, params, uploads)
        except ApiError as err:
            await self._record(Call(token, method, params, uploads, err.code))
            return self._error(err)
        await self._record(Call(token, method, params, uploads))
        return web.json_response({"ok": True, "result": result})

    async def _record(self, call: Call) -> None:
        async with self.changed:
            self.calls.append(call)
            self.changed.notify_all()

    @staticmethod
    def _error(err: ApiError) -> web.Response:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": err.code,
            "description": err.description,
        }
        if err.retry_after is not None:
            body["parameters"] = {"retry_after": err.retry_after}
        return web.json_response(body, status=err.code)

    async def _dispatch(
        self,
        token: str,
        method: str,
        params: dict[str, Any],
        uploads: dict[str, Upload],
    ) -> Any:
        if ":" not in token or not token.split(":", 1)[0].isdigit():
            raise ApiError(404, "Not Found")
        if token not in self.state.tokens:
            raise ApiError(401, "Unauthorized")
        try:
            SPEC.check_call(method, params, uploads)
        except SpecViolation as err:
            self.state.violations.append(str(err))
            if SPEC.method(method) is None:
                raise ApiError(404, "Not Found") from None
            if not err.method_answers:
                raise ApiError(400, f"Bad Request: {err}") from None
        handler = METHODS.get(method.lower())
        if handler is None:
            self.state.violations.append(f"{method}: the stand-in does not serve it")
            raise ApiError(501, "Not Implemented by the stand-in")
        if injected := self.state.injected.get(method):
            raise injected.pop(0)
        self.state.check_rate_limit(method, params)
        return await handler(self.state, token, params, uploads)

    async def _read_params(
        self, request: web.Request, method: str
    ) -> tuple[dict[str, Any], dict[str, Upload]]:
        params: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: invalid JSON body")
            return {**params, **body}, uploads
        if request.can_read_body:
            try:
                form = await request.post()
            except web.HTTPRequestEntityTooLarge as err:
                raise ApiError(413, "Request Entity Too Large") from err
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    if len(data) > self.upload_limit_bytes:
                        raise ApiError(413, "Request Entity Too Large")
                    uploads[name] = Upload(
                        value.filename,
                        value.content_type,
                        len(data),
                        hashlib.sha256(data).hexdigest(),
                    )
                else:
                    params[name] = value
        decoded = {name: _decode(method, name, value) for name, value in params.items()}
        return decoded, uploads


def _decode(method: str, name: str, value: Any) -> Any:
    """Form values are text; Telegram reads object- and array-typed ones as JSON."""
    if not isinstance(value, str):
        return value
    if SPEC.is_json(method, name):
        try:
            return json.loads(value)
        except ValueError as err:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from err
    return value


async def wait_for_call(
    standin: BotApiStandIn, method: str, count: int = 1
) -> list[Call]:
    """Wait until `count` calls of `method` arrived (tests bound it with a timeout)."""
    async with standin.changed:
        await standin.changed.wait_for(lambda: len(standin.calls_to(method)) >= count)
    return standin.calls_to(method)
