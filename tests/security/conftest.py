"""The real integration (and, for the bot's attacks, the real bot) to attack.

Fixtures come from the integration's, the bot's and the publisher's own test
folders: a signed feed on 127.0.0.1, Home Assistant with the integration set up
through its flow, the Telegram Bot API stand-in, the reference publisher's inbox.
Helpers here act as the people in the attacks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.auth.models import User
import pytest

from tests.bot.conftest import botapi, nr_entry, nr_ha_url  # noqa: F401
from tests.integration.conftest import (  # noqa: F401
    auto_enable_custom_integrations,
    config_dir_in_tmp,
    entry,
    feed_server,
    home,
)
from tests.publisher.conftest import (  # noqa: F401  (the inbox under attack)
    _local_sockets,
    cli,
    inbox_server,
    serve_app,
    session,
    signed_feed,
    workspace,
)

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

REQUEST_ID = "wpd-2026-0412"
CLIENT_ID = "https://example.com/app"


@pytest.fixture(autouse=True)
def owner_exists(hass_owner_user: User) -> None:
    """The home has its owner, so the people below are not made owner (an admin)."""


async def person(
    hass: HomeAssistant, name: str, *, admin: bool = False
) -> tuple[User, str]:
    """A Home Assistant user (an ordinary one unless `admin`) and an access token."""
    user = await hass.auth.async_create_user(
        name, group_ids=["system-admin" if admin else GROUP_ID_USER]
    )
    refresh = await hass.auth.async_create_refresh_token(user, CLIENT_ID)
    return user, hass.auth.async_create_access_token(refresh)


def audit(config_entry: ConfigEntry) -> list[dict[str, Any]]:
    """Every event in the entry's audit log, oldest first."""
    path: Path = config_entry.runtime_data.coordinator.audit_path
    if not path.exists():
        return []
    return [json.loads(line)["event"] for line in path.read_text().splitlines()]


def refusals(config_entry: ConfigEntry, **match: Any) -> list[dict[str, Any]]:
    """The `refused` lines of the audit log that match every given field."""
    return [
        e
        for e in audit(config_entry)
        if e["type"] == "refused" and all(e.get(k) == v for k, v in match.items())
    ]


async def command(client: Any, **msg: Any) -> dict[str, Any]:
    await client.send_json_auto_id(msg)
    response: dict[str, Any] = await client.receive_json()
    return response


def state_of(config_entry: ConfigEntry) -> str:
    record = next(iter(config_entry.runtime_data.coordinator.store))
    return str(record.state)
