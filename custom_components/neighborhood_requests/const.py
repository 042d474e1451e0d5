"""Names shared by the Home Assistant side of the integration.

Option defaults mirror the design's guardrails so a fresh entry is as strict as
`protocol.policy.Guardrails()`; the options flow can only move them on purpose.
"""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "neighborhood_requests"
LOGGER = logging.getLogger(__package__)

# Config entry data: what identifies and authenticates the feed.
CONF_URL: Final = "url"
CONF_TOKEN: Final = "token"  # noqa: S105 - a key name, not a secret
CONF_PUBLISHER_ID: Final = "publisher_id"
CONF_PUBLISHER_NAME: Final = "publisher_name"
CONF_PUBLISHER_KIND: Final = "publisher_kind"
CONF_KEYS: Final = "keys"
CONF_ALLOW_UNVERIFIED: Final = "allow_unverified"
CONF_TRUST: Final = "trust"
CONF_WEBHOOK_ID: Final = "webhook_id"
# Upload origins of the publisher's signed statement that the owner trusted; the
# feed URL's own origin is always trusted besides them.
CONF_UPLOAD_ORIGINS: Final = "upload_origins"
CONF_HOME_KEY: Final = "home_key"

# Config entry options: what the home decides.
CONF_HOME: Final = "home"
CONF_CAMERAS: Final = "cameras"
CONF_CAMERA_POLICIES: Final = "camera_policies"
CONF_POLICY: Final = "policy"
CONF_LOCATION: Final = "location"
CONF_VIEW_RADIUS: Final = "view_radius"
# Where a camera looks (compass bearing, 0 = north, clockwise) and how wide: the
# panel's map draws the cone. Matching keeps the whole view radius, so a guessed
# angle never hides a request the camera may have seen.
CONF_VIEW_DIRECTION: Final = "view_direction"
CONF_VIEW_ANGLE: Final = "view_angle"
DEFAULT_VIEW_ANGLE: Final = 90.0
# The name a camera goes by outside the house (manifest, upload, audit): never
# its entity id. Default "Camera N" in the order cameras are linked.
CONF_LABEL: Final = "label"
LABEL_MAX_LENGTH: Final = 40
CONF_MAX_WINDOW_MINUTES: Final = "max_window_minutes"
CONF_MAX_RADIUS_M: Final = "max_radius_m"
CONF_REQUIRE_CASE_NUMBER: Final = "require_case_number"
CONF_LEGAL_BASES: Final = "legal_bases"
# The owner's yes to a publisher on the home's own network (loopback, RFC 1918,
# CGNAT, ULA); replaces the developer-only `allow_loopback_upload` of version 1.1.
CONF_ALLOW_LAN: Final = "allow_lan_publisher"
LEGACY_ALLOW_LOOPBACK_UPLOAD: Final = "allow_loopback_upload"
CONF_POLL_INTERVAL: Final = "poll_interval"
CONF_DECIDERS: Final = "deciders"
CONF_NOTIFY_TARGETS: Final = "notify_targets"
CONF_RESIDENTS_RECEIVE_REQUESTS: Final = "residents_receive_requests"
# Footage (per camera in camera_policies: backend, frigate_camera; the rest entry-wide).
CONF_BACKEND: Final = "backend"
CONF_FRIGATE_CAMERA: Final = "frigate_camera"
# Per camera: how ffmpeg reads an RTSP stream (TCP, the default, or UDP).
CONF_RTSP_TRANSPORT: Final = "rtsp_transport"
RTSP_TCP: Final = "tcp"
RTSP_UDP: Final = "udp"
CONF_FRIGATE_URL: Final = "frigate_url"
CONF_FRIGATE_USERNAME: Final = "frigate_username"
CONF_FRIGATE_PASSWORD: Final = "frigate_password"  # noqa: S105 - a key name
CONF_RETENTION_HOURS: Final = "retention_hours"
CONF_DISK_BUDGET_GB: Final = "disk_budget_gb"

BACKEND_RECORDER: Final = "recorder"
BACKEND_FRIGATE: Final = "frigate"
DEFAULT_RETENTION_HOURS: Final = 48
DEFAULT_DISK_BUDGET_GB: Final = 5.0
RETENTION_HOURS_RANGE: Final = (1, 720)
DISK_BUDGET_GB_RANGE: Final = (0.1, 10000.0)

POLICY_ASK: Final = "ask"
POLICY_NEVER: Final = "never"

DEFAULT_POLL_INTERVAL = timedelta(seconds=60)
DEFAULT_MAX_WINDOW_MINUTES: Final = 120
DEFAULT_MAX_RADIUS_M: Final = 400
DEFAULT_HOME_RADIUS_M: Final = 30.0
MAX_BACKOFF = timedelta(minutes=30)
FEED_TIMEOUT_S: Final = 20.0
OUTAGE_GRACE = timedelta(hours=1)

GEO_SOURCE: Final = "neighborhood_requests"
# The "Video requests" panel's path in the frontend: /neighborhood-requests/…
PANEL_URL_PATH: Final = "neighborhood-requests"
AUDIT_DIR: Final = "neighborhood_requests"
AUDIT_FILE: Final = "audit.jsonl"

# Request lifecycle as the home sees it (not the publisher's `status`).
STATE_PENDING: Final = "pending"
STATE_REJECTED: Final = "rejected"
STATE_OUTSIDE: Final = "outside_area"
STATE_PAUSED: Final = "paused"
STATE_SHARED: Final = "shared"
STATE_DECLINED: Final = "declined"
STATE_EXPIRED: Final = "expired"
STATE_CANCELLED: Final = "cancelled"

EVENT_RECEIVED: Final = "received"
EVENT_SHARED: Final = "shared"
EVENT_DECLINED: Final = "declined"
EVENT_EXPIRED: Final = "expired"
EVENT_CANCELLED: Final = "cancelled"
EVENT_REJECTED: Final = "rejected"
EVENT_TYPES: Final = (
    EVENT_RECEIVED,
    EVENT_SHARED,
    EVENT_DECLINED,
    EVENT_EXPIRED,
    EVENT_CANCELLED,
    EVENT_REJECTED,
)

DECISION_SHARE: Final = "share"
DECISION_DECLINE: Final = "decline"
