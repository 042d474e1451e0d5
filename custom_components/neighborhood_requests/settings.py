"""Typed view of a config entry's data and options.

Entry data is what was trusted (feed, token, pinned keys); options are what the home
decides (location, cameras, guardrails, who decides). Everything else reads them
through `Settings` so defaults live in exactly one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
import re
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .const import (
    BACKEND_RECORDER,
    CONF_ALLOW_LAN,
    CONF_ALLOW_UNVERIFIED,
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
    CONF_KEYS,
    CONF_LABEL,
    CONF_LEGAL_BASES,
    CONF_LOCATION,
    CONF_MAX_RADIUS_M,
    CONF_MAX_WINDOW_MINUTES,
    CONF_NOTIFY_TARGETS,
    CONF_POLICY,
    CONF_POLL_INTERVAL,
    CONF_PUBLISHER_ID,
    CONF_REQUIRE_CASE_NUMBER,
    CONF_RESIDENTS_RECEIVE_REQUESTS,
    CONF_RETENTION_HOURS,
    CONF_RTSP_TRANSPORT,
    CONF_TOKEN,
    CONF_UPLOAD_ORIGINS,
    CONF_URL,
    CONF_VIEW_RADIUS,
    DEFAULT_DISK_BUDGET_GB,
    DEFAULT_HOME_RADIUS_M,
    DEFAULT_MAX_RADIUS_M,
    DEFAULT_MAX_WINDOW_MINUTES,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_RETENTION_HOURS,
    POLICY_ASK,
    POLICY_NEVER,
    RTSP_TCP,
    RTSP_UDP,
)
from .protocol.geo import ViewPoint
from .protocol.model import LegalBasis
from .protocol.origins import origin_of
from .protocol.policy import Guardrails

DEFAULT_LABEL = "Camera {number}"
_DEFAULT_LABEL = re.compile(r"Camera ([1-9][0-9]{0,5})")


def assign_labels(cameras: Sequence[str], labels: Mapping[str, str]) -> dict[str, str]:
    """Each camera's label: its own, else "Camera N" in the order they are linked.

    N continues above the highest default in use, so a camera linked later never
    takes the name an unlinked one had in earlier manifests.
    """
    result = {camera: labels[camera] for camera in cameras if labels.get(camera)}
    number = max(
        (
            int(match.group(1))
            for label in result.values()
            if (match := _DEFAULT_LABEL.fullmatch(label))
        ),
        default=0,
    )
    for camera in cameras:
        if camera not in result:
            number += 1
            result[camera] = DEFAULT_LABEL.format(number=number)
    return {camera: result[camera] for camera in cameras}


def default_options(home: Mapping[str, float], cameras: list[str]) -> dict[str, Any]:
    """Options of a new entry: the design's strict defaults, every camera on `ask`."""
    labels = assign_labels(cameras, {})
    return {
        CONF_HOME: dict(home),
        CONF_CAMERAS: list(cameras),
        CONF_CAMERA_POLICIES: {
            camera: {CONF_POLICY: POLICY_ASK, CONF_LABEL: labels[camera]}
            for camera in cameras
        },
        CONF_MAX_WINDOW_MINUTES: DEFAULT_MAX_WINDOW_MINUTES,
        CONF_MAX_RADIUS_M: DEFAULT_MAX_RADIUS_M,
        CONF_REQUIRE_CASE_NUMBER: True,
        CONF_LEGAL_BASES: [basis.value for basis in LegalBasis],
        CONF_POLL_INTERVAL: int(DEFAULT_POLL_INTERVAL.total_seconds()),
        CONF_DECIDERS: [],
        CONF_NOTIFY_TARGETS: [],
    }


def trusted_origins(data: Mapping[str, Any]) -> frozenset[str]:
    """Where clips may go: the feed URL's origin and the signed ones the owner saw.

    The feed's own origin is read from the URL as it is now, so moving the feed
    (reconfigure) moves the trust with it; it is what the owner typed.
    """
    origins = set(data.get(CONF_UPLOAD_ORIGINS, ()))
    with suppress(ValueError):  # no origin, so no upload can match it
        origins.add(origin_of(data[CONF_URL]))
    return frozenset(origins)


def default_frigate_camera(camera: str) -> str:
    """Frigate's name for a camera is usually HA's object id (`front_door`)."""
    return camera.partition(".")[2] or camera


@dataclass(frozen=True, slots=True)
class CameraBackend:
    """Where one camera's footage comes from: our recorder, or a Frigate camera."""

    camera: str
    backend: str
    frigate_camera: str
    # RTSP over TCP survives Wi-Fi loss without smeared frames; UDP on request.
    rtsp_transport: str = RTSP_TCP


