"""Setting up and tearing down the integration (imported lazily by `__init__`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import EVENT_CORE_CONFIG_UPDATE, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.typing import ConfigType

from . import websocket_api, websocket_links, websocket_owner
from .consent.mobile_notify import Notifier
from .consent.owner_prompt import OwnerPrompt
from .consent.people import RECIPIENTS
from .consent.recipients import Recipients
from .consent.reconcile import async_reconcile, async_resume_shares
from .consent.taps import TAPS, Taps
from .const import (
    CONF_ALLOW_LAN,
    CONF_UPLOAD_ORIGINS,
    CONF_WEBHOOK_ID,
    DOMAIN,
    LEGACY_ALLOW_LOOPBACK_UPLOAD,
)
from .coordinator import FeedCoordinator
from .data import NeighborhoodRequestsConfigEntry, RuntimeData
from .delivery.deliveries import Deliveries, async_remove_outbox
from .delivery.home_key import async_ensure_home_key
from .footage.exporter import FootageExporter
from .footage.presence import FootagePresence
from .footage.preview import PREVIEWS, Previews, PreviewView
from .footage.recording import Footage
from .panel.registration import async_register_static, async_sync_panel
from .panel.websocket import async_setup_panel_websocket
from .requests.push import async_register_push
from .requests.rejections import RejectionTally
from .requests.store import RequestStore
from .services import async_setup_services
from .texts import async_shipped_texts

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.GEO_LOCATION,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Actions and websocket commands are integration-wide."""
    recipients = Recipients(hass)
    await recipients.async_load()
    hass.data[RECIPIENTS] = recipients
    previews = Previews(hass)
    await previews.async_start()
    hass.data[PREVIEWS] = previews
    hass.data[TAPS] = Taps(hass)
    hass.data[TAPS].async_start()
    hass.http.register_view(PreviewView())
    async_setup_services(hass)
    for commands in (websocket_api, websocket_links, websocket_owner):
        commands.async_setup_websocket(hass)
    async_setup_panel_websocket(hass)
    await async_register_static(hass)
    return True


def async_migrate_entry(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> bool:
    """1.1 -> 1.2: pinned upload origins, and the LAN allowance in the options.

    An entry from before upload origins were pinned trusts what it trusted
    then, the feed URL's origin (always trusted, so nothing more is pinned).
    The developer-only loopback switch becomes the owner's LAN allowance.
    """
    if entry.version > 1:
        return False  # a downgrade: this version cannot read that entry
    if entry.minor_version < 2:
        data = {**entry.data}
        data.setdefault(CONF_UPLOAD_ORIGINS, [])
        options = {**entry.options}
        loopback = bool(options.pop(LEGACY_ALLOW_LOOPBACK_UPLOAD, False))
        options.setdefault(CONF_ALLOW_LAN, loopback)
        hass.config_entries.async_update_entry(
            entry, data=data, options=options, minor_version=2
        )
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> bool:
    """Load what we knew, poll the feed once, then set up the entities."""
    store = RequestStore(hass, entry.entry_id)
    await store.async_load()
    home_key = async_ensure_home_key(hass, entry)
    coordinator = FeedCoordinator(hass, entry, store, home_key)
    entry.runtime_data = RuntimeData(coordinator=coordinator, home_key=home_key)
    coordinator.shipped_texts = await async_shipped_texts(hass)
    # Before the first poll: a torn line or a cut log is recorded, and every
    # decision the audit log or the outbox holds is back on its record, so a
    # decided request is never prompted again.
    await coordinator.async_open_audit()
    deliveries = Deliveries(hass, entry, coordinator, home_key)
    await deliveries.async_load()
    await async_reconcile(coordinator, deliveries)
    await coordinator.async_config_entry_first_refresh()
    # Links made while this entry was not loaded went to the other entries' logs.
    await hass.data[RECIPIENTS].async_account_for(coordinator)
    footage = Footage(hass, entry, coordinator.settings.footage)
    entry.runtime_data.footage = footage
    entry.runtime_data.exporter = FootageExporter(hass, footage)
    coordinator.presence = FootagePresence(
        hass,
        coordinator.settings.footage,
        footage.directory,
        coordinator.async_update_listeners,
        footage.explain,
    )
    # Stop ffmpeg whether the entry unloads or a later setup step fails.
    entry.async_on_unload(footage.async_stop)
    await footage.async_start()
    # Resumes what a restart interrupted; every share goes out through this outbox.
    await deliveries.async_start()
    entry.runtime_data.outbox = deliveries
    entry.async_create_background_task(
        hass, async_resume_shares(coordinator), f"{DOMAIN} resume shares"
    )
    async_register_push(hass, entry, coordinator, entry.data[CONF_WEBHOOK_ID])
    Notifier(hass, entry, coordinator).async_start()
    OwnerPrompt(hass, entry, coordinator).async_start()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    coordinator.async_end_replay()
    _reload_on_new_language(hass, entry)
    await async_sync_panel(hass, adding=entry)
    return True


@callback
def _reload_on_new_language(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> None:
    """Set the entry up again when the home's language changes.

    Entity names, the map pins' incident labels and every notification are made
    in the home's language when the entry sets up; without this they would stay
    in the old language until Home Assistant restarts.
    """
    language = hass.config.language

    @callback
    def changed(event: Event[Mapping[str, Any]]) -> None:
        if hass.config.language != language:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, changed))


async def async_unload_entry(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> bool:
    """Unload the platforms and write the store at once."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.coordinator.store.async_save()
        await entry.runtime_data.coordinator.rejections.async_save()
        await async_sync_panel(hass, removing=entry)
    return unloaded


async def async_remove_entry(
    hass: HomeAssistant, entry: NeighborhoodRequestsConfigEntry
) -> None:
    """Forget the stored requests with the entry; the audit log stays as evidence."""
    await RequestStore(hass, entry.entry_id).async_remove()
    await RejectionTally(hass, entry.entry_id).async_remove()
    await async_remove_outbox(hass, entry.entry_id)
