"""The panel's websocket commands: everything it shows and does goes through here.

Each command names the feed (`entry_id`) and asks `consent.access` for the
calling user before it reads or does anything; decisions and previews take the
one path every surface takes (`consent.decisions.respond` / `preview`), with
the channel `panel` recorded on the decision. Errors carry a message in the
caller's `language`, since the panel shows them as they come.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.components.http.auth import async_sign_path
from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigEntryState,
)
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_connect
import probatio

from ..consent.access import Action, Surface, allows, async_require
from ..consent.decisions import (
    CHANNEL_PANEL,
    PreviewAsk,
    Response,
    preview,
    respond,
)
from ..consent.people import decider_names
from ..const import DECISION_DECLINE, DECISION_SHARE, DOMAIN
from ..coordinator import FeedCoordinator
from ..export.result import NoFootageError, format_views, gap_views
from ..footage.preview import PREVIEW_URL
from ..requests.store import record_key
from ..requests.transparency import transparency_report
from ..texts import async_texts
from ..websocket_api import LANGUAGE, error_text
from .views import feed_view, reasons_in_words, request_view

PREFIX = f"{DOMAIN}/panel"
# Long enough to watch a two-hour window, short enough that a copied link dies.
PREVIEW_LINK_LIFETIME = timedelta(hours=3)
# Why a preview failed, as the panel names it (translated there).
CAUSE_NO_FOOTAGE = "no_footage"
CAUSE_CAMERA_OFFLINE = "camera_offline"
CAUSE_DISK_ERROR = "disk_error"


@callback
def async_setup_panel_websocket(hass: HomeAssistant) -> None:
    """Register every panel command; called once from `async_setup`."""
    for command in (
        ws_subscribe,
        ws_request,
        ws_preview,
        ws_respond,
        ws_history,
        ws_transparency,
        ws_audit,
    ):
        async_register_command(hass, command)


def _loaded(hass: HomeAssistant) -> list[FeedCoordinator]:
    return [
        entry.runtime_data.coordinator
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]


def _coordinator(hass: HomeAssistant, entry_id: str) -> FeedCoordinator:
    entry = hass.config_entries.async_get_entry(entry_id)
    if (
        entry is None
        or entry.domain != DOMAIN
        or entry.state is not ConfigEntryState.LOADED
    ):
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="unknown_feed"
        )
    coordinator: FeedCoordinator = entry.runtime_data.coordinator
    return coordinator


async def _fail(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
    err: HomeAssistantError,
    code: str | None = None,
) -> None:
    text = await error_text(hass, err, msg.get("language"))
    connection.send_error(
        msg["id"], code or err.translation_key or "unknown_error", text
    )


async def _require(
    hass: HomeAssistant,
    coordinator: FeedCoordinator,
    connection: ActiveConnection,
    msg: dict[str, Any],
    action: Action,
) -> None:
    """The access model's answer; a refusal is audit-logged like on every surface."""
    await async_require(
        hass,
        coordinator,
        connection.user.id,
        action,
        surface=Surface.WEBSOCKET,
        request_id=msg.get("request_id"),
    )


