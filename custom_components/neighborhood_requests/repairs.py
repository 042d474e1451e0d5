"""Re-trust: the publisher's key set changed, and only the owner may accept that.

Until the owner confirms, the coordinator holds every request from the feed; a
stolen or rotated key is exactly the moment not to prompt anyone automatically.
Repairs admit only administrators, and the flow asks the access model again
(`Action.TRUST`) for the user of the HTTP request, so a flow started without one
(from code, an automation) trusts nothing.
"""

from __future__ import annotations

import json
from typing import Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .consent.access import (
    AccessDenied,
    Action,
    Surface,
    async_require,
    current_user,
    is_admin,
)
from .const import CONF_KEYS, DOMAIN
from .coordinator import issue_id
from .protocol.jws import fingerprint


class RetrustRepairFlow(RepairsFlow):
    """Shows the new fingerprints; confirming pins them and reloads the entry."""

    def __init__(self, entry_id: str, keys: list[dict[str, Any]]) -> None:
        self._entry_id = entry_id
        self._keys = keys

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Pin exactly the keys shown here, then let the coordinator start over."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None:
            return self.async_abort(reason="entry_removed")
        user = current_user()
        if entry.state is ConfigEntryState.LOADED:
            try:
                await async_require(
                    self.hass,
                    entry.runtime_data.coordinator,
                    user.id if user else None,
                    Action.TRUST,
                    surface=Surface.REPAIRS,
                )
            except AccessDenied:
                return self.async_abort(reason="not_allowed")
        elif not is_admin(user):
            return self.async_abort(reason="not_allowed")
        if user_input is not None:
            self.hass.config_entries.async_update_entry(
                entry, data={**entry.data, CONF_KEYS: self._keys}
            )
            ir.async_delete_issue(
                self.hass, DOMAIN, issue_id("keys_changed", self._entry_id)
            )
            await self.hass.config_entries.async_reload(self._entry_id)
            return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="confirm",
            description_placeholders={
                "title": entry.title,
                "fingerprints": "\n".join(fingerprint(key) for key in self._keys),
            },
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """`keys_changed` is the only fixable issue: requests are decided in the panel.

    Issue data must be flat, so the keys travel as a JSON string.
    """
    assert data is not None
    return RetrustRepairFlow(str(data["entry_id"]), json.loads(str(data["keys"])))
