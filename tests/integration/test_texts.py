"""What the server writes itself reads as words, in the home's language and zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import re
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.protocol.errors import Problem
from custom_components.neighborhood_requests.texts import async_texts, readable
from tests.protocol.factories import make_feed

from .conftest import FeedServer, add_entry, request_now
from .markdown import rendered

pytestmark = pytest.mark.usefixtures("home")

# 14:58 UTC on a December day is 9:58 in New York (EST, UTC-5).
MORNING = datetime(2026, 12, 6, 14, 58, 31, tzinfo=UTC)


@pytest.fixture
async def new_york(hass: HomeAssistant) -> None:
    await hass.config.async_set_time_zone("America/New_York")


@pytest.mark.usefixtures("new_york")
@pytest.mark.parametrize(
    ("language", "moment", "same_day_end", "next_day_end"),
    [
        (
            "en",
            "December 6, 2026 at 9:58 AM",
            "10:28 AM",
            "December 7, 2026 at 10:28 AM",
        ),
        ("en-GB", "December 6, 2026 at 9:58", "10:28", "December 7, 2026 at 10:28"),
        ("de", "6. Dezember 2026 um 09:58", "10:28", "7. Dezember 2026 um 10:28"),
        (
            "es",
            "6 de diciembre de 2026, 9:58",
            "10:28",
            "7 de diciembre de 2026, 10:28",
        ),
    ],
)
async def test_times_are_local_without_seconds(
    hass: HomeAssistant,
    language: str,
    moment: str,
    same_day_end: str,
    next_day_end: str,
) -> None:
    texts = await async_texts(hass, language)
    assert texts.moment(MORNING) == moment
    later = MORNING + timedelta(minutes=30)
    assert texts.window(MORNING, later) == (moment, same_day_end)
    assert texts.window(MORNING, later + timedelta(days=1)) == (moment, next_day_end)


async def test_afternoon_and_midnight_on_a_twelve_hour_clock(
    hass: HomeAssistant, new_york: None
) -> None:
    texts = await async_texts(hass, "en")
    assert texts.clock(datetime(2026, 12, 6, 19, 5, tzinfo=UTC)) == "2:05 PM"
    assert texts.clock(datetime(2026, 12, 7, 5, 0, tzinfo=UTC)) == "12:00 AM"
    assert texts.clock(datetime(2026, 12, 6, 17, 0, tzinfo=UTC)) == "12:00 PM"


@pytest.mark.parametrize(
    ("language", "length", "shown"),
    [
        ("en", timedelta(minutes=90), "1 h 30 min"),
        ("de", timedelta(minutes=90), "1 Std. 30 Min."),
        ("es", timedelta(minutes=20), "20 min"),
        ("en", timedelta(days=2, hours=3, minutes=5), "2 d 3 h"),
        ("de", timedelta(seconds=45), "45 Sek."),
        ("en", timedelta(0), "0 s"),
    ],
)
async def test_durations(
    hass: HomeAssistant, language: str, length: timedelta, shown: str
) -> None:
    assert (await async_texts(hass, language)).duration(length) == shown


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", "package_theft", "Package theft"),
        ("de", "package_theft", "Paketdiebstahl"),
        ("es", "burglary", "Robo en domicilio"),
        ("de", "bike_theft", "Bike theft"),
        ("es", "graffiti-tagging", "Graffiti tagging"),
    ],
)
async def test_incident_types_in_words(
    hass: HomeAssistant, language: str, value: str, shown: str
) -> None:
    assert (await async_texts(hass, language)).incident(value) == shown


async def test_other_labels_in_three_languages(hass: HomeAssistant) -> None:
    en, de, es = [await async_texts(hass, lang) for lang in ("en", "de", "es")]
    assert en.publisher_kind("law_enforcement") == "Law enforcement"
    assert de.publisher_kind("community") == "Nachbarschaftsgruppe"
    assert es.legal_basis("court_order", "CV-26-114") == "Orden judicial (CV-26-114)"
    assert de.verification(True) == "Signatur geprüft"
    assert es.audio(False) == "no incluido"
    assert de.feed_problem("dns_failure") == "sein Hostname wurde nicht gefunden"
    # A reason added later still reads as words.
    assert en.feed_problem("something_new") == "the feed could not be reached"
    assert readable("") == ""


async def test_entity_names_follow_the_homes_language(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """Names are made at setup; a change of language sets the entry up again."""
    await add_entry(hass, feed_server.url)
    names = {
        entry.translation_key: hass.states.get(entry.entity_id).name  # type: ignore[union-attr]
        for entry in er.async_get(hass).entities.values()
        if entry.platform == DOMAIN
    }
    assert names["pause"] == "Wolcott Police Department Pause new requests"
    assert names["request"] == "Wolcott Police Department Burglary, case 24-1187"

    await hass.config.async_update(language="de")
    await hass.async_block_till_done()
    renamed = {
        entry.translation_key: hass.states.get(entry.entity_id).name  # type: ignore[union-attr]
        for entry in er.async_get(hass).entities.values()
        if entry.platform == DOMAIN
    }
    assert renamed["pause"] == "Wolcott Police Department Neue Anfragen pausieren"
    assert renamed["pending_requests"] == "Wolcott Police Department Offene Anfragen"
    assert renamed["request"] == (
        "Wolcott Police Department Einbruch, Aktenzeichen 24-1187"
    )
    sensor = next(
        e.entity_id
        for e in er.async_get(hass).entities.values()
        if e.translation_key == "pending_requests"
    )
    state = hass.states.get(sensor)
    assert state is not None
    # A count has no unit: "1 requests" is never shown.
    assert "unit_of_measurement" not in state.attributes


async def test_notifications_are_written_in_the_homes_language(
    hass: HomeAssistant, feed_server: FeedServer, new_york: None
) -> None:
    """The owner's notification and the phone's, in Spanish, with camera names."""
    assert await async_setup_component(hass, "persistent_notification", {})
    hass.config.language = "es"
    hass.states.async_set("camera.porch", "idle", {"friendly_name": "Porche"})
    sent: list[dict[str, Any]] = []

    async def phone(call: ServiceCall) -> None:
        sent.append(dict(call.data))

    hass.services.async_register("notify", "mobile_app_phone", phone)
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "notify_targets": ["mobile_app_phone"]}
    )
    # A request that arrives after the phone was chosen.
    incident = {
        "type": "package_theft",
        "summary": "Paquete robado.",
        "case_number": "24-2000",
    }
    feed_server.serve(make_feed([request_now(id="wpd-2", incident=incident)]))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    record = next(
        r for r in entry.runtime_data.coordinator.store if r.request_id == "wpd-2"
    )
    assert record.request is not None
    texts = await async_texts(hass)
    start, end = texts.window(record.request.window.start, record.request.window.end)
    [message] = [m for m in sent if "Paquete robado." in m["message"]]
    assert message["message"].startswith("Robo de paquetes: Paquete robado.")
    assert start in message["message"]
    assert end in message["message"]
    assert "package_theft" not in message["message"]
    assert not re.search(r"\d:\d\d:\d\d", message["message"])  # no seconds
    assert [a["title"] for a in message["data"]["actions"]] == [
        "Compartir…",
        "Rechazar",
    ]
    shown = persistent_notification._async_get_or_create_notifications(hass)
    texts_shown = rendered(" ".join(n["message"] for n in shown.values()))
    assert "Robo de paquetes" in texts_shown
    assert start in texts_shown
    assert not re.search(r"\d:\d\d:\d\d", texts_shown)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 entry", "2 entries"),
        ("de", "1 Eintrag", "2 Einträge"),
        ("es", "1 entrada", "2 entradas"),
    ],
)
async def test_counts_take_the_plural_of_their_language(
    hass: HomeAssistant, language: str, one: str, two: str
) -> None:
    texts = await async_texts(hass, language)
    assert texts.count("count_entries", 1) == one
    assert texts.count("count_entries", 2) == two
    assert texts.count("count_entries", 0) == two.replace("2", "0")


@pytest.mark.parametrize(
    ("language", "malformed", "signature", "key", "polygon", "other"),
    [
        (
            "en",
            "the entry is malformed (window.start: must be an RFC 3339 time)",
            "the signature does not verify (signature: signature does not verify)",
            "it is signed with a key this home does not know "
            '(signature: unknown kid "k9")',
            "the area of 0.250 km² (like a 282 m radius) is larger than the "
            "200 m radius this home allows",
            "technical detail: HTTP 599",
        ),
        (
            "de",
            "der Eintrag ist fehlerhaft (window.start: must be an RFC 3339 time)",
            "die Signatur ist nicht gültig (signature: signature does not verify)",
            "sie ist mit einem Schlüssel signiert, den dieses Zuhause nicht kennt "
            '(signature: unknown kid "k9")',
            "das Gebiet von 0,250 km² (wie ein Radius von 282 m) ist größer als der "
            "Radius von 200 m, den dieses Zuhause erlaubt",
            "technische Angabe: HTTP 599",
        ),
        (
            "es",
            "la entrada está mal formada (window.start: must be an RFC 3339 time)",
            "la firma no es válida (signature: signature does not verify)",
            "está firmada con una clave que este hogar no conoce "
            '(signature: unknown kid "k9")',
            "la zona de 0,250 km² (como un radio de 282 m) supera el radio de "
            "200 m que permite este hogar",
            "detalle técnico: HTTP 599",
        ),
    ],
)
async def test_reasons_in_words(  # noqa: PLR0917 - one row of the table per language
    hass: HomeAssistant,
    language: str,
    malformed: str,
    signature: str,
    key: str,
    polygon: str,
    other: str,
) -> None:
    """Technical problems stay technical behind a sentence naming their kind; a
    reason's numbers take the language's decimal mark; a code this version does
    not know shows its English behind a lead-in rather than a guess."""
    texts = await async_texts(hass, language)
    technical = Problem("window.start", "must be an RFC 3339 time")
    assert texts.problem(technical) == malformed
    bad = Problem("signature", "signature does not verify")
    assert texts.problem(bad) == signature
    unknown = Problem("requests[2].signature", 'unknown kid "k9"')
    assert texts.problem(unknown) == key.replace("signature:", "requests[2].signature:")
    area = Problem(
        "area",
        "polygon of 0.250 km² (like a 282 m radius) is larger than the 200 m radius "
        "this home allows",
        "polygon_too_large",
        {"area": "0.250", "radius": "282", "limit": "200"},
    )
    assert texts.problem(area) == polygon
    assert texts.reason("from_a_later_version", {}, "HTTP 599") == other
    assert texts.reason("", {}, "HTTP 599") == other