@dataclass(frozen=True, slots=True)
class FootageSettings:
    """Backends of the cameras that may share, and how long footage is kept.

    The disk budget applies to each recorded camera's folder on its own, so one busy
    camera cannot starve the others of history.
    """

    backends: tuple[CameraBackend, ...] = ()
    frigate_url: str | None = None
    frigate_username: str | None = None
    frigate_password: str | None = None
    retention: timedelta = timedelta(hours=DEFAULT_RETENTION_HOURS)
    budget_bytes: int = int(DEFAULT_DISK_BUDGET_GB * 1024**3)

    def backend_for(self, camera: str) -> CameraBackend | None:
        """The camera's backend, or None for a camera that never shares."""
        return next((b for b in self.backends if b.camera == camera), None)

    @property
    def recorded(self) -> tuple[str, ...]:
        """Cameras our own recorder keeps footage of."""
        return tuple(b.camera for b in self.backends if b.backend == BACKEND_RECORDER)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> FootageSettings:
        """Every linked camera not set to never, with the entry-wide limits."""
        policies: Mapping[str, Mapping[str, Any]] = options.get(
            CONF_CAMERA_POLICIES, {}
        )
        backends = []
        for camera in options.get(CONF_CAMERAS, ()):
            own = policies.get(camera, {})
            if own.get(CONF_POLICY) == POLICY_NEVER:
                continue
            backends.append(
                CameraBackend(
                    camera,
                    own.get(CONF_BACKEND, BACKEND_RECORDER),
                    own.get(CONF_FRIGATE_CAMERA) or default_frigate_camera(camera),
                    RTSP_UDP if own.get(CONF_RTSP_TRANSPORT) == RTSP_UDP else RTSP_TCP,
                )
            )
        return cls(
            backends=tuple(backends),
            frigate_url=options.get(CONF_FRIGATE_URL) or None,
            frigate_username=options.get(CONF_FRIGATE_USERNAME) or None,
            frigate_password=options.get(CONF_FRIGATE_PASSWORD) or None,
            retention=timedelta(
                hours=options.get(CONF_RETENTION_HOURS, DEFAULT_RETENTION_HOURS)
            ),
            budget_bytes=int(
                float(options.get(CONF_DISK_BUDGET_GB, DEFAULT_DISK_BUDGET_GB))
                * 1024**3
            ),
        )


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
    residents_receive_requests: bool
    notify_targets: tuple[str, ...]
    footage: FootageSettings
    camera_labels: Mapping[str, str]

    def label(self, camera: str) -> str:
        """The name `camera` goes by outside the house (never its entity id)."""
        return self.camera_labels.get(camera) or "Camera"

    def camera_for(self, name: str) -> str | None:
        """The linked camera a label (or an entity id, in older records) names."""
        if name in self.camera_labels:
            return name
        return next(
            (c for c, label in self.camera_labels.items() if label == name), None
        )

    @classmethod
    def from_entry(cls, entry: ConfigEntry) -> Settings:
        """Read data and options, falling back to the defaults for missing keys."""
        return cls.from_mappings(entry.data, entry.options)

    @classmethod
    def from_mappings(
        cls, data: Mapping[str, Any], options: Mapping[str, Any]
    ) -> Settings:
        """The same from plain mappings: options an options flow has not saved yet."""
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
        footage = FootageSettings.from_options(options)
        guardrails = Guardrails(
            retention=footage.retention,
            max_window=timedelta(
                minutes=options.get(CONF_MAX_WINDOW_MINUTES, DEFAULT_MAX_WINDOW_MINUTES)
            ),
            max_radius_m=float(options.get(CONF_MAX_RADIUS_M, DEFAULT_MAX_RADIUS_M)),
            require_case_number=bool(options.get(CONF_REQUIRE_CASE_NUMBER, True)),
            upload_origins=trusted_origins(data),
            allow_lan=bool(options.get(CONF_ALLOW_LAN, False)),
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
            residents_receive_requests=bool(
                options.get(CONF_RESIDENTS_RECEIVE_REQUESTS, False)
            ),
            notify_targets=tuple(options.get(CONF_NOTIFY_TARGETS, ())),
            footage=footage,
            camera_labels=assign_labels(
                cameras,
                {
                    camera: str(policies.get(camera, {}).get(CONF_LABEL) or "")
                    for camera in cameras
                },
            ),
        )

    @property
    def view_points(self) -> tuple[ViewPoint, ...]:
        """The home itself plus every camera that has its own location."""
        home = ViewPoint(self.home_lat, self.home_lon, self.home_radius_m)
        return (home, *self.camera_points)
