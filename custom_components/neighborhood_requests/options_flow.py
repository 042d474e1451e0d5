"""Options: guardrails, who decides, notify targets, then one step per camera.

Saving reloads the entry (`OptionsFlowWithReload`), so the coordinator always
runs with the options the owner last confirmed; there is no update listener.
"""

from __future__ import annotations

from typing import Any, Literal

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    LocationSelector,
    LocationSelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio
from yarl import URL

from .const import (
    BACKEND_FRIGATE,
    BACKEND_RECORDER,
    CONF_ALLOW_LAN,
    CONF_BACKEND,
    CONF_CAMERA_POLICIES,
    CONF_CAMERAS,
    CONF_DECIDERS,
    CONF_DISK_BUDGET_GB,
    CONF_FRIGATE_CAMERA,
    CONF_FRIGATE_PASSWORD,
    CONF_FRIGATE_URL,
    CONF_FRIGATE_USERNAME,
    CONF_HOME,
    CONF_LEGAL_BASES,
    CONF_LOCATION,
    CONF_MAX_RADIUS_M,
    CONF_MAX_WINDOW_MINUTES,
    CONF_NOTIFY_TARGETS,
    CONF_POLICY,
    CONF_POLL_INTERVAL,
    CONF_REQUIRE_CASE_NUMBER,
    CONF_RETENTION_HOURS,
    CONF_VIEW_RADIUS,
    CONF_WEBHOOK_ID,
    DISK_BUDGET_GB_RANGE,
    POLICY_ASK,
    POLICY_NEVER,
    RETENTION_HOURS_RANGE,
)
from .protocol.model import LegalBasis
from .settings import Settings, default_frigate_camera


