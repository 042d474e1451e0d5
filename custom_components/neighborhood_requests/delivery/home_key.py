"""The home's own Ed25519 key: it signs every manifest this home sends.

Generated once per entry and kept in the entry's data (Home Assistant's
`.storage`, readable only by HA's user), never in options, diagnostics or logs.
An inbox learns the public key from the manifest's `kid`; the owner can compare
the fingerprint shown in the options with what a requester reports.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from ..const import CONF_HOME_KEY
from ..protocol.jws import (
    SigningKey,
    generate_private_key,
    load_private_key,
    private_key_to_pem,
)

# The home's key is an ordinary signing key; the name says whose it is.
HomeKey = SigningKey


@callback
def async_ensure_home_key(hass: HomeAssistant, entry: ConfigEntry[Any]) -> HomeKey:
    """Load the entry's key, generating and storing it on first setup."""
    pem = entry.data.get(CONF_HOME_KEY)
    if pem is None:
        pem = private_key_to_pem(generate_private_key()).decode()
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_HOME_KEY: pem}
        )
    return SigningKey.from_private(load_private_key(str(pem).encode()))
