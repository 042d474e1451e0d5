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
    code = "\n".join(p.read_text() for p in PACKAGE.glob("*.py"))
    for key in re.findall(r'translation_key="(\w+)"', code):
        assert f"exceptions.{key}.message" in english or any(
            k.startswith(f"issues.{key}.") for k in english
        ), key
    for key in re.findall(r'_invalid\(\s*"(\w+)"', code):
        assert f"exceptions.{key}.message" in english, key
    for key in re.findall(r'FeedFetchError\("(\w+)"', code):
        if key != "wrong_publisher":  # a poll failure reason, never a form error
            assert f"config.error.{key}" in english, key
    for key in re.findall(r'reason="(\w+)"', code):
        assert (
            f"config.abort.{key}" in english
            or f"issues.keys_changed.fix_flow.abort.{key}" in english
        ), key
