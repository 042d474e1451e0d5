"""quality_scale.yaml states every rule, and its documentation claims hold.

hassfest checks this file only for core integrations, so nothing else would notice
a rule claimed done without its documentation.
"""

from __future__ import annotations

from pathlib import Path
import re

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SCALE = REPO / "custom_components/neighborhood_requests/quality_scale.yaml"
DOCS = REPO / "docs/integration.md"
HASSFEST = REPO.parent / "shared/tools/hassfest/script/hassfest/quality_scale.py"

# The rules of Home Assistant's Integration Quality Scale, as hassfest lists them
# (script/hassfest/quality_scale.py in Home Assistant core, 2026.10).
RULES = {
    "bronze": [
        "action-setup", "appropriate-polling", "brands", "common-modules",
        "config-flow", "config-flow-test-coverage", "dependency-transparency",
        "docs-actions", "docs-conditions", "docs-high-level-description",
        "docs-installation-instructions", "docs-removal-instructions",
        "docs-triggers", "entity-event-setup", "entity-unique-id",
        "has-entity-name", "runtime-data", "test-before-configure",
        "test-before-setup", "unique-config-entry",
    ],
    "silver": [
        "action-exceptions", "config-entry-unloading",
        "docs-configuration-parameters", "docs-installation-parameters",
        "entity-unavailable", "integration-owner", "log-when-unavailable",
        "parallel-updates", "reauthentication-flow", "test-coverage",
    ],
    "gold": [
        "devices", "diagnostics", "discovery", "discovery-update-info",
        "docs-data-update", "docs-examples", "docs-known-limitations",
        "docs-supported-devices", "docs-supported-functions",
        "docs-troubleshooting", "docs-use-cases", "dynamic-devices",
        "entity-category", "entity-device-class", "entity-disabled-by-default",
        "entity-translations", "exception-translations", "icon-translations",
        "reconfiguration-flow", "repair-issues", "stale-devices",
    ],
    "platinum": ["async-dependency", "inject-websession", "strict-typing"],
}  # fmt: skip
ALL = [rule for rules in RULES.values() for rule in rules]


def rules() -> dict[str, str | dict[str, str]]:
    data = yaml.safe_load(SCALE.read_text(encoding="utf-8"))
    found: dict[str, str | dict[str, str]] = data["rules"]
    return found


def status(value: str | dict[str, str]) -> str:
    return value if isinstance(value, str) else value["status"]


def test_every_rule_is_stated_once() -> None:
    assert sorted(rules()) == sorted(ALL)


def test_platinum_is_true_no_rule_is_left_todo() -> None:
    for name, value in rules().items():
        assert status(value) in ("done", "exempt"), name
        if status(value) == "exempt":
            assert isinstance(value, dict)
            assert len(value.get("comment", "")) > 20, f"{name}: exempt needs a reason"


def test_documentation_rules_point_to_sections_that_exist() -> None:
    headings = {
        line.lstrip("#").strip()
        for line in DOCS.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }
    for name, value in rules().items():
        if not name.startswith("docs-") or status(value) == "exempt":
            continue
        assert isinstance(value, dict), f"{name}: say where the documentation is"
        match = re.match(r"docs/integration\.md: ([^(]+)", value["comment"])
        assert match, (name, value["comment"])
        sections = [s.strip() for s in match.group(1).split(";")]
        for section in sections:
            assert section in headings, (name, section)


def test_the_pinned_rule_list_is_hassfests() -> None:
    if not HASSFEST.is_file():
        pytest.skip(f"hassfest's copy is not on this machine ({HASSFEST})")
    text = HASSFEST.read_text(encoding="utf-8")
    listed = re.findall(r'Rule\(\s*"([a-z-]+)",\s*ScaledQualityScaleTiers\.(\w+)', text)
    assert listed, "hassfest's rule list changed shape"
    assert {(r, t.lower()) for r, t in listed} == {
        (rule, tier) for tier, names in RULES.items() for rule in names
    }
