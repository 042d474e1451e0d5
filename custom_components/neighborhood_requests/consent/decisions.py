"""The one path by which a resident's decision is checked, recorded and acted on.

Invariant 1 lives here: a share needs an authorised person (`access.Action.DECIDE`),
an actionable request, and only cameras whose policy is not `never`. The decision
is on disk (the store, fsynced; then the audit log, fsynced) before anything is
exported, so neither a failed export nor a power cut loses a consent, fakes one,
or lets it be asked again. Cameras appear in the audit log by their labels, as
they do outside the house.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from ..const import (
    DECISION_SHARE,
    DOMAIN,
    EVENT_DECLINED,
    LOGGER,
    STATE_DECLINED,
    STATE_EXPIRED,
    STATE_PENDING,
    STATE_SHARED,
)
from ..export.result import ExportError, ExportResult, format_views, gap_views
from ..footage.preview import PREVIEWS
from ..requests.intake import DECIDED
from ..requests.store import Decision, RequestRecord, record_key
from .access import Action, Surface, async_require
from .share import Share

if TYPE_CHECKING:
    from ..coordinator import FeedCoordinator
    from ..data import RuntimeData


@dataclass(frozen=True, slots=True)
class Response:
    """A decision as asked for by a service call, a flow, a phone or the bot."""

    request_id: str
    decision: str
    cameras: tuple[str, ...] | None
    include_audio: bool
    user_id: str | None
    surface: Surface
    telegram_user: str | None = None
    # Where the person decided (see `Decision.channel`); a Telegram user implies
    # `telegram`, nothing else is guessed.
    channel: str | None = None


CHANNEL_PANEL = "panel"
CHANNEL_PHONE = "phone"
CHANNEL_TELEGRAM = "telegram"
CHANNEL_ACTION = "action"
CHANNEL_WEBSOCKET = "websocket"


def _channel(response: Response) -> str:
    if response.channel is not None:
        return response.channel
    return CHANNEL_TELEGRAM if response.telegram_user else CHANNEL_WEBSOCKET


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _open_record(coordinator: FeedCoordinator, request_id: str) -> RequestRecord:
    key = record_key(coordinator.settings.publisher_id, request_id)
    record = coordinator.store.get(key)
    if record is None or record.request is None:
        raise _invalid("unknown_request", request_id=request_id)
    if record.state in DECIDED:
        raise _invalid("already_decided", request_id=request_id)
    now = dt_util.utcnow()
    if record.state == STATE_EXPIRED or record.request.expires_at <= now:
        raise _invalid("request_expired", request_id=request_id)
    if record.state != STATE_PENDING:
        raise _invalid("not_actionable", request_id=request_id)
    return record


def _cameras(
    coordinator: FeedCoordinator, asked: tuple[str, ...] | None
) -> tuple[str, ...]:
    settings = coordinator.settings
    cameras = (
        asked
        if asked is not None
        else tuple(c for c in settings.cameras if c not in settings.never_cameras)
    )
    for camera in cameras:
        if camera not in settings.cameras:
            raise _invalid("camera_not_linked", camera=camera)
        if camera in settings.never_cameras:
            raise _invalid("camera_never", camera=camera)
    if not cameras:
        raise _invalid("no_cameras")
    return cameras


async def respond(
    hass: HomeAssistant, coordinator: FeedCoordinator, response: Response
) -> RequestRecord:
    """Validate, record and audit a decision; a share then goes to the exporter.

    Who asks is checked first, so someone who may not decide learns nothing
    about the request, not even whether it exists. The record is checked after
    the last await before it is stored: two residents tapping Share at once
    both pass the access check, and only the record check (with no await
    between it and `put`) lets exactly one decide. A share fires no `shared`
    event here: the delivery code fires it once the inbox has accepted a clip.
    Subscribers still see the new state at once.
    """
    await async_require(
        hass,
        coordinator,
        response.user_id,
        Action.DECIDE,
        surface=response.surface,
        request_id=response.request_id,
        telegram_user=response.telegram_user,
    )
    record = _open_record(coordinator, response.request_id)
    share = response.decision == DECISION_SHARE
    cameras = _cameras(coordinator, response.cameras) if share else ()
    decision = Decision(
        decision=response.decision,
        user_id=response.user_id,
        at=dt_util.utcnow(),
        cameras=cameras,
        include_audio=share and response.include_audio,
        telegram_user=response.telegram_user,
        channel=_channel(response),
    )
    decided = record.evolve(
        state=STATE_SHARED if share else STATE_DECLINED, decision=decision
    )
    coordinator.store.put(decided)
    try:
        await coordinator.store.async_commit()
    except OSError as err:
        # Not on disk, so not decided: the resident may try again.
        coordinator.store.restore(record)
        await _audit_refusal(coordinator, decided, decision, err)
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="decision_not_saved",
            translation_placeholders={"error": err.strerror or str(err)},
        ) from err
    await coordinator.async_audit(audit_decision(coordinator, decided, decision))
    if not share:
        coordinator.fire(EVENT_DECLINED, decided)
    coordinator.async_set_updated_data(coordinator.snapshot())
    if share:
        await export_and_queue(coordinator, decided, decision, decision.cameras)
    return decided


def audit_decision(
    coordinator: FeedCoordinator, record: RequestRecord, decision: Decision
) -> dict[str, Any]:
    """The audit line of a decision; cameras by label, as outside the house."""
    settings = coordinator.settings
    return {
        "type": "decision",
        "publisher_id": record.publisher_id,
        "request_id": record.request_id,
        "revision": record.revision,
        **decision.as_dict(),
        "cameras": [settings.label(camera) for camera in decision.cameras],
    }


async def _audit_refusal(
    coordinator: FeedCoordinator,
    record: RequestRecord,
    decision: Decision,
    err: OSError,
) -> None:
    """Best effort: the disk that refused the store may refuse the log too."""
    try:
        await coordinator.async_audit(
            {
                **audit_decision(coordinator, record, decision),
                "type": "decision_not_saved",
                "error": err.strerror or str(err),
            }
        )
    except OSError:
        LOGGER.exception("Could not audit the unsaved decision on %s", record.key)


@dataclass(frozen=True, slots=True)
class PreviewAsk:
    """A preview as asked for: by whom, where, and who fetches it for them.

    `relay` is the account that asks for a linked Telegram user (the bot): it
    may fetch this one clip to hand it to that resident, nothing more.
    """

    request_id: str
    camera: str
    user_id: str | None
    surface: Surface
    telegram_user: str | None = None
    relay: str | None = None


async def preview(
    hass: HomeAssistant, coordinator: FeedCoordinator, ask: PreviewAsk
) -> tuple[str, ExportResult]:
    """Export one camera's window for the resident to look at, never to send.

    Only the people allowed to decide may watch it (`Action.PREVIEW`), on a
    pending request, from a camera that may share: a preview already shows
    what the request would reveal. Returns the media-source id of the clip,
    whose token only that person (and the entry's deciders) can resolve.
    """
    user = await async_require(
        hass,
        coordinator,
        ask.user_id,
        Action.PREVIEW,
        surface=ask.surface,
        request_id=ask.request_id,
        telegram_user=ask.telegram_user,
    )
    assert user is not None  # PREVIEW is never unattended
    record = _open_record(coordinator, ask.request_id)
    camera = ask.camera
    _cameras(coordinator, (camera,))
    runtime: RuntimeData = coordinator.config_entry.runtime_data
    if runtime.exporter is None:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="no_export_backend"
        )
    assert record.request is not None
    try:
        clip = await runtime.exporter.export(
            record.request, camera, False, preview=True
        )
    except ExportError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="export_failed",
            translation_placeholders={"camera": camera, "error": str(err)},
        ) from err
    await coordinator.async_audit(
        {
            "type": "preview",
            "publisher_id": record.publisher_id,
            "request_id": record.request_id,
            "camera": coordinator.settings.label(camera),
            "user_id": user.id,
            "telegram_user": ask.telegram_user,
            "sha256": clip.sha256,
        }
    )
    token = hass.data[PREVIEWS].add(
        clip.path,
        entry_id=coordinator.config_entry.entry_id,
        owner=user.id,
        relay=ask.relay,
        title=f"{camera} · {record.request_id}",
    )
    return f"media-source://{DOMAIN}/{token}", clip


async def export_and_queue(
    coordinator: FeedCoordinator,
    record: RequestRecord,
    decision: Decision,
    cameras: tuple[str, ...],
) -> None:
    """Export each camera's clip and hand it to the outbox, auditing every step.

    The consent is already on disk: a missing backend or a failed export is an
    error for the resident to see, never a silent success. After a restart the
    reconciliation calls this for the cameras whose clips never reached the outbox.
    """
    runtime: RuntimeData = coordinator.config_entry.runtime_data
    exporter, outbox = runtime.exporter, runtime.outbox
    request = record.request
    assert request is not None
    base = {"request_id": record.request_id, "publisher_id": record.publisher_id}
    if exporter is None or outbox is None:
        await coordinator.async_audit(
            {**base, "type": "export", "ok": False, "reason": "no export backend"}
        )
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="no_export_backend"
        )
    for camera in cameras:
        label = coordinator.settings.label(camera)
        try:
            clip = await exporter.export(
                request, camera, decision.include_audio, preview=False
            )
        except ExportError as err:
            await coordinator.async_audit(
                {
                    **base,
                    "type": "export",
                    "camera": label,
                    "ok": False,
                    "reason": str(err),
                }
            )
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="export_failed",
                translation_placeholders={"camera": camera, "error": str(err)},
            ) from err
        await coordinator.async_audit(
            {
                **base,
                "type": "export",
                "camera": label,
                "ok": True,
                "sha256": clip.sha256,
                "bytes": clip.bytes,
                "include_audio": decision.include_audio,
                "gaps": gap_views(clip.missing),
                "formats": format_views(clip.formats),
            }
        )
        await outbox.enqueue(
            Share(
                entry_id=coordinator.config_entry.entry_id,
                publisher_id=record.publisher_id,
                request=request,
                camera=camera,
                include_audio=decision.include_audio,
                decided_by=decision.user_id,
                telegram_user=decision.telegram_user,
                export=clip,
            )
        )
        await coordinator.async_audit({**base, "type": "queued", "camera": label})