class OptionsFlowHandler(OptionsFlowWithReload):
    """Guardrails and people first, then one short step per linked camera."""

    def __init__(self) -> None:
        self._options: dict[str, Any] = {}
        self._pending_cameras: list[str] = []

    async def _user_options(self) -> list[SelectOptionDict]:
        users = await self.hass.auth.async_get_users()
        return [
            SelectOptionDict(value=user.id, label=user.name or user.id)
            for user in users
            if not user.system_generated and user.is_active
        ]

    def _notify_options(self) -> list[str]:
        services = self.hass.services.async_services_for_domain("notify")
        return sorted(name for name in services if name.startswith("mobile_app_"))

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Guardrails, poll interval, deciders, notify targets, home and cameras."""
        if user_input is not None:
            self._options = {**self.config_entry.options, **user_input}
            self._options[CONF_LEGAL_BASES] = list(user_input[CONF_LEGAL_BASES])
            for key in (CONF_POLL_INTERVAL, CONF_MAX_WINDOW_MINUTES, CONF_MAX_RADIUS_M):
                self._options[key] = int(user_input[key])
            self._pending_cameras = list(user_input.get(CONF_CAMERAS, []))
            old = self.config_entry.options.get(CONF_CAMERA_POLICIES, {})
            self._options[CONF_CAMERA_POLICIES] = {
                camera: old.get(camera, {CONF_POLICY: POLICY_ASK})
                for camera in self._pending_cameras
            }
            return await self.async_step_camera()
        settings = Settings.from_entry(self.config_entry)
        options = self.config_entry.options
        schema = probatio.Schema(
            {
                probatio.Required(
                    CONF_POLL_INTERVAL,
                    default=int(settings.poll_interval.total_seconds()),
                ): _box("s", min=15, max=3600, step=1),
                probatio.Required(
                    CONF_MAX_WINDOW_MINUTES,
                    default=int(settings.guardrails.max_window.total_seconds() // 60),
                ): _box("min", min=1, max=720, step=1),
                probatio.Required(
                    CONF_MAX_RADIUS_M, default=int(settings.guardrails.max_radius_m)
                ): _box("m", min=10, max=5000, step=10),
                probatio.Required(
                    CONF_REQUIRE_CASE_NUMBER,
                    default=settings.guardrails.require_case_number,
                ): BooleanSelector(),
                probatio.Required(
                    CONF_ALLOW_LAN, default=settings.guardrails.allow_lan
                ): BooleanSelector(),
                probatio.Required(
                    CONF_LEGAL_BASES,
                    default=sorted(b.value for b in settings.guardrails.legal_bases),
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=[basis.value for basis in LegalBasis],
                        multiple=True,
                        mode=SelectSelectorMode.LIST,
                        translation_key=CONF_LEGAL_BASES,
                    )
                ),
                probatio.Optional(
                    CONF_DECIDERS, default=sorted(settings.deciders)
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=await self._user_options(), multiple=True
                    )
                ),
                probatio.Optional(
                    CONF_NOTIFY_TARGETS, default=list(settings.notify_targets)
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=self._notify_options(),
                        multiple=True,
                        custom_value=True,
                    )
                ),
                probatio.Required(
                    CONF_HOME, default=options.get(CONF_HOME)
                ): LocationSelector(LocationSelectorConfig(radius=True)),
                probatio.Optional(
                    CONF_CAMERAS, default=list(settings.cameras)
                ): EntitySelector(EntitySelectorConfig(domain="camera", multiple=True)),
            }
        )
        webhook_id = self.config_entry.data[CONF_WEBHOOK_ID]
        # Unset only if the entry never loaded (the key is made at first setup).
        runtime = getattr(self.config_entry, "runtime_data", None)
        return self.async_show_form(
            step_id="init",
            data_schema=schema,
            description_placeholders={
                "webhook_path": f"/api/webhook/{webhook_id}",
                "home_key_fingerprint": (
                    runtime.home_key.fingerprint if runtime is not None else "-"
                ),
            },
        )

    async def async_step_camera(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One camera at a time: ask or never, and where it looks if not the house."""
        policies: dict[str, dict[str, Any]] = self._options[CONF_CAMERA_POLICIES]
        if user_input is not None:
            camera = self._pending_cameras.pop(0)
            policy: dict[str, Any] = {CONF_POLICY: user_input[CONF_POLICY]}
            if CONF_LOCATION in user_input:
                policy[CONF_LOCATION] = user_input[CONF_LOCATION]
            if CONF_VIEW_RADIUS in user_input:
                policy[CONF_VIEW_RADIUS] = float(user_input[CONF_VIEW_RADIUS])
            # Only what differs from the defaults is stored.
            if user_input.get(CONF_BACKEND) == BACKEND_FRIGATE:
                policy[CONF_BACKEND] = BACKEND_FRIGATE
            frigate_camera = str(user_input.get(CONF_FRIGATE_CAMERA) or "").strip()
            if frigate_camera and frigate_camera != default_frigate_camera(camera):
                policy[CONF_FRIGATE_CAMERA] = frigate_camera
            policies[camera] = policy
        if not self._pending_cameras:
            return await self.async_step_recording()
        camera = self._pending_cameras[0]
        current = policies[camera]
        state = self.hass.states.get(camera)
        fields: dict[Any, Any] = {
            probatio.Required(
                CONF_POLICY, default=current.get(CONF_POLICY, POLICY_ASK)
            ): SelectSelector(
                SelectSelectorConfig(
                    options=[POLICY_ASK, POLICY_NEVER],
                    mode=SelectSelectorMode.LIST,
                    translation_key=CONF_POLICY,
                )
            ),
            probatio.Optional(
                CONF_LOCATION,
                description={"suggested_value": current.get(CONF_LOCATION)},
            ): LocationSelector(),
            probatio.Optional(
                CONF_VIEW_RADIUS,
                description={"suggested_value": current.get(CONF_VIEW_RADIUS)},
            ): _box("m", min=0, max=500, step=5),
            probatio.Required(
                CONF_BACKEND, default=current.get(CONF_BACKEND, BACKEND_RECORDER)
            ): SelectSelector(
                SelectSelectorConfig(
                    options=[BACKEND_RECORDER, BACKEND_FRIGATE],
                    mode=SelectSelectorMode.LIST,
                    translation_key=CONF_BACKEND,
                )
            ),
            probatio.Optional(
                CONF_FRIGATE_CAMERA,
                description={
                    "suggested_value": current.get(CONF_FRIGATE_CAMERA)
                    or default_frigate_camera(camera)
                },
            ): TextSelector(),
        }
        return self.async_show_form(
            step_id="camera",
            data_schema=probatio.Schema(fields),
            description_placeholders={
                "camera": state.name if state is not None else camera
            },
        )

    async def async_step_recording(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Frigate's address and how much footage the built-in recorder keeps."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = self._recording_errors(user_input)
            if not errors:
                for key in (
                    CONF_FRIGATE_URL,
                    CONF_FRIGATE_USERNAME,
                    CONF_FRIGATE_PASSWORD,
                ):
                    if value := str(user_input.get(key) or "").strip():
                        self._options[key] = value
                    else:
                        self._options.pop(key, None)
                self._options[CONF_RETENTION_HOURS] = int(
                    user_input[CONF_RETENTION_HOURS]
                )
                self._options[CONF_DISK_BUDGET_GB] = float(
                    user_input[CONF_DISK_BUDGET_GB]
                )
                return self.async_create_entry(data=self._options)
        footage = Settings.from_entry(self.config_entry).footage
        shown: dict[str, Any] = {
            CONF_FRIGATE_URL: footage.frigate_url,
            CONF_FRIGATE_USERNAME: footage.frigate_username,
            CONF_FRIGATE_PASSWORD: footage.frigate_password,
            CONF_RETENTION_HOURS: int(footage.retention.total_seconds() // 3600),
            CONF_DISK_BUDGET_GB: round(footage.budget_bytes / 1024**3, 3),
            **(user_input or {}),
        }
        schema = probatio.Schema(
            {
                probatio.Optional(
                    CONF_FRIGATE_URL,
                    description={"suggested_value": shown[CONF_FRIGATE_URL]},
                ): TextSelector(TextSelectorConfig(type=TextSelectorType.URL)),
                probatio.Optional(
                    CONF_FRIGATE_USERNAME,
                    description={"suggested_value": shown[CONF_FRIGATE_USERNAME]},
                ): TextSelector(),
                probatio.Optional(
                    CONF_FRIGATE_PASSWORD,
                    description={"suggested_value": shown[CONF_FRIGATE_PASSWORD]},
                ): TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD)),
                # No min/max in the selectors: out-of-range values get the form's
                # own translated error instead of a schema rejection.
                probatio.Required(
                    CONF_RETENTION_HOURS, default=shown[CONF_RETENTION_HOURS]
                ): _box("h", step=1),
                probatio.Required(
                    CONF_DISK_BUDGET_GB, default=shown[CONF_DISK_BUDGET_GB]
                ): _box("GB", step="any"),
            }
        )
        return self.async_show_form(
            step_id="recording",
            data_schema=schema,
            errors=errors,
            description_placeholders={
                "min_hours": str(RETENTION_HOURS_RANGE[0]),
                "max_hours": str(RETENTION_HOURS_RANGE[1]),
                "min_gb": f"{DISK_BUDGET_GB_RANGE[0]:g}",
                "max_gb": f"{DISK_BUDGET_GB_RANGE[1]:g}",
                "frigate_example": FRIGATE_EXAMPLE,
            },
        )

    def _recording_errors(self, user_input: dict[str, Any]) -> dict[str, str]:
        """Each bad field gets its own translated error; nothing is saved."""
        errors: dict[str, str] = {}
        url = str(user_input.get(CONF_FRIGATE_URL) or "").strip()
        policies: dict[str, dict[str, Any]] = self._options[CONF_CAMERA_POLICIES]
        wants_frigate = any(
            policy.get(CONF_BACKEND) == BACKEND_FRIGATE
            and policy.get(CONF_POLICY) != POLICY_NEVER
            for policy in policies.values()
        )
        if url and not _is_http_url(url):
            errors[CONF_FRIGATE_URL] = "invalid_url"
        elif not url and wants_frigate:
            errors[CONF_FRIGATE_URL] = "frigate_url_required"
        if bool(user_input.get(CONF_FRIGATE_USERNAME)) != bool(
            user_input.get(CONF_FRIGATE_PASSWORD)
        ):
            errors[CONF_FRIGATE_PASSWORD] = "frigate_credentials_incomplete"
        low, high = RETENTION_HOURS_RANGE
        if not low <= float(user_input[CONF_RETENTION_HOURS]) <= high:
            errors[CONF_RETENTION_HOURS] = "retention_out_of_range"
        low_gb, high_gb = DISK_BUDGET_GB_RANGE
        if not low_gb <= float(user_input[CONF_DISK_BUDGET_GB]) <= high_gb:
            errors[CONF_DISK_BUDGET_GB] = "disk_budget_out_of_range"
        return errors


FRIGATE_EXAMPLE = "http://frigate.local:5000"


def _box(
    unit: str,
    *,
    step: float | Literal["any"],
    min: float | None = None,
    max: float | None = None,
) -> NumberSelector:
    """A number typed into a box, with its unit: how every figure here is entered."""
    config = NumberSelectorConfig(
        step=step, mode=NumberSelectorMode.BOX, unit_of_measurement=unit
    )
    if min is not None:
        config["min"] = min
    if max is not None:
        config["max"] = max
    return NumberSelector(config)


def _is_http_url(text: str) -> bool:
    """An absolute http(s) URL with a host, as Frigate's API is reached."""
    try:
        url = URL(text)
    except ValueError:
        return False
    return url.scheme in ("http", "https") and bool(url.host)
