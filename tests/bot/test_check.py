"""`--check` against a real Home Assistant and the Bot API stand-in."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp.test_utils import unused_port
from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    require_admin,
    websocket_command,
)
from homeassistant.const import __version__ as HA_VERSION
from homeassistant.core import HomeAssistant, callback
import probatio
import pytest

from bot.__main__ import main
from bot.check import RECIPIENTS_COMMAND, run_check
from bot.config import BotConfig
from tests.bot.conftest import TELEGRAM_TOKEN

if TYPE_CHECKING:
    from tests.bot.botapi_standin import BotApiStandIn

pytestmark = pytest.mark.timeout(60)

# See test_ha_client: HA closing a socket itself leaves aiohttp's server timer.
ha_closes_the_socket = pytest.mark.parametrize("expected_lingering_timers", [True])


def register_recipients_standin(
    hass: HomeAssistant, result: Any, *, admin_only: bool = False
) -> None:
    """Stands in for the integration's `neighborhood_requests/recipients`.

    Only for answers the real integration never gives (errors, odd shapes, an
    admin-only variant); the happy paths below run the real integration.
    """

    @websocket_command({probatio.Required("type"): RECIPIENTS_COMMAND})
    @callback
    def recipients(
        hass: HomeAssistant,
        connection: ActiveConnection,
        msg: dict[str, Any],
    ) -> None:
        if isinstance(result, Exception):
            connection.send_error(msg["id"], "home_assistant_error", str(result))
        else:
            connection.send_result(msg["id"], result)

    handler = require_admin(recipients) if admin_only else recipients
    async_register_command(hass, handler)


def make_config(ha_url: str, ha_token: str, botapi_url: str, **extra: Any) -> BotConfig:
    return BotConfig(
        telegram_token=extra.pop("telegram_token", TELEGRAM_TOKEN),
        ha_url=ha_url,
        ha_token=ha_token,
        telegram_api_base_url=botapi_url,
        state_file=Path("/nonexistent/state.json"),
        **extra,
    )


async def check(config: BotConfig) -> tuple[bool, list[str]]:
    lines: list[str] = []
    ok = await run_check(config, out=lines.append)
    return ok, lines


async def test_all_good(
    hass: HomeAssistant,
    nr_ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
    hass_ws_client: Any,
) -> None:
    """The real integration, with one Telegram user linked."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "neighborhood_requests/pairing/create"})
    code = (await client.receive_json())["result"]["code"]
    await client.send_json_auto_id(
        {
            "type": "neighborhood_requests/pairing/complete",
            "code": code,
            "telegram_user_id": "1001",
            "name": "Alice",
        }
    )
    assert (await client.receive_json())["success"]
    ok, lines = await check(make_config(nr_ha_url, hass_access_token, botapi.base_url))
    assert ok, lines
    assert lines == [
        "OK   configuration (environment; language en; "
        "state file /nonexistent/state.json)",
        f"OK   Home Assistant {HA_VERSION} at {nr_ha_url} "
        f"(location {hass.config.location_name!r})",
        "OK   Neighborhood Requests integration answers (recipients: 1 linked)",
        "OK   Telegram bot @neighborhood_test_bot (id 123456789) via "
        f"{botapi.base_url}",
        "All checks passed.",
    ]


async def test_token_of_a_non_admin_lacks_rights(
    hass: HomeAssistant,
    nr_ha_url: str,
    hass_read_only_access_token: str,
    botapi: BotApiStandIn,
) -> None:
    """The real integration lists a non-admin's own recipients; the check says why
    that is not enough."""
    ok, lines = await check(
        make_config(nr_ha_url, hass_read_only_access_token, botapi.base_url)
    )
    assert not ok
    assert any(
        "who is not an administrator (token lacks rights" in line for line in lines
    ), lines


async def test_recipients_in_a_mapping_and_odd_shapes(
    hass: HomeAssistant,
    ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
) -> None:
    register_recipients_standin(hass, {"recipients": [{"user": "alice"}]})
    ok, lines = await check(make_config(ha_url, hass_access_token, botapi.base_url))
    assert ok
    assert "(recipients: 1 linked)" in lines[2]


async def test_integration_not_installed(
    ha_url: str, hass_access_token: str, botapi: BotApiStandIn
) -> None:
    """Real HA without the command answers unknown_command."""
    ok, lines = await check(make_config(ha_url, hass_access_token, botapi.base_url))
    assert not ok
    assert "FAIL Neighborhood Requests integration not installed (or too old)" in lines
    assert lines[-1] == "1 problem found."
    assert lines[1].startswith("OK   Home Assistant")
    assert lines[3].startswith("OK   Telegram bot")


