"""How the demo answers options forms and menus it has never seen.

The walk against the integration's real options flow is in
test_homeassistant_client.py; these pin the rules on serialized schemas as Home
Assistant's REST API sends them.
"""

from __future__ import annotations

from typing import Any

import pytest

from demo.homeassistant import FlowError
from demo.options_flow import answer_form, choose_menu_option

SCHEMA: list[dict[str, Any]] = [
    {"name": "poll_interval", "required": True, "default": 300},
    {"name": "allow_lan_publisher", "required": True, "default": False},
    {
        "name": "frigate_camera",
        "optional": True,
        "required": False,
        "description": {"suggested_value": "front_door"},
    },
    {"name": "frigate_url", "optional": True, "required": False},
    {
        "name": "advanced",
        "type": "expandable",
        "required": True,
        "schema": [{"name": "backend", "required": True, "default": "frigate"}],
    },
]


def test_a_form_is_answered_as_the_frontend_prefills_it() -> None:
    answer, applied = answer_form(
        "init", SCHEMA, {"allow_lan_publisher": True, "backend": "recorder"}
    )
    assert answer == {
        "poll_interval": 300,
        "allow_lan_publisher": True,
        "frigate_camera": "front_door",
        "advanced": {"backend": "recorder"},
    }
    assert applied == {"allow_lan_publisher": True, "backend": "recorder"}


def test_a_required_field_without_any_value_stops_the_walk() -> None:
    schema = [{"name": "feed_token", "required": True}]
    with pytest.raises(FlowError, match="step 'init': required field 'feed_token'"):
        answer_form("init", schema, {})


def test_a_menu_is_walked_once_each_and_finished_last() -> None:
    options = ["finish", "guardrails", "cameras"]
    visited: set[str] = set()
    chosen = []
    for _ in range(3):
        chosen.append(choose_menu_option(options, visited))
        visited.add(chosen[-1])
    assert chosen == ["guardrails", "cameras", "finish"]
    with pytest.raises(FlowError, match="offers no way to finish"):
        choose_menu_option(["guardrails"], {"guardrails"})
