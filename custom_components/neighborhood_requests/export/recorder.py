"""Rolling recorder: one ffmpeg per camera copying its stream into short segments.

Stream copy of the video (no decode, no encode) keeps a recording camera at a few
percent of one core; audio MP4 cannot hold (G.711, PCM, G.726, Opus) is converted
to AAC on the way, which costs little more. Each run starts with a probe of the
stream (probe.py) that decides this, tags HEVC as `hvc1`, and stamps frames of
untimed sources (MJPEG over HTTP) with the wall clock.

Each segment is named by the UTC time of its first frame. ffmpeg writes it under
a hidden name and reports it on a pipe (`-segment_list`) with its start on the
run's own timeline once it is finished; the run's timeline is tied to the wall
clock by ffmpeg's `-progress` reports (the smallest lag seen lately between a
report and the media time it names). Right after connecting, ffmpeg muxes what it
buffered while looking at the stream in one burst, so that tie only settles a few
seconds later: each segment is named `SETTLE` seconds after it finished (or at
once when the run ends), renamed atomically to its exact time. So a window is
matched to footage, and a hole in the footage is measured, to within tens of
milliseconds instead of a second. Over RTSP the first seconds of each run are
held back until resync.py has checked them: ffmpeg times a session's first
picture by guesswork and, until the camera's first RTCP sender report, keeps
audio and video on unrelated clocks; both are put right before the segments
are named.

Health comes from the `-progress` reports too: the recorder counts as recording
while the muxed timeline advances. A run that ends (stream dropped, camera
rebooted, ffmpeg killed) or stalls is followed by a cheap check every few seconds
whether the camera answers at all; once it does, ffmpeg starts again at once, so
recording resumes within seconds of the camera coming back. A camera that answers
but cannot be recorded is retried with exponential backoff (cap 30 s). `stop()`
terminates and reaps the child, so none outlives it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
import os
from pathlib import Path
import secrets
import shutil
import signal
import sys
import time
from urllib.parse import urlsplit

from .mp4 import read_mp4
from .probe import (
    CAUSE_ENDED,
    CAUSE_FFMPEG,
    CAUSE_STALLED,
    CAUSE_UNREACHABLE,
    RecordingPlan,
    StreamProblem,
    cause_of,
    fallback_plan,
    input_args,
    probe_stream,
)
from .result import ExportError
from .resync import HOLD, apply_jump, find_jumps
from .segments import PARTIAL_PREFIX, SEGMENT_SECONDS, segment_name

NO_SOURCE = "camera has no stream source"
# How far back the timeline's tie to the wall clock looks: long enough to include
# calm moments, short enough to follow a camera clock that drifts.
ANCHOR_SPAN = 60.0
# How long a finished segment waits for the tie to the wall clock to settle.
SETTLE = 3.0
# A hold that ends with a run's first segment (resync.py looks at its start).
_FIRST_SEGMENT = 1e-3
_DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443, "rtmp": 1935}

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


def find_ffprobe(ffmpeg: str) -> str | None:
    """ffprobe beside the ffmpeg binary, else on PATH (blocking)."""
    beside = Path(ffmpeg).with_name("ffprobe")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("ffprobe")


class _Anchor:
    """Ties a run's media timeline to the wall clock from `-progress` reports.

    A report names the media time muxed so far; the wall clock when it arrives
    minus that time is the wall time of media time 0 plus whatever delayed the
    report. The smallest such value seen lately is the best estimate.
    """

    def __init__(self) -> None:
        self._seen: deque[tuple[float, float, float]] = deque()  # wall, tie, media
        self._last: tuple[float, float, float] | None = None
        self.settled = asyncio.Event()

    def report(self, wall: float, media: float) -> None:
        candidate = wall - media
        self._last = (wall, candidate, media)
        while self._seen and self._seen[-1][1] >= candidate:
            self._seen.pop()  # a later, smaller lag makes older ones irrelevant
        self._seen.append(self._last)
        while len(self._seen) > 1 and self._seen[0][0] < wall - ANCHOR_SPAN:
            self._seen.popleft()

    def forget_until(self, media: float) -> None:
        """Drop the ties from before `media`: a stream ran ahead of the shared
        timeline there (resync.py), so the muxed time was too far on."""
        self._seen = deque(seen for seen in self._seen if seen[2] > media)
        if not self._seen and self._last is not None:
            self._seen.append(self._last)

    def wall_time(self, media: float) -> float | None:
        return self._seen[0][1] + media if self._seen else None


class Recorder:
    """Keep one camera's stream recorded into `directory` until stopped."""

    def __init__(
        self,
        *,
        ffmpeg: str,
        source: str | None,
        directory: Path,
        ffprobe: str | None = None,
        plan: RecordingPlan | None = None,
        segment_seconds: int = SEGMENT_SECONDS,
        input_args: Sequence[str] = (),
        rtsp_transport: str = "tcp",
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
        reconnect_interval: float = 2.0,
        stall_timeout: float = 30.0,
        startup_timeout: float = 30.0,
        stop_timeout: float = 10.0,
        resync_hold: float = HOLD,
        orphan_guard: bool = sys.platform == "linux",
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
        self.source = source
        self.directory = directory
        self.segment_seconds = segment_seconds
        self.input_args = tuple(input_args)
        self.rtsp_transport = rtsp_transport
        self.fixed_plan = plan
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.reconnect_interval = reconnect_interval
        self.stall_timeout = stall_timeout
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.resync_hold = resync_hold
        self.resyncs = 0  # runs whose first seconds were put back in sync
        self.orphan_guard = orphan_guard
        self._now = now
        self.plan: RecordingPlan | None = plan
        self.recording = False
        self.last_error: str | None = None
        self.cause: str | None = None
        self.down_since: datetime | None = None
        self.starts = 0
        self.segments_written = 0
        self.backoff = backoff_initial
        self.pid: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()
        self._listeners: list[Callable[[], None]] = []

    def _source_args(self) -> list[str]:
        return input_args(self.source or "", self.rtsp_transport)

    def command(self, plan: RecordingPlan | None = None, run: str = "run") -> list[str]:
        """The ffmpeg command line for one run (segment list on fd 3 by default)."""
        return self._command(plan or self.plan or RecordingPlan(), run, 3)

    def _command(self, plan: RecordingPlan, run: str, list_fd: int) -> list[str]:
        assert self.source is not None
        video = ["-c:v", "copy"]
        if plan.video_tag:
            video += ["-tag:v", plan.video_tag]
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
            *self._source_args(),
            *(["-use_wallclock_as_timestamps", "1"] if plan.wallclock else []),
            *self.input_args,
            "-i",
            self.source,
            "-map",
            "0:v:0",
            *video,
            *self._audio_args(plan),
            "-f",
            "segment",
            "-segment_time",
            str(self.segment_seconds),
            "-segment_format",
            "mp4",
            "-reset_timestamps",
            "0",  # keep the run's timeline: audio and video stay placed exactly
            "-segment_list",
            f"pipe:{list_fd}",
            "-segment_list_type",
            "csv",
            str(self.directory / f"{PARTIAL_PREFIX}{run}-%06d.mp4"),
        ]

    def _live_args(self) -> list[str]:
        """Join an HLS stream at its newest segment, not three segments back.

        ffmpeg's default reads the playlist's buffered segments in one burst into
        the first recorded segment, which then holds footage from before the time
        its name says: a clip cut from it would show more than was agreed.
        """
        path = urlsplit(self.source or "").path
        return ["-live_start_index", "-1"] if path.endswith(".m3u8") else []

    @staticmethod
    def _audio_args(plan: RecordingPlan) -> list[str]:
        """Keep the camera's audio (exports strip it unless shared).

        MP4 cannot hold G.711 (pcm_mulaw/alaw) and friends: those are converted to
        AAC, mono at the camera's own rate, which costs a sliver of a core.
        """
        if plan.audio == "none":
            return []
        if plan.audio == "copy":
            return ["-map", "0:a:0?", "-c:a", "copy"]
        return ["-map", "0:a:0?", "-c:a", "aac", "-b:a", "64k"]

    def now(self) -> datetime:
        """The recorder's clock (Home Assistant's, where it runs there)."""
        return self._now()

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

    def _set_down(self, cause: str, error: str | None) -> None:
        if (
            not self.recording
            and self.down_since is not None
            and (self.cause, self.last_error) == (cause, error)
        ):
            return  # nothing new to tell
        self.recording = False
        self.cause = cause
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

    async def _sleep(self, delay: float) -> None:
        """Wait `delay` seconds, or less when stop() is called."""
        self._wake.clear()
        try:
            async with asyncio.timeout(delay):
                await self._wake.wait()
        except TimeoutError:
            pass

    async def _run(self) -> None:
        if self.source is None:
            self._set_down(CAUSE_UNREACHABLE, NO_SOURCE)
            return
        failures = 0
        while not self._stopping:
            recorded = await self._run_once()
            failures = 0 if recorded else failures + 1
            while not self.stopping and not await self._answers():
                self._set_down(CAUSE_UNREACHABLE, self.last_error)
                await self._sleep(self.reconnect_interval)
            if self.stopping:
                break
            if failures:
                growth = self.backoff_initial * 2 ** (failures - 1)
                self.backoff = min(growth, self.backoff_max)
                await self._sleep(self.backoff)
        self.recording = False
        self._notify()

    async def _answers(self) -> bool:
        """Whether the camera accepts a connection at all (cheap; no ffmpeg run)."""
        parts = urlsplit(self.source or "")
        port = _DEFAULT_PORTS.get(parts.scheme.lower())
        if parts.hostname is None or port is None:
            return True  # not a network source: let ffmpeg find out
        try:
            port = parts.port or port
        except ValueError:
            return True
        try:
            async with asyncio.timeout(min(self.reconnect_interval, 5.0)):
                _, writer = await asyncio.open_connection(parts.hostname, port)
        except (OSError, TimeoutError) as err:
            self.last_error = f"camera unreachable: {err or 'no answer'}"
            return False
        writer.close()
        return True

    async def _plan(self) -> RecordingPlan:
        """What this run does with the stream: probed afresh, since a camera's
        firmware or settings may have changed while it was away."""
        assert self.source is not None
        if self.fixed_plan is not None:
            return self.fixed_plan
        if self.ffprobe is None:
            return fallback_plan(self.source)
        extra = [*self._source_args(), *self.input_args]
        return await probe_stream(self.ffprobe, self.source, extra)

    async def _run_once(self) -> bool:
        """One probe and one ffmpeg run; True when it recorded anything."""
        await asyncio.to_thread(self._tidy)
        self.starts += 1
        try:
            plan = await self._plan()
        except StreamProblem as problem:
            self._set_down(problem.cause, f"{problem.cause}: {problem.detail}")
            return False
        if self.stopping:
            return False
        if plan != self.plan:
            self.plan = plan
            self._notify()
        run = f"{int(time.time() * 1000)}-{secrets.token_hex(2)}"
        read_fd, write_fd = os.pipe()
        try:
            command = self._command(plan, run, write_fd)
            if self.orphan_guard:
                guard = [sys.executable, "-c", _ORPHAN_GUARD, str(os.getpid())]
                command = [*guard, *command]
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env={**os.environ, "TZ": "UTC"},
                pass_fds=(write_fd,),
            )
        except OSError as err:
            os.close(read_fd)
            self._set_down(CAUSE_FFMPEG, f"cannot run ffmpeg ({self.ffmpeg}): {err}")
            return False
        finally:
            os.close(write_fd)
        self._process = process
        self.pid = process.pid
        anchor = _Anchor()
        stderr: deque[str] = deque(maxlen=5)
        stderr_task = asyncio.create_task(self._collect(process, stderr))
        listing = asyncio.create_task(
            self._follow_segments(read_fd, anchor, self._hold(plan))
        )
        recorded = False
        try:
            if self._stopping:
                self._terminate()
            stalled, recorded = await self._watch(process, anchor)
            if stalled:
                process.kill()
            code = await process.wait()
            await stderr_task
            await listing
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
            stderr_task.cancel()
            listing.cancel()
            self._process = None
            self.pid = None
        if self._stopping:
            return recorded
        if stalled:
            self._set_down(
                CAUSE_STALLED, f"stream stalled: no data for {self.stall_timeout:g} s"
            )
        else:
            detail = " / ".join(list(stderr)[-2:]) if stderr else "stream ended"
            cause = cause_of(stderr, CAUSE_FFMPEG if code else CAUSE_ENDED)
            self._set_down(cause, f"ffmpeg exited with code {code}: {detail}")
        return recorded

    def _tidy(self) -> None:
        """Make the folder; name or remove what a killed run left (blocking).

        A finished segment whose run died before it was named gets a whole-second
        name from its file time; an unfinished one holds nothing playable.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        for path in self.directory.glob(f"{PARTIAL_PREFIX}*.mp4"):
            info = read_mp4(path)
            try:
                if info is None:
                    path.unlink()
                    continue
                ended = path.stat().st_mtime - info.span
                start = datetime.fromtimestamp(int(ended), UTC)
                target = self.directory / segment_name(start)
                if target.exists():
                    path.unlink()
                else:
                    path.rename(target)
            except FileNotFoundError:
                continue

    def _hold(self, plan: RecordingPlan) -> float:
        """Seconds of a run held back for resync.py, RTSP only: the first
        segment for its first picture's time, and with audio the first
        `resync_hold` seconds, until the camera's sender reports lined the
        streams up (other protocols carry their own timestamps)."""
        scheme = urlsplit(self.source or "").scheme.lower()
        if scheme not in ("rtsp", "rtsps") or self.resync_hold <= 0:
            return 0.0
        return self.resync_hold if plan.audio != "none" else _FIRST_SEGMENT

    async def _follow_segments(
        self, read_fd: int, anchor: _Anchor, hold: float
    ) -> None:
        """Name each segment ffmpeg reports finished by its first frame's time.

        The segments of a run's first `hold` seconds wait until resync.py has
        looked at them all, then are named together.
        """
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        naming: list[asyncio.Task[None]] = []
        held: list[tuple[str, float]] = []
        pipe = os.fdopen(read_fd, "rb", buffering=0)
        transport, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), pipe
        )
        try:
            async for raw in reader:
                name, _, rest = raw.decode(errors="replace").strip().partition(",")
                first, _, last = rest.partition(",")
                try:
                    media, end = float(first), float(last or first)
                except ValueError:
                    continue
                naming = [task for task in naming if not task.done()]
                if hold <= 0:
                    naming.append(
                        asyncio.create_task(self._settle(name, media, anchor))
                    )
                    continue
                held.append((name, media))
                if end - held[0][1] >= hold:
                    naming += await self._resync(held, anchor, hold)
                    held, hold = [], 0.0
        finally:
            transport.close()
            anchor.settled.set()  # the run is over: name the rest now
            if held:
                naming += await self._resync(held, anchor, hold)
            await asyncio.gather(*naming)

    async def _resync(
        self, held: list[tuple[str, float]], anchor: _Anchor, hold: float
    ) -> list[asyncio.Task[None]]:
        """Put the run's first seconds in sync (resync.py), then name them."""
        paths = [self.directory / Path(name).name for name, _ in held]
        jumps = await asyncio.to_thread(find_jumps, paths, hold)
        for jump in jumps:
            try:
                await asyncio.to_thread(apply_jump, paths, jump)
            except OSError, ExportError:
                break  # a segment vanished or is odd: leave the rest as recorded
            if jump.shift < 0:
                anchor.forget_until(jump.at)
        self.resyncs += bool(jumps)
        return [
            asyncio.create_task(self._settle(name, media, anchor))
            for name, media in held
        ]

    async def _settle(self, name: str, media: float, anchor: _Anchor) -> None:
        try:
            async with asyncio.timeout(SETTLE):
                await anchor.settled.wait()
        except TimeoutError:
            pass
        await asyncio.to_thread(self._name, name, media, anchor)

    def _name(self, name: str, media: float, anchor: _Anchor) -> None:
        """Rename a finished segment to the wall time where its file begins.

        ffmpeg reports where the segment's first packet lies on the run's
        timeline; the file's own earliest track start is the same point unless
        a stream's packets were reordered across the cut, so the file wins.
        """
        source = self.directory / Path(name).name
        info = read_mp4(source)
        wall = anchor.wall_time(info.base if info is not None else media)
        if wall is None:
            return
        target = self.directory / segment_name(
            datetime.fromtimestamp(wall, UTC), exact=True
        )
        if target.exists() or not source.exists():
            return
        source.rename(target)
        self.segments_written += 1

    async def _collect(
        self, process: asyncio.subprocess.Process, lines: deque[str]
    ) -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            if line := raw.decode(errors="replace").strip():
                lines.append(line)

    async def _watch(
        self, process: asyncio.subprocess.Process, anchor: _Anchor
    ) -> tuple[bool, bool]:
        """Follow `-progress` until ffmpeg exits or stalls: (stalled, recorded)."""
        assert process.stdout is not None
        loop = asyncio.get_running_loop()
        last = -1
        recorded = False
        advanced = loop.time()
        # Connecting and ffmpeg's own look at the stream come before any output.
        allowed = max(self.stall_timeout, self.startup_timeout)
        while True:
            remaining = advanced + allowed - loop.time()
            try:
                async with asyncio.timeout(remaining):
                    raw = await process.stdout.readline()
            except TimeoutError:
                return True, recorded
            if not raw:
                return False, recorded
            key, _, value = raw.decode(errors="replace").strip().partition("=")
            if key != "out_time_us" or not value.isdigit() or int(value) <= last:
                continue
            anchor.report(time.time(), int(value) / 1_000_000)
            if last >= 0 and not self.recording:
                recorded = True
                self.recording = True
                self.last_error = None
                self.cause = None
                self.down_since = None
                self.backoff = self.backoff_initial
                self._notify()
            last = int(value)
            advanced = loop.time()
            allowed = self.stall_timeout
