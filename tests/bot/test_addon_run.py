"""The add-on's `run` script, outside a container, with a fake options file.

What the Supervisor provides is provided here: `/data/options.json` becomes a file
named by ADDON_OPTIONS, SUPERVISOR_TOKEN a real Home Assistant access token, and
`http://supervisor/core` (the Supervisor's proxy) a real Home Assistant on
127.0.0.1 named by HA_URL. Docker itself is not run on this machine.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
import signal
import sys
from typing import Any

from homeassistant.const import __version__ as HA_VERSION
from homeassistant.core import HomeAssistant
import pytest

from bot.addon import SUPERVISOR_CORE_URL, AddonError, bot_environment
from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.conftest import TELEGRAM_TOKEN

pytestmark = pytest.mark.timeout(60)

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / "neighborhood_requests_bot" / "run"


def options_file(tmp_path: Path, **options: Any) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    path = data / "options.json"
    path.write_text(json.dumps(options))
    return path


def addon_env(options: Path, **extra: str) -> dict[str, str]:
    """The container's environment: python3 on PATH, the bot importable."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
        "ADDON_OPTIONS": str(options),
        "HOME": str(options.parent),
    }
    return env | extra


async def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        str(RUN),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 45)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_run_check_with_only_the_token_entered(
    hass: HomeAssistant,
    nr_ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
    tmp_path: Path,
) -> None:
    """The owner entered a token and a language; everything else comes from the
    Supervisor's environment."""
    options = options_file(
        tmp_path,
        telegram_bot_token=TELEGRAM_TOKEN,
        language="de",
        telegram_api_base_url=botapi.base_url,
    )
    env = addon_env(options, SUPERVISOR_TOKEN=hass_access_token, HA_URL=nr_ha_url)
    status, out, err = await run(env, "--check")
    assert status == 0, out + err
    assert out.splitlines() == [
        f"OK   configuration (environment; language de; state file "
        f"{options.parent / 'state.json'})",
        f"OK   Home Assistant {HA_VERSION} at {nr_ha_url} "
        f"(location {hass.config.location_name!r})",
        "OK   Neighborhood Requests integration answers (recipients: 0 linked)",
        f"OK   Telegram bot @neighborhood_test_bot (id 123456789) via "
        f"{botapi.base_url}",
        "All checks passed.",
    ]
    assert TELEGRAM_TOKEN not in out + err
    assert hass_access_token not in out + err


async def test_run_starts_the_bot_and_stops_on_sigterm(
    hass: HomeAssistant,
    nr_ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
    tmp_path: Path,
) -> None:
    """As the Supervisor runs it: the bot polls Telegram, and SIGTERM (what `docker
    stop` sends) ends it cleanly, state written to /data."""
    options = options_file(
        tmp_path,
        telegram_bot_token=TELEGRAM_TOKEN,
        language="en",
        telegram_api_base_url=botapi.base_url,
    )
    env = addon_env(options, SUPERVISOR_TOKEN=hass_access_token, HA_URL=nr_ha_url)
    process = await asyncio.create_subprocess_exec(
        str(RUN), env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        await asyncio.wait_for(botapi.wait_for_poller(), 30)
        assert botapi.calls_to("setMyCommands")
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = err.decode()
    assert process.returncode == 0, log
    assert "connected to Home Assistant" in log
    assert "Traceback" not in log


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        (
            {"telegram_bot_token": "", "language": "en"},
            {"SUPERVISOR_TOKEN": "t"},
            "no Telegram bot token: open the add-on's Configuration tab",
        ),
        (
            {"telegram_bot_token": TELEGRAM_TOKEN, "language": "en"},
            {},
            "SUPERVISOR_TOKEN is not set",
        ),
        (None, {"SUPERVISOR_TOKEN": "t"}, "options.json not found"),
        ("[1, 2]", {"SUPERVISOR_TOKEN": "t"}, "must hold the add-on's options"),
        ("{not json", {"SUPERVISOR_TOKEN": "t"}, "is not readable JSON"),
        (
            {"telegram_bot_token": "12345", "language": "en"},
            {"SUPERVISOR_TOKEN": "t"},
            "does not look like a bot token from BotFather",
        ),
    ],
)
async def test_run_refuses_with_one_clear_line(
    socket_enabled: None,
    tmp_path: Path,
    options: Any,
    env: dict[str, str],
    message: str,
) -> None:
    path = tmp_path / "data" / "options.json"
    path.parent.mkdir()
    if isinstance(options, dict):
        path.write_text(json.dumps(options))
    elif isinstance(options, str):
        path.write_text(options)
    status, _, err = await run(addon_env(path, **env))
    assert status == 1
    assert message in err
    assert "Traceback" not in err


def test_the_supervisor_proxy_is_the_default_home_assistant(tmp_path: Path) -> None:
    env = bot_environment(
        {"telegram_bot_token": f" {TELEGRAM_TOKEN} ", "language": "es"},
        {"SUPERVISOR_TOKEN": "supervisor-token", "PATH": "/usr/bin"},
        tmp_path,
    )
    assert env["HA_URL"] == SUPERVISOR_CORE_URL == "http://supervisor/core"
    assert env["HA_TOKEN"] == "supervisor-token"
    assert env["TELEGRAM_BOT_TOKEN"] == TELEGRAM_TOKEN
    assert env["BOT_LANGUAGE"] == "es"
    assert env["BOT_STATE_FILE"] == str(tmp_path / "state.json")
    assert "TELEGRAM_API_BASE_URL" not in env  # Telegram's own unless set
    assert env["PATH"] == "/usr/bin"
    with pytest.raises(AddonError, match="no Telegram bot token"):
        bot_environment(
            {"telegram_bot_token": None}, {"SUPERVISOR_TOKEN": "t"}, tmp_path
        )
