"""The bot names incidents, kinds and legal bases in words, as the integration does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.labels import INCIDENT_TYPES, incident_label
from bot.messages import render_request, venue
from bot.state import Tracked
from bot.texts import LANGUAGES, LEGAL_BASES, TEXTS

TRANSLATIONS = (
    Path(__file__).parents[2]
    / "custom_components"
    / "neighborhood_requests"
    / "translations"
)


def integration_labels(language: str, label_set: str) -> dict[str, str]:
    strings = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )
    options: dict[str, str] = strings["selector"][label_set]["options"]
    return options


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_bot_knows_the_same_values_as_the_integration(language: str) -> None:
    """One vocabulary: a value the integration labels, the bot labels too."""
    assert INCIDENT_TYPES[language] == integration_labels(language, "incident_types")
    assert set(LEGAL_BASES[language]) == set(
        integration_labels(language, "legal_bases")
    )
    kinds = {key.removeprefix("kind_") for key in TEXTS[language] if key[:5] == "kind_"}
    assert kinds == set(integration_labels(language, "publisher_kinds"))


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", "package_theft", "Package theft"),
        ("de", "package_theft", "Paketdiebstahl"),
        ("es", "package_theft", "Robo de paquetes"),
        ("de", "bike_theft", "Bike theft"),
        ("xx", "hit_and_run", "Hit and run"),
        ("en", None, "?"),
    ],
)
def test_incident_labels_and_the_readable_fallback(
    language: str, value: Any, shown: str
) -> None:
    assert incident_label(language, value) == shown


def test_a_request_names_its_incident_in_words_everywhere() -> None:
    payload = {
        "publisher_name": "Wolcott PD",
        "publisher_kind": "law_enforcement",
        "verified": True,
        "incident_type": "hit_and_run",
        "legal_basis": "court_order",
        "window_start": "2026-11-20T14:00:00Z",
        "window_end": "2026-11-20T14:30:00Z",
        "expires_at": "2026-11-27T14:05:00Z",
        "area_center": {"lat": 41.6, "lon": -73.0},
        "radius_m": 200,
    }
    html = render_request(Tracked("e/r", payload), "es", ZoneInfo("Europe/Madrid"))
    assert "Atropello con fuga" in html
    assert "hit_and_run" not in html
    assert "law_enforcement" not in html
    assert "court_order" not in html
    place = venue(payload, "de")
    assert place is not None
    assert place[2] == "Wolcott PD: Unfallflucht"
