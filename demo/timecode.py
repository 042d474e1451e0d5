"""A machine-readable wall clock burnt into every frame of the demo camera.

The smoke test must show that a shared clip holds the footage of the requested
window, not just some footage of the right length. Stream copy keeps no absolute
time (each recorded segment restarts at zero), so the camera writes the time into
the picture itself: a strip of white/black blocks in the top-left corner, read
back from the decoded clip with nothing but ffmpeg and a threshold.

The strip, left to right: a white and a black marker block (so a frame without
the strip is told apart from one reading zero), `BITS` data blocks holding the
frame's wall-clock time in quarter seconds modulo 2**BITS (68 minutes, plenty to
place a clip known to lie within minutes of its window), least significant
first, and one even-parity block. 12 x 12 px blocks survive H.264 at any sane
quality; the reader samples their centres only.

The time is the moment ffmpeg's filter graph took the frame (`RTCTIME`, wall
clock in microseconds), the same clock as the visible `%{gmtime}` overlay.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
import math
import subprocess

BITS = 14
TICKS_PER_SECOND = 4
PERIOD_TICKS = 1 << BITS
BLOCK = 12
PITCH = 16
MARGIN = 4
BLOCKS = 2 + BITS + 1  # markers, data, parity
STRIP_WIDTH = MARGIN + BLOCKS * PITCH
STRIP_HEIGHT = 2 * MARGIN + BLOCK
THRESHOLD = 128


def _block_x(index: int) -> int:
    return MARGIN + index * PITCH


WALL_CLOCK = "RTCTIME/(TB*1000000)"


def starting_at(moment: datetime) -> str:
    """A `clock` for `filter_chain` that starts at `moment` and runs with the video.

    For clips made faster than real time (tests); the camera uses the wall clock.
    """
    return f"PTS+{moment.timestamp():.3f}/TB"


def filter_chain(clock: str = WALL_CLOCK) -> str:
    """The `-vf` fragment: stamp wall-clock pts, draw the strip, restore the pts.

    `setpts=RTCTIME/...` makes each frame's `t` the wall clock in seconds so the
    `enable` expressions can read it; the final `setpts=PTS-STARTPTS` gives the
    encoder and the HLS muxer ordinary timestamps from zero again.
    """
    ticks = f"floor(t*{TICKS_PER_SECOND})"
    boxes = [
        f"drawbox=x=0:y=0:w={STRIP_WIDTH}:h={STRIP_HEIGHT}:color=black:t=fill",
        _box(0, None),
    ]
    for bit in range(BITS):
        boxes.append(_box(2 + bit, f"gte(mod({ticks}\\,{2 << bit})\\,{1 << bit})"))
    # Even parity: the block is white when the data has an odd number of ones.
    ones = "+".join(
        f"gte(mod({ticks}\\,{2 << bit})\\,{1 << bit})" for bit in range(BITS)
    )
    boxes.append(_box(2 + BITS, f"mod({ones}\\,2)"))
    return ",".join([f"setpts={clock}", *boxes, "setpts=PTS-STARTPTS"])


def _box(index: int, enable: str | None) -> str:
    box = (
        f"drawbox=x={_block_x(index)}:y={MARGIN}:w={BLOCK}:h={BLOCK}:color=white:t=fill"
    )
    return box if enable is None else f"{box}:enable='{enable}'"


class TimecodeError(Exception):
    """A frame whose strip is missing or does not read consistently."""


def read_strip(gray: bytes, width: int = STRIP_WIDTH) -> int:
    """Ticks (modulo the period) from one frame's strip as 8-bit gray pixels."""
    levels = [_level(gray, width, _block_x(i) + BLOCK // 2) for i in range(BLOCKS)]
    bits = [level >= THRESHOLD for level in levels]
    if not bits[0] or bits[1]:
        raise TimecodeError("no time code strip in the frame")
    data = bits[2 : 2 + BITS]
    if sum(data) % 2 != int(bits[2 + BITS]):
        raise TimecodeError("time code parity does not match")
    return sum(1 << i for i, on in enumerate(data) if on)


def _level(gray: bytes, width: int, centre_x: int) -> float:
    centre_y = MARGIN + BLOCK // 2
    samples = [
        gray[y * width + x]
        for y in range(centre_y - 2, centre_y + 2)
        for x in range(centre_x - 2, centre_x + 2)
    ]
    return sum(samples) / len(samples)


def unwrap(ticks: int, near: datetime) -> datetime:
    """The wall-clock time with these ticks that lies closest to `near`."""
    reference = math.floor(near.timestamp() * TICKS_PER_SECOND)
    offset = (ticks - reference) % PERIOD_TICKS
    if offset > PERIOD_TICKS // 2:
        offset -= PERIOD_TICKS
    return datetime.fromtimestamp((reference + offset) / TICKS_PER_SECOND, UTC)


@dataclass(frozen=True, slots=True)
class FrameTimes:
    """Wall-clock time of every decoded frame of a clip, in order."""

    times: tuple[datetime, ...]

    @property
    def first(self) -> datetime:
        return self.times[0]

    @property
    def last(self) -> datetime:
        return self.times[-1]

    def largest_gap_s(self) -> float:
        """The longest step between consecutive frames: footage missing inside."""
        steps = (
            (b - a).total_seconds()
            for a, b in zip(self.times, self.times[1:], strict=False)
        )
        return max(steps, default=0.0)


def _frames(ffmpeg: str, clip: str) -> Iterator[bytes]:
    done = subprocess.run(  # noqa: S603 - ffmpeg on a file the smoke received
        [
            ffmpeg,
            "-v",
            "error",
            "-i",
            clip,
            "-an",
            "-vf",
            f"crop={STRIP_WIDTH}:{STRIP_HEIGHT}:0:0,format=gray",
            "-f",
            "rawvideo",
            "-",
        ],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise TimecodeError(
            f"ffmpeg could not decode {clip}: {done.stderr.decode(errors='replace')}"
        )
    size = STRIP_WIDTH * STRIP_HEIGHT
    for offset in range(0, len(done.stdout) - size + 1, size):
        yield done.stdout[offset : offset + size]


def read_clip(ffmpeg: str, clip: str, near: datetime) -> FrameTimes:
    """Decode every frame's time code; `near` places the modulo period."""
    times: list[datetime] = []
    for index, frame in enumerate(_frames(ffmpeg, clip)):
        try:
            times.append(unwrap(read_strip(frame), near))
        except TimecodeError as err:
            raise TimecodeError(f"frame {index}: {err}") from None
    if not times:
        raise TimecodeError("the clip has no video frames")
    return FrameTimes(tuple(times))
