"""A full disk: the recorder fails, the oldest footage of all cameras goes, and
recording resumes by itself.

The recordings live on a real, small tmpfs (mounted for the test; CI runs as
root), filled with footage until ffmpeg cannot write. Home Assistant, the
integration and ffmpeg run for real; only the free-space reserve is scaled down
to the small disk (the default is the larger of 2 GB and 5 % of the disk).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
import os
from pathlib import Path
import shutil
import subprocess

from homeassistant.const import STATE_OFF
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.export.segments import segment_name
from custom_components.neighborhood_requests.footage import (
    recorders as recorders_module,
)
from tests.export.footage import Assets, make_assets
from tests.export.stream_source import StreamSource

from .conftest import FeedServer, add_entry
from .recording_helpers import (
    StreamCamera,
    add_cameras,
    finished_segments,
    recording_of,
    sensor,
    until,
)

DISK = 40 * 1024**2
RESERVE = 6 * 1024**2
FILLER = 1024**2  # one old segment's worth of bytes


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Assets:
    return make_assets(tmp_path_factory.mktemp("footage"))


@pytest.fixture
async def stream(assets: Assets, socket_enabled: None) -> AsyncIterator[StreamSource]:
    source = StreamSource(assets.stream_ts)
    await source.start()
    yield source
    await source.stop()


@pytest.fixture
def small_disk(hass: HomeAssistant, tmp_path: Path) -> Iterator[Path]:
    """A 40 MB tmpfs where the recordings go."""
    root = tmp_path / DOMAIN / "recordings"
    root.mkdir(parents=True)
    mount = ["mount", "-t", "tmpfs", "-o", f"size={DISK},mode=0755", "tmpfs"]
    try:
        subprocess.run([*mount, str(root)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as err:
        detail = getattr(err, "stderr", b"") or str(err).encode()
        pytest.skip(
            "mounting a tmpfs needs root with CAP_SYS_ADMIN, which this run "
            f"lacks: {detail.decode(errors='replace').strip()}"
        )
    try:
        yield root
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


def fill(root: Path, cameras: list[str]) -> list[Path]:
    """Old footage of the cameras, taking turns, until the disk is full."""
    start = dt_util.utcnow().replace(microsecond=0) - timedelta(hours=2)
    made: list[Path] = []
    for camera in cameras:
        (root / camera).mkdir()
    block = os.urandom(FILLER)
    while (free := shutil.disk_usage(root).free) > 64 * 1024:
        camera = cameras[len(made) % len(cameras)]
        path = root / camera / segment_name(start + timedelta(seconds=10 * len(made)))
        try:
            path.write_bytes(block[: min(FILLER, free - 32 * 1024)])
        except OSError:
            break
        made.append(path)
    return made


@pytest.mark.usefixtures("home")
async def test_a_full_disk_is_pruned_oldest_first_and_recording_recovers(
    hass: HomeAssistant,
    feed_server: FeedServer,
    stream: StreamSource,
    small_disk: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recorders_module, "RESERVE_BYTES", RESERVE)
    monkeypatch.setattr(recorders_module, "RESERVE_FRACTION", 0.0)
    monkeypatch.setattr(recorders_module, "BACKOFF_MAX", 1.0)
    old = fill(small_disk, ["porch", "hall"])
    assert shutil.disk_usage(small_disk).free < 64 * 1024
    await add_cameras(
        hass, StreamCamera("Porch", stream.url), StreamCamera("Hall", None)
    )
    entry = await add_entry(
        hass, feed_server.url, cameras=["camera.porch", "camera.hall"]
    )
    porch = recording_of(entry, "camera.porch")

    # ffmpeg cannot write a byte: the recorder says why and keeps trying.
    await until(porch, lambda r: r.recorder.cause == "disk_full")
    assert "No space left on device" in (porch.last_error or "")
    assert sensor(hass, entry, "camera.porch").state == STATE_OFF

    # The minute's pruning frees the reserve, oldest footage first, whichever
    # camera it belongs to; each camera's newest segment stays.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=61))
    await hass.async_block_till_done(wait_background_tasks=True)
    gone = [path for path in old if not path.exists()]
    assert gone == old[: len(gone)]  # a prefix of the oldest
    assert {path.parent.name for path in gone} == {"porch", "hall"}
    assert shutil.disk_usage(small_disk).free >= RESERVE - FILLER

    # Nobody touches anything: the next attempt finds room and records.
    await until(porch, lambda r: r.recording)
    fresh = await finished_segments(porch.directory, 1)  # old ones are no MP4s
    assert not set(fresh) & set(old)
    assert porch.recorder.cause is None
