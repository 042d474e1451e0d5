"""Export benchmark: the segment joiner vs. the copy+hash floor vs. a re-encode.

One hour of 1080p30 footage (10 s segments, ~4 Mbit/s like a typical camera main
stream) is generated once into bench/out/ and reused. A 10-minute window is then
exported (a) by export/clip.py with its default layout (export/join.py builds the
`+faststart` index from the segments' own indexes and copies the frames behind
it, hashing every byte as it is written), (b) as the floor: the same segment
bytes copied into one file while hashing, (c) by a libx264 veryfast re-encode.
Side by side, to show where the time goes: the joiner's index planning alone,
the previous exporter (ffmpeg's concat demuxer writing a moov-last file, then
export/faststart.py moving the index forward in place while hashing), ffmpeg's
own +faststart followed by a hash pass, ffmpeg's plain write alone, and the
`fragmented` layout (hashed as it streams out of ffmpeg). Also the recorder's CPU
share of one core while copying a 1080p30 stream, read from the ffmpeg child's
own /proc accounting. Timings are medians of 5 rounds on a warm page cache, the
contenders taking turns within each round so load from other processes hits all
of them alike.

Run: .venv/bin/python bench/export_bench.py   (prints one JSON line; about 6 min,
most of it the re-encode). `--quick` skips the recorder and the re-encode (their
fields print as null). `--cameras` measures only what real camera streams add
(about 4 min the first time, most of it making the HEVC footage): the recorder's
share of a core copying 1080p30 with AAC beside converting G.711 to AAC, and the
joiner on 1080p HEVC (hvc1) against the copy floor; it needs neither the hour of
H.264 footage nor the re-encode.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
import json
import os
from pathlib import Path
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Literal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.neighborhood_requests.export.clip import (
    concat_list,
    cuts_for,
    export_clip,
)
from custom_components.neighborhood_requests.export.join import plan_join
from custom_components.neighborhood_requests.export.probe import RecordingPlan
from custom_components.neighborhood_requests.export.recorder import (
    Recorder,
)
from custom_components.neighborhood_requests.export.remux import Layout, remux
from custom_components.neighborhood_requests.export.segments import (
    list_segments,
    segment_name,
    select_footage,
)
from custom_components.neighborhood_requests.export.sink import (
    CHUNK,
    HashingSink,
    hash_file,
)

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
OUT = Path(__file__).resolve().parent / "out"
RAW = OUT / "raw"
SEGMENTS = OUT / "segments"
SOURCE60 = OUT / "source60.mp4"
# The same 60 s with G.711 mu-law audio, as most Hikvision/Dahua cameras send it.
SOURCE60_G711 = OUT / "source60-g711.nut"
# Two minutes of 1080p30 HEVC in 10 s segments, for the joiner on hvc1 footage.
HEVC = OUT / "hevc"
HEVC_S = 120
T0 = datetime(2026, 1, 1, tzinfo=UTC)
HOUR_S = 3600
WINDOW_START = T0 + timedelta(minutes=20, seconds=3.5)
WINDOW = timedelta(minutes=10)
REPEATS = 5
QUIET = [FFMPEG, "-hide_banner", "-loglevel", "error", "-y"]
SOURCE = [
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=1920x1080:rate=30,noise=alls=6:allf=t",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:sample_rate=48000",
]
ENCODE = [
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-g",
    "60",
    "-b:v",
    "4M",
    "-maxrate",
    "4M",
    "-bufsize",
    "8M",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-b:a",
    "64k",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def generate() -> None:
    """Make the hour of segments and the camera sources, once."""
    generate_hour()
    generate_camera_sources()


def generate_hour() -> None:
    """The hour of 1080p30 H.264 segments the export timings read."""
    if not (SEGMENTS / "COMPLETE").exists():
        if not (RAW / "DONE").exists():
            RAW.mkdir(parents=True, exist_ok=True)
            log("generating one hour of 1080p30 segments (about 10 min on 2 cores)")
            began = time.monotonic()
            subprocess.run(
                [
                    *QUIET,
                    *SOURCE,
                    "-t",
                    str(HOUR_S),
                    *ENCODE,
                    "-f",
                    "segment",
                    "-segment_time",
                    "10",
                    "-reset_timestamps",
                    "1",
                    str(RAW / "seg%04d.mp4"),
                ],
                check=True,
            )
            (RAW / "DONE").touch()
            log(f"generated in {time.monotonic() - began:.0f} s")
        SEGMENTS.mkdir(parents=True, exist_ok=True)
        for index, path in enumerate(sorted(RAW.glob("seg*.mp4"))):
            path.rename(SEGMENTS / segment_name(T0 + timedelta(seconds=10 * index)))
        (SEGMENTS / "COMPLETE").touch()


def generate_camera_sources() -> None:
    """60 s for the recorder (AAC, and G.711 mu-law), two minutes of HEVC."""
    OUT.mkdir(parents=True, exist_ok=True)
    if not SOURCE60.exists():
        subprocess.run(
            [*QUIET, *SOURCE, "-t", "60", *ENCODE, "-f", "mp4", str(SOURCE60)],
            check=True,
        )
    if not SOURCE60_G711.exists():
        subprocess.run(
            [
                *QUIET,
                "-i",
                str(SOURCE60),
                "-map",
                "0",
                "-c:v",
                "copy",
                "-c:a",
                "pcm_mulaw",
                "-ar",
                "8000",
                "-ac",
                "1",
                str(SOURCE60_G711),
            ],
            check=True,
        )
    if not (HEVC / "COMPLETE").exists():
        HEVC.mkdir(parents=True, exist_ok=True)
        log("generating two minutes of 1080p30 HEVC segments")
        hevc = ["-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1"]
        subprocess.run(
            [
                *QUIET,
                *SOURCE,
                "-t",
                str(HEVC_S),
                *hevc,
                "-b:v",
                "4M",
                "-x265-params",
                "keyint=60:log-level=error",
                "-c:a",
                "aac",
                "-f",
                "segment",
                "-segment_time",
                "10",
                "-reset_timestamps",
                "1",
                str(HEVC / "seg%04d.mp4"),
            ],
            check=True,
        )
        for index, path in enumerate(sorted(HEVC.glob("seg*.mp4"))):
            path.rename(HEVC / segment_name(T0 + timedelta(seconds=10 * index)))
        (HEVC / "COMPLETE").touch()


def copy_floor(paths: list[Path], destination: Path) -> tuple[str, int]:
    """The least any exporter must do: move the bytes once and hash them."""
    sink = HashingSink(destination)
    # One reused buffer: fresh 1 MB bytes per read made the floor swing between
    # 0.4 and 0.7 s with the process's malloc history, not with the work.
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    try:
        for path in paths:
            with path.open("rb", buffering=0) as handle:
                while got := handle.readinto(buffer):
                    sink.write(view[:got])
        return sink.commit()
    finally:
        sink.abort()


async def timed_median(
    make: Callable[[], Awaitable[None]], runs: int = REPEATS
) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await make()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError, ProcessLookupError:
        return None
    # utime and stime are fields 14 and 15 of stat; after ")" they are 12 and 13.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def listening(port: int) -> bool:
    """Whether something listens on 127.0.0.1:`port`, without connecting: the
    one-client server below would take a test connection for its client."""
    wanted = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        if any(
            line.split()[1].endswith(wanted) and line.split()[3] == "0A"
            for line in lines
        ):
            return True
    return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def recorder_core_fraction(work: Path, source: Path = SOURCE60) -> float:
    """CPU seconds of the recorder's ffmpeg per second of 1080p30 input recorded.

    The plan is the one the recorder's probe picks for such a stream (the
    one-client HTTP server here cannot serve the probe too): AAC is copied,
    G.711 is converted to AAC while the video is copied.
    """
    audio: Literal["copy", "aac"] = "aac" if source.suffix == ".nut" else "copy"
    port = free_port()
    container = "nut" if source.suffix == ".nut" else "mpegts"
    server = await asyncio.create_subprocess_exec(
        *QUIET,
        "-re",
        "-i",
        str(source),
        "-c",
        "copy",
        "-f",
        container,
        "-listen",
        "1",
        f"http://127.0.0.1:{port}/live.{container}",
    )
    for _ in range(600):  # up to 30 s for ffmpeg to open the file and listen
        if listening(port):
            break
        await asyncio.sleep(0.05)
    recorder = Recorder(
        ffmpeg=FFMPEG,
        plan=RecordingPlan(video_codec="h264", audio=audio, probed=True),
        source=f"http://127.0.0.1:{port}/live.{container}",
        directory=work / f"recording-{container}",
        backoff_initial=0.2,
        backoff_max=1.0,
    )
    recorder.start()
    last: float | None = None
    try:
        async with asyncio.timeout(30):
            await recorder.wait_for(lambda r: r.recording)
        pid = recorder.pid
        assert pid is not None
        # Sample the child's own accounting until the 60 s stream ends and it exits.
        while (sample := cpu_seconds(pid)) is not None and recorder.pid == pid:
            last = sample
            await asyncio.sleep(0.1)
    finally:
        await recorder.stop()
        if server.returncode is None:
            server.kill()
        await server.wait()
    assert last is not None
    return last / 60.0


def ffmpeg_copy(listing: Path, destination: Path, *flags: str) -> list[str]:
    """The exporter's ffmpeg command (video only, stream copy) with extra flags."""
    return [
        *QUIET,
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        str(listing),
        "-map",
        "0:v",
        "-an",
        "-c",
        "copy",
        "-avoid_negative_ts",
        "make_zero",
        *flags,
        "-f",
        "mp4",
        str(destination),
    ]


