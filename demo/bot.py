"""The companion Telegram bot next to the demo, when a bot token is given.

The bot talks to the demo's Home Assistant with the owner's long-lived token (a
real installation gives it a user of its own, see docs/bot.md) and keeps its
state under the demo's folder. Pairing needs a code only Home Assistant hands
out, so the demo asks for one as the owner and prints the steps.
"""

from __future__ import annotations

import os

from demo.homeassistant import DOMAIN
from demo.processes import Supervisor
from demo.run import Running

NAME = "bot"


async def start(running: Running, supervisor: Supervisor, token: str) -> list[str]:
    """Start `neighborhood-requests-bot`; the lines that tell how to pair."""
    layout = running.layout
    layout.bot_state.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "HA_URL": running.ha_url,
        "HA_TOKEN": running.client.token or "",
        "BOT_STATE_FILE": str(layout.bot_state),
    }
    log = layout.logs / "bot.log"
    supervisor.start(
        NAME, [str(layout.venv_bin / "neighborhood-requests-bot")], log=log, env=env
    )
    pairing = await running.client.ws({"type": f"{DOMAIN}/pairing/create"})
    return [
        f"  companion bot    started (log {log})",
        "    pair your Telegram account with the demo owner:",
        "    1. open a private chat with your bot in Telegram and send /start",
        f"    2. send /link {pairing['code']}  (single use, valid until "
        f"{pairing['expires_at'][11:19]} UTC)",
        "    3. new requests then arrive there with Preview / Share / Decline",
    ]
