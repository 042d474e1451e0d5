"""The typed runtime data of a config entry (kept apart to avoid import cycles)."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .consent.share import DeliveryOutbox, Exporter
from .coordinator import FeedCoordinator
from .delivery.home_key import HomeKey
from .footage.recording import Footage


@dataclass(slots=True)
class RuntimeData:
    """Per-entry state; `exporter` and `outbox` stay None until a backend exists."""

    coordinator: FeedCoordinator
    home_key: HomeKey
    exporter: Exporter | None = None
    outbox: DeliveryOutbox | None = None
    footage: Footage | None = None


type NeighborhoodRequestsConfigEntry = ConfigEntry[RuntimeData]