@websocket_command(
    {
        probatio.Required("type"): f"{PREFIX}/subscribe",
        probatio.Optional("language"): LANGUAGE,
    }
)
@async_response
async def ws_subscribe(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Every feed as this user may see it, now and after every change.

    A feed the user may do nothing with is left out entirely; one they may only
    report on or link Telegram for comes without its requests and map.
    """
    user = connection.user
    unsubs: list[CALLBACK_TYPE] = []
    texts = await async_texts(hass, msg.get("language"))

    @callback
    def send(_: object = None) -> None:
        feeds = [
            feed_view(hass, coordinator, user, texts)
            for coordinator in _loaded(hass)
            if any(feed_allowed(coordinator, connection))
        ]
        about = {"name": user.name, "is_admin": user.is_admin}
        connection.send_message(
            event_message(msg["id"], {"feeds": feeds, "user": about})
        )

    @callback
    def attach() -> None:
        for unsub in unsubs:
            unsub()
        unsubs.clear()
        for coordinator in _loaded(hass):
            unsubs.append(coordinator.async_add_listener(send))

    @callback
    def entry_changed(change: ConfigEntryChange, entry: ConfigEntry) -> None:
        if entry.domain == DOMAIN:
            attach()
            send()

    for coordinator in _loaded(hass):
        if coordinator.presence is not None:
            await coordinator.presence.async_probe(
                r.request for r in coordinator.data.pending if r.request is not None
            )
    attach()
    stop_entries = async_dispatcher_connect(
        hass, SIGNAL_CONFIG_ENTRY_CHANGED, entry_changed
    )

    @callback
    def unsubscribe() -> None:
        stop_entries()
        for unsub in unsubs:
            unsub()

    connection.subscriptions[msg["id"]] = unsubscribe
    connection.send_result(msg["id"])
    send()


def feed_allowed(
    coordinator: FeedCoordinator, connection: ActiveConnection
) -> list[bool]:
    """Which panel sections this user has on this feed (any True shows the feed)."""
    settings, user = coordinator.settings, connection.user
    return [
        allows(settings, user, action)
        for action in (
            Action.VIEW,
            Action.REPORT,
            Action.AUDIT,
            Action.LINK_SELF,
            Action.MANAGE_LINKS,
        )
    ]


ENTRY_REQUEST: dict[probatio.Marker | str, Any] = {
    probatio.Required("entry_id"): str,
    probatio.Required("request_id"): str,
    probatio.Optional("language"): LANGUAGE,
}


@websocket_command({probatio.Required("type"): f"{PREFIX}/request", **ENTRY_REQUEST})
@async_response
async def ws_request(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """One request in whatever state it is: pending, decided, expired, withdrawn."""
    try:
        coordinator = _coordinator(hass, msg["entry_id"])
        await _require(hass, coordinator, connection, msg, Action.VIEW)
        record = coordinator.store.get(
            record_key(coordinator.settings.publisher_id, msg["request_id"])
        )
        if record is None:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="unknown_request",
                translation_placeholders={"request_id": msg["request_id"]},
            )
    except HomeAssistantError as err:
        await _fail(hass, connection, msg, err)
        return
    names = decider_names(hass)
    await names.async_refresh()
    texts = await async_texts(hass, msg.get("language"))
    connection.send_result(msg["id"], request_view(coordinator, record, texts, names))


@websocket_command(
    {
        probatio.Required("type"): f"{PREFIX}/preview",
        **ENTRY_REQUEST,
        probatio.Required("camera"): str,
    }
)
@async_response
async def ws_preview(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Export one camera's window for the caller and hand back a playable link.

    The link is signed for this login only and dies after a few hours. What
    the clip lacks comes along (`gaps`), and a failure names its cause.
    """
    try:
        coordinator = _coordinator(hass, msg["entry_id"])
        await _require(hass, coordinator, connection, msg, Action.PREVIEW)
        try:
            media_content_id, clip = await preview(
                hass,
                coordinator,
                PreviewAsk(
                    request_id=msg["request_id"],
                    camera=msg["camera"],
                    user_id=connection.user.id,
                    surface=Surface.WEBSOCKET,
                ),
            )
        except OSError as err:  # the disk, not the footage: say so
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="export_failed",
                translation_placeholders={"camera": msg["camera"], "error": str(err)},
            ) from err
    except HomeAssistantError as err:
        await _fail(hass, connection, msg, err, _cause(hass, msg["camera"], err))
        return
    token = media_content_id.rpartition("/")[2]
    connection.send_result(
        msg["id"],
        {
            "url": async_sign_path(
                hass,
                PREVIEW_URL.format(token=token),
                PREVIEW_LINK_LIFETIME,
                refresh_token_id=connection.refresh_token_id,
            ),
            "media_content_id": media_content_id,
            "bytes": clip.bytes,
            "start": clip.start.isoformat(),
            "end": clip.end.isoformat(),
            "gaps": gap_views(clip.missing),
            "formats": format_views(clip.formats),
        },
    )


def _cause(hass: HomeAssistant, camera: str, err: HomeAssistantError) -> str | None:
    """No footage, an offline camera or a disk error; None keeps the error's key."""
    chain: list[BaseException] = []
    cause: BaseException | None = err
    while cause is not None and len(chain) < 8:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(link, OSError) for link in chain):
        return CAUSE_DISK_ERROR
    if any(isinstance(link, NoFootageError) for link in chain):
        state = hass.states.get(camera)
        if state is None or state.state == STATE_UNAVAILABLE:
            return CAUSE_CAMERA_OFFLINE
        return CAUSE_NO_FOOTAGE
    return None


