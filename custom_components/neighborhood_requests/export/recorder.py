"""Rolling recorder: one ffmpeg per camera copying its stream into short segments.

Stream copy (no decode, no encode) keeps a recording camera at a few percent of one
core. ffmpeg's `-strftime` names segments in local time, so the child runs with
TZ=UTC and the names are UTC start times whatever the host's zone.

Health comes from ffmpeg's own `-progress` reports: the recorder counts as recording
while the muxed timeline advances. A run that ends (stream dropped, camera rebooted,
ffmpeg killed) or stalls is restarted with exponential backoff; a run that recorded
resets the backoff. `stop()` terminates and reaps the child, so none outlives it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
import os
from pathlib import Path
import signal
import sys
from urllib.parse import urlsplit

from .segments import FFMPEG_PATTERN, SEGMENT_SECONDS

NO_SOURCE = "camera has no stream source"

# Runs in the child before ffmpeg replaces it: ask Linux to send SIGTERM when the
# parent (Home Assistant) dies, even by SIGKILL, so a crashed HA leaves no ffmpeg
# filling the disk with nobody pruning. ffmpeg ignores SIGPIPE, so a closed
# progress pipe alone would not stop it. The flag survives exec.
_ORPHAN_GUARD = """
import ctypes, os, signal, sys
ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
if os.getppid() != int(sys.argv[1]):
    sys.exit(0)  # the parent died before the guard was armed
try:
    os.execvp(sys.argv[2], sys.argv[2:])  # "ffmpeg" from PATH, as HA passes it
except OSError as err:
    sys.exit(f"cannot run ffmpeg ({sys.argv[2]}): {err}")
