"""Typed view of a config entry's data and options.

Entry data is what was trusted (feed, token, pinned keys); options are what the home
decides (location, cameras, guardrails, who decides). Everything else reads them
through `Settings` so defaults live in exactly one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .const import (
    CONF_ALLOW_UNVERIFIED,
    CONF_CAMERA_POLICIES,
    CONF_CAMERAS,
    CONF_DECIDERS,
    CONF_HOME,
    CONF_KEYS,
    CONF_LEGAL_BASES,
    CONF_LOCATION,
    CONF_MAX_RADIUS_M,
    CONF_MAX_WINDOW_MINUTES,
    CONF_NOTIFY_TARGETS,
    CONF_POLICY,
    CONF_POLL_INTERVAL,
    CONF_PUBLISHER_ID,
    CONF_REQUIRE_CASE_NUMBER,
    CONF_TOKEN,
    CONF_URL,
    CONF_VIEW_RADIUS,
    DEFAULT_HOME_RADIUS_M,
    DEFAULT_MAX_RADIUS_M,
    DEFAULT_MAX_WINDOW_MINUTES,
    DEFAULT_POLL_INTERVAL,
    POLICY_ASK,
    POLICY_NEVER,
)
from .protocol.geo import ViewPoint
from .protocol.model import LegalBasis
from .protocol.policy import Guardrails


def default_options(home: Mapping[str, float], cameras: list[str]) -> dict[str, Any]:
    """Options of a new entry: the design's strict defaults, every camera on `ask`."""
    return {
        CONF_HOME: dict(home),
        CONF_CAMERAS: list(cameras),
        CONF_CAMERA_POLICIES: {camera: {CONF_POLICY: POLICY_ASK} for camera in cameras},
        CONF_MAX_WINDOW_MINUTES: DEFAULT_MAX_WINDOW_MINUTES,
        CONF_MAX_RADIUS_M: DEFAULT_MAX_RADIUS_M,
        CONF_REQUIRE_CASE_NUMBER: True,
        CONF_LEGAL_BASES: [basis.value for basis in LegalBasis],
        CONF_POLL_INTERVAL: int(DEFAULT_POLL_INTERVAL.total_seconds()),
        CONF_DECIDERS: [],
        CONF_NOTIFY_TARGETS: [],
    }


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the coordinator and the actions need from one entry."""

    url: str
    token: str | None
    publisher_id: str
    keys: tuple[dict[str, Any], ...]
    allow_unverified: bool
    home_lat: float
    home_lon: float
    home_radius_m: float
    cameras: tuple[str, ...]
    never_cameras: frozenset[str]
    camera_points: tuple[ViewPoint, ...]
    guardrails: Guardrails
    poll_interval: timedelta
    deciders: frozenset[str]
    notify_targets: tuple[str, ...]

    @classmethod
    def from_entry(cls, entry: ConfigEntry) -> Settings:
        """Read data and options, falling back to the defaults for missing keys."""
        data, options = entry.data, entry.options
        home = options.get(CONF_HOME, {})
        policies: Mapping[str, Mapping[str, Any]] = options.get(
            CONF_CAMERA_POLICIES, {}
        )
        cameras = tuple(options.get(CONF_CAMERAS, ()))
        points: list[ViewPoint] = []
        for camera in cameras:
            own = policies.get(camera, {})
            location = own.get(CONF_LOCATION)
            if own.get(CONF_POLICY) != POLICY_NEVER and location:
                points.append(
                    ViewPoint(
                        float(location["latitude"]),
                        float(location["longitude"]),
                        float(own.get(CONF_VIEW_RADIUS, 0.0)),
                    )
                )
        guardrails = Guardrails(
            max_window=timedelta(
                minutes=options.get(CONF_MAX_WINDOW_MINUTES, DEFAULT_MAX_WINDOW_MINUTES)
            ),
            max_radius_m=float(options.get(CONF_MAX_RADIUS_M, DEFAULT_MAX_RADIUS_M)),
            require_case_number=bool(options.get(CONF_REQUIRE_CASE_NUMBER, True)),
            legal_bases=frozenset(
                LegalBasis(value)
                for value in options.get(
                    CONF_LEGAL_BASES, [basis.value for basis in LegalBasis]
                )
            ),
        )
        return cls(
            url=data[CONF_URL],
            token=data.get(CONF_TOKEN) or None,
            publisher_id=data[CONF_PUBLISHER_ID],
            keys=tuple(data.get(CONF_KEYS, ())),
            allow_unverified=bool(data.get(CONF_ALLOW_UNVERIFIED, False)),
            home_lat=float(home.get("latitude", 0.0)),
            home_lon=float(home.get("longitude", 0.0)),
            home_radius_m=float(home.get("radius", DEFAULT_HOME_RADIUS_M)),
            cameras=cameras,
            never_cameras=frozenset(
                camera
                for camera in cameras
                if policies.get(camera, {}).get(CONF_POLICY) == POLICY_NEVER
            ),
            camera_points=tuple(points),
            guardrails=guardrails,
            poll_interval=timedelta(
                seconds=options.get(
                    CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL.total_seconds()
                )
            ),
            deciders=frozenset(options.get(CONF_DECIDERS, ())),
            notify_targets=tuple(options.get(CONF_NOTIFY_TARGETS, ())),
        )

    @property
    def view_points(self) -> tuple[ViewPoint, ...]:
        """The home itself plus every camera that has its own location."""
        home = ViewPoint(self.home_lat, self.home_lon, self.home_radius_m)
        return (home, *self.camera_points)
