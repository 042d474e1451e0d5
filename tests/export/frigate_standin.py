"""A Frigate NVR stand-in on 127.0.0.1, held to Frigate's own OpenAPI document.

Its routes are the operations of `tests/specs/frigate-api.yaml` (an extract of
`docs/static/frigate-api.yaml` in Frigate's repository), under the document's
`/api` server prefix, and nothing else: a path or method the document does not
define answers FastAPI's 404/405, a path parameter that does not fit its schema or
a login body without `user` and `password` answers 422 with the document's
`HTTPValidationError` shape, and a query parameter the operation does not define
is ignored, as FastAPI ignores it. Each of those is also recorded in `violations`,
so a test whose client sends one can fail even when the client copes.

- `GET /api/{camera_name}/start/{start_ts}/end/{end_ts}/clip.mp4` serves a real MP4
  when the window overlaps the camera's recordings, else 400
  `{"success": false, "message": "No recordings found"}` (Frigate's handler
  returns that itself; the document lists only the 200 and 422 answers).
- With `credentials` set it behaves like the authenticated port (8971): `POST
  /api/login` sets the `frigate_token` cookie (the document's security scheme),
  and every operation with a `security` requirement needs that token as the
  cookie or as `Authorization: Bearer` (the login's description allows both).

Reusable by later tests: `async with FrigateStandIn(...) as frigate: frigate.url`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import re
import secrets
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web
import yaml

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

SPEC_PATH = Path(__file__).parents[1] / "specs" / "frigate-api.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
PREFIX = "/api"  # the document's servers end in /api; its paths are below it
NO_RECORDINGS = {"success": False, "message": "No recordings found"}
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def schema(name: str) -> dict[str, Any]:
    """A component schema of the document, by name."""
    found: dict[str, Any] = SPEC["components"]["schemas"][name]
    return found


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return schema(ref.rsplit("/", 1)[1]) if isinstance(ref, str) else node


def _fits(value: str, node: dict[str, Any]) -> bool:
    """Whether a path or query string satisfies a parameter's schema."""
    node = _resolve(node)
    if "anyOf" in node:
        return any(_fits(value, option) for option in node["anyOf"])
    kind = node.get("type")
    if kind == "number":
        return bool(_NUMBER.match(value))
    if kind == "integer":
        return value.lstrip("-").isdigit()
    if kind == "boolean":
        return value.lower() in {"true", "false", "1", "0", "yes", "no", "on", "off"}
    return kind in {"string", "null"} and (kind == "string" or value == "")


def _validation_error(loc: list[str], msg: str, kind: str) -> web.Response:
    """FastAPI's 422 answer, in the document's HTTPValidationError shape."""
    return web.json_response(
        {"detail": [{"loc": loc, "msg": msg, "type": kind}]}, status=422
    )


def _body_problem(body: Any, body_schema: dict[str, Any]) -> tuple[list[str], str]:
    """The first way a JSON body misses its object schema, or ([], "")."""
    body_schema = _resolve(body_schema)
    if not isinstance(body, dict):
        return ["body"], "Input should be a valid dictionary or object"
    for name in body_schema.get("required", []):
        if name not in body:
            return ["body", name], "Field required"
    for name, prop in body_schema.get("properties", {}).items():
        wants_text = prop.get("type") == "string"
        if name in body and wants_text and not isinstance(body[name], str):
            return ["body", name], "Input should be a valid string"
    return [], ""


@dataclass
class Recording:
    """What the stand-in holds for one camera: a clip and the time it covers."""

    clip: Path
    start: float
    end: float


