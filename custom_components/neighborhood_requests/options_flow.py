"""Options: guardrails, who decides, notify targets, then one step per camera.

Saving reloads the entry (`OptionsFlowWithReload`), so the coordinator always
runs with the options the owner last confirmed; there is no update listener.
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
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import probatio

from .const import (
    CONF_CAMERA_POLICIES,
    CONF_CAMERAS,
    CONF_DECIDERS,
    CONF_HOME,
    CONF_LEGAL_BASES,
    CONF_LOCATION,
    CONF_MAX_RADIUS_M,
    CONF_MAX_WINDOW_MINUTES,
    CONF_NOTIFY_TARGETS,
    CONF_POLICY,
    CONF_POLL_INTERVAL,
    CONF_REQUIRE_CASE_NUMBER,
    CONF_VIEW_RADIUS,
    CONF_WEBHOOK_ID,
    POLICY_ASK,
    POLICY_NEVER,
)
from .protocol.model import LegalBasis
from .settings import Settings


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
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=15,
                        max=3600,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="s",
                    )
                ),
                probatio.Required(
                    CONF_MAX_WINDOW_MINUTES,
                    default=int(settings.guardrails.max_window.total_seconds() // 60),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=1,
                        max=720,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="min",
                    )
                ),
                probatio.Required(
                    CONF_MAX_RADIUS_M, default=int(settings.guardrails.max_radius_m)
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=10,
                        max=5000,
                        step=10,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="m",
                    )
                ),
                probatio.Required(
                    CONF_REQUIRE_CASE_NUMBER,
                    default=settings.guardrails.require_case_number,
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
        return self.async_show_form(
            step_id="init",
            data_schema=schema,
            description_placeholders={"webhook_path": f"/api/webhook/{webhook_id}"},
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
            policies[camera] = policy
        if not self._pending_cameras:
            return self.async_create_entry(data=self._options)
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
            ): NumberSelector(
                NumberSelectorConfig(
                    min=0,
                    max=500,
                    step=5,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement="m",
                )
            ),
        }
        return self.async_show_form(
            step_id="camera",
            data_schema=probatio.Schema(fields),
            description_placeholders={
                "camera": state.name if state is not None else camera
            },
        )
