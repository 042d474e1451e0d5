"""Config, options, reconfigure and reauth flows.

Adding a feed is trust on first use, like an SSH host key: the flow fetches the
feed, shows who publishes it, the fingerprint of each key and where shared clips
would go, and pins exactly the keys and upload origins the user saw. An unsigned
feed is only accepted with an explicit switch, a feed on the home's own network
only with another, plain http only after a step that names its risk, and one
publisher's keys only once.
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
from yarl import URL

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
)
from .markdown import plain
from .options_flow import OptionsFlowHandler
from .protocol.jws import fingerprint
from .protocol.model import Feed, PublisherStatement
from .protocol.origins import origin_label
from .requests.fetch_errors import FeedFetchError
from .requests.probe import async_probe
from .settings import default_options, trusted_origins
from .texts import async_texts

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


async def _probe_with_errors(
    hass: HomeAssistant,
    url: str,
    token: str | None,
    errors: dict[str, str],
    placeholders: dict[str, str],
    *,
    allow_lan: bool,
) -> tuple[Feed, PublisherStatement | None] | None:
    """`async_probe`, with a failure's cause written into the form's `errors`."""
    try:
        return await async_probe(hass, url, token, allow_lan=allow_lan)
    except FeedFetchError as err:
        errors["base"] = err.reason
        placeholders.update(err.placeholders)
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
    _http_accepted: str | None = None
    _http_pending: tuple[str, dict[str, Any]] = ("user", {})

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
        placeholders: dict[str, str] = {}
        if user_input is not None:
            url = user_input[CONF_URL].strip()
            token = user_input.get(CONF_TOKEN) or None
            if self._needs_http_consent(url):
                return await self._async_ask_http_consent("user", user_input)
            self._url, self._token = url, token
            try:
                probed = await async_probe(
                    self.hass, url, token, allow_lan=self._allow_lan
                )
            except FeedFetchError as err:
                if err.reason == "private_address" and not self._allow_lan:
                    self._lan_address = err.detail.removeprefix("feed address ")
                    return await self.async_step_lan_publisher()
                errors["base"] = err.reason
                placeholders.update(err.placeholders)
            else:
                return await self._probed(*probed)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                USER_SCHEMA, user_input or self._http_pending[1]
            ),
            errors=errors,
            description_placeholders=placeholders or None,
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
        if (twin := self._same_publisher(feed)) is not None:
            return self.async_abort(
                reason="already_configured_publisher",
                description_placeholders={
                    "publisher": plain(feed.publisher.name),
                    "title": plain(twin.title),
                    "url": plain(twin.data[CONF_URL]),
                },
            )
        self._feed, self._statement = feed, statement
        if feed.publisher.keys:
            return await self.async_step_trust()
        return await self.async_step_trust_unsigned()

    def _upload_origins(self) -> list[str]:
        """The signed upload origins the trust screen shows (and the entry pins)."""
        return list(self._statement.upload_origins) if self._statement else []

    def _needs_http_consent(self, url: str, current: str | None = None) -> bool:
        """Plain http, not yet accepted for this very address in this flow."""
        try:
            scheme = URL(url).scheme.lower()
        except ValueError:
            return False
        return scheme == "http" and url not in (self._http_accepted, current)

    async def _async_ask_http_consent(
        self, origin: str, user_input: dict[str, Any]
    ) -> ConfigFlowResult:
        """Say what plain http risks; go on only if the owner chooses to."""
        self._http_pending = (origin, user_input)
        return await self.async_step_insecure()

    async def async_step_insecure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Continue over plain http, or go back and enter another address."""
        origin, pending = self._http_pending
        url = pending[CONF_URL].strip()
        return self.async_show_menu(
            step_id="insecure",
            menu_options=["insecure_accept", origin],
            description_placeholders={
                "url": plain(url),
                "host": plain(URL(url).host or url),
            },
        )

    async def async_step_insecure_accept(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The owner accepted plain http for this address: fetch it now."""
        origin, pending = self._http_pending
        self._http_accepted = pending[CONF_URL].strip()
        if origin == "reconfigure":
            return await self.async_step_reconfigure(pending)
        return await self.async_step_user(pending)

    def _same_publisher(self, feed: Feed) -> ConfigEntry | None:
        """An entry that already pins one of this publisher's keys, at any URL.

        Two entries for one publisher would show every request twice and split
        its transparency report; moving a feed is what Reconfigure is for. An
        unsigned feed has no key to compare, so only its URL identifies it.
        """
        keys = {fingerprint(key) for key in feed.publisher.keys}
        for entry in self._async_current_entries(include_ignore=False):
            if entry.data.get(CONF_PUBLISHER_ID) != feed.publisher.id:
                continue
            if keys & {fingerprint(key) for key in entry.data.get(CONF_KEYS, [])}:
                return entry
        return None

    async def _placeholders(self) -> dict[str, str]:
        """Who publishes and where clips would go, as the trust steps show it.

        Everything from the feed is escaped: descriptions render Markdown.
        """
        publisher = self._feed.publisher
        texts = await async_texts(self.hass)
        destinations = trusted_origins(
            {CONF_URL: self._url, CONF_UPLOAD_ORIGINS: self._upload_origins()}
        )
        return {
            "publisher": plain(publisher.name),
            "kind": texts.publisher_kind(publisher.kind.value),
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
            description_placeholders=await self._placeholders(),
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
            description_placeholders=await self._placeholders(),
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
        placeholders: dict[str, str] = {}
        if user_input is not None:
            url = user_input[CONF_URL].strip()
            token = user_input.get(CONF_TOKEN) or None
            if self._needs_http_consent(url, current=entry.data[CONF_URL]):
                return await self._async_ask_http_consent("reconfigure", user_input)
            probed = await _probe_with_errors(
                self.hass,
                url,
                token,
                errors,
                placeholders,
                allow_lan=_allows_lan(entry),
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
        suggested = (
            user_input or self._http_pending[1] or {CONF_URL: entry.data[CONF_URL]}
        )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, suggested),
            errors=errors,
            description_placeholders=placeholders or None,
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
        placeholders = {"url": plain(entry.data[CONF_URL])}
        if user_input is not None:
            token = user_input.get(CONF_TOKEN) or None
            url = entry.data[CONF_URL]
            probed = await _probe_with_errors(
                self.hass,
                url,
                token,
                errors,
                placeholders,
                allow_lan=_allows_lan(entry),
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
            description_placeholders=placeholders,
            errors=errors,
        )


def _allows_lan(entry: ConfigEntry) -> bool:
    """Whether the owner allowed this entry's publisher on the home's network."""
    return bool(entry.options.get(CONF_ALLOW_LAN, False))
