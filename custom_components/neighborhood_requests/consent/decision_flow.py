"""Deciding on a request in the browser: the fix flow of a `video_request` issue.

Shown from Settings → System → Repairs, for owners without the bot or the mobile
app. It is built like the phone's notifications: the request first (who asks,
whether the signature verified, why, which window, how far away), then a choice
of cameras and audio (off unless turned on), then a last step that states
exactly what will be sent and where, and only its submit calls `respond`.

The repairs HTTP API only admits administrators but does not put the user into
the flow's context; the user is read from the request being served
(`access.current_user`), so the access model decides here as everywhere: an
administrator who is not among the listed deciders is refused (and the refusal
audited) before seeing the request. Without an HTTP request nobody may decide.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntryState
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from ..const import DECISION_DECLINE, DECISION_SHARE, STATE_PENDING
from ..coordinator import FeedCoordinator
from ..markdown import plain
from ..protocol.model import Request
from ..requests.request_view import for_chat
from ..requests.store import RequestRecord, record_key
from ..texts import async_texts
from .access import AccessDenied, Action, Surface, async_require, current_user
from .decisions import Response, respond

STEP_SHARE = "share"
STEP_DECLINE = "decline"
FIELD_CAMERAS = "cameras"
FIELD_AUDIO = "include_audio"
# Abort reasons, translated under issues.video_request.fix_flow.abort.
CLOSED = "no_longer_open"
NOT_ALLOWED = "not_allowed"
NO_CAMERAS = "no_cameras"
SHARED = "shared"
DECLINED = "declined"
REFUSED = "refused"
EXPORT_FAILED = "export_failed"
ABORT_REASONS = (
    CLOSED,
    NOT_ALLOWED,
    NO_CAMERAS,
    SHARED,
    DECLINED,
    REFUSED,
    EXPORT_FAILED,
)


def _request_user_id() -> str | None:
    """The Home Assistant user of the HTTP request this step answers, if any."""
    user = current_user()
    return None if user is None else user.id


class DecisionFlow(RepairsFlow):
    """Request → cameras and audio → what will be sent → `respond`."""

    def __init__(self, entry_id: str, request_id: str) -> None:
        self._entry_id = entry_id
        self._request_id = request_id
        self._cameras: tuple[str, ...] = ()
        self._audio = False

    def _open(self) -> tuple[FeedCoordinator, RequestRecord] | None:
        """The entry's coordinator and the record, while it still waits for us."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return None
        coordinator: FeedCoordinator = entry.runtime_data.coordinator
        key = record_key(coordinator.settings.publisher_id, self._request_id)
        record = coordinator.store.get(key)
        if record is None or record.request is None or record.state != STATE_PENDING:
            return None
        return coordinator, record

    def _camera_name(self, entity_id: str) -> str:
        state = self.hass.states.get(entity_id)
        return state.name if state is not None else entity_id

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """What is asked, by whom, and the choice: share or decline."""
        opened = self._open()
        if opened is None:
            return self.async_abort(reason=CLOSED)
        coordinator, record = opened
        try:
            await async_require(
                self.hass,
                coordinator,
                _request_user_id(),
                Action.DECIDE,
                surface=Surface.REPAIRS,
                request_id=self._request_id,
            )
        except AccessDenied:
            return self.async_abort(reason=NOT_ALLOWED)
        request = record.request
        assert request is not None
        texts = await async_texts(self.hass)
        facts = for_chat(coordinator, record)
        start, end = texts.window(request.window.start, request.window.end)
        basis = request.legal.basis.value
        return self.async_show_menu(
            step_id="init",
            menu_options=[STEP_SHARE, STEP_DECLINE],
            # Placeholders from the feed are escaped: the description is Markdown.
            # `publisher` is also the step's title, which is plain text.
            description_placeholders={
                "publisher": str(facts["publisher_name"]),
                "requester": plain(str(facts["publisher_name"])),
                "verified": texts.verification(record.verified),
                "incident": plain(texts.incident(request.incident.type)),
                "summary": plain(request.incident.summary),
                "case": plain(request.incident.case_number or "-"),
                "legal": plain(texts.legal_basis(basis, request.legal.reference)),
                "start": start,
                "end": end,
                "distance": str(facts["distance_m"]),
                "expires": texts.moment(request.expires_at),
            },
        )

    async def async_step_share(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Which linked cameras, and audio or not; `never` cameras are not offered."""
        opened = self._open()
        if opened is None:
            return self.async_abort(reason=CLOSED)
        settings = opened[0].settings
        allowed = [c for c in settings.cameras if c not in settings.never_cameras]
        if not allowed:
            return self.async_abort(reason=NO_CAMERAS)
        errors: dict[str, str] = {}
        if user_input is not None:
            chosen = tuple(c for c in allowed if c in user_input.get(FIELD_CAMERAS, ()))
            if chosen:
                self._cameras = chosen
                self._audio = bool(user_input.get(FIELD_AUDIO, False))
                return await self.async_step_confirm()
            errors[FIELD_CAMERAS] = "no_camera_chosen"
        schema = probatio.Schema(
            {
                probatio.Required(FIELD_CAMERAS, default=allowed): SelectSelector(
                    SelectSelectorConfig(
                        options=[
                            SelectOptionDict(value=c, label=self._camera_name(c))
                            for c in allowed
                        ],
                        multiple=True,
                        mode=SelectSelectorMode.LIST,
                    )
                ),
                probatio.Required(FIELD_AUDIO, default=False): BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id=STEP_SHARE, data_schema=schema, errors=errors
        )

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Exactly what leaves the house; submitting it is the consent."""
        opened = self._open()
        if opened is None:
            return self.async_abort(reason=CLOSED)
        if user_input is not None:
            return await self._decide(DECISION_SHARE)
        request = opened[1].request
        assert request is not None
        texts = await async_texts(self.hass)
        start, end = texts.window(request.window.start, request.window.end)
        return self.async_show_form(
            step_id="confirm",
            data_schema=probatio.Schema({}),
            description_placeholders={
                "cameras": ", ".join(self._camera_name(c) for c in self._cameras),
                "start": start,
                "end": end,
                "duration": texts.duration(request.window.duration),
                "audio": texts.audio(self._audio),
                "host": plain(
                    urlsplit(request.upload_url).hostname or request.upload_url
                ),
                "gaps": await self._gaps_text(opened[0], request),
            },
        )

    async def _gaps_text(self, coordinator: FeedCoordinator, request: Request) -> str:
        """Where the chosen cameras' footage has holes, as local times (or -).

        The clip joins the footage on either side of a hole, so a resident
        would not see it in the clip: it is said here, before Send.
        """
        presence = coordinator.presence
        if presence is None:
            return "-"
        await presence.async_probe([request])
        texts = await async_texts(self.hass)
        start, end = request.window.start, request.window.end
        parts = [
            texts.gap(self._camera_name(camera), gap.start, gap.end, gap.reason)
            for camera in self._cameras
            for gap in presence.gaps(camera, start, end)
        ]
        return plain("; ".join(parts)) or "-"

    async def async_step_decline(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Declining sends nothing, so it needs no second step."""
        if self._open() is None:
            return self.async_abort(reason=CLOSED)
        return await self._decide(DECISION_DECLINE)

    async def _decide(self, decision: str) -> RepairsFlowResult:
        """`respond` as the user of this request; its verdict is the flow's outcome.

        The issue itself goes when the coordinator reports the decision, so an
        export failure after a recorded consent still clears it (the consent
        stands) while its message tells the owner what did not happen.
        """
        opened = self._open()
        assert opened is not None
        coordinator = opened[0]
        share = decision == DECISION_SHARE
        try:
            await respond(
                self.hass,
                coordinator,
                Response(
                    request_id=self._request_id,
                    decision=decision,
                    cameras=self._cameras if share else None,
                    include_audio=share and self._audio,
                    user_id=_request_user_id(),
                    surface=Surface.REPAIRS,
                ),
            )
        except AccessDenied:
            return self.async_abort(reason=NOT_ALLOWED)
        except ServiceValidationError as err:
            return self.async_abort(
                reason=REFUSED, description_placeholders={"error": plain(str(err))}
            )
        except HomeAssistantError as err:
            return self.async_abort(
                reason=EXPORT_FAILED,
                description_placeholders={"error": plain(str(err))},
            )
        publisher = str(for_chat(coordinator, opened[1])["publisher_name"])
        return self.async_abort(
            reason=SHARED if share else DECLINED,
            description_placeholders={
                "cameras": ", ".join(self._camera_name(c) for c in self._cameras),
                "publisher": plain(publisher),
            },
        )
