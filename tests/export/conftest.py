"""Fixtures for the export tests: generated footage and a live stream source."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .footage import Assets, make_assets
from .stream_source import StreamSource


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Stream sources and the Frigate stand-in listen on 127.0.0.1."""


@pytest.fixture(scope="session")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Assets:
    """Footage generated once for the session."""
    return make_assets(tmp_path_factory.mktemp("footage"))


@pytest.fixture
async def stream_source(assets: Assets) -> AsyncIterator[StreamSource]:
    """A live MPEG-TS stream over HTTP on 127.0.0.1, paced at real time."""
    source = StreamSource(assets.stream_ts)
    await source.start()
    yield source
    await source.stop()


@pytest.fixture
def segments_dir(tmp_path: Path) -> Path:
    """Where a test's camera keeps its segments."""
    return tmp_path / "recordings" / "front_door"