@dataclass
class FrigateStandIn:
    """Frigate's documented API over aiohttp, with the clip and login operations."""

    recordings: dict[str, Recording] = field(default_factory=dict)
    credentials: tuple[str, str] | None = None
    requests: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    violations: list[str] = field(default_factory=list)
    # Fault switches for tests.
    login_without_cookie: bool = False
    forget_tokens: bool = False  # issue tokens that are refused at once
    reset_mid_body: bool = False
    body_override: bytes | None = None
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Base URL, as a user would type it into the options."""
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Self:
        handlers: dict[str, Callable[..., Awaitable[web.StreamResponse]]] = {
            "login_login_post": self._login,
            "recording_clip__camera_name__start__start_ts__end__end_ts__clip_mp4_get": (
                self._clip
            ),
        }
        app = web.Application()
        for path, operations in SPEC["paths"].items():
            for method, operation in operations.items():
                handler = handlers[str(operation["operationId"]).strip()]
                app.router.add_route(
                    method.upper(), PREFIX + path, self._guarded(operation, handler)
                )
        app.router.add_route("*", "/{tail:.*}", self._undocumented)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, *exc: object
    ) -> None:
        assert self._runner is not None
        await self._runner.cleanup()
        if exc_type is None:
            assert self.violations == [], "requests Frigate's API does not define"

    def take_violations(self) -> list[str]:
        """The violations so far, forgotten: for tests that provoke them."""
        taken = list(self.violations)
        self.violations.clear()
        return taken

    # -- the document's rules ----------------------------------------------------

    def _guarded(
        self,
        operation: dict[str, Any],
        handler: Callable[..., Awaitable[web.StreamResponse]],
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """Check parameters, body and security as the document states them."""
        parameters = operation.get("parameters", [])
        body_spec = operation.get("requestBody")
        secured = bool(operation.get("security"))

        async def guarded(request: web.Request) -> web.StreamResponse:
            self.requests.append(request.path)
            where = f"{request.method} {request.path}"
            known = {p["name"] for p in parameters if p["in"] == "query"}
            for name in request.query:
                if name not in known:
                    self.violations.append(f"{where}: undocumented query {name!r}")
            for parameter in parameters:
                value = (
                    request.match_info.get(parameter["name"])
                    if parameter["in"] == "path"
                    else request.query.get(parameter["name"])
                )
                if value is None:
                    continue
                if not _fits(value, parameter["schema"]):
                    self.violations.append(f"{where}: {parameter['name']}={value!r}")
                    return _validation_error(
                        [parameter["in"], parameter["name"]],
                        "Input should be a valid number, unable to parse string "
                        "as a number",
                        "float_parsing",
                    )
            body: Any = None
            if body_spec is not None:
                try:
                    body = await request.json()
                except ValueError:
                    body = None
                media = body_spec["content"]["application/json"]["schema"]
                loc, msg = _body_problem(body, media)
                if loc:
                    self.violations.append(f"{where}: body {msg} at {loc}")
                    return _validation_error(loc, msg, "missing")
            if secured and not self._authorized(request):
                return web.Response(status=401, text="Unauthorized")
            result: web.StreamResponse = await handler(request, body)
            return result

        return guarded

    async def _undocumented(self, request: web.Request) -> web.Response:
        """What FastAPI answers for a route the document does not have."""
        self.requests.append(request.path)
        self.violations.append(f"{request.method} {request.path}: not in the document")
        path = request.path.removeprefix(PREFIX)
        if any(
            re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", documented), path)
            for documented in SPEC["paths"]
        ):
            return web.json_response({"detail": "Method Not Allowed"}, status=405)
        return web.json_response({"detail": "Not Found"}, status=404)

    def _authorized(self, request: web.Request) -> bool:
        if self.credentials is None:
            return True
        token = request.cookies.get("frigate_token")
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            token = header.removeprefix("Bearer ")
        return token in self.tokens

    # -- the operations ----------------------------------------------------------

    async def _login(self, request: web.Request, body: dict[str, Any]) -> web.Response:
        if self.credentials is None or (body["user"], body["password"]) != (
            self.credentials
        ):
            return web.json_response(
                {"success": False, "message": "Login failed"}, status=401
            )
        response = web.json_response({})
        if not self.login_without_cookie:
            token = secrets.token_urlsafe(16)
            if not self.forget_tokens:
                self.tokens.add(token)
            response.set_cookie("frigate_token", token, httponly=True)
        return response

    async def _clip(self, request: web.Request, _body: None) -> web.StreamResponse:
        recording = self.recordings.get(request.match_info["camera_name"])
        start = float(request.match_info["start_ts"])
        end = float(request.match_info["end_ts"])
        if recording is None or end <= recording.start or start >= recording.end:
            return web.json_response(NO_RECORDINGS, status=400)
        data = self.body_override or recording.clip.read_bytes()
        response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
        response.content_length = len(data)
        await response.prepare(request)
        if self.reset_mid_body:
            await response.write(data[: len(data) // 2])
            assert request.transport is not None
            request.transport.close()
            return response
        await response.write(data)
        await response.write_eof()
        return response