async def run(args: list[str]) -> None:
    process = await asyncio.create_subprocess_exec(*args)
    assert await process.wait() == 0


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


async def interleaved(
    contenders: dict[str, Callable[[], Awaitable[None]]], rounds: int = REPEATS
) -> dict[str, float]:
    """Median time of each contender, run in turns so load drifts hit all alike."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, make in contenders.items():
            # Nobody pays for another contender's writeback: start each clean.
            await asyncio.to_thread(os.sync)
            began = time.perf_counter()
            await make()
            times[name].append(time.perf_counter() - began)
    log(json.dumps({name: [round(t, 3) for t in ts] for name, ts in times.items()}))
    return {name: statistics.median(ts) for name, ts in times.items()}


async def hevc_export_over_floor(work: Path, rounds: int = 9) -> float:
    """The joiner on two minutes of 1080p HEVC (hvc1) against the copy floor,
    taking turns (each from a synced disk), medians of `rounds` rounds: the
    clip is small, so more rounds than the hour's window."""
    segments = list_segments(HEVC)
    start = T0 + timedelta(seconds=3.5)
    end = T0 + timedelta(seconds=HEVC_S - 5)
    paths = [item.path for item in select_footage(segments, start, end)]
    for path in paths:  # a warm page cache for both
        path.read_bytes()

    async def export() -> None:
        await export_clip(
            ffmpeg=FFMPEG,
            segments_dir=HEVC,
            start=start,
            end=end,
            destination=work / "hevc.mp4",
        )
        (work / "hevc.mp4").unlink()

    async def floor() -> None:
        await asyncio.to_thread(copy_floor, paths, work / "hevc-floor.mp4")
        (work / "hevc-floor.mp4").unlink()

    medians = await interleaved({"hevc_export": export, "hevc_floor": floor}, rounds)
    return medians["hevc_export"] / medians["hevc_floor"]


