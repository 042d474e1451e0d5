"""Audit lines about the whole integration, written into every loaded entry's log.

Telegram links, pairing refusals and refusals of integration-wide commands belong
to no single feed, yet each changes (or tried to change) who sees and decides
that feed's requests. Each entry's log is the whole evidence for its feed: it is
verified alone and handed over alone. So such a line goes into every loaded
entry's log rather than into a separate integration-wide log that a verification
of one feed would never read; an entry loaded later learns the links in force
from `consent.recipients.Recipients.async_account_for`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntryState

from ..const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from ..coordinator import FeedCoordinator


def loaded_coordinators(hass: HomeAssistant) -> list[FeedCoordinator]:
    """The coordinators of every entry that is set up right now."""
    return [
        entry.runtime_data.coordinator
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]


async def async_audit_everywhere(hass: HomeAssistant, *events: dict[str, Any]) -> None:
    """Append `events` to the log of every loaded entry."""
    for coordinator in loaded_coordinators(hass):
        await coordinator.async_audit(*events)
