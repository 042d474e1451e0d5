"""Stream-copy ffmpeg input into one MP4 and hash it.

This is how Frigate clips and recorded segments that join.py leaves to ffmpeg
(codec parameters that change mid-window, say) become a clip. Two layouts, both
with the index (`moov`) ahead of the media so players and upload receivers can
start before the end:

- `faststart` (default): a classic MP4 with one `moov`, what the feed spec names and
  what every player and evidence tool reads. ffmpeg can only write it to a seekable
  file and knows the index only at the end, so it writes a plain (moov-last) MP4
  to a temporary file; faststart.py then moves the index forward in that file in
  one pass, hashing and counting every byte as it is written, fsyncs it and
  renames it into place (the same bytes ffmpeg's own `+faststart` gives).
- `fragmented`: `frag_keyframe+empty_moov` fragments of about 10 s (each starting
  on a keyframe) behind an empty `moov`. ffmpeg writes it to a pipe in final byte
  order and a worker thread hashes and writes each chunk as it arrives,
  overlapping the remux: one pass, no re-read. Fewer, larger fragments matter:
  one per GOP (1-2 s) cost a third more time in ffmpeg and in wake-ups.

On a 10-minute 1080p window (310 MB, 61 segments; bench/export_bench.py) the
ffmpeg `faststart` path takes about 2.5x the copy+hash floor and `fragmented`
about 2x, where join.py takes about 1.5x; see docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
import contextlib
import fcntl
import os
from pathlib import Path
import threading
from typing import Literal

from .faststart import faststart_in_place
from .mp4 import read_mp4
from .result import ExportError
from .sink import CHUNK, HashingSink, temporary_path

type Layout = Literal["fragmented", "faststart"]
_STDERR_TAIL = 400
_FRAGMENTED = "frag_keyframe+empty_moov+default_base_moof"
FRAGMENT_SECONDS = 10  # like a recorder segment; see the module docstring


async def run_ffmpeg(args: Sequence[str], *, stdout: int | None = None) -> None:
    """Run ffmpeg to completion; ExportError with its last words on failure.

    Cancelling the caller kills and reaps the process, so no ffmpeg outlives an
    abandoned export.
    """
    try:
        process = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL if stdout is None else stdout,
            stderr=asyncio.subprocess.PIPE,
        )
    except OSError as err:
        raise ExportError(f"cannot run ffmpeg ({args[0]}): {err}") from err
    try:
        _, stderr = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    if process.returncode:
        tail = stderr.decode(errors="replace").strip()[-_STDERR_TAIL:]
        raise ExportError(f"ffmpeg failed ({process.returncode}): {tail}")


def _command(
    ffmpeg: str,
    input_args: Sequence[str],
    *,
    include_audio: bool,
    movflags: str | None,
    output: str,
) -> list[str]:
    audio = ["-map", "0:a?"] if include_audio else ["-an"]
    flags = [] if movflags is None else ["-movflags", movflags]
    if movflags == _FRAGMENTED:
        flags += ["-frag_duration", str(FRAGMENT_SECONDS * 1_000_000)]
    return [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        *input_args,
        "-map",
        "0:v",
        *audio,
        "-c",
        "copy",
        "-avoid_negative_ts",
        "make_zero",
        *flags,
        "-f",
        "mp4",
        "-y",
        output,
    ]


def _check(path: Path) -> None:
    """ffmpeg can exit 0 after failing to write the index: check the result."""
    info = read_mp4(path)
    if info is None or not info.moov_before_mdat:
        raise ExportError("ffmpeg did not produce a complete MP4 with its index first")


def _check_complete(path: Path) -> None:
    if read_mp4(path) is None:
        raise ExportError("ffmpeg did not produce a complete MP4")


async def run_stoppable[T](work: Callable[[threading.Event], T]) -> T:
    """Run blocking `work(stop)` in a worker thread; cancelling sets `stop` and
    waits for the thread to clean up before the cancellation goes on. A disk error
    becomes an ExportError the owner can read."""
    stop = threading.Event()
    task = asyncio.ensure_future(asyncio.to_thread(work, stop))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        stop.set()
        await asyncio.wait([task])  # the thread cleans up before we return
        if not task.cancelled():
            task.exception()  # consumed: the cancellation is what matters
        raise
    except OSError as err:
        raise ExportError(f"cannot write the clip: {err}") from err


async def _faststart(
    ffmpeg: str, input_args: Sequence[str], destination: Path, include_audio: bool
) -> tuple[str, int]:
    plain = temporary_path(destination)
    try:
        await run_ffmpeg(
            _command(
                ffmpeg,
                input_args,
                include_audio=include_audio,
                movflags=None,
                output=str(plain),
            )
        )
        await asyncio.to_thread(_check_complete, plain)
        return await run_stoppable(
            lambda stop: faststart_in_place(plain, destination, stop)
        )
    finally:
        await asyncio.to_thread(plain.unlink, missing_ok=True)


def _drain(read_fd: int, sink: HashingSink) -> None:
    """Worker thread: hash and write what ffmpeg sends until it closes the pipe.

    After a write error (disk full) it keeps reading, so ffmpeg is never left
    blocked on a full pipe, and reports the error at the end.
    """
    error: OSError | None = None
    while chunk := os.read(read_fd, CHUNK):
        if error is None:
            try:
                sink.write(chunk)
            except OSError as err:
                error = err
    if error is not None:
        raise ExportError(f"cannot write the clip: {error}") from error
    sink.flush()


async def _fragmented(
    ffmpeg: str, input_args: Sequence[str], destination: Path, include_audio: bool
) -> tuple[str, int]:
    read_fd, write_fd = os.pipe()
    with contextlib.suppress(OSError):  # a bigger pipe means fewer wake-ups
        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, CHUNK)
    sink: HashingSink | None = None
    try:
        sink = await asyncio.to_thread(HashingSink, destination)
        drain = asyncio.ensure_future(asyncio.to_thread(_drain, read_fd, sink))
        command = _command(
            ffmpeg,
            input_args,
            include_audio=include_audio,
            movflags=_FRAGMENTED,
            output="pipe:1",
        )
        try:
            await run_ffmpeg(command, stdout=write_fd)
        finally:
            os.close(write_fd)  # with ffmpeg gone this ends the drain
            write_fd = -1
            await asyncio.shield(drain)
        await asyncio.to_thread(_check, sink.temporary)
        return await asyncio.to_thread(sink.commit)
    finally:
        if write_fd >= 0:
            os.close(write_fd)
        os.close(read_fd)
        if sink is not None:
            await asyncio.to_thread(sink.abort)


async def remux(
    ffmpeg: str,
    input_args: Sequence[str],
    destination: Path,
    *,
    include_audio: bool,
    layout: Layout = "faststart",
) -> tuple[str, int]:
    """Stream-copy `input_args` into an index-first MP4; returns (sha256, size)."""
    if layout == "fragmented":
        return await _fragmented(ffmpeg, input_args, destination, include_audio)
    return await _faststart(ffmpeg, input_args, destination, include_audio)
