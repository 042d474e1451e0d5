"""The reasons the home writes itself reach people in their language.

A refused request (its guardrail reasons) and a failed delivery (the home's own
cause), read in the panel and in the owner's notification in English, German
and Spanish; the English of the audit log and the action stays as it was.
"""

from __future__ import annotations

from datetime import timedelta
import re
from typing import Any

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.neighborhood_requests.const import CONF_ALLOW_LAN, DOMAIN
from custom_components.neighborhood_requests.protocol.parse import format_timestamp
from custom_components.neighborhood_requests.texts import async_texts
from tests.protocol.factories import HOME_LAT, HOME_LON, make_feed

from .conftest import SESSION_NOW, FeedServer, add_entry, request_now
from .inbox_helpers import REQUEST_ID, PublisherServer, audit_events
from .markdown import rendered
from .sharing import (  # noqa: F401  (fixtures are found by their names)
    assets_fixture,
    delivery_of,
    entry_fixture,
    notes,
    notifications_ready_fixture,
    publisher_fixture,
    record_of,
    settle,
    share,
)

# Words German and Spanish take from English as they are.
LOANWORDS = frozenset(
    {"upload", "https", "clip", "clips", "host", "sha", "radius", "computer"}
)

TOO_LONG = {
    "en": "the time window of 3 h is longer than the 2 h this home allows",
    "de": "das Zeitfenster von 3 Std. ist länger als die 2 Std., die dieses "
    "Zuhause erlaubt",
    "es": "la franja horaria de 3 h supera las 2 h que permite este hogar",
}
TOO_WIDE = {
    "en": "the area's radius of 900 m is larger than the 400 m this home allows",
    "de": "der Radius des Gebiets von 900 m ist größer als die 400 m, die dieses "
    "Zuhause erlaubt",
    "es": "el radio de la zona, 900 m, supera los 400 m que permite este hogar",
}
NO_CASE = {
    "en": "the request has no case number, which this home requires",
    "de": "die Anfrage hat kein Aktenzeichen, das dieses Zuhause verlangt",
    "es": "la solicitud no tiene número de caso, que este hogar exige",
}
LOOPBACK = {
    "en": "the upload address 127.0.0.1 is this computer itself",
    "de": "die Upload-Adresse 127.0.0.1 ist dieser Computer selbst",
    "es": "la dirección de subida 127.0.0.1 es este mismo ordenador",
}
ENGLISH_RULES = [
    "3h 0m is longer than the 2h 0m this home allows",
    "radius 900 m is larger than the 400 m this home allows",
    "a case number is required",
]


def english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2}


def assert_no_english(language: str, text: str, english: str) -> None:
    """No word of the English sentence is left in a translation (but loanwords)."""
    if language == "en":
        return
    left = english_words(text) & english_words(english) - LOANWORDS
    assert not left, f"{language}: {text!r} keeps English {sorted(left)}"


async def ws(client: Any, **message: Any) -> dict[str, Any]:
    await client.send_json_auto_id(message)
    reply: dict[str, Any] = await client.receive_json()
    assert reply["success"], reply
    result: dict[str, Any] = reply["result"]
    return result


@pytest.mark.usefixtures("home")
@pytest.mark.parametrize("language", ["en", "de", "es"])
async def test_a_refused_request_says_why_in_the_readers_language(
    hass: HomeAssistant,
    feed_server: FeedServer,
    hass_ws_client: WebSocketGenerator,
    language: str,
) -> None:
    """Window too long, area too wide, no case number: each in the panel's words."""
    entry = await add_entry(hass, feed_server.url)
    refused = request_now(
        id="wpd-long",
        window={
            "start": format_timestamp(SESSION_NOW - timedelta(hours=4)),
            "end": format_timestamp(SESSION_NOW - timedelta(hours=1)),
        },
        area={"circle": {"lat": HOME_LAT, "lon": HOME_LON, "radius_m": 900.0}},
        incident={"type": "burglary", "summary": "Break-in.", "case_number": None},
    )
    feed_server.serve(make_feed([refused]))
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    client = await hass_ws_client(hass)

    view = await ws(
        client,
        type=f"{DOMAIN}/panel/request",
        entry_id=entry.entry_id,
        request_id="wpd-long",
        language=language,
    )

    assert view["state"] == "rejected"
    shown = [reason["reason"] for reason in view["reasons"]]
    assert shown == [TOO_LONG[language], TOO_WIDE[language], NO_CASE[language]]
    assert [reason["code"] for reason in view["reasons"]] == [
        "window_too_long",
        "radius_too_large",
        "case_number_required",
    ]
    for text, english in zip(shown, ENGLISH_RULES, strict=True):
        assert_no_english(language, text, english)
    # The history says the same, and so does the transparency report it shows.
    history = await ws(
        client,
        type=f"{DOMAIN}/panel/history",
        entry_id=entry.entry_id,
        language=language,
    )
    [row] = [r for r in history["requests"] if r["request_id"] == "wpd-long"]
    assert [reason["reason"] for reason in row["reasons"]] == shown
    report = await ws(
        client,
        type=f"{DOMAIN}/panel/transparency",
        entry_id=entry.entry_id,
        language=language,
    )
    assert report["rejected_reasons"] == dict.fromkeys(shown, 1)

    # The audit log, the stored record and the action keep the English.
    assert [r["text"] for r in view["reasons"]] == ENGLISH_RULES
    action = await hass.services.async_call(
        DOMAIN,
        "transparency_report",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    [publisher] = action["publishers"].values()
    assert publisher["rejected_reasons"] == dict.fromkeys(ENGLISH_RULES, 1)
    verdict = next(
        e
        for e in audit_events(entry.runtime_data.coordinator.audit_path)
        if e.get("request_id") == "wpd-long" and e["type"] == "verdict"
    )
    assert verdict["reasons"] == [
        ["window", ENGLISH_RULES[0]],
        ["area", ENGLISH_RULES[1]],
        ["incident.case_number", ENGLISH_RULES[2]],
    ]


@pytest.mark.parametrize("language", ["en", "de", "es"])
async def test_a_failed_delivery_says_why_in_the_readers_language(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    entry: ConfigEntry,
    publisher: PublisherServer,
    hass_admin_user: User,
    hass_ws_client: WebSocketGenerator,
    language: str,
) -> None:
    """The outbox refuses this computer's address: the notification and the
    panel's history say so in the home's (and the reader's) language."""
    hass.config.language = language
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_ALLOW_LAN: False}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await settle(hass)
    await share(hass, entry, hass_admin_user)

    # The record keeps the English it always had (every rule broken).
    english = "upload address 127.0.0.1 is on this computer (loopback); must use https"
    delivery = delivery_of(entry)
    assert (delivery.state, delivery.reason) == ("failed", english)
    assert publisher.posts == []

    [message] = [
        rendered(n["message"])
        for n in notes(hass).values()
        if REQUEST_ID in rendered(n["message"])
    ]
    assert LOOPBACK[language] in message
    texts = await async_texts(hass)
    assert texts["delivery_failed_message"].split("{")[0] in message
    assert_no_english(language, LOOPBACK[language], english)

    client = await hass_ws_client(hass)
    history = await ws(
        client,
        type=f"{DOMAIN}/panel/history",
        entry_id=entry.entry_id,
        language=language,
    )
    [row] = [r for r in history["requests"] if r["request_id"] == REQUEST_ID]
    [shown] = row["deliveries"]
    assert shown["reason"] == LOOPBACK[language]
    assert shown["reason_code"] == "upload_address_refused"
    assert record_of(entry).deliveries[0].reason == english
