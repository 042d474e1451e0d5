"""Shared set-up for every test package.

pytest-homeassistant-custom-component ships its own `custom_components` package and
Home Assistant puts its config dir first on sys.path, so ours is imported here,
before any fixture runs, to make `custom_components.neighborhood_requests` resolve to
this repository.
"""

import custom_components.neighborhood_requests  # noqa: F401