"""


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Recorder:
    """Keep one camera's stream recorded into `directory` until stopped."""

    def __init__(
        self,
        *,
        ffmpeg: str,
        source: str | None,
        directory: Path,
        segment_seconds: int = SEGMENT_SECONDS,
        input_args: Sequence[str] = (),
        audio_codec: str = "copy",
        backoff_initial: float = 1.0,
        backoff_max: float = 300.0,
        stall_timeout: float = 30.0,
        stop_timeout: float = 10.0,
        orphan_guard: bool = sys.platform == "linux",
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.ffmpeg = ffmpeg
        self.source = source
        self.directory = directory
        self.segment_seconds = segment_seconds
        self.input_args = tuple(input_args)
        self.audio_codec = audio_codec
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.stall_timeout = stall_timeout
        self.stop_timeout = stop_timeout
        self.orphan_guard = orphan_guard
        self._now = now
        self.recording = False
        self.last_error: str | None = None
        self.down_since: datetime | None = None
        self.starts = 0
        self.backoff = backoff_initial
        self.pid: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()
        self._listeners: list[Callable[[], None]] = []

    def command(self) -> list[str]:
        """The ffmpeg command line for one run."""
        assert self.source is not None
        return [
            self.ffmpeg,
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            "-nostats",
            "-progress",
            "pipe:1",
            *self._live_args(),
            *self.input_args,
            "-i",
            self.source,
            "-map",
            "0:v",
            *self._audio_args(),
            "-f",
            "segment",
            "-segment_time",
            str(self.segment_seconds),
            "-segment_format",
            "mp4",
            "-reset_timestamps",
            "1",
            "-strftime",
            "1",
            str(self.directory / FFMPEG_PATTERN),
        ]

    def _live_args(self) -> list[str]:
        """Join an HLS stream at its newest segment, not three segments back.

        ffmpeg's default reads the playlist's buffered segments in one burst into
        the first recorded segment, which then holds footage from before the time
        its name says: a clip cut from it would show more than was agreed.
        """
        path = urlsplit(self.source or "").path
        return ["-live_start_index", "-1"] if path.endswith(".m3u8") else []

    def _audio_args(self) -> list[str]:
        """Keep the camera's audio (exports strip it unless shared).

        MP4 cannot hold G.711 (pcm_mulaw/alaw), which many RTSP cameras send:
        `audio_codec="aac"` transcodes just the audio (cheap); "none" drops it.
        """
        if self.audio_codec == "none":
            return ["-c", "copy"]
        return ["-map", "0:a?", "-c", "copy", "-c:a", self.audio_codec]

    def add_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` on every state change; returns the unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def wait_for(self, predicate: Callable[[Recorder], bool]) -> None:
        """Wait until `predicate(self)` holds (bound it with `asyncio.timeout`)."""
        while not predicate(self):
            changed = self._changed
            await changed.wait()

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()
        for listener in list(self._listeners):
            listener()

    def _set_down(self, error: str | None) -> None:
        self.recording = False
        self.last_error = error
        if self.down_since is None:
            self.down_since = self._now()
        self._notify()

    @property
    def stopping(self) -> bool:
        """Whether stop() has been called (read fresh after every await)."""
        return self._stopping

    def start(self) -> None:
        """Begin recording in a background task (idempotent)."""
        if self._task is None:
            self._stopping = False
            self.down_since = self._now()
            self._task = asyncio.create_task(
                self._run(), name=f"recorder {self.directory}"
            )

    async def stop(self) -> None:
        """Stop recording: let ffmpeg finish the open segment, then reap it.

        SIGTERM makes ffmpeg write the segment's index and exit; one that has not
        exited after `stop_timeout` seconds is killed. Either way the child is
        reaped before this returns, so no ffmpeg outlives the recorder.
        """
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            return
        self._terminate()
        try:
            async with asyncio.timeout(self.stop_timeout):
                await asyncio.shield(task)
        except TimeoutError:
            # ffmpeg ignored SIGTERM (stuck in I/O): kill it; _run_once reaps it.
            process = self._process
            if process is not None and process.returncode is None:
                process.kill()
            await task

    def _terminate(self) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            process.send_signal(signal.SIGTERM)

    async def _run(self) -> None:
        if self.source is None:
            self._set_down(NO_SOURCE)
            return
        while not self._stopping:
            await self._run_once()
            if self.stopping:
                break
            delay, self.backoff = self.backoff, min(self.backoff * 2, self.backoff_max)
            self._wake.clear()
            try:
                async with asyncio.timeout(delay):
                    await self._wake.wait()
            except TimeoutError:
                pass
        self.recording = False
        self._notify()

    async def _run_once(self) -> None:
        await asyncio.to_thread(self.directory.mkdir, parents=True, exist_ok=True)
        self.starts += 1
        try:
            command = self.command()
            if self.orphan_guard:
                guard = [sys.executable, "-c", _ORPHAN_GUARD, str(os.getpid())]
                command = [*guard, *command]
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env={**os.environ, "TZ": "UTC"},
            )
        except OSError as err:
            self._set_down(f"cannot run ffmpeg ({self.ffmpeg}): {err}")
            return
        self._process = process
        self.pid = process.pid
        stderr: deque[str] = deque(maxlen=5)
        stderr_task = asyncio.create_task(self._collect(process, stderr))
        try:
            if self._stopping:
                self._terminate()
            stalled = await self._watch(process)
            if stalled:
                process.kill()
            code = await process.wait()
            await stderr_task
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
            stderr_task.cancel()
            self._process = None
            self.pid = None
        if self._stopping:
            return
        if stalled:
            error = f"stream stalled: no data for {self.stall_timeout:g} s"
        else:
            detail = stderr[-1] if stderr else "stream ended"
            error = f"ffmpeg exited with code {code}: {detail}"
        self._set_down(error)

    async def _collect(
        self, process: asyncio.subprocess.Process, lines: deque[str]
    ) -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            if line := raw.decode(errors="replace").strip():
                lines.append(line)

    async def _watch(self, process: asyncio.subprocess.Process) -> bool:
        """Follow `-progress` until ffmpeg exits (False) or stalls (True)."""
        assert process.stdout is not None
        loop = asyncio.get_running_loop()
        last = -1
        advanced = loop.time()
        while True:
            remaining = advanced + self.stall_timeout - loop.time()
            try:
                async with asyncio.timeout(remaining):
                    raw = await process.stdout.readline()
            except TimeoutError:
                return True
            if not raw:
                return False
            key, _, value = raw.decode(errors="replace").strip().partition("=")
            if key != "out_time_us" or not value.isdigit() or int(value) <= last:
                continue
            if last >= 0 and not self.recording:
                self.recording = True
                self.last_error = None
                self.down_since = None
                self.backoff = self.backoff_initial
                self._notify()
            last = int(value)
            advanced = loop.time()
