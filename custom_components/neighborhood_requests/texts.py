"""Words the server fills in itself (notifications, prompts), in the home's language.

Forms, repairs and entities are translated by Home Assistant's frontend; a
notification's title and message, or a label placed inside a form's description,
are not. Those live in the translation files beside everything else: message
templates under `exceptions` (`<key>.message`), labels of a fixed set of values
under `selector` (`<set>.options.<value>`). This reads both into one flat mapping:
`"<key>"` for a template and `"<set>.<value>"` for a label.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import translation

from .const import DOMAIN


async def async_texts(
    hass: HomeAssistant, language: str | None = None
) -> dict[str, str]:
    """Templates and labels in `language` (default: the home's own)."""
    language = language or hass.config.language
    texts: dict[str, str] = {}
    exceptions = await translation.async_get_translations(
        hass, language, "exceptions", [DOMAIN]
    )
    prefix = f"component.{DOMAIN}.exceptions."
    for key, value in exceptions.items():
        texts[key.removeprefix(prefix).removesuffix(".message")] = value
    selectors = await translation.async_get_translations(
        hass, language, "selector", [DOMAIN]
    )
    prefix = f"component.{DOMAIN}.selector."
    for key, value in selectors.items():
        name, _, option = key.removeprefix(prefix).partition(".options.")
        if option:
            texts[f"{name}.{option}"] = value
    return texts


def readable_incident(incident_type: str) -> str:
    """`package_theft` as people write it, for types without a translated label."""
    words = incident_type.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else incident_type
