"""Actions: respond, describe_request, preview, refresh, reports, audit checks.

Registered once in `async_setup` (not per entry) and pointed at an entry with
`config_entry_id`, as Home Assistant asks of integration actions. Each asks the
access model for the user in the call's context; a call without a user (an
automation) may refresh, read the report, verify the log and describe a request
in words, never watch footage, and decide only with a person's tap on a phone
notification, as that person (`consent.taps`).
"""

from __future__ import annotations

from typing import cast

from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_get_config_entry
from homeassistant.util.json import JsonValueType
import probatio

from .consent.access import Action, Surface, async_require
from .consent.decisions import (
    CHANNEL_ACTION,
    CHANNEL_PHONE,
    PreviewAsk,
    Response,
    preview,
    respond,
)
from .consent.phone_words import phone_words
from .consent.taps import TAPS
from .const import DECISION_DECLINE, DECISION_SHARE, DOMAIN, STATE_PENDING
from .coordinator import FeedCoordinator
from .data import NeighborhoodRequestsConfigEntry
from .export.result import format_views, gap_views
from .protocol.audit import AuditVerification, verify_audit_log
from .protocol.audit_verify import describe_incident
from .requests.store import record_key
from .requests.transparency import transparency_report
from .texts import async_texts

ATTR_REQUEST_ID = "request_id"
ATTR_DECISION = "decision"
ATTR_CAMERAS = "cameras"
ATTR_INCLUDE_AUDIO = "include_audio"
ATTR_CAMERA = "camera"
ATTR_TAP_CONTEXT_ID = "tap_context_id"

ENTRY_SCHEMA = probatio.Schema({probatio.Required(ATTR_CONFIG_ENTRY_ID): str})
RESPOND_SCHEMA = ENTRY_SCHEMA.extend(
    {
        probatio.Required(ATTR_REQUEST_ID): cv.string,
        probatio.Required(ATTR_DECISION): probatio.In(
            [DECISION_SHARE, DECISION_DECLINE]
        ),
        probatio.Optional(ATTR_CAMERAS): cv.entity_ids,
        probatio.Optional(ATTR_INCLUDE_AUDIO, default=False): cv.boolean,
        probatio.Optional(ATTR_TAP_CONTEXT_ID): cv.string,
    }
)
DESCRIBE_SCHEMA = ENTRY_SCHEMA.extend(
    {
        probatio.Required(ATTR_REQUEST_ID): cv.string,
        probatio.Optional(ATTR_CAMERAS): cv.entity_ids,
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


async def _respond(call: ServiceCall) -> ServiceResponse:
    """A decision as the caller, or, given a tap, as the person who tapped.

    The response (for automations that ask) is the request's new state; a
    refusal is an error with its reason, as for any caller.
    """
    coordinator = _coordinator(call)
    cameras = call.data.get(ATTR_CAMERAS)
    request_id = call.data[ATTR_REQUEST_ID]
    user_id, surface = call.context.user_id, Surface.ACTION
    if (tap := call.data.get(ATTR_TAP_CONTEXT_ID)) is not None:
        user_id = call.hass.data[TAPS].user_of(tap, request_id, user_id)
        surface = Surface.MOBILE_APP
    record = await respond(
        call.hass,
        coordinator,
        Response(
            request_id=request_id,
            decision=call.data[ATTR_DECISION],
            # No cameras named: every camera that may share, as documented.
            cameras=tuple(cameras) if cameras else None,
            include_audio=call.data[ATTR_INCLUDE_AUDIO],
            user_id=user_id,
            surface=surface,
            # A tap on a phone (through the blueprint) was made on the phone.
            channel=CHANNEL_PHONE if surface is Surface.MOBILE_APP else CHANNEL_ACTION,
        ),
    )
    return {"request_id": request_id, "state": record.state}


async def _describe_request(call: ServiceCall) -> ServiceResponse:
    """A request in words, for an automation that tells people about it.

    An automation (no user) may read it, as may anyone who may see requests.
    Only an open request is described: there is nothing to ask about otherwise.
    """
    coordinator = _coordinator(call)
    request_id = call.data[ATTR_REQUEST_ID]
    if call.context.user_id is not None:
        await async_require(
            call.hass,
            coordinator,
            call.context.user_id,
            Action.VIEW,
            surface=Surface.ACTION,
            request_id=request_id,
        )
    record = coordinator.store.get(
        record_key(coordinator.settings.publisher_id, request_id)
    )
    if record is None or record.request is None or record.state != STATE_PENDING:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_actionable",
            translation_placeholders={"request_id": request_id},
        )
    settings = coordinator.settings
    cameras = call.data.get(ATTR_CAMERAS) or [
        c for c in settings.cameras if c not in settings.never_cameras
    ]
    texts = await async_texts(call.hass)
    return phone_words(call.hass, coordinator, record, texts, cameras)


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
        "missing": [[g.start.isoformat(), g.end.isoformat()] for g in clip.missing],
        "gaps": cast("list[JsonValueType]", gap_views(clip.missing)),
        "formats": cast("list[JsonValueType]", format_views(clip.formats)),
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
        # Counts read as words with the right plural: "1 entry", "2 entries".
        entry_count=texts.count("count_entries", result.entries),
        expected_count=texts.count("count_entries", result.expected_entries or 0),
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
    hass.services.async_register(
        DOMAIN,
        "respond",
        _respond,
        schema=RESPOND_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        "describe_request",
        _describe_request,
        schema=DESCRIBE_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
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
