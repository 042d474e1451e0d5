"""The rolling recorder against a live HTTP stream on 127.0.0.1, with real ffmpeg."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
import os
from pathlib import Path
import signal
import socket
import sys
import time
from typing import Literal

import pytest

from custom_components.neighborhood_requests.export import recorder as recorder_module
from custom_components.neighborhood_requests.export.mp4 import read_mp4
from custom_components.neighborhood_requests.export.probe import (
    CAUSE_STALLED,
    CAUSE_UNREACHABLE,
    RecordingPlan,
)
from custom_components.neighborhood_requests.export.recorder import NO_SOURCE, Recorder
from custom_components.neighborhood_requests.export.segments import list_segments

from .footage import FFMPEG, FFPROBE, wait_for_path
from .stream_source import StreamSource

WAIT = 30.0  # generous bound for slow CI; nothing asserts how fast things happen


def make_recorder(source: str | None, directory: Path, **kwargs: object) -> Recorder:
    options: dict[str, object] = {
        "segment_seconds": 1,
        "backoff_initial": 0.05,
        "backoff_max": 0.4,
        "reconnect_interval": 0.2,
        "stop_timeout": 10.0,
        "ffprobe": FFPROBE,
    }
    options.update(kwargs)
    return Recorder(ffmpeg=FFMPEG, source=source, directory=directory, **options)  # type: ignore[arg-type]


@pytest.fixture
async def recorders() -> AsyncIterator[list[Recorder]]:
    """Recorders a test started; stopped even when the test fails."""
    started: list[Recorder] = []
    yield started
    for recorder in started:
        await recorder.stop()


async def until(recorder: Recorder, predicate: Callable[[Recorder], bool]) -> None:
    async with asyncio.timeout(WAIT):
        await recorder.wait_for(predicate)


async def finished_segments(directory: Path, count: int) -> list[Path]:
    """Wait until `count` finished segments exist; return them."""
    async with asyncio.timeout(WAIT):
        while True:
            done = [s.path for s in list_segments(directory) if read_mp4(s.path)]
            if len(done) >= count:
                return done
            await asyncio.sleep(0.1)


def healthy(recorder: Recorder) -> bool:
    """Recording, with the error and the down-since mark cleared."""
    return (
        recorder.recording
        and recorder.last_error is None
        and recorder.down_since is None
    )


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_records_segments_and_stops_cleanly(
    stream_source: StreamSource, segments_dir: Path, recorders: list[Recorder]
) -> None:
    recorder = make_recorder(stream_source.url, segments_dir)
    changes: list[bool] = []
    unsubscribe = recorder.add_listener(lambda: changes.append(recorder.recording))
    recorder.start()
    recorder.start()  # idempotent
    recorders.append(recorder)
    await until(recorder, lambda r: r.recording)
    assert recorder.last_error is None
    assert recorder.down_since is None
    segments = await finished_segments(segments_dir, 2)
    pid = recorder.pid
    assert pid is not None
    await recorder.stop()
    assert gone(pid)
    assert recorder.pid is None
    assert not recorder.recording
    assert True in changes
    assert changes[-1] is False
    unsubscribe()
    # Names are UTC start times (ffmpeg ran with TZ=UTC), near the clock's now.
    listed = list_segments(segments_dir)
    now = datetime.now(UTC)
    assert all(abs(s.start - now) < timedelta(minutes=5) for s in listed)
    assert all(s.exact for s in listed)  # named by their first frame, to the ms
    # A graceful stop finishes the open segment: every file is complete footage.
    assert all(read_mp4(s.path) is not None for s in listed)
    assert len(listed) >= len(segments)
    info = read_mp4(listed[0].path)
    assert info is not None
    assert info.has_audio  # recording keeps audio; exports strip it


async def test_stream_drop_restarts_with_backoff(
    stream_source: StreamSource, segments_dir: Path, recorders: list[Recorder]
) -> None:
    recorder = make_recorder(stream_source.url, segments_dir)
    recorder.start()
    recorders.append(recorder)
    await until(recorder, lambda r: r.recording)
    await stream_source.stop()  # the camera goes offline
    await until(recorder, lambda r: r.cause == CAUSE_UNREACHABLE)
    assert recorder.down_since is not None
    assert "camera unreachable" in (recorder.last_error or "")
    await asyncio.sleep(1.0)  # five cheap checks, no ffmpeg run while it is away
    assert recorder.starts == 1
    await stream_source.start()  # back on the same port
    await until(recorder, healthy)
    assert recorder.starts == 2  # the first check that got an answer started it
    assert recorder.backoff == recorder.backoff_initial
    assert stream_source.connections >= 2


async def test_ffmpeg_killed_mid_recording_restarts(
    stream_source: StreamSource, segments_dir: Path, recorders: list[Recorder]
) -> None:
    recorder = make_recorder(stream_source.url, segments_dir)
    recorder.start()
    recorders.append(recorder)
    await until(recorder, lambda r: r.recording)
    first = recorder.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    await until(recorder, lambda r: not r.recording)
    assert "code -9" in (recorder.last_error or "")
    await until(recorder, lambda r: r.recording)
    assert recorder.pid not in (None, first)
    assert gone(first)


async def test_camera_without_stream_source(
    segments_dir: Path, recorders: list[Recorder]
) -> None:
    recorder = make_recorder(None, segments_dir)
    recorder.start()
    recorders.append(recorder)
    await until(recorder, lambda r: r.last_error == NO_SOURCE)
    assert not recorder.recording
    assert recorder.down_since is not None
    assert recorder.starts == 0


async def test_stream_that_never_connects(
    segments_dir: Path, recorders: list[Recorder]
) -> None:
    recorder = make_recorder(
        f"http://127.0.0.1:{closed_port()}/stream.ts", segments_dir
    )
    recorder.start()
    recorders.append(recorder)
    await until(recorder, lambda r: r.cause == CAUSE_UNREACHABLE)
    assert not recorder.recording
    assert "Connection refused" in (recorder.last_error or "")
    await asyncio.sleep(0.5)
    assert recorder.starts == 1  # later checks cost a connect, not a probe
    await recorder.stop()
    await recorder.stop()  # idempotent
    assert recorder.pid is None


async def test_stream_that_accepts_but_sends_nothing(
    stream_source: StreamSource, segments_dir: Path, recorders: list[Recorder]
) -> None:
    stream_source.hang = True
    recorder = make_recorder(
        stream_source.url,
        segments_dir,
        stall_timeout=1.0,
        startup_timeout=1.0,
        ffprobe=None,  # ffprobe would wait for data too
    )
    recorder.start()
    recorders.append(recorder)
    await until(recorder, lambda r: r.last_error is not None)
    assert recorder.last_error == "stream stalled: no data for 1 s"
    assert recorder.cause == CAUSE_STALLED
    assert not recorder.recording


@pytest.mark.parametrize("orphan_guard", [True, False])
async def test_missing_ffmpeg_binary(
    tmp_path: Path, recorders: list[Recorder], orphan_guard: bool
) -> None:
    recorder = Recorder(
        ffmpeg=str(tmp_path / "no-ffmpeg"),
        source="http://127.0.0.1:9/stream.ts",
        directory=tmp_path / "rec",
        backoff_initial=60.0,
        orphan_guard=orphan_guard,
    )
    recorder.start()
    recorders.append(recorder)
    await until(recorder, lambda r: r.last_error is not None)
    assert "cannot run ffmpeg" in (recorder.last_error or "")
    assert "no-ffmpeg" in (recorder.last_error or "")
    await recorder.stop()  # cuts the 60 s backoff short


CHILD = """
import asyncio, importlib.util, sys
from pathlib import Path

