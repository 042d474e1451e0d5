"""The bot as a Home Assistant add-on: the owner's options plus the Supervisor's token.

On Home Assistant OS the Supervisor runs the add-on container, writes the options
set in its Configuration tab to `/data/options.json`, and (with
`homeassistant_api: true` in the add-on's config.yaml) hands it `SUPERVISOR_TOKEN`,
which its proxy at `http://supervisor/core` accepts for Home Assistant's REST and
websocket API. So the owner enters only the Telegram token; Home Assistant's
address and credentials come from the Supervisor. `/data` survives restarts and
updates, so the bot's state file lives there.

`HA_URL` and `HA_TOKEN` in the environment still win, as everywhere in the bot:
they let the add-on's image run against a Home Assistant outside the Supervisor
(and its tests run it against one on 127.0.0.1).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import sys
from typing import TYPE_CHECKING, Any

from bot.__main__ import EXIT_PROBLEM, main as bot_main
from bot.config import (
    ENV_HA_TOKEN,
    ENV_HA_URL,
    ENV_LANGUAGE,
    ENV_STATE_FILE,
    ENV_TELEGRAM_API_BASE_URL,
    ENV_TELEGRAM_TOKEN,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

OPTIONS_FILE = Path("/data/options.json")
SUPERVISOR_CORE_URL = "http://supervisor/core"
ENV_OPTIONS = "ADDON_OPTIONS"  # where the options are, if not /data/options.json


class AddonError(Exception):
    """The add-on cannot start; the message tells the owner what to do."""


def _options(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AddonError(
            f"{path} not found: the add-on's options are written there by the "
            "Home Assistant Supervisor (outside an add-on, run "
            "neighborhood-requests-bot instead)"
        ) from None
    except (OSError, ValueError) as err:
        raise AddonError(f"{path} is not readable JSON: {err}") from None
    if not isinstance(data, dict):
        raise AddonError(f"{path} must hold the add-on's options as an object")
    return data


def bot_environment(
    options: Mapping[str, Any], env: Mapping[str, str], data_dir: Path
) -> dict[str, str]:
    """The bot's settings (see bot.config) from the add-on's options."""
    token = options.get("telegram_bot_token")
    if not isinstance(token, str) or not token.strip():
        raise AddonError(
            "no Telegram bot token: open the add-on's Configuration tab, paste the "
            "token @BotFather gave you, save, and start the add-on again"
        )
    ha_token = env.get(ENV_HA_TOKEN) or env.get("SUPERVISOR_TOKEN")
    if not ha_token:
        raise AddonError(
            "SUPERVISOR_TOKEN is not set: the Supervisor gives it to add-ons with "
            "'homeassistant_api: true' in config.yaml; reinstall the add-on"
        )
    settings = {
        **env,
        ENV_TELEGRAM_TOKEN: token.strip(),
        ENV_HA_URL: env.get(ENV_HA_URL) or SUPERVISOR_CORE_URL,
        ENV_HA_TOKEN: ha_token,
        ENV_LANGUAGE: str(options.get("language") or "en"),
        ENV_STATE_FILE: str(data_dir / "state.json"),
    }
    if base_url := options.get("telegram_api_base_url"):
        settings[ENV_TELEGRAM_API_BASE_URL] = str(base_url)
    return settings


def main(argv: list[str] | None = None) -> int:
    """`run` in the add-on image: read the options, then run (or `--check`) the bot."""
    path = Path(os.environ.get(ENV_OPTIONS) or OPTIONS_FILE)
    try:
        env = bot_environment(_options(path), os.environ, path.parent)
    except AddonError as err:
        print(f"neighborhood-requests-bot add-on: {err}", file=sys.stderr)
        return EXIT_PROBLEM
    return bot_main(argv, env=env)


if __name__ == "__main__":
    sys.exit(main())