@websocket_command(
    {
        probatio.Required("type"): f"{PREFIX}/respond",
        **ENTRY_REQUEST,
        probatio.Required("decision"): probatio.In([DECISION_SHARE, DECISION_DECLINE]),
        probatio.Optional("cameras"): [str],
        probatio.Optional("include_audio", default=False): bool,
    }
)
@async_response
async def ws_respond(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Share or decline as the logged-in user, recorded as made in the browser.

    A share whose consent was recorded but whose export failed answers with
    `recorded: true` and the error, so the panel says both.
    """
    try:
        coordinator = _coordinator(hass, msg["entry_id"])
        await _require(hass, coordinator, connection, msg, Action.DECIDE)
    except HomeAssistantError as err:
        await _fail(hass, connection, msg, err)
        return
    key = record_key(coordinator.settings.publisher_id, msg["request_id"])
    before = coordinator.store.get(key)
    cameras = msg.get("cameras")
    response = Response(
        request_id=msg["request_id"],
        decision=msg["decision"],
        cameras=tuple(cameras) if cameras is not None else None,
        include_audio=msg["include_audio"],
        user_id=connection.user.id,
        surface=Surface.WEBSOCKET,
        channel=CHANNEL_PANEL,
    )
    error: dict[str, str] | None = None
    try:
        record = await respond(hass, coordinator, response)
    except HomeAssistantError as err:
        after = coordinator.store.get(key)
        undecided = before is None or before.decision is None
        if after is None or after.decision is None or not undecided:
            await _fail(hass, connection, msg, err)
            return
        record = after
        error = {
            "code": err.translation_key or "unknown_error",
            "message": await error_text(hass, err, msg.get("language")),
        }
    names = decider_names(hass)
    await names.async_refresh()
    texts = await async_texts(hass, msg.get("language"))
    connection.send_result(
        msg["id"],
        {
            "recorded": True,
            "error": error,
            "request": request_view(coordinator, record, texts, names),
        },
    )


@websocket_command(
    {
        probatio.Required("type"): f"{PREFIX}/history",
        probatio.Required("entry_id"): str,
        probatio.Optional("language"): LANGUAGE,
    }
)
@async_response
async def ws_history(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Every request this home saw, newest first: verdict, decision, deliveries."""
    try:
        coordinator = _coordinator(hass, msg["entry_id"])
        await _require(hass, coordinator, connection, msg, Action.REPORT)
    except HomeAssistantError as err:
        await _fail(hass, connection, msg, err)
        return
    names = decider_names(hass)
    await names.async_refresh()
    records = sorted(
        coordinator.store, key=lambda r: (r.first_seen, r.key), reverse=True
    )
    texts = await async_texts(hass, msg.get("language"))
    connection.send_result(
        msg["id"],
        {"requests": [request_view(coordinator, r, texts, names) for r in records]},
    )


@websocket_command(
    {
        probatio.Required("type"): f"{PREFIX}/transparency",
        probatio.Required("entry_id"): str,
        probatio.Optional("language"): LANGUAGE,
    }
)
@async_response
async def ws_transparency(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The `transparency_report` action's figures for this feed's publisher.

    Entries refused before they were requests (bad signatures, CAP alerts that
    ask for no video) are counted apart from the store; they belong here too.
    """
    try:
        coordinator = _coordinator(hass, msg["entry_id"])
        await _require(hass, coordinator, connection, msg, Action.REPORT)
    except HomeAssistantError as err:
        await _fail(hass, connection, msg, err)
        return
    report = transparency_report(coordinator.store, coordinator.rejections)[
        "publishers"
    ].get(coordinator.settings.publisher_id) or {"received": 0}
    if "rejected_reasons" in report:
        texts = await async_texts(hass, msg.get("language"))
        report["rejected_reasons"] = reasons_in_words(
            texts, report["rejected_reasons"], coordinator.store
        )
    connection.send_result(msg["id"], report)


@websocket_command(
    {
        probatio.Required("type"): f"{PREFIX}/audit",
        probatio.Required("entry_id"): str,
        probatio.Optional("language"): LANGUAGE,
    }
)
@async_response
async def ws_audit(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Runs the `verify_audit_log` action as the caller: one verification, one rule."""
    try:
        coordinator = _coordinator(hass, msg["entry_id"])
        await _require(hass, coordinator, connection, msg, Action.AUDIT)
        result = await hass.services.async_call(
            DOMAIN,
            "verify_audit_log",
            {"config_entry_id": coordinator.config_entry.entry_id},
            blocking=True,
            context=connection.context(msg),
            return_response=True,
        )
    except HomeAssistantError as err:
        await _fail(hass, connection, msg, err)
        return
    connection.send_result(msg["id"], result)
