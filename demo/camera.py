"""The demo camera: ffmpeg's live test pattern as HLS, served over HTTP.

HLS (a playlist of short MPEG-TS segments on a plain web server) is what the demo
uses because every reader reconnects to it on its own terms: Home Assistant's
snapshot, its stream worker and the integration's recorder may each open the
stream many times, and none of them can knock the source over, as they could with
ffmpeg's single-client `-listen 1` server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
import subprocess
import time

from aiohttp import web

from demo import timecode

PLAYLIST = "index.m3u8"
SEGMENT_SECONDS = 2
FRAME_RATE = 15
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
_CONTENT_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t"}


@dataclass(frozen=True, slots=True)
class Overlay:
    """The clock burnt into the picture, or why there is none."""

    font: Path | None
    reason: str | None = None


def find_font(candidates: Iterable[Path] = FONT_CANDIDATES) -> Path | None:
    for path in candidates:
        if path.is_file():
            return path
    return None


def has_drawtext(ffmpeg: str) -> bool:
    done = subprocess.run(  # noqa: S603 - the ffmpeg the demo runs anyway
        [ffmpeg, "-hide_banner", "-filters"],
        capture_output=True,
        text=True,
        check=False,
    )
    return any(line.split()[1:2] == ["drawtext"] for line in done.stdout.splitlines())


def choose_overlay(
    ffmpeg: str, candidates: Iterable[Path] = FONT_CANDIDATES
) -> Overlay:
    """A clock overlay needs both ffmpeg's drawtext filter and a TrueType font."""
    if not has_drawtext(ffmpeg):
        return Overlay(None, "this ffmpeg has no drawtext filter")
    font = find_font(candidates)
    if font is None:
        return Overlay(None, "no DejaVu font under /usr/share/fonts")
    return Overlay(font)


def ffmpeg_argv(ffmpeg: str, out_dir: Path, overlay: Overlay, label: str) -> list[str]:
    """Test pattern plus a 440 Hz tone, H.264/AAC, 2 s HLS segments in `out_dir`.

    Every frame carries the time code strip (`demo.timecode`) and, when the font
    and filter exist, the same time as a readable clock.

        A keyframe starts every segment, so a reader may join at any segment and a
        recorder can cut on segment borders without re-encoding.
    """
    gop = str(FRAME_RATE * SEGMENT_SECONDS)
    argv = [
        ffmpeg,
        "-hide_banner",
        "-loglevel",
        "warning",
        "-re",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size=640x360:rate={FRAME_RATE}",
        "-re",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=44100",
    ]
    filters = [timecode.filter_chain()]
    if overlay.font is not None:
        filters.append(
            f"drawtext=fontfile={overlay.font}:text='{label}  %{{gmtime}} UTC'"
            ":x=16:y=h-th-16:fontsize=22:fontcolor=white:box=1"
            ":boxcolor=black@0.6:boxborderw=6"
        )
    argv += ["-vf", ",".join(filters)]
    argv += [
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-tune",
        "zerolatency",
        "-pix_fmt",
        "yuv420p",
        "-g",
        gop,
        "-keyint_min",
        gop,
        "-sc_threshold",
        "0",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
        "-f",
        "hls",
        "-hls_time",
        str(SEGMENT_SECONDS),
        "-hls_list_size",
        "15",
        "-hls_flags",
        "delete_segments+independent_segments+temp_file+program_date_time",
        "-hls_segment_filename",
        str(out_dir / "seg-%06d.ts"),
        str(out_dir / PLAYLIST),
    ]
    return argv


def newest_segment_age(out_dir: Path, now: float | None = None) -> float | None:
    """Seconds since the newest segment was written; None when there is none."""
    mtimes = [path.stat().st_mtime for path in out_dir.glob("seg-*.ts")]
    if not mtimes:
        return None
    return (time.time() if now is None else now) - max(mtimes)


def create_app(out_dir: Path) -> web.Application:
    """Only the playlist and its segments, never cached: the stream is live."""

    async def serve(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = out_dir / name
        content_type = _CONTENT_TYPES.get(path.suffix)
        if content_type is None or "/" in name or not path.is_file():
            raise web.HTTPNotFound
        response = web.FileResponse(path, headers={"Cache-Control": "no-cache"})
        response.content_type = content_type
        return response

    app = web.Application()
    app.router.add_get("/{name}", serve)
    return app


async def start_server(out_dir: Path, port: int) -> web.AppRunner:
    """Serve `out_dir` on 127.0.0.1:`port`; the caller cleans the runner up."""
    runner = web.AppRunner(create_app(out_dir), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner
