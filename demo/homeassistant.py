"""Talking to the demo's Home Assistant as its owner, over its public APIs.

Everything a new owner would click is done through the same APIs the frontend
uses: onboarding (`/api/onboarding/*`, `/auth/token`), the core settings (websocket
`config/core/update`), the login flow for later starts, the config and options
flows (`/api/config/config_entries/...`), states and actions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
import json
import time
from typing import Any

import aiohttp

DOMAIN = "neighborhood_requests"


@dataclass(frozen=True, slots=True)
class Owner:
    name: str
    username: str
    password: str


class FlowError(Exception):
    """The config flow stopped somewhere the demo cannot continue."""


class HomeAssistantClient:
    """REST and websocket calls as the demo owner."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self.session = session
        self.base_url = base_url
        self.token: str | None = None

    @property
    def client_id(self) -> str:
        return f"{self.base_url}/"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def wait_until_up(self, timeout_s: float, alive: Callable[[], bool]) -> None:
        """Until the HTTP server answers at all (any status)."""
        deadline = time.monotonic() + timeout_s
        while True:
            if not alive():
                raise RuntimeError(
                    "Home Assistant exited or failed to start its web server "
                    "(see .demo/logs/home-assistant.log)"
                )
            try:
                # Unauthenticated: probing /api/ would log failed logins.
                async with self.session.get(
                    f"{self.base_url}/manifest.json"
                ) as response:
                    await response.read()
                    return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"Home Assistant not up after {timeout_s:.0f} s")
            await asyncio.sleep(0.5)

    async def wait_until_running(self, timeout_s: float) -> None:
        """Until `/api/config` says every integration finished starting."""
        deadline = time.monotonic() + timeout_s
        while True:
            config = await self.get("/api/config")
            if config.get("state") == "RUNNING":
                return
            if time.monotonic() > deadline:
                raise TimeoutError("Home Assistant did not reach RUNNING")
            await asyncio.sleep(0.5)

    async def get(self, path: str) -> Any:
        async with self.session.get(
            f"{self.base_url}{path}", headers=self._headers()
        ) as response:
            response.raise_for_status()
            return await response.json()

    async def post(self, path: str, body: Mapping[str, Any] | None = None) -> Any:
        async with self.session.post(
            f"{self.base_url}{path}", headers=self._headers(), json=body or {}
        ) as response:
            text = await response.text()
            if response.status >= 400:
                raise FlowError(f"POST {path}: HTTP {response.status} {text}")
            return json.loads(text) if text else None

    async def delete(self, path: str) -> None:
        async with self.session.delete(
            f"{self.base_url}{path}", headers=self._headers()
        ) as response:
            await response.read()

    # Onboarding and login ---------------------------------------------------

    async def onboarding_pending(self) -> list[str] | None:
        """Steps not done yet; None once onboarding is over (the view is gone)."""
        async with self.session.get(f"{self.base_url}/api/onboarding") as response:
            if response.status == 404:
                return None
            response.raise_for_status()
            steps = await response.json()
        return [step["step"] for step in steps if not step["done"]]

    async def _token_from_code(self, code: str) -> None:
        async with self.session.post(
            f"{self.base_url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        ) as response:
            response.raise_for_status()
            self.token = (await response.json())["access_token"]

    async def onboard(self, owner: Owner, core: Mapping[str, Any]) -> None:
        """The four onboarding steps, as the frontend's wizard performs them."""
        pending = await self.onboarding_pending() or []
        if "user" in pending:
            created = await self.post(
                "/api/onboarding/users",
                {
                    "client_id": self.client_id,
                    "name": owner.name,
                    "username": owner.username,
                    "password": owner.password,
                    "language": "en",
                },
            )
            await self._token_from_code(created["auth_code"])
        else:
            await self.login(owner)
        if "core_config" in pending:
            await self.ws({"type": "config/core/update", **core})
            await self.post("/api/onboarding/core_config")
        if "analytics" in pending:
            # Analytics stay off: the demo never reports anything anywhere.
            await self.post("/api/onboarding/analytics")
        if "integration" in pending:
            await self.post(
                "/api/onboarding/integration",
                {
                    "client_id": self.client_id,
                    "redirect_uri": f"{self.base_url}/?auth_callback=1",
                },
            )

    async def login(self, owner: Owner) -> None:
        """The login flow the frontend's login page drives."""
        self.token = None
        flow = await self.post(
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.base_url}/?auth_callback=1",
            },
        )
        result = await self.post(
            f"/auth/login_flow/{flow['flow_id']}",
            {
                "client_id": self.client_id,
                "username": owner.username,
                "password": owner.password,
            },
        )
        if result.get("type") != "create_entry":
            raise FlowError(f"login failed: {result.get('errors')}")
        await self._token_from_code(result["result"])

    async def ws(self, command: Mapping[str, Any], *, first_event: bool = False) -> Any:
        """One websocket command on a fresh connection; its result or an error.

        With `first_event`, the command is a subscription and the answer is the
        first event it sends (a snapshot), after which the connection closes.
        """
        url = self.base_url.replace("http", "ws", 1) + "/api/websocket"
        async with self.session.ws_connect(url) as socket:
            await socket.receive_json()  # auth_required
            await socket.send_json({"type": "auth", "access_token": self.token})
            answer = await socket.receive_json()
            if answer.get("type") != "auth_ok":
                raise FlowError(f"websocket auth failed: {answer}")
            await socket.send_json({"id": 1, **command})
            reply = await socket.receive_json()
            if reply.get("success") and first_event:
                event = await socket.receive_json()
                return event.get("event")
        if not reply.get("success"):
            raise FlowError(f"{command['type']}: {reply.get('error')}")
        return reply.get("result")

    # The integration ---------------------------------------------------------

    async def entries(self, domain: str = DOMAIN) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self.get(
            f"/api/config/config_entries/entry?domain={domain}"
        )
        return result

    async def run_config_flow(
        self, answers: Mapping[str, Mapping[str, Any]], log: Callable[[str], None]
    ) -> dict[str, Any]:
        """Start the integration's config flow and answer each step it shows.

        A step without an answer stops the demo with the step id and its fields,
        so a half-finished flow says exactly what is missing.
        """
        result = await self.post(
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        while True:
            kind = result.get("type")
            if kind == "create_entry":
                entry: dict[str, Any] = result["result"]
                return entry
            if kind not in ("form", "menu"):
                raise FlowError(f"config flow ended with {kind}: {result}")
            step = result["step_id"]
            if result.get("errors"):
                raise FlowError(f"step {step!r} refused the answer: {result['errors']}")
            fields = (
                ["next_step_id"]
                if kind == "menu"
                else [field["name"] for field in result.get("data_schema", [])]
            )
            if step not in answers:
                await self.delete(
                    f"/api/config/config_entries/flow/{result['flow_id']}"
                )
                raise FlowError(f"no answer for step {step!r} (fields {fields})")
            answer = dict(answers[step])
            for name in fields:
                # Switches the demo needs, whatever the flow ends up calling them.
                if name not in answer and ("loopback" in name or "record" in name):
                    answer[name] = True
            log(f"config flow: step {step!r} -> {sorted(answer)}")
            result = await self.post(
                f"/api/config/config_entries/flow/{result['flow_id']}", answer
            )

    async def states(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self.get("/api/states")
        return result

    async def call(self, domain: str, service: str, data: Mapping[str, Any]) -> Any:
        return await self.post(f"/api/services/{domain}/{service}", data)

    async def diagnostics(self, entry_id: str) -> dict[str, Any]:
        """The entry's diagnostics, as the owner downloads them from the UI."""
        path = f"/api/diagnostics/config_entry/{entry_id}"
        async with self.session.get(
            f"{self.base_url}{path}", headers=self._headers()
        ) as response:
            if response.status == 404:
                raise FlowError(
                    "Home Assistant has no diagnostics for the entry (did the "
                    "integration's diagnostics platform fail to import? see "
                    "home-assistant.log)"
                )
            response.raise_for_status()
            result = await response.json()
        data: dict[str, Any] = result.get("data", {})
        return data

    async def long_lived_token(self, name: str) -> str:
        token: str = await self.ws(
            {
                "type": "auth/long_lived_access_token",
                "client_name": name,
                "lifespan": 30,
            }
        )
        return token

    async def token_works(self, token: str) -> bool:
        async with self.session.get(
            f"{self.base_url}/api/", headers={"Authorization": f"Bearer {token}"}
        ) as response:
            await response.read()
            return response.status == 200


def request_pins(states: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The integration's map pins by request id."""
    return {
        state["attributes"].get("request_id", state["entity_id"]): state
        for state in states
        if state["entity_id"].startswith("geo_location.")
        and state["attributes"].get("source") == DOMAIN
    }


def integration_states(states: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The integration's pending-requests sensor and its request event entity."""
    found: dict[str, dict[str, Any]] = {}
    for state in states:
        entity_id: str = state["entity_id"]
        attributes = state["attributes"]
        if entity_id.startswith("sensor.") and "on_hold" in attributes:
            found["pending"] = state
        elif entity_id.startswith("event.") and {"received", "rejected"} <= set(
            attributes.get("event_types", [])
        ):
            found["event"] = state
    return found
