"""The home's own Ed25519 key: it signs every manifest this home sends.

Generated once per entry and kept in the entry's data (Home Assistant's
`.storage`, readable only by HA's user), never in options, diagnostics or logs.
An inbox learns the public key from the manifest's `kid`; the owner can compare
the fingerprint shown in the options with what a requester reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .const import CONF_HOME_KEY
from .protocol.jws import (
    fingerprint,
    generate_private_key,
    load_private_key,
    private_key_to_pem,
    public_jwk,
)


@dataclass(frozen=True, slots=True)
class HomeKey:
    """The private key with the public facts derived from it."""

    private_key: Ed25519PrivateKey
    jwk: dict[str, str]

    @property
    def kid(self) -> str:
        """RFC 7638 thumbprint: the manifest's `home_key_id` and JWS `kid`."""
        return self.jwk["kid"]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.jwk)

    @classmethod
    def from_pem(cls, pem: str) -> HomeKey:
        key = load_private_key(pem.encode())
        return cls(key, public_jwk(key))


@callback
def async_ensure_home_key(hass: HomeAssistant, entry: ConfigEntry[Any]) -> HomeKey:
    """Load the entry's key, generating and storing it on first setup."""
    pem = entry.data.get(CONF_HOME_KEY)
    if pem is None:
        pem = private_key_to_pem(generate_private_key()).decode()
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_HOME_KEY: pem}
        )
    return HomeKey.from_pem(str(pem))
