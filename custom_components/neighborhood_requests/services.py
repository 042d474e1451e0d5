"""Actions: respond, preview, refresh, transparency_report, verify_audit_log.

Registered once in `async_setup` (not per entry) and pointed at an entry with
`config_entry_id`, as Home Assistant asks of integration actions. Each asks the
access model for the user in the call's context; a call without a user (an
automation) may refresh, read the report and verify the log, never decide or
watch footage.
"""

from __future__ import annotations

from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_get_config_entry
import probatio

from .consent.access import Action, Surface, async_require
from .consent.decisions import (
    CHANNEL_ACTION,
    PreviewAsk,
    Response,
    preview,
    respond,
)
from .const import DECISION_DECLINE, DECISION_SHARE, DOMAIN
from .coordinator import FeedCoordinator
from .data import NeighborhoodRequestsConfigEntry
from .protocol.audit import AuditVerification, verify_audit_log
from .protocol.audit_verify import describe_incident
from .requests.transparency import transparency_report
from .texts import async_texts

ATTR_REQUEST_ID = "request_id"
ATTR_DECISION = "decision"
ATTR_CAMERAS = "cameras"
ATTR_INCLUDE_AUDIO = "include_audio"
ATTR_CAMERA = "camera"

ENTRY_SCHEMA = probatio.Schema({probatio.Required(ATTR_CONFIG_ENTRY_ID): str})
RESPOND_SCHEMA = ENTRY_SCHEMA.extend(
    {
        probatio.Required(ATTR_REQUEST_ID): cv.string,
        probatio.Required(ATTR_DECISION): probatio.In(
            [DECISION_SHARE, DECISION_DECLINE]
        ),
        probatio.Optional(ATTR_CAMERAS): cv.entity_ids,
        probatio.Optional(ATTR_INCLUDE_AUDIO, default=False): cv.boolean,
    }
)
PREVIEW_SCHEMA = ENTRY_SCHEMA.extend(
    {
        probatio.Required(ATTR_REQUEST_ID): cv.string,
        probatio.Required(ATTR_CAMERA): cv.entity_id,
    }
)


def _coordinator(call: ServiceCall) -> FeedCoordinator:
    entry: NeighborhoodRequestsConfigEntry = async_get_config_entry(
        call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
    )
    return entry.runtime_data.coordinator


async def _respond(call: ServiceCall) -> None:
    coordinator = _coordinator(call)
    cameras = call.data.get(ATTR_CAMERAS)
    await respond(
        call.hass,
        coordinator,
        Response(
            request_id=call.data[ATTR_REQUEST_ID],
            decision=call.data[ATTR_DECISION],
            cameras=tuple(cameras) if cameras is not None else None,
            include_audio=call.data[ATTR_INCLUDE_AUDIO],
            user_id=call.context.user_id,
            surface=Surface.ACTION,
            channel=CHANNEL_ACTION,
        ),
    )


async def _preview(call: ServiceCall) -> ServiceResponse:
    media_content_id, clip = await preview(
        call.hass,
        _coordinator(call),
        PreviewAsk(
            request_id=call.data[ATTR_REQUEST_ID],
            camera=call.data[ATTR_CAMERA],
            user_id=call.context.user_id,
            surface=Surface.ACTION,
        ),
    )
    return {
        "media_content_id": media_content_id,
        "bytes": clip.bytes,
        "missing": [[s.isoformat(), e.isoformat()] for s, e in clip.missing],
    }


async def _allowed(call: ServiceCall, action: Action) -> FeedCoordinator:
    """The call's entry, once its user may do `action` there."""
    coordinator = _coordinator(call)
    await async_require(
        call.hass, coordinator, call.context.user_id, action, surface=Surface.ACTION
    )
    return coordinator


async def _refresh(call: ServiceCall) -> None:
    await (await _allowed(call, Action.REFRESH)).async_refresh()


async def _transparency_report(call: ServiceCall) -> ServiceResponse:
    coordinator = await _allowed(call, Action.REPORT)
    return transparency_report(coordinator.store, coordinator.rejections)


async def _verify_audit_log(call: ServiceCall) -> ServiceResponse:
    """Check the chain, every line's signature and the signed head, in plain words.

    `code` names the finding (translated into `message` in the home's language),
    `reason` gives the technical detail, `first_broken_line` the first line that
    is not what the home wrote; incidents and repairs the log records about
    itself are listed with their lines.
    """
    coordinator = await _allowed(call, Action.AUDIT)
    result = await call.hass.async_add_executor_job(_verify, coordinator)
    texts = await async_texts(call.hass)
    message = texts[f"audit_{result.code or 'ok'}"].format(
        line=result.first_broken_line,
        entries=result.entries,
        expected=result.expected_entries,
    )
    return {
        "ok": result.ok,
        "code": result.code,
        "message": message,
        "entries": result.entries,
        "expected_entries": result.expected_entries,
        "first_broken_line": result.first_broken_line,
        "reason": result.reason,
        "incidents": [
            {"line": f.line, "type": f.type, "description": describe_incident(f)}
            for f in result.incidents
        ],
        "repairs": [{"line": f.line, "type": f.type} for f in result.repairs],
    }


def _verify(coordinator: FeedCoordinator) -> AuditVerification:
    try:
        signed_head: str | None = coordinator.audit_head_path.read_text(
            encoding="ascii"
        )
    except FileNotFoundError:
        signed_head = None
    except (OSError, UnicodeDecodeError) as err:
        signed_head = f"unreadable: {err}"
    return verify_audit_log(
        coordinator.audit_path,
        public_key=coordinator.home_key.private_key.public_key(),
        signed_head=signed_head,
    )


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(DOMAIN, "respond", _respond, schema=RESPOND_SCHEMA)
    hass.services.async_register(DOMAIN, "refresh", _refresh, schema=ENTRY_SCHEMA)
    hass.services.async_register(
        DOMAIN,
        "preview",
        _preview,
        schema=PREVIEW_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        "transparency_report",
        _transparency_report,
        schema=ENTRY_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        "verify_audit_log",
        _verify_audit_log,
        schema=ENTRY_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
