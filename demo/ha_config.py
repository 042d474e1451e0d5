"""The demo Home Assistant's config folder: YAML, web server settings, the link.

The YAML names only what the demo needs (no default_config, so no cloud, no
discovery). The web server's settings are the one thing written into `.storage/`:
since 2026.10 Home Assistant keeps them in `.storage/http`, reads an `http:` YAML
block only once, and tries a changed one for five minutes before reverting (and
restarting) to the last confirmed settings, which listen on every interface. The
demo must listen on 127.0.0.1 from its first second and may move ports between
runs, so it writes that store, in Home Assistant's own schema, while Home
Assistant is stopped.
"""

from __future__ import annotations

import json
import os
from typing import Any

from homeassistant.components.http import config as http_config
from homeassistant.components.http.const import CONF_SERVER_HOST, CONF_SERVER_PORT
from homeassistant.util import dt as dt_util

from demo.homeassistant import DOMAIN
from demo.layout import Layout

CAMERA_NAME = "Front door"
CAMERA_ENTITY = "camera.front_door"
# What the demo camera goes by outside the house (the default for the first
# camera linked): the manifest and the upload name it, never the entity id.
CAMERA_LABEL = "Camera 1"
# Domains the YAML names; everything else is Home Assistant's default set.
CONFIGURED_DOMAINS = (
    "camera",
    "config",
    "diagnostics",
    "ffmpeg",
    "frontend",
    "history",
    "logbook",
    "logger",
    "stream",
)


def configuration_yaml(http_port: int, camera_url: str) -> str:
    """The demo's configuration.yaml: no default_config, so no cloud or discovery.

    No `http:` block: see `http_store`.
    """
    return f"""\
# Written by scripts/demo on every start; edits here are overwritten.
# The web server listens on 127.0.0.1:{http_port} (set in .storage/http).
frontend:
config:
diagnostics:
history:
logbook:
ffmpeg:
stream:
camera:
  - platform: ffmpeg
    name: {CAMERA_NAME}
    input: {camera_url}
logger:
  default: warning
  logs:
    custom_components.{DOMAIN}: info
"""


def http_store(http_port: int) -> dict[str, Any]:
    """`.storage/http`: confirmed settings for 127.0.0.1 only, nothing on trial."""
    stable = http_config.HTTP_STORAGE_SCHEMA(
        {CONF_SERVER_PORT: http_port, CONF_SERVER_HOST: ["127.0.0.1"]}
    )
    return {
        "version": http_config.STORAGE_VERSION,
        "minor_version": http_config.STORAGE_MINOR_VERSION,
        "key": http_config.STORAGE_KEY,
        "data": {
            http_config.KEY_STABLE: {
                **stable,
                http_config.HTTP_CONFIG_CREATED_AT: dt_util.utcnow().isoformat(),
                http_config.HTTP_CONFIG_ERROR: None,
                http_config.HTTP_CONFIG_ERROR_MESSAGE: None,
            },
            http_config.KEY_PENDING: None,
            http_config.KEY_YAML_MIGRATION_DONE: True,
        },
    }


def prepare(layout: Layout, http_port: int, camera_url: str) -> None:
    """Write the YAML and the web server settings; link the integration."""
    layout.ha.mkdir(parents=True, exist_ok=True)
    (layout.ha / "configuration.yaml").write_text(
        configuration_yaml(http_port, camera_url), encoding="utf-8"
    )
    storage = layout.ha / ".storage"
    storage.mkdir(exist_ok=True)
    (storage / "http").write_text(
        json.dumps(http_store(http_port), indent=2), encoding="utf-8"
    )
    components = layout.ha / "custom_components"
    components.mkdir(exist_ok=True)
    # A regular package, not a namespace one: otherwise the repository's editable
    # install adds a path-hook entry to its __path__ that HA's loader cannot list.
    (components / "__init__.py").touch()
    link = components / DOMAIN
    target = layout.repo / "custom_components" / DOMAIN
    if link.is_symlink() and link.resolve() == target.resolve():
        return
    if link.is_symlink():
        link.unlink()
    link.symlink_to(target, target_is_directory=True)


def hass_argv(layout: Layout) -> list[str]:
    return [
        str(layout.venv_bin / "hass"),
        "-c",
        str(layout.ha),
        "--skip-pip",
        "--log-no-color",
        "--log-file",
        str(layout.logs / "home-assistant.log"),
    ]


def hass_env(layout: Layout) -> dict[str, str]:
    """`.demo/deps` first on the path: the frontend and stream packages live there.

    Then the stand-ins for packages without a wheel (`demo.standins`).
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p
        for p in (str(layout.deps), str(layout.standins), env.get("PYTHONPATH", ""))
        if p
    )
    return env
