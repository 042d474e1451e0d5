"""Shared set-up for every test package.

pytest-homeassistant-custom-component ships its own `custom_components` package and
Home Assistant puts its config dir first on sys.path, so ours is imported here,
before any fixture runs, to make `custom_components.neighborhood_requests` resolve to
this repository.

An editable install (`pip install -e .`) also adds a path-hook placeholder to the
`custom_components` namespace path, and Home Assistant's loader lists every entry of
that path as a directory, so only the real directories are kept.
"""

from pathlib import Path

import custom_components
import custom_components.neighborhood_requests

custom_components.__path__ = sorted(
    {p for p in custom_components.__path__ if Path(p).is_dir()}
)
