"""Every user-facing word is translated, in every language we ship, consistently."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest

PACKAGE = Path(__file__).parents[2] / "custom_components" / "neighborhood_requests"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out |= leaves(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def load(language: str) -> dict[str, str]:
    path = PACKAGE / "translations" / f"{language}.json"
    return leaves(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("language", ["de", "es"])
def test_same_keys_and_placeholders_as_english(language: str) -> None:
    english, other = load("en"), load(language)
    assert other.keys() == english.keys()
    for key, text in english.items():
        assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(text)), (
            key
        )


def test_every_translation_key_in_code_exists() -> None:
    """`translation_key=` in the code and form error reasons all resolve."""
    english = load("en")
    code = "\n".join(p.read_text() for p in PACKAGE.rglob("*.py"))
    for key in re.findall(r'translation_key="(\w+)"', code):
        assert f"exceptions.{key}.message" in english or any(
            k.startswith(f"issues.{key}.") for k in english
        ), key
    for key in re.findall(r'_invalid\(\s*"(\w+)"', code):
        assert f"exceptions.{key}.message" in english, key
    for key in re.findall(r'FeedFetchError\(\s*"(\w+)"', code):
        if key != "wrong_publisher":  # a poll failure reason, never a form error
            assert f"config.error.{key}" in english, key
        assert f"selector.feed_problems.options.{key}" in english, key
    for key in re.findall(r'reason="(\w+)"', code):
        assert (
            f"config.abort.{key}" in english
            or f"issues.keys_changed.fix_flow.abort.{key}" in english
        ), key


# A string copied from English unchanged may be a name ("Frigate") or a word both
# languages share ("Protest"); a copied phrase of three words or more is not.
COPIED_WORDS = 3


@pytest.mark.parametrize("language", ["de", "es"])
def test_no_english_sentence_left_untranslated(language: str) -> None:
    english, other = load("en"), load(language)
    for key, text in other.items():
        words = re.findall(r"[A-Za-z]+", PLACEHOLDER.sub("", text))
        if text == english[key] and len(words) >= COPIED_WORDS:
            pytest.fail(f"{language}: {key} is still English: {text!r}")


def options(language: str, label_set: str) -> set[str]:
    prefix = f"selector.{label_set}.options."
    return {k.removeprefix(prefix) for k in load(language) if k.startswith(prefix)}


def test_every_value_people_see_has_a_label() -> None:
    """Enums of the protocol, the spec's incident types, every feed problem."""
    from custom_components.neighborhood_requests.protocol.model import (
        LegalBasis,
        PublisherKind,
    )
    from custom_components.neighborhood_requests.texts import MONTH_KEYS

    spec = (PACKAGE.parents[1] / "docs" / "feed-spec.md").read_text(encoding="utf-8")
    section = spec.split("### 3.5 Incident types", 1)[1].split("\n## ", 1)[0]
    registered = set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
    registered.discard("type")  # the table's header
    assert {"package_theft", "burglary", "hit_and_run"} <= registered
    assert options("en", "incident_types") == registered
    assert options("en", "legal_bases") == {basis.value for basis in LegalBasis}
    assert options("en", "publisher_kinds") == {kind.value for kind in PublisherKind}
    assert options("en", "verification") == {"verified", "unverified"}
    assert options("en", "audio") == {"included", "not_included"}
    assert options("en", "months") == set(MONTH_KEYS)
    assert options("en", "day_periods") == {"am", "pm"}


def test_texts_the_code_fills_in_exist() -> None:
    """Every `texts["key"]` and `texts.label` set the code reads is translated."""
    english = load("en")
    code = "\n".join(p.read_text() for p in PACKAGE.rglob("*.py"))
    for key in set(re.findall(r'texts\["(\w+)"\]', code)) | set(
        re.findall(r'self\["(\w+)"\]', code)
    ):
        assert f"exceptions.{key}.message" in english, key
    for unit in ("days", "hours", "minutes", "seconds"):
        assert f"exceptions.duration_{unit}.message" in english


def test_every_count_has_both_forms() -> None:
    """A `<key>_one` template has its `<key>_other`, and the reverse."""
    english = load("en")
    counts = {
        key.removesuffix(".message")
        for key in english
        if key.startswith("exceptions.count_")
    }
    assert counts
    for key in counts:
        stem = key.rsplit("_", 1)[0]
        assert {f"{stem}_one", f"{stem}_other"} <= counts, key
