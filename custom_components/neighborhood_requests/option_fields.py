"""The options' number boxes and the recording step's fields, checks and saving.

Kept apart from the flow so the flow reads as the menu and its steps; the
recording step is the one with real validation (ranges, a Frigate address that
must be a full URL, credentials given together).
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any, Literal

from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio
from yarl import URL

from .const import (
    BACKEND_FRIGATE,
    CONF_BACKEND,
    CONF_CAMERA_POLICIES,
    CONF_CAMERAS,
    CONF_DISK_BUDGET_GB,
    CONF_FRIGATE_PASSWORD,
    CONF_FRIGATE_URL,
    CONF_FRIGATE_USERNAME,
    CONF_LABEL,
    CONF_POLICY,
    CONF_RETENTION_HOURS,
    DISK_BUDGET_GB_RANGE,
    LABEL_MAX_LENGTH,
    POLICY_NEVER,
    RETENTION_HOURS_RANGE,
)
from .settings import FootageSettings

FRIGATE_EXAMPLE = "http://frigate.local:5000"
FRIGATE_FIELDS = (CONF_FRIGATE_URL, CONF_FRIGATE_USERNAME, CONF_FRIGATE_PASSWORD)


def box(
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


def frigate_cameras(options: Mapping[str, Any]) -> list[str]:
    """Linked cameras that may share and take their footage from Frigate."""
    policies: Mapping[str, Mapping[str, Any]] = options.get(CONF_CAMERA_POLICIES, {})
    return [
        camera
        for camera in options.get(CONF_CAMERAS, [])
        if policies.get(camera, {}).get(CONF_BACKEND) == BACKEND_FRIGATE
        and policies.get(camera, {}).get(CONF_POLICY) != POLICY_NEVER
    ]


def recording_schema(
    footage: FootageSettings,
    user_input: Mapping[str, Any] | None,
    *,
    with_frigate: bool,
) -> probatio.Schema:
    """Retention and disk budget; Frigate's address only when a camera uses it."""
    shown: dict[str, Any] = {
        CONF_FRIGATE_URL: footage.frigate_url,
        CONF_FRIGATE_USERNAME: footage.frigate_username,
        CONF_FRIGATE_PASSWORD: footage.frigate_password,
        CONF_RETENTION_HOURS: int(footage.retention.total_seconds() // 3600),
        CONF_DISK_BUDGET_GB: round(footage.budget_bytes / 1024**3, 3),
        **(user_input or {}),
    }
    fields: dict[Any, Any] = {
        # No min/max in the selectors: out-of-range values get the form's own
        # translated error instead of a schema rejection.
        probatio.Required(
            CONF_RETENTION_HOURS, default=shown[CONF_RETENTION_HOURS]
        ): box("h", step=1),
        probatio.Required(CONF_DISK_BUDGET_GB, default=shown[CONF_DISK_BUDGET_GB]): box(
            "GB", step="any"
        ),
    }
    if with_frigate:
        kinds = (TextSelectorType.URL, TextSelectorType.TEXT, TextSelectorType.PASSWORD)
        for key, kind in zip(FRIGATE_FIELDS, kinds, strict=True):
            fields[
                probatio.Optional(key, description={"suggested_value": shown[key]})
            ] = TextSelector(TextSelectorConfig(type=kind))
    return probatio.Schema(fields)


def recording_placeholders() -> dict[str, str]:
    """The ranges and the example the recording step's texts name."""
    return {
        "min_hours": str(RETENTION_HOURS_RANGE[0]),
        "max_hours": str(RETENTION_HOURS_RANGE[1]),
        "min_gb": f"{DISK_BUDGET_GB_RANGE[0]:g}",
        "max_gb": f"{DISK_BUDGET_GB_RANGE[1]:g}",
        "frigate_example": FRIGATE_EXAMPLE,
    }


def recording_errors(
    user_input: Mapping[str, Any], *, with_frigate: bool
) -> dict[str, str]:
    """Each bad field gets its own translated error; nothing is saved."""
    errors: dict[str, str] = {}
    if with_frigate:
        url = str(user_input.get(CONF_FRIGATE_URL) or "").strip()
        if not url:
            errors[CONF_FRIGATE_URL] = "frigate_url_required"
        elif not _is_http_url(url):
            errors[CONF_FRIGATE_URL] = "invalid_url"
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


def save_recording(
    options: dict[str, Any], user_input: Mapping[str, Any], *, with_frigate: bool
) -> None:
    """Write checked recording input into `options` (Frigate's only if it was shown)."""
    if with_frigate:
        for key in FRIGATE_FIELDS:
            if value := str(user_input.get(key) or "").strip():
                options[key] = value
            else:
                options.pop(key, None)
    options[CONF_RETENTION_HOURS] = int(user_input[CONF_RETENTION_HOURS])
    options[CONF_DISK_BUDGET_GB] = float(user_input[CONF_DISK_BUDGET_GB])


def drop_unused_frigate(options: dict[str, Any]) -> None:
    """No camera uses Frigate: forget its address and login rather than keep a
    password the form no longer shows and the owner could not remove."""
    if not frigate_cameras(options):
        for key in FRIGATE_FIELDS:
            options.pop(key, None)


def _is_http_url(text: str) -> bool:
    """An absolute http(s) URL with a host, as Frigate's API is reached."""
    try:
        url = URL(text)
    except ValueError:
        return False
    return url.scheme in ("http", "https") and bool(url.host)


# An entity id, or something shaped like one: a label must not leak it.
_ENTITY_ID_LIKE = re.compile(r"[a-z0-9_]+\.[a-z0-9_]+")


def label_errors(
    label: str, camera: str, policies: Mapping[str, Mapping[str, Any]]
) -> dict[str, str]:
    """A camera's label is short, printable, unique in the entry, never an entity id."""
    if (
        len(label) > LABEL_MAX_LENGTH
        or not label.isprintable()
        or _ENTITY_ID_LIKE.fullmatch(label.lower())
    ):
        return {CONF_LABEL: "label_invalid"}
    taken = {
        str(policy.get(CONF_LABEL, "")).casefold()
        for other, policy in policies.items()
        if other != camera
    }
    if label.casefold() in taken:
        return {CONF_LABEL: "label_taken"}
    return {}
