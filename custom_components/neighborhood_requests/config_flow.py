"""Config, options, reconfigure and reauth flows.

Adding a feed is trust on first use, like an SSH host key: the flow fetches the
feed, shows who publishes it, the fingerprint of each key and where shared clips
would go, and pins exactly the keys and upload origins the user saw. An unsigned
feed is only accepted with an explicit checkbox, and so is a feed on the home's
own network.
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
    CONF_ALLOW_LAN,
    CONF_ALLOW_UNVERIFIED,
    CONF_CAMERAS,
    CONF_HOME,
    CONF_KEYS,
    CONF_PUBLISHER_ID,
    CONF_PUBLISHER_KIND,
    CONF_PUBLISHER_NAME,
    CONF_TOKEN,
    CONF_TRUST,
    CONF_UPLOAD_ORIGINS,
    CONF_URL,
    CONF_WEBHOOK_ID,
    DEFAULT_HOME_RADIUS_M,
    DOMAIN,
    LOGGER,
)
from .markdown import plain
from .options_flow import OptionsFlowHandler
from .protocol.errors import ProtocolError
from .protocol.feed import FeedVerifier, self_verified_statement
from .protocol.jws import fingerprint
from .protocol.model import Feed, PublisherStatement
from .protocol.origins import origin_label
from .requests.feed_client import FeedFetchError, decode_feed, fetch_feed
from .requests.publisher_session import publisher_session
from .settings import default_options, trusted_origins

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


def _check_signatures(feed: Feed) -> PublisherStatement | None:
    """Refuse a signed feed none of whose requests verify with its own keys.

    Pinning keys that cannot verify anything would only hide a broken or
    tampered feed until the first poll. The publisher's statement must verify
    too: the upload origins it names are shown to the owner as trusted.
    """
    if not feed.publisher.keys:
        return None
    try:
        result = FeedVerifier(feed.publisher.keys).verify(feed)
    except ProtocolError as err:
        raise FeedFetchError("not_a_feed", str(err)) from err
    if feed.entries and not result.accepted:
        raise FeedFetchError("bad_signature", str(result.rejected[0].problems))
    try:
        return self_verified_statement(feed.publisher)
    except ProtocolError as err:
        raise FeedFetchError("bad_statement", str(err)) from err


async def _probe(
    hass: HomeAssistant, url: str, token: str | None, *, allow_lan: bool
) -> tuple[Feed, PublisherStatement | None]:
    """Fetch, decode and self-verify a feed, off the event loop where it is CPU work."""
    session = publisher_session(hass, allow_lan=allow_lan)
    fetched = await fetch_feed(session, url, token=token)
    assert fetched.body is not None  # no validators sent, so never a 304
    body = fetched.body
    feed = await hass.async_add_executor_job(decode_feed, body, url)
    statement = await hass.async_add_executor_job(_check_signatures, feed)
    return feed, statement


async def _probe_with_errors(
    hass: HomeAssistant,
    url: str,
    token: str | None,
    errors: dict[str, str],
    *,
    allow_lan: bool,
) -> tuple[Feed, PublisherStatement | None] | None:
    """`_probe`, with any failure written into the form's `errors`."""
    try:
        return await _probe(hass, url, token, allow_lan=allow_lan)
    except FeedFetchError as err:
        LOGGER.debug("Feed %s unusable: %s", url, err)
        errors["base"] = err.reason
    return None


class NeighborhoodRequestsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Feed URL, then trust, then the home's location and cameras."""

    VERSION = 1
    # 1.2: upload origins pinned in the data, a LAN publisher allowed in the options.
    MINOR_VERSION = 2

    _url: str
    _token: str | None
    _feed: Feed
    _statement: PublisherStatement | None = None
    _allow_unverified: bool = False
    _allow_lan: bool = False
    _lan_address: str = ""

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
            self._url, self._token = url, token
            try:
                probed = await _probe(self.hass, url, token, allow_lan=self._allow_lan)
            except FeedFetchError as err:
                LOGGER.debug("Feed %s unusable: %s", url, err)
                if err.reason == "private_address":
                    self._lan_address = err.detail.removeprefix("feed address ")
                    return await self.async_step_lan_publisher()
                errors["base"] = err.reason
            else:
                return await self._probed(*probed)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_lan_publisher(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The feed is on the home's own network: only with the owner's explicit yes."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input.get(CONF_ALLOW_LAN):
                self._allow_lan = True
                # Fetched again from the URL step, which shows any other error.
                return await self.async_step_user(
                    {CONF_URL: self._url, CONF_TOKEN: self._token}
                )
            errors["base"] = "lan_not_allowed"
        return self.async_show_form(
            step_id="lan_publisher",
            data_schema=probatio.Schema(
                {probatio.Required(CONF_ALLOW_LAN, default=False): BooleanSelector()}
            ),
            description_placeholders={
                "url": plain(self._url),
                "address": plain(self._lan_address),
            },
            errors=errors,
        )

    async def _probed(
        self, feed: Feed, statement: PublisherStatement | None
    ) -> ConfigFlowResult:
        """A usable feed: one entry per feed, then trust it (signed or not)."""
        await self.async_set_unique_id(feed_unique_id(self._url, feed.publisher.id))
        self._abort_if_unique_id_configured()
        self._feed, self._statement = feed, statement
        if feed.publisher.keys:
            return await self.async_step_trust()
        return await self.async_step_trust_unsigned()

    def _upload_origins(self) -> list[str]:
        """The signed upload origins the trust screen shows (and the entry pins)."""
        return list(self._statement.upload_origins) if self._statement else []

    def _placeholders(self) -> dict[str, str]:
        """Everything from the feed is escaped: descriptions render Markdown."""
        publisher = self._feed.publisher
        destinations = trusted_origins(
            {CONF_URL: self._url, CONF_UPLOAD_ORIGINS: self._upload_origins()}
        )
        return {
            "publisher": plain(publisher.name),
            "kind": publisher.kind.value,
            "publisher_id": publisher.id,
            "url": plain(self._url),
            "fingerprints": "\n".join(fingerprint(key) for key in publisher.keys),
            "requests": str(len(self._feed.entries)),
            "destinations": plain(
                ", ".join(sorted(origin_label(o) for o in destinations))
            ),
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
                    CONF_UPLOAD_ORIGINS: self._upload_origins(),
                },
                options={
                    **default_options(
                        user_input[CONF_HOME], user_input.get(CONF_CAMERAS, [])
                    ),
                    CONF_ALLOW_LAN: self._allow_lan,
                },
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
            probed = await _probe_with_errors(
                self.hass, url, token, errors, allow_lan=_allows_lan(entry)
            )
            if probed is not None:
                feed = probed[0]
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
            probed = await _probe_with_errors(
                self.hass, url, token, errors, allow_lan=_allows_lan(entry)
            )
            if probed is not None:
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


def _allows_lan(entry: ConfigEntry) -> bool:
    """Whether the owner allowed this entry's publisher on the home's network."""
    return bool(entry.options.get(CONF_ALLOW_LAN, False))