async def test_token_lacks_rights(
    hass: HomeAssistant,
    ha_url: str,
    hass_read_only_access_token: str,
    botapi: BotApiStandIn,
) -> None:
    register_recipients_standin(hass, [], admin_only=True)
    ok, lines = await check(
        make_config(ha_url, hass_read_only_access_token, botapi.base_url)
    )
    assert not ok
    assert any("token lacks rights" in line for line in lines)


async def test_integration_error_is_reported(
    hass: HomeAssistant,
    ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
) -> None:
    register_recipients_standin(hass, RuntimeError("store not loaded"))
    ok, lines = await check(make_config(ha_url, hass_access_token, botapi.base_url))
    assert not ok
    assert (
        "FAIL Neighborhood Requests integration answered an error: "
        "home_assistant_error: store not loaded"
    ) in lines


async def test_bad_telegram_token(
    hass: HomeAssistant,
    ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
) -> None:
    register_recipients_standin(hass, [])
    unknown = "987654321:ZZZhBOweik6ad9r_QxMwUfZ3mYv5lSsT7qX"
    config = make_config(
        ha_url, hass_access_token, botapi.base_url, telegram_token=unknown
    )
    ok, lines = await check(config)
    assert not ok
    assert (
        "FAIL Telegram rejected the bot token 987654321:… (35 chars hidden): copy "
        "it again from @BotFather (TELEGRAM_BOT_TOKEN)"
    ) in lines
    assert botapi.calls_to("getMe")[0].status == 401
    assert not any(unknown in line for line in lines)


async def test_telegram_unreachable_and_telegram_errors(
    hass: HomeAssistant,
    ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
) -> None:
    register_recipients_standin(hass, [])
    closed = f"http://127.0.0.1:{unused_port()}/bot"
    ok, lines = await check(make_config(ha_url, hass_access_token, closed))
    assert not ok
    port = closed.split(":")[2].split("/", maxsplit=1)[0]
    assert lines[3] == (
        f"FAIL cannot reach the Telegram Bot API at {closed}: connection refused "
        f"by 127.0.0.1:{port}: nothing listens there (is it running, and is the "
        "port right?)"
    )
    assert TELEGRAM_TOKEN not in lines[3]

    botapi.fail_next("getMe", 400, "Bad Request: something odd")
    ok, lines = await check(make_config(ha_url, hass_access_token, botapi.base_url))
    assert not ok
    assert lines[3] == (
        f"FAIL the Telegram Bot API at {botapi.base_url} answered an error: "
        "Something odd"
    )

    botapi.fail_next("getMe", 409, "Conflict: terminated by other getUpdates request")
    ok, lines = await check(make_config(ha_url, hass_access_token, botapi.base_url))
    assert not ok
    assert lines[3] == (
        f"FAIL the Telegram Bot API at {botapi.base_url} answered an error: "
        "Conflict: terminated by other getUpdates request"
    )


async def test_ha_unreachable(socket_enabled: None, botapi: BotApiStandIn) -> None:
    url = f"http://127.0.0.1:{unused_port()}"
    ok, lines = await check(make_config(url, "token", botapi.base_url))
    assert not ok
    assert lines[1] == (
        f"FAIL cannot reach Home Assistant at {url}: connection refused by "
        f"{url.removeprefix('http://')}: nothing listens there (is it running, "
        "and is the port right?)"
    )
    assert lines[2].startswith("OK   Telegram bot")
    assert lines[-1] == "1 problem found."


@ha_closes_the_socket
async def test_bad_ha_token(ha_url: str, botapi: BotApiStandIn) -> None:
    ha_token = "not-a-valid-long-lived-access-token"
    ok, lines = await check(make_config(ha_url, ha_token, botapi.base_url))
    assert not ok
    assert lines[1].startswith(
        "FAIL Home Assistant rejected the access token: "
        "Invalid access token or password (HA_TOKEN not-… (35 chars)"
    )
    assert ha_token not in lines[1]


@pytest.fixture
def config_file(
    nr_ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Path:
    """Settings split between a YAML file and the environment, as in a service."""
    path = tmp_path / "bot.yaml"
    path.write_text(
        f"ha_url: {nr_ha_url}\ntelegram_api_base_url: {botapi.base_url}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN)
    monkeypatch.setenv("HA_TOKEN", hass_access_token)
    monkeypatch.setenv("HA_URL", "")
    return path


async def test_main_check(
    hass: HomeAssistant,
    config_file: Path,
    botapi: BotApiStandIn,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The console entry point end to end (its own event loop, in a thread)."""
    args = ["--check", "--config", str(config_file)]
    code = await asyncio.to_thread(main, args)
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"OK   configuration ({config_file};" in out
    assert out.endswith("All checks passed.\n")

    botapi.fail_next("getMe", 401, "Unauthorized")
    assert await asyncio.to_thread(main, args) == 1
    assert "FAIL Telegram rejected the bot token" in capsys.readouterr().out
