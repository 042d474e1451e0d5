"""Item 3: who may make a pairing code, who may complete one, and what a code can do.

The attacks: a resident who may not decide makes a code to get requests in
Telegram; a non-administrator makes codes for others or groups; a user
completes a pairing for someone else's Telegram account, or takes over an
existing link; a stranger in Telegram guesses codes to void everyone's. Every
link and unlink, and every refusal, is in the feed's audit log.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from custom_components.neighborhood_requests.consent.people import RECIPIENTS
from custom_components.neighborhood_requests.consent.recipients import MAX_FAILURES
from custom_components.neighborhood_requests.const import DOMAIN
from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.harness import ALICE, Harness, pairing_code, running_bot

from .conftest import audit, command, person, refusals

MALLORY = 1666


async def test_someone_who_may_not_decide_cannot_make_a_pairing_code(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: Any, hass_admin_user: Any
) -> None:
    """Eve wants requests and previews in her Telegram: no code for her."""
    eve, token = await person(hass, "Eve")
    client = await hass_ws_client(hass, token)
    own = await command(client, type=f"{DOMAIN}/pairing/create")
    assert own["error"]["code"] == "not_allowed_link_self"
    assert own["error"]["message"] == (
        "Only the people allowed to decide can link their own Telegram account"
    )
    for asked in ({"group": True}, {"user_id": hass_admin_user.id}):
        refused = await command(client, type=f"{DOMAIN}/pairing/create", **asked)
        assert refused["error"]["code"] == "not_allowed_manage_links", asked
    assert refusals(entry, user_id=eve.id, action="link_self", surface="websocket")
    assert len(refusals(entry, user_id=eve.id, action="manage_links")) == 2


async def test_a_decider_who_is_no_administrator_links_only_themselves(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: Any, hass_admin_user: Any
) -> None:
    dave, token = await person(hass, "Dave")
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "deciders": [dave.id]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    client = await hass_ws_client(hass, token)
    own = await command(client, type=f"{DOMAIN}/pairing/create")
    assert own["result"]["user_id"] == dave.id
    for asked in ({"group": True}, {"user_id": hass_admin_user.id}):
        refused = await command(client, type=f"{DOMAIN}/pairing/create", **asked)
        assert refused["error"]["code"] == "not_allowed_manage_links", asked
    # Nor may he complete a pairing: he cannot vouch for a Telegram account.
    done = await command(
        client,
        type=f"{DOMAIN}/pairing/complete",
        code=own["result"]["code"],
        telegram_user_id="1001",
        name="Dave",
    )
    assert done["error"]["code"] == "not_allowed_manage_links"
    assert refusals(entry, user_id=dave.id, telegram_user="1001")
    assert hass.data[RECIPIENTS].list() == []


async def test_a_pairing_never_takes_over_someone_elses_link(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: Any, hass_admin_user: Any
) -> None:
    """Dave's own code, sent from the account Alice linked, does not move her link."""
    dave, token = await person(hass, "Dave")
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "deciders": [dave.id, hass_admin_user.id]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    bot = await hass_ws_client(hass)  # the bot's administrator account
    complete = {"type": f"{DOMAIN}/pairing/complete", "name": "Alice"}
    alice_code = await command(bot, type=f"{DOMAIN}/pairing/create")
    linked = await command(
        bot, **complete, code=alice_code["result"]["code"], telegram_user_id="1001"
    )
    assert linked["result"]["user_id"] == hass_admin_user.id

    dave_client = await hass_ws_client(hass, token)
    dave_code = await command(dave_client, type=f"{DOMAIN}/pairing/create")
    taken = await command(
        bot, **complete, code=dave_code["result"]["code"], telegram_user_id="1001"
    )
    assert taken["error"]["code"] == "already_linked"
    recipients = hass.data[RECIPIENTS]
    assert recipients.get("1001").user_id == hass_admin_user.id

    # Only a code an administrator made can move a link, and the log says so.
    moved_code = await command(bot, type=f"{DOMAIN}/pairing/create", user_id=dave.id)
    moved = await command(
        bot, **complete, code=moved_code["result"]["code"], telegram_user_id="1001"
    )
    assert moved["result"]["user_id"] == dave.id
    lines = [e for e in audit(entry) if e["type"] in ("linked", "pairing_refused")]
    assert lines == [
        {
            "type": "linked",
            "telegram_user": "1001",
            "kind": "user",
            "user_id": hass_admin_user.id,
            "code_created_by": hass_admin_user.id,
            "replaced_user_id": None,
        },
        {
            "type": "pairing_refused",
            "reason": "already_linked",
            "telegram_user": "1001",
            "group": False,
        },
        {
            "type": "linked",
            "telegram_user": "1001",
            "kind": "user",
            "user_id": dave.id,
            "code_created_by": hass_admin_user.id,
            "replaced_user_id": hass_admin_user.id,
        },
    ]


