"""Options: a menu of small steps, saved together when the owner chooses Save.

Each step changes one part of the home's rules (home and cameras, guardrails,
people and notifications, recording and Frigate, advanced) and returns to the
menu; nothing is stored until `finish`, so an abandoned dialog changes nothing.
Saving reloads the entry (`OptionsFlowWithReload`), so the coordinator always runs
with the options the owner last confirmed; there is no update listener.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    LocationSelector,
    LocationSelectorConfig,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import probatio

from .consent.phones import async_phones
from .const import (
    BACKEND_FRIGATE,
    BACKEND_RECORDER,
    CONF_ALLOW_LAN,
    CONF_BACKEND,
    CONF_CAMERA_POLICIES,
    CONF_CAMERAS,
    CONF_DECIDERS,
    CONF_FRIGATE_CAMERA,
    CONF_FRIGATE_URL,
    CONF_HOME,
    CONF_LABEL,
    CONF_LEGAL_BASES,
    CONF_LOCATION,
    CONF_MAX_RADIUS_M,
    CONF_MAX_WINDOW_MINUTES,
    CONF_NOTIFY_TARGETS,
    CONF_POLICY,
    CONF_POLL_INTERVAL,
    CONF_REQUIRE_CASE_NUMBER,
    CONF_RESIDENTS_RECEIVE_REQUESTS,
    CONF_RTSP_TRANSPORT,
    CONF_VIEW_ANGLE,
    CONF_VIEW_DIRECTION,
    CONF_VIEW_RADIUS,
    CONF_WEBHOOK_ID,
    POLICY_ASK,
    POLICY_NEVER,
    RTSP_TCP,
    RTSP_UDP,
)
from .footage.recorders import Recorders
from .footage.summary import recording_summary
from .option_fields import (
    box,
    drop_unused_frigate,
    frigate_cameras,
    label_errors,
    recording_errors,
    recording_placeholders,
    recording_schema,
    save_recording,
)
from .protocol.model import LegalBasis
from .settings import Settings, assign_labels, default_frigate_camera
from .texts import async_texts

MENU = ["home", "guardrails", "people", "recording", "advanced", "finish"]


class OptionsFlowHandler(OptionsFlowWithReload):
    """The menu and its steps; `_options` collects every change until `finish`."""

    def __init__(self) -> None:
        self._options: dict[str, Any] | None = None
        self._pending_cameras: list[str] = []

    @property
    def _draft(self) -> dict[str, Any]:
        """The options as changed so far in this dialog."""
        if self._options is None:
            self._options = dict(self.config_entry.options)
        return self._options

    def _settings(self) -> Settings:
        """The draft read through `Settings`, so every default lives in one place."""
        return Settings.from_mappings(self.config_entry.data, self._draft)

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The menu; every step comes back here until the owner saves."""
        # Unset only if the entry never loaded (the key is made at first setup).
        runtime = getattr(self.config_entry, "runtime_data", None)
        return self.async_show_menu(
            step_id="init",
            menu_options=MENU,
            description_placeholders={
                "home_key_fingerprint": (
                    runtime.home_key.fingerprint if runtime is not None else "-"
                )
            },
        )

    async def async_step_finish(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Store every change at once; the entry reloads with them."""
        drop_unused_frigate(self._draft)
        return self.async_create_entry(data=self._draft)

    async def async_step_home(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Where the home is and which cameras are linked, then one step per camera."""
        draft = self._draft
        if user_input is not None:
            draft[CONF_HOME] = user_input[CONF_HOME]
            old = draft.get(CONF_CAMERA_POLICIES, {})
            # Cameras keep the label they went by; new ones get the next default.
            linked = assign_labels(
                list(draft.get(CONF_CAMERAS, [])),
                {c: str(p.get(CONF_LABEL) or "") for c, p in old.items()},
            )
            self._pending_cameras = list(user_input.get(CONF_CAMERAS, []))
            draft[CONF_CAMERAS] = list(self._pending_cameras)
            labels = assign_labels(self._pending_cameras, linked)
            draft[CONF_CAMERA_POLICIES] = {
                camera: {
                    **old.get(camera, {CONF_POLICY: POLICY_ASK}),
                    CONF_LABEL: labels[camera],
                }
                for camera in self._pending_cameras
            }
            return await self.async_step_camera()
        schema = probatio.Schema(
            {
                probatio.Required(
                    CONF_HOME, default=draft.get(CONF_HOME)
                ): LocationSelector(LocationSelectorConfig(radius=True)),
                probatio.Optional(
                    CONF_CAMERAS, default=list(draft.get(CONF_CAMERAS, []))
                ): EntitySelector(EntitySelectorConfig(domain="camera", multiple=True)),
            }
        )
        return self.async_show_form(step_id="home", data_schema=schema)

    def _camera_name(self, camera: str) -> str:
        state = self.hass.states.get(camera)
        return state.name if state is not None else camera

    async def async_step_camera(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One camera at a time: ask or never, where it looks, where footage is."""
        policies: dict[str, dict[str, Any]] = self._draft[CONF_CAMERA_POLICIES]
        errors: dict[str, str] = {}
        if user_input is not None:
            camera = self._pending_cameras[0]
            previous = policies[camera]
            label = " ".join(str(user_input.get(CONF_LABEL) or "").split())
            label = label or previous[CONF_LABEL]
            errors = label_errors(label, camera, policies)
        if user_input is not None and not errors:
            # Only what differs from the defaults is stored (and the label).
            policy: dict[str, Any] = {
                CONF_POLICY: user_input[CONF_POLICY],
                CONF_LABEL: label,
            }
            if CONF_LOCATION in user_input:
                policy[CONF_LOCATION] = user_input[CONF_LOCATION]
            for key in (CONF_VIEW_RADIUS, CONF_VIEW_DIRECTION, CONF_VIEW_ANGLE):
                if user_input.get(key) is not None:
                    policy[key] = float(user_input[key])
            if user_input.get(CONF_RTSP_TRANSPORT) == RTSP_UDP:
                policy[CONF_RTSP_TRANSPORT] = RTSP_UDP
            if user_input.get(CONF_BACKEND) == BACKEND_FRIGATE:
                policy[CONF_BACKEND] = BACKEND_FRIGATE
                if CONF_FRIGATE_CAMERA in previous:
                    policy[CONF_FRIGATE_CAMERA] = previous[CONF_FRIGATE_CAMERA]
                policies[camera] = policy
                return await self.async_step_camera_frigate()
            policies[camera] = policy
            self._pending_cameras.pop(0)
        if not self._pending_cameras:
            return await self._after_cameras()
        camera = self._pending_cameras[0]
        current = policies[camera]
        fields: dict[Any, Any] = {
            probatio.Optional(
                CONF_LABEL, description={"suggested_value": current.get(CONF_LABEL)}
            ): TextSelector(),
            probatio.Required(
                CONF_POLICY, default=current.get(CONF_POLICY, POLICY_ASK)
            ): _choice(CONF_POLICY, [POLICY_ASK, POLICY_NEVER]),
            probatio.Optional(
                CONF_LOCATION,
                description={"suggested_value": current.get(CONF_LOCATION)},
            ): LocationSelector(),
            probatio.Optional(
                CONF_VIEW_RADIUS,
                description={"suggested_value": current.get(CONF_VIEW_RADIUS)},
            ): box("m", min=0, max=500, step=5),
            probatio.Optional(
                CONF_VIEW_DIRECTION,
                description={"suggested_value": current.get(CONF_VIEW_DIRECTION)},
            ): box("°", min=0, max=359, step=1),
            probatio.Optional(
                CONF_VIEW_ANGLE,
                description={"suggested_value": current.get(CONF_VIEW_ANGLE)},
            ): box("°", min=10, max=360, step=5),
            probatio.Required(
                CONF_BACKEND, default=current.get(CONF_BACKEND, BACKEND_RECORDER)
            ): _choice(CONF_BACKEND, [BACKEND_RECORDER, BACKEND_FRIGATE]),
            probatio.Required(
                CONF_RTSP_TRANSPORT,
                default=current.get(CONF_RTSP_TRANSPORT, RTSP_TCP),
            ): _choice(CONF_RTSP_TRANSPORT, [RTSP_TCP, RTSP_UDP]),
        }
        return self.async_show_form(
            step_id="camera",
            data_schema=probatio.Schema(fields),
            errors=errors,
            description_placeholders={
                "camera": self._camera_name(camera),
                "recording": await self._recording_text(camera),
            },
        )

    async def _recording_text(self, camera: str) -> str:
        """What the recorder found and measured for `camera`, in words."""
        footage = self._settings().footage
        return recording_summary(
            await async_texts(self.hass),
            Recorders.of(self.hass).cameras.get(camera),
            footage.retention,
            footage.budget_bytes,
        )

    async def async_step_camera_frigate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A Frigate camera's name in Frigate, asked only for Frigate cameras."""
        policies: dict[str, dict[str, Any]] = self._draft[CONF_CAMERA_POLICIES]
        camera = self._pending_cameras[0]
        if user_input is not None:
            name = str(user_input.get(CONF_FRIGATE_CAMERA) or "").strip()
            if name and name != default_frigate_camera(camera):
                policies[camera][CONF_FRIGATE_CAMERA] = name
            else:
                policies[camera].pop(CONF_FRIGATE_CAMERA, None)
            self._pending_cameras.pop(0)
            return await self.async_step_camera()
        current = policies[camera].get(CONF_FRIGATE_CAMERA)
        return self.async_show_form(
            step_id="camera_frigate",
            data_schema=probatio.Schema(
                {
                    probatio.Optional(
                        CONF_FRIGATE_CAMERA,
                        description={
                            "suggested_value": current or default_frigate_camera(camera)
                        },
                    ): TextSelector()
                }
            ),
            description_placeholders={
                "camera": self._camera_name(camera),
                "default": default_frigate_camera(camera),
            },
        )

    async def _after_cameras(self) -> ConfigFlowResult:
        """A Frigate camera without Frigate's address goes straight to asking for it."""
        if frigate_cameras(self._draft) and not self._draft.get(CONF_FRIGATE_URL):
            return await self.async_step_recording()
        return await self.async_step_init()

    async def async_step_guardrails(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The limits a request must stay within to be shown at all."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if not user_input.get(CONF_LEGAL_BASES):
                errors[CONF_LEGAL_BASES] = "no_legal_basis"
            else:
                self._draft.update(
                    {
                        CONF_MAX_WINDOW_MINUTES: int(
                            user_input[CONF_MAX_WINDOW_MINUTES]
                        ),
                        CONF_MAX_RADIUS_M: int(user_input[CONF_MAX_RADIUS_M]),
                        CONF_REQUIRE_CASE_NUMBER: bool(
                            user_input[CONF_REQUIRE_CASE_NUMBER]
                        ),
                        CONF_LEGAL_BASES: list(user_input[CONF_LEGAL_BASES]),
                    }
                )
                return await self.async_step_init()
        guardrails = self._settings().guardrails
        schema = probatio.Schema(
            {
                probatio.Required(
                    CONF_MAX_WINDOW_MINUTES,
                    default=int(guardrails.max_window.total_seconds() // 60),
                ): box("min", min=1, max=720, step=1),
                probatio.Required(
                    CONF_MAX_RADIUS_M, default=int(guardrails.max_radius_m)
                ): box("m", min=10, max=5000, step=10),
                probatio.Required(
                    CONF_REQUIRE_CASE_NUMBER, default=guardrails.require_case_number
                ): BooleanSelector(),
                probatio.Optional(
                    CONF_LEGAL_BASES,
                    default=[
                        basis.value
                        for basis in LegalBasis
                        if basis in guardrails.legal_bases
                    ],
                ): _choice(
                    CONF_LEGAL_BASES, [basis.value for basis in LegalBasis], many=True
                ),
            }
        )
        return self.async_show_form(
            step_id="guardrails", data_schema=schema, errors=errors
        )

    async def async_step_people(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Who decides, whether other linked residents hear of requests, which phones.

        Without any phone running the Companion app the form is `people_no_phones`,
        whose text says how to add one, instead of an empty picker.
        """
        if user_input is not None:
            self._draft[CONF_DECIDERS] = list(user_input.get(CONF_DECIDERS, []))
            self._draft[CONF_RESIDENTS_RECEIVE_REQUESTS] = bool(
                user_input.get(CONF_RESIDENTS_RECEIVE_REQUESTS, False)
            )
            if CONF_NOTIFY_TARGETS in user_input:
                self._draft[CONF_NOTIFY_TARGETS] = list(user_input[CONF_NOTIFY_TARGETS])
            return await self.async_step_init()
        settings = self._settings()
        users = [
            SelectOptionDict(value=user.id, label=user.name or user.id)
            for user in await self.hass.auth.async_get_users()
            if not user.system_generated and user.is_active
        ]
        known_users = {option["value"] for option in users}
        phones = [
            SelectOptionDict(value=phone.service, label=phone.label)
            for phone in await async_phones(self.hass)
        ]
        # A phone that left keeps its place until the owner removes it.
        known_phones = {option["value"] for option in phones}
        phones += [
            SelectOptionDict(value=target, label=target)
            for target in settings.notify_targets
            if target not in known_phones
        ]
        fields: dict[Any, Any] = {
            probatio.Optional(
                CONF_DECIDERS,
                default=sorted(settings.deciders & known_users),
            ): SelectSelector(SelectSelectorConfig(options=users, multiple=True)),
            probatio.Required(
                CONF_RESIDENTS_RECEIVE_REQUESTS,
                CONF_RTSP_TRANSPORT,
                default=settings.residents_receive_requests,
            ): BooleanSelector(),
        }
        if phones:
            fields[
                probatio.Optional(
                    CONF_NOTIFY_TARGETS, default=list(settings.notify_targets)
                )
            ] = SelectSelector(
                SelectSelectorConfig(
                    options=phones, multiple=True, mode=SelectSelectorMode.LIST
                )
            )
        return self.async_show_form(
            step_id="people" if phones else "people_no_phones",
            data_schema=probatio.Schema(fields),
        )

    async_step_people_no_phones = async_step_people

    async def async_step_recording(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """How long footage is kept; Frigate's address once a camera uses Frigate."""
        draft = self._draft
        with_frigate = bool(frigate_cameras(draft))
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = recording_errors(user_input, with_frigate=with_frigate)
            if not errors:
                save_recording(draft, user_input, with_frigate=with_frigate)
                return await self.async_step_init()
        return self.async_show_form(
            step_id="recording",
            data_schema=recording_schema(
                self._settings().footage, user_input, with_frigate=with_frigate
            ),
            errors=errors,
            description_placeholders={
                **recording_placeholders(),
                "cameras": await self._recorded_cameras_text(),
            },
        )

    async def _recorded_cameras_text(self) -> str:
        """One line per recorded camera: its stream, bit rate and footage kept."""
        texts = await async_texts(self.hass)
        lines = [
            texts["recording_camera_line"].format(
                camera=self._camera_name(camera),
                summary=await self._recording_text(camera),
            )
            for camera in self._settings().footage.recorded
        ]
        return "\n".join(f"- {line}" for line in lines) or "-"

    async def async_step_advanced(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The polling interval, the push webhook and a publisher on the LAN."""
        if user_input is not None:
            self._draft[CONF_POLL_INTERVAL] = int(user_input[CONF_POLL_INTERVAL])
            self._draft[CONF_ALLOW_LAN] = bool(user_input[CONF_ALLOW_LAN])
            return await self.async_step_init()
        settings = self._settings()
        schema = probatio.Schema(
            {
                probatio.Required(
                    CONF_POLL_INTERVAL,
                    default=int(settings.poll_interval.total_seconds()),
                ): box("s", min=15, max=3600, step=1),
                probatio.Required(
                    CONF_ALLOW_LAN, default=settings.guardrails.allow_lan
                ): BooleanSelector(),
            }
        )
        webhook_id = self.config_entry.data[CONF_WEBHOOK_ID]
        return self.async_show_form(
            step_id="advanced",
            data_schema=schema,
            description_placeholders={"webhook_path": f"/api/webhook/{webhook_id}"},
        )


def _choice(key: str, options: list[str], *, many: bool = False) -> SelectSelector:
    """A fixed set of values, labelled from the translations' `selector.<key>`."""
    return SelectSelector(
        SelectSelectorConfig(
            options=options,
            multiple=many,
            mode=SelectSelectorMode.LIST,
            translation_key=key,
        )
    )