async def cameras_only() -> None:
    """The figures real camera streams add, side by side in one run."""
    generate_camera_sources()
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        work = Path(tmp)
        log("recorder: 60 s of 1080p30, audio copied")
        copied = await recorder_core_fraction(work)
        log("recorder: 60 s of 1080p30, G.711 audio converted to AAC")
        g711 = await recorder_core_fraction(work, SOURCE60_G711)
        log("joiner on 1080p HEVC against the copy floor")
        hevc_over_floor = await hevc_export_over_floor(work)
    print(
        json.dumps(
            {
                "bench": "export_cameras",
                "recorder_core_fraction": round(copied, 4),
                "recorder_g711_core_fraction": round(g711, 4),
                "g711_over_copy": round(g711 / copied, 2),
                "export_over_floor_hevc": round(hevc_over_floor, 2),
            }
        )
    )


async def main(quick: bool) -> None:
    generate()
    segments = list_segments(SEGMENTS)
    start, end = WINDOW_START, WINDOW_START + WINDOW
    footage = select_footage(segments, start, end)
    paths = [item.path for item in footage]
    window_bytes = sum(path.stat().st_size for path in paths)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        work = Path(tmp)
        fraction: float | None = None
        g711_fraction: float | None = None
        if not quick:
            log("recorder: 60 s of 1080p30")
            fraction = await recorder_core_fraction(work)
            log(f"recorder core fraction {fraction:.4f}")
            log("recorder: 60 s of 1080p30 with G.711 audio converted to AAC")
            g711_fraction = await recorder_core_fraction(work, SOURCE60_G711)
            log(f"recorder core fraction with G.711 -> AAC {g711_fraction:.4f}")
        for path in paths:  # warm the page cache for every contender alike
            path.read_bytes()

        async def export(layout: Layout = "faststart") -> None:
            destination = work / "export.mp4"
            await export_clip(
                ffmpeg=FFMPEG,
                segments_dir=SEGMENTS,
                start=start,
                end=end,
                destination=destination,
                layout=layout,
            )
            destination.unlink()

        async def export_fragmented() -> None:
            await export("fragmented")

        async def floor() -> None:
            await asyncio.to_thread(copy_floor, paths, work / "floor.mp4")
            (work / "floor.mp4").unlink()

        listing = work / "list.ffconcat"
        listing.write_text(concat_list(footage, start, end))

        async def plan() -> None:
            """The joiner's first half alone: reading indexes, laying out the clip."""
            await asyncio.to_thread(plan_join, cuts_for(footage, start, end), False)

        async def concat_then_faststart() -> None:
            """The previous exporter: concat demuxer, then the index moved in place."""
            await remux(
                FFMPEG,
                ["-f", "concat", "-safe", "0", "-i", str(listing)],
                work / "concat.mp4",
                include_audio=False,
            )
            (work / "concat.mp4").unlink()

        async def ffmpeg_plain() -> None:
            """The exporter's first half alone: ffmpeg writing the moov-last file."""
            await run(ffmpeg_copy(listing, work / "plain.mp4"))
            (work / "plain.mp4").unlink()

        async def ffmpeg_faststart_then_hash() -> None:
            """The previous exporter: ffmpeg's +faststart, then a hash pass."""
            destination = work / "legacy.mp4"
            await run(ffmpeg_copy(listing, destination, "-movflags", "+faststart"))
            await asyncio.gather(
                asyncio.to_thread(hash_file, destination),
                asyncio.to_thread(fsync_path, destination),
            )
            destination.unlink()

        log("export / floor / plan / concat+faststart / fragmented / legacy / plain")
        medians = await interleaved(
            {
                "export": export,
                "floor": floor,
                "plan": plan,
                "concat": concat_then_faststart,
                "fragmented": export_fragmented,
                "legacy": ffmpeg_faststart_then_hash,
                "ffmpeg_plain": ffmpeg_plain,
            }
        )
        export_s, floor_s = medians["export"], medians["floor"]
        hevc_over_floor = await hevc_export_over_floor(work)

        async def reencode() -> None:
            destination = work / "reencode.mp4"
            process = await asyncio.create_subprocess_exec(
                *QUIET,
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(listing),
                "-map",
                "0:v",
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-movflags",
                "+faststart",
                str(destination),
            )
            assert await process.wait() == 0
            await asyncio.to_thread(copy_floor, [destination], work / "hashed.mp4")

        reencode_s: float | None = None
        if not quick:
            log("re-encode (minutes)")
            reencode_s = await timed_median(reencode, runs=1)
    print(
        json.dumps(
            {
                "bench": "export",
                "export_s": round(export_s, 3),
                "copy_floor_s": round(floor_s, 3),
                "reencode_s": None if reencode_s is None else round(reencode_s, 1),
                "export_over_floor": round(export_s / floor_s, 2),
                "reencode_over_export": None
                if reencode_s is None
                else round(reencode_s / export_s, 1),
                "recorder_core_fraction": None
                if fraction is None
                else round(fraction, 4),
                "recorder_g711_core_fraction": None
                if g711_fraction is None
                else round(g711_fraction, 4),
                "export_over_floor_hevc": round(hevc_over_floor, 2),
                "plan_s": round(medians["plan"], 3),
                "concat_then_faststart_s": round(medians["concat"], 3),
                "export_fragmented_s": round(medians["fragmented"], 3),
                "ffmpeg_faststart_then_hash_s": round(medians["legacy"], 3),
                "ffmpeg_plain_s": round(medians["ffmpeg_plain"], 3),
                "window_bytes": window_bytes,
            }
        )
    )


if __name__ == "__main__":
    if "--cameras" in sys.argv[1:]:
        asyncio.run(cameras_only())
    else:
        asyncio.run(main(quick="--quick" in sys.argv[1:]))
