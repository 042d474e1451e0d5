"""Every user-facing word is translated, in every language we ship, consistently."""

from __future__ import annotations

import ast
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


# Where the code names a reason's code: the argument (position, keyword) of each.
REASON_CALLS = {
    "Problem": (2, "code", 3),
    "failed": (2, "code", 3),
    "retry": (1, "code", 2),
    "UploadOutcome": (None, "code", None),
    "withdraw": (2, "code", None),
}


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _argument(node: ast.Call, position: int | None, name: str) -> ast.expr | None:
    if position is not None and len(node.args) > position:
        return node.args[position]
    return next((k.value for k in node.keywords if k.arg == name), None)


def reason_codes_in_code() -> dict[str, set[str] | None]:
    """Every reason code the code writes, with its values' names where literal.

    `request_{status}` and `withdrawn_{reason}` are expanded over their enums;
    `code = "…"` assignments in `delivery/` (the re-export's causes) count too.
    """
    from custom_components.neighborhood_requests.delivery.withdrawal import Reason
    from custom_components.neighborhood_requests.protocol.model import Status

    expansions = {
        "request_": [s.value for s in Status if s is not Status.ACTIVE],
        "withdrawn_": [r.value for r in Reason],
    }
    found: dict[str, set[str] | None] = {}

    def note(code: ast.expr | None, params: ast.expr | None) -> None:
        names = (
            {k.value for k in params.keys if isinstance(k, ast.Constant)}
            if isinstance(params, ast.Dict)
            else None
        )
        if isinstance(code, ast.Constant) and code.value:
            found[code.value] = names if params is not None else set()
        elif isinstance(code, ast.JoinedStr):
            [prefix, *_] = code.values
            assert isinstance(prefix, ast.Constant), ast.unparse(code)
            for value in expansions[prefix.value]:
                found[f"{prefix.value}{value}"] = set()

    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (name := _call_name(node)) in (
                REASON_CALLS
            ):
                code_at, keyword, params_at = REASON_CALLS[name]
                note(
                    _argument(node, code_at, keyword),
                    _argument(node, params_at, "params"),
                )
            elif (
                path.parent.name == "delivery"
                and isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and any(
                    isinstance(t, ast.Name) and t.id == "code" for t in node.targets
                )
            ):
                note(node.value, None)
    return found


def test_every_reason_code_has_words_with_its_values() -> None:
    """Each code a guardrail, an upload or the outbox writes is translated, and
    its template asks for exactly the values the code fills in."""
    codes = reason_codes_in_code()
    assert {"window_too_long", "upload_address_refused", "stalled"} <= codes.keys()
    assert "request_cancelled" in codes
    assert "withdrawn_gone" in codes
    for language in ("en", "de", "es"):
        words = load(language)
        for code, names in codes.items():
            key = f"selector.reasons.options.{code}"
            assert key in words, f"{language}: {code}"
            if names is not None:
                assert set(PLACEHOLDER.findall(words[key])) == names, (language, code)


def test_every_kind_of_problem_and_address_has_words() -> None:
    """The technical lead-ins, and every kind of address the home refuses."""
    from custom_components.neighborhood_requests.protocol import addresses

    source = Path(addresses.__file__).read_text(encoding="utf-8")
    kinds = set(re.findall(r'kind="(\w+)"', source)) | set(
        re.findall(r'^\s+"(\w+)",\n\s+\),', source, re.MULTILINE)
    )
    kinds |= {"private", "shared", "reserved"}  # the LAN table and the default
    for language in ("en", "de", "es"):
        assert options(language, "address_kinds") == kinds
        assert options(language, "problem_kinds") == {
            "malformed",
            "bad_signature",
            "unknown_key",
        }
        for kind in ("malformed", "bad_signature", "unknown_key"):
            text = load(language)[f"selector.problem_kinds.options.{kind}"]
            assert PLACEHOLDER.findall(text) == ["detail"]
