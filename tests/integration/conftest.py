"""Fixtures for tests that run the integration inside a real Home Assistant."""

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from this repository in every test."""
