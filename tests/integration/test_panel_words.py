"""The panel's own words: every key in English, German and Spanish, none unused.

The panel (frontend/src) looks its words up by key; a key missing in one
language would show English there, or the bare key, so the three files must
hold exactly the same keys, and every key the source asks for must exist.
"""

from __future__ import annotations

import json
from pathlib import Path
import re

import pytest

FRONTEND = Path(__file__).parents[2] / "frontend" / "src"
LANGUAGES = ("en", "de", "es")
PLURAL = re.compile(r"_(one|other)$")


def words(language: str) -> dict[str, str]:
    data: dict[str, str] = json.loads(
        (FRONTEND / "localize" / f"{language}.json").read_text()
    )
    return data


def asked_for() -> set[str]:
    """Plain keys the source passes to `l.t(...)` (dynamic ones are checked below)."""
    keys: set[str] = set()
    for source in FRONTEND.rglob("*.ts"):
        keys.update(re.findall(r"\bl\.t\(\s*\"([a-z_.0-9]+)\"", source.read_text()))
        keys.update(re.findall(r"\bt\(\s*\"([a-z_.0-9]+)\"", source.read_text()))
    return keys


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_language_has_every_word(language: str) -> None:
    assert set(words(language)) == set(words("en"))
    assert all(
        value.strip() or key == "channel.unknown"
        for key, value in words(language).items()
    )


def test_every_word_the_panel_asks_for_exists() -> None:
    known = {PLURAL.sub("", key) for key in words("en")}
    missing = asked_for() - known
    assert not missing, sorted(missing)


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        (
            "state",
            [
                "pending",
                "shared",
                "declined",
                "rejected",
                "outside_area",
                "paused",
                "expired",
                "cancelled",
            ],
        ),
        ("channel", ["panel", "phone", "telegram", "action", "websocket"]),
        ("delivery", ["queued", "delivered", "failed", "expired", "withdrawn", "held"]),
        (
            "footage",
            [
                "presence_yes",
                "presence_no",
                "presence_unknown",
                "error_no_footage",
                "error_camera_offline",
                "error_disk_error",
            ],
        ),
        ("legal_bases", ["voluntary", "warrant", "subpoena", "court_order"]),
        ("publisher_kinds", ["law_enforcement", "community", "other"]),
    ],
)
def test_every_value_the_server_sends_has_a_word(
    prefix: str, values: list[str]
) -> None:
    for language in LANGUAGES:
        table = words(language)
        assert [v for v in values if f"{prefix}.{v}" not in table] == [], language


def test_counts_have_their_plural_forms() -> None:
    for language in LANGUAGES:
        table = words(language)
        for key in table:
            if key.endswith("_one"):
                assert key.removesuffix("_one") + "_other" in table, (language, key)
