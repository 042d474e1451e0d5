"""The access model's table: each role against each action, as the owner set it up.

Every surface asks this one table; the other tests in this folder attack each
surface to show that it does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.auth.const import GROUP_ID_ADMIN, GROUP_ID_USER
from homeassistant.auth.models import Group, User
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.neighborhood_requests.consent.access import (
    AccessDenied,
    Action,
    allows,
    is_decider,
)
from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.settings import Settings

TRANSLATIONS = Path(__file__).parents[2] / (
    "custom_components/neighborhood_requests/translations"
)


def user(name: str, *, admin: bool = False, active: bool = True) -> User:
    group = Group(
        name="g",
        policy={},
        id=GROUP_ID_ADMIN if admin else GROUP_ID_USER,
        system_generated=True,
    )
    return MockUser(name=name, is_active=active, groups=[group])


ADMIN = user("admin", admin=True)
OTHER_ADMIN = user("other admin", admin=True)
LISTED = user("listed decider")
RESIDENT = user("resident")
INACTIVE_ADMIN = user("former admin", admin=True, active=False)


def settings(**options: Any) -> Settings:
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={"url": "https://feed.example/feed.json", "publisher_id": "p"},
        options=options,
    )
    return Settings.from_entry(entry)


EVERYTHING = frozenset(Action)
DECIDER = EVERYTHING - {Action.MANAGE_LINKS, Action.TRUST}
ADMIN_ONLY = {
    Action.PAUSE,
    Action.REPORT,
    Action.AUDIT,
    Action.REFRESH,
    Action.MANAGE_LINKS,
    Action.TRUST,
}


def granted(rules: Settings, who: User | None) -> set[Action]:
    return {action for action in Action if allows(rules, who, action)}


def test_without_listed_deciders_every_active_admin_decides() -> None:
    rules = settings()
    assert granted(rules, ADMIN) == EVERYTHING
    assert granted(rules, RESIDENT) == set()
    assert granted(rules, INACTIVE_ADMIN) == set()
    assert granted(rules, None) == set()


def test_listed_deciders_replace_the_admins_as_deciders() -> None:
    rules = settings(deciders=[LISTED.id, ADMIN.id])
    assert granted(rules, LISTED) == DECIDER
    assert granted(rules, ADMIN) == EVERYTHING
    # An administrator who is not listed keeps the owner's tools, not the decision.
    assert granted(rules, OTHER_ADMIN) == ADMIN_ONLY
    assert not is_decider(rules, OTHER_ADMIN)
    assert granted(rules, RESIDENT) == set()


def test_a_listed_decider_who_was_deactivated_may_do_nothing() -> None:
    gone = user("gone", active=False)
    assert granted(settings(deciders=[gone.id]), gone) == set()


def test_residents_see_requests_only_when_the_owner_allows_it_and_never_footage() -> (
    None
):
    rules = settings(residents_receive_requests=True)
    assert granted(rules, RESIDENT) == {Action.VIEW}
    assert granted(rules, INACTIVE_ADMIN) == set()


@pytest.mark.parametrize("language", ["en", "de", "es"])
def test_every_refusal_says_what_is_missing_in_every_language(language: str) -> None:
    exceptions = json.loads((TRANSLATIONS / f"{language}.json").read_text("utf-8"))[
        "exceptions"
    ]
    for action in Action:
        denied = AccessDenied(action)
        assert denied.translation_key in exceptions
        assert exceptions[denied.translation_key]["message"]
