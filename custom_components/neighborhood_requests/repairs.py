"""Re-trust: the publisher's keys or upload origins changed; only the owner may accept.

Until the owner confirms new keys, the coordinator holds every request from the
feed; a stolen or rotated key is exactly the moment not to prompt anyone
automatically. New upload origins hold only the requests that name them.
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
from .const import CONF_KEYS, CONF_UPLOAD_ORIGINS, CONF_URL, DOMAIN
from .coordinator import issue_id
from .markdown import plain
from .protocol.jws import fingerprint
from .protocol.origins import origin_label
from .settings import trusted_origins


class RetrustRepairFlow(RepairsFlow):
    """Shows the keys and where clips would go; confirming pins both and reloads.

    Raised for new keys and for a signed change of upload origins: either way
    the owner trusts anew exactly what is shown here, nothing more.
    """

    def __init__(
        self, entry_id: str, keys: list[dict[str, Any]], origins: list[str]
    ) -> None:
        self._entry_id = entry_id
        self._keys = keys
        self._origins = origins

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Pin exactly the keys and origins shown, then let the entry start over."""
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
                entry,
                data={
                    **entry.data,
                    CONF_KEYS: self._keys,
                    CONF_UPLOAD_ORIGINS: self._origins,
                },
            )
            for kind in ("keys_changed", "upload_origins_changed"):
                ir.async_delete_issue(self.hass, DOMAIN, issue_id(kind, self._entry_id))
            await self.hass.config_entries.async_reload(self._entry_id)
            return self.async_create_entry(data={})
        destinations = trusted_origins(
            {CONF_URL: entry.data[CONF_URL], CONF_UPLOAD_ORIGINS: self._origins}
        )
        return self.async_show_form(
            step_id="confirm",
            description_placeholders={
                "title": plain(entry.title),
                "fingerprints": "\n".join(fingerprint(key) for key in self._keys),
                "destinations": plain(
                    ", ".join(sorted(origin_label(o) for o in destinations))
                ),
            },
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Re-trusting keys or origins is the only fix: requests are decided in the panel.

    Issue data must be flat, so keys and origins travel as JSON strings.
    """
    assert data is not None
    return RetrustRepairFlow(
        str(data["entry_id"]),
        json.loads(str(data["keys"])),
        json.loads(str(data.get("origins", "[]"))),
    )
