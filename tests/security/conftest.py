"""Attacks through the real surfaces use the integration tests' Home Assistant.

Servers and entries are defined once, in tests/integration/conftest.py, and
named here. Preparing Home Assistant is autouse there but not here: a module
that needs it says `pytestmark = pytest.mark.usefixtures("home_assistant")`,
so the pure tests in this folder start no Home Assistant.
"""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant
import pytest

from tests.integration import conftest as integration

entry = integration.entry
feed_server = integration.feed_server
home = integration.home


@pytest.fixture
def home_assistant(
    enable_custom_integrations: None, hass: HomeAssistant, tmp_path: Path
) -> HomeAssistant:
    """What tests/integration's autouse fixtures do: our integration, a tmp config."""
    hass.config.config_dir = str(tmp_path)
    return hass
