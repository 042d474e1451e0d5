"""Config, options, reconfigure and reauth flows.

Adding a feed is trust on first use, like an SSH host key: the flow fetches the
feed, shows who publishes it and the fingerprint of each key, and pins exactly the
keys the user saw. An unsigned feed is only accepted with an explicit checkbox.
"""

from __future__ import annotations

from collections.abc import Mapping
import hashlib
import secrets
from typing import Any, override

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    LocationSelector,
    LocationSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from .const import (
    CONF_ALLOW_UNVERIFIED,
    CONF_CAMERAS,
    CONF_HOME,
    CONF_KEYS,
    CONF_PUBLISHER_ID,
    CONF_PUBLISHER_KIND,
    CONF_PUBLISHER_NAME,
    CONF_TOKEN,
    CONF_TRUST,
    CONF_URL,
    CONF_WEBHOOK_ID,
    DEFAULT_HOME_RADIUS_M,
    DOMAIN,
    LOGGER,
)
from .options_flow import OptionsFlowHandler
from .protocol.errors import ProtocolError
from .protocol.feed import FeedVerifier
from .protocol.jws import fingerprint
from .protocol.model import Feed
from .requests.feed_client import FeedFetchError, decode_feed, fetch_feed
from .settings import default_options

USER_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_URL): TextSelector(
            TextSelectorConfig(type=TextSelectorType.URL)
        ),
        probatio.Optional(CONF_TOKEN): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD)
        ),
    }
)


def feed_unique_id(url: str, publisher_id: str) -> str:
    """Same feed URL and publisher means the same entry, whatever its title."""
    return hashlib.sha256(f"{url}\n{publisher_id}".encode()).hexdigest()[:16]


def _check_signatures(feed: Feed) -> None:
    """Refuse a signed feed none of whose requests verify with its own keys.

    Pinning keys that cannot verify anything would only hide a broken or
    tampered feed until the first poll.
    """
    if not feed.publisher.keys:
        return
    try:
        result = FeedVerifier(feed.publisher.keys).verify(feed)
    except ProtocolError as err:
        raise FeedFetchError("not_a_feed", str(err)) from err
    if feed.entries and not result.accepted:
        raise FeedFetchError("bad_signature", str(result.rejected[0].problems))


async def _probe(hass: HomeAssistant, url: str, token: str | None) -> Feed:
    """Fetch, decode and self-verify a feed, off the event loop where it is CPU work."""
    fetched = await fetch_feed(async_get_clientsession(hass), url, token=token)
    assert fetched.body is not None  # no validators sent, so never a 304
    body = fetched.body
    feed = await hass.async_add_executor_job(decode_feed, body, url)
    await hass.async_add_executor_job(_check_signatures, feed)
    return feed


async def _probe_with_errors(
    hass: HomeAssistant, url: str, token: str | None, errors: dict[str, str]
) -> Feed | None:
    """`_probe`, with any failure written into the form's `errors`."""
    try:
        return await _probe(hass, url, token)
    except FeedFetchError as err:
        LOGGER.debug("Feed %s unusable: %s", url, err)
        errors["base"] = err.reason
    return None


class NeighborhoodRequestsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Feed URL, then trust, then the home's location and cameras."""

    VERSION = 1

    _url: str
    _token: str | None
    _feed: Feed
    _allow_unverified: bool = False

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlowHandler:
        """Guardrails, cameras and who decides."""
        return OptionsFlowHandler()

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the feed URL and fetch it."""
        errors: dict[str, str] = {}
        if user_input is not None:
            url = user_input[CONF_URL].strip()
            token = user_input.get(CONF_TOKEN) or None
            feed = await _probe_with_errors(self.hass, url, token, errors)
            if feed is not None:
                await self.async_set_unique_id(feed_unique_id(url, feed.publisher.id))
                self._abort_if_unique_id_configured()
                self._url, self._token, self._feed = url, token, feed
                if feed.publisher.keys:
                    return await self.async_step_trust()
                return await self.async_step_trust_unsigned()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
        )

    def _placeholders(self) -> dict[str, str]:
        publisher = self._feed.publisher
        return {
            "publisher": publisher.name,
            "kind": publisher.kind.value,
            "publisher_id": publisher.id,
            "url": self._url,
            "fingerprints": "\n".join(fingerprint(key) for key in publisher.keys),
            "requests": str(len(self._feed.entries)),
        }

    async def async_step_trust(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the publisher and key fingerprints; pin them once confirmed."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input.get(CONF_TRUST):
                return await self.async_step_home()
            errors["base"] = "not_trusted"
        return self.async_show_form(
            step_id="trust",
            data_schema=probatio.Schema(
                {probatio.Required(CONF_TRUST, default=False): BooleanSelector()}
            ),
            description_placeholders=self._placeholders(),
            errors=errors,
        )

    async def async_step_trust_unsigned(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """An unsigned feed: its requests can only ever be shown as unverified."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input.get(CONF_ALLOW_UNVERIFIED):
                self._allow_unverified = True
                return await self.async_step_home()
            errors["base"] = "unverified_not_allowed"
        return self.async_show_form(
            step_id="trust_unsigned",
            data_schema=probatio.Schema(
                {
                    probatio.Required(
                        CONF_ALLOW_UNVERIFIED, default=False
                    ): BooleanSelector()
                }
            ),
            description_placeholders=self._placeholders(),
            errors=errors,
        )

    async def async_step_home(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Where the home is and which cameras could have seen something."""
        if user_input is not None:
            publisher = self._feed.publisher
            return self.async_create_entry(
                title=publisher.name,
                data={
                    CONF_URL: self._url,
                    CONF_TOKEN: self._token,
                    CONF_PUBLISHER_ID: publisher.id,
                    CONF_PUBLISHER_NAME: publisher.name,
                    CONF_PUBLISHER_KIND: publisher.kind.value,
                    CONF_KEYS: [dict(key) for key in publisher.keys],
                    CONF_ALLOW_UNVERIFIED: self._allow_unverified,
                    CONF_WEBHOOK_ID: secrets.token_hex(16),
                },
                options=default_options(
                    user_input[CONF_HOME], user_input.get(CONF_CAMERAS, [])
                ),
            )
        home = {
            "latitude": self.hass.config.latitude,
            "longitude": self.hass.config.longitude,
            "radius": DEFAULT_HOME_RADIUS_M,
        }
        if (zone := self.hass.states.get("zone.home")) is not None:
            home["latitude"] = zone.attributes.get("latitude", home["latitude"])
            home["longitude"] = zone.attributes.get("longitude", home["longitude"])
        return self.async_show_form(
            step_id="home",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_HOME, default=home): LocationSelector(
                        LocationSelectorConfig(radius=True)
                    ),
                    probatio.Optional(CONF_CAMERAS, default=[]): EntitySelector(
                        EntitySelectorConfig(domain="camera", multiple=True)
                    ),
                }
            ),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Move the feed to a new URL or token; the publisher must stay the same."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            url = user_input[CONF_URL].strip()
            token = user_input.get(CONF_TOKEN) or None
            feed = await _probe_with_errors(self.hass, url, token, errors)
            if feed is not None:
                if feed.publisher.id != entry.data[CONF_PUBLISHER_ID]:
                    return self.async_abort(reason="wrong_publisher")
                unique_id = feed_unique_id(url, feed.publisher.id)
                await self.async_set_unique_id(unique_id)
                if unique_id != entry.unique_id:
                    self._abort_if_unique_id_configured()
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=unique_id,
                    data_updates={CONF_URL: url, CONF_TOKEN: token},
                )
        suggested = user_input or {CONF_URL: entry.data[CONF_URL]}
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, suggested),
            errors=errors,
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The feed answered 401/403: ask for a new token."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Try the new token against the same URL before saving it."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            token = user_input.get(CONF_TOKEN) or None
            url = entry.data[CONF_URL]
            if await _probe_with_errors(self.hass, url, token, errors) is not None:
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_TOKEN: token}
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=probatio.Schema(
                {
                    probatio.Optional(CONF_TOKEN): TextSelector(
                        TextSelectorConfig(type=TextSelectorType.PASSWORD)
                    )
                }
            ),
            description_placeholders={"url": entry.data[CONF_URL]},
            errors=errors,
        )