@pytest.fixture
async def harness(
    hass: HomeAssistant,
    nr_ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
    tmp_path: Path,
) -> AsyncIterator[Harness]:
    botapi.add_user(ALICE, "Alice")
    botapi.add_user(MALLORY, "Mallory")
    async with running_bot(
        nr_ha_url, hass_access_token, botapi, tmp_path / "state.json"
    ) as running:
        yield running


@pytest.mark.timeout(60)
async def test_a_strangers_wrong_codes_void_nobody_elses_code(
    hass: HomeAssistant,
    harness: Harness,
    hass_ws_client: Any,
    nr_entry: ConfigEntry,
) -> None:
    """Mallory guesses in Telegram; she is slowed down, Alice's code still works."""
    code = await pairing_code(hass_ws_client, hass)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(MAX_FAILURES):
        await harness.say(MALLORY, f"/link {wrong}", "invalid or expired")
    # Even Alice's real code is refused to her now, and stays good for Alice.
    throttled = await harness.say(MALLORY, f"/link {code}", "Too many wrong codes")
    assert throttled["text"] == "Too many wrong codes. Wait 15 minutes, then try again."
    await harness.say(ALICE, f"/link {code}", "Linked as Alice")
    assert set(harness.bot.state.linked) == {ALICE}
    refused = [e for e in audit(nr_entry) if e["type"] == "pairing_refused"]
    assert [e["reason"] for e in refused] == [
        *["invalid_code"] * MAX_FAILURES,
        "too_many_attempts",
    ]
    assert {e["telegram_user"] for e in refused} == {str(MALLORY)}


async def test_every_link_and_unlink_is_in_the_feeds_audit_log(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: Any, hass_admin_user: Any
) -> None:
    """Even a link made while the feed was not loaded is accounted for later."""
    bot = await hass_ws_client(hass)

    async def link(telegram_user: str) -> None:
        made = await command(bot, type=f"{DOMAIN}/pairing/create")
        done = await command(
            bot,
            type=f"{DOMAIN}/pairing/complete",
            code=made["result"]["code"],
            telegram_user_id=telegram_user,
            name="x",
        )
        assert done["success"], done

    await link("1001")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await link("1002")  # no feed loaded: no log to write to yet
    assert await hass.config_entries.async_setup(entry.entry_id)
    unlinked = await command(bot, type=f"{DOMAIN}/recipients", unlink="1001")
    assert unlinked["success"]
    kinds = [e["type"] for e in audit(entry) if e["type"] in LINK_LINES]
    assert kinds == ["linked", "links", "unlinked"]
    [snapshot] = [e for e in audit(entry) if e["type"] == "links"]
    assert sorted(r["telegram_user"] for r in snapshot["recipients"]) == [
        "1001",
        "1002",
    ]
    [gone] = [e for e in audit(entry) if e["type"] == "unlinked"]
    assert gone == {
        "type": "unlinked",
        "telegram_user": "1001",
        "kind": "user",
        "user_id": hass_admin_user.id,
        "by": hass_admin_user.id,
    }
    # A reload with nothing new adds no second snapshot.
    assert await hass.config_entries.async_reload(entry.entry_id)
    assert [e["type"] for e in audit(entry)].count("links") == 1


LINK_LINES = ("linked", "links", "unlinked")


async def test_a_real_code_misused_is_void_alone_after_five_tries(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: Any
) -> None:
    """A group code tried in private chats: that code goes, nobody else's."""
    bot = await hass_ws_client(hass)
    group = await command(bot, type=f"{DOMAIN}/pairing/create", group=True)
    mine = await command(bot, type=f"{DOMAIN}/pairing/create")
    complete = {"type": f"{DOMAIN}/pairing/complete", "name": "x"}
    for attempt in range(MAX_FAILURES):
        refused = await command(
            bot, **complete, code=group["result"]["code"], telegram_user_id=str(attempt)
        )
        assert refused["error"]["code"] == "group_code_in_private_chat"
    void = await command(
        bot,
        **complete,
        code=group["result"]["code"],
        telegram_user_id="-100",
        group=True,
    )
    assert void["error"]["code"] == "invalid_code"
    kept = await command(
        bot, **complete, code=mine["result"]["code"], telegram_user_id="1001"
    )
    assert kept["success"], kept


async def test_a_code_for_nobody_is_refused(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: Any
) -> None:
    admin = await hass_ws_client(hass)
    refused = await command(
        admin, type=f"{DOMAIN}/pairing/create", user_id="no-such-user"
    )
    assert refused["error"] == {
        "code": "not_found",
        "message": "There is no active Home Assistant user no-such-user to link",
    }
