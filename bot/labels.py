"""Human labels for the feed's machine values, in the bot's three languages.

The bot never imports the integration, so it keeps its own copy of the labels
the integration translates (`selector.incident_types` in its translation files);
a test holds both to the same vocabulary. A value nobody translated is shown in
a readable form (`bike_theft` → "Bike theft"), never raw.
"""

from __future__ import annotations

from typing import Final

INCIDENT_TYPES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "burglary": "Burglary",
        "robbery": "Robbery",
        "theft": "Theft",
        "package_theft": "Package theft",
        "vehicle_theft": "Vehicle theft",
        "vehicle_break_in": "Vehicle break-in",
        "vandalism": "Vandalism",
        "arson": "Arson",
        "assault": "Assault",
        "shooting": "Shooting",
        "homicide": "Homicide",
        "hit_and_run": "Hit and run",
        "traffic_collision": "Traffic collision",
        "missing_person": "Missing person",
        "suspicious_activity": "Suspicious activity",
        "trespassing": "Trespassing",
        "other": "Other",
        "protest": "Protest",
        "demonstration": "Demonstration",
        "assembly": "Assembly",
    },
    "de": {
        "burglary": "Einbruch",
        "robbery": "Raub",
        "theft": "Diebstahl",
        "package_theft": "Paketdiebstahl",
        "vehicle_theft": "Fahrzeugdiebstahl",
        "vehicle_break_in": "Fahrzeugaufbruch",
        "vandalism": "Sachbeschädigung",
        "arson": "Brandstiftung",
        "assault": "Körperverletzung",
        "shooting": "Schüsse",
        "homicide": "Tötungsdelikt",
        "hit_and_run": "Unfallflucht",
        "traffic_collision": "Verkehrsunfall",
        "missing_person": "Vermisste Person",
        "suspicious_activity": "Verdächtige Beobachtung",
        "trespassing": "Hausfriedensbruch",
        "other": "Sonstiges",
        "protest": "Protest",
        "demonstration": "Demonstration",
        "assembly": "Versammlung",
    },
    "es": {
        "burglary": "Robo en domicilio",
        "robbery": "Atraco",
        "theft": "Hurto",
        "package_theft": "Robo de paquetes",
        "vehicle_theft": "Robo de vehículo",
        "vehicle_break_in": "Robo en vehículo",
        "vandalism": "Vandalismo",
        "arson": "Incendio provocado",
        "assault": "Agresión",
        "shooting": "Tiroteo",
        "homicide": "Homicidio",
        "hit_and_run": "Atropello con fuga",
        "traffic_collision": "Accidente de tráfico",
        "missing_person": "Persona desaparecida",
        "suspicious_activity": "Actividad sospechosa",
        "trespassing": "Allanamiento",
        "other": "Otro",
        "protest": "Protesta",
        "demonstration": "Manifestación",
        "assembly": "Reunión",
    },
}


def readable(value: str) -> str:
    """`package_theft` as people write it."""
    words = value.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else value


def incident_label(language: str, incident_type: object) -> str:
    """The incident type in `language` (English if unknown), else readable."""
    value = str(incident_type or "")
    labels = INCIDENT_TYPES.get(language, INCIDENT_TYPES["en"])
    return labels.get(value) or readable(value) or "?"