folder = Path(sys.argv[1])
spec = importlib.util.spec_from_file_location(
    "export", folder / "__init__.py", submodule_search_locations=[str(folder)]
)
package = importlib.util.module_from_spec(spec)
sys.modules["export"] = package
spec.loader.exec_module(package)
from export.recorder import Recorder


async def main():
    recorder = Recorder(
        ffmpeg=sys.argv[2], source=sys.argv[3], directory=Path(sys.argv[4]),
        segment_seconds=1,
    )
    recorder.start()
    await recorder.wait_for(lambda r: r.recording)
    print(recorder.pid, "homeassistant" in sys.modules, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


def dead(pid: int) -> bool:
    """Gone, or a zombie nobody has reaped yet (it no longer runs)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"


def wait_dead(pid: int) -> bool:
    deadline = time.monotonic() + WAIT
    while not dead(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


async def test_no_orphan_when_home_assistant_is_killed(
    stream_source: StreamSource, tmp_path: Path
) -> None:
    """SIGKILL on the parent (a crashed HA) still ends its ffmpeg."""
    package = Path(recorder_module.__file__).parent
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        str(package),
        FFMPEG,
        stream_source.url,
        str(tmp_path / "rec"),
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    try:
        async with asyncio.timeout(WAIT):
            line = (await child.stdout.readline()).decode().split()
        pid = int(line[0])
        assert line[1] == "False"  # the export package runs without Home Assistant
        assert not dead(pid)
    finally:
        child.kill()
        await child.wait()
    assert await asyncio.to_thread(wait_dead, pid)


async def test_stop_before_ffmpeg_starts(
    stream_source: StreamSource, segments_dir: Path
) -> None:
    recorder = make_recorder(stream_source.url, segments_dir)
    recorder.start()
    await recorder.stop()  # the task has not spawned ffmpeg yet
    assert recorder.pid is None
    assert not recorder.recording
    await make_recorder(stream_source.url, segments_dir).stop()  # never started


async def test_ffmpeg_ignoring_sigterm_is_killed_on_stop(
    tmp_path: Path, recorders: list[Recorder]
) -> None:
    deaf = tmp_path / "deaf.py"
    deaf.write_text(
        "import pathlib, signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"pathlib.Path({str(tmp_path / 'deaf')!r}).touch()\n"
        "time.sleep(600)\n"
    )
    stubborn = tmp_path / "stubborn-ffmpeg"
    stubborn.write_text(f"#!/bin/sh\nexec {sys.executable} {deaf}\n")
    stubborn.chmod(0o755)
    recorder = Recorder(
        ffmpeg=str(stubborn),
        source="http://127.0.0.1:9/stream.ts",
        directory=tmp_path / "rec",
        stall_timeout=600.0,
        stop_timeout=0.5,
    )
    recorder.start()
    recorders.append(recorder)
    await asyncio.to_thread(wait_for_path, tmp_path / "deaf")
    pid = recorder.pid
    assert pid is not None
    await recorder.stop()
    assert gone(pid)


@pytest.mark.parametrize(
    ("audio", "has_audio"), [("none", False), ("aac", True), ("copy", True)]
)
async def test_audio_path_choice(
    stream_source: StreamSource,
    segments_dir: Path,
    recorders: list[Recorder],
    audio: Literal["none", "aac", "copy"],
    has_audio: bool,
) -> None:
    recorder = make_recorder(
        stream_source.url, segments_dir, plan=RecordingPlan(audio=audio)
    )
    recorder.start()
    recorders.append(recorder)
    first = (await finished_segments(segments_dir, 1))[0]
    info = read_mp4(first)
    assert info is not None
    assert info.has_audio is has_audio


def test_hls_sources_join_at_the_newest_segment(tmp_path: Path) -> None:
    """A burst of buffered HLS segments would land in the first recording."""
    hls = make_recorder("http://127.0.0.1:8/cam/index.m3u8?token=x", tmp_path)
    command = hls.command()
    at = command.index("-live_start_index")
    assert command[at + 1] == "-1"
    assert at < command.index("-i")
    plain = make_recorder("rtsp://127.0.0.1:8554/cam", tmp_path)
    assert "-live_start_index" not in plain.command()
