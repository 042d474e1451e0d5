"""A short, small excerpt of a preview for a chat that cannot take the whole clip.

Telegram's cloud Bot API accepts videos up to 50 MB, and a preview of a long
window from a high-resolution camera is far larger. Saying only "too big" would
leave the resident deciding blind, so Home Assistant cuts the first seconds at
240 lines without audio, which a phone shows well at a fraction of the size. It
is written beside the preview clip, so the previews' pruning removes it too.
"""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant

from ..export.remux import run_ffmpeg

EXCERPT_SECONDS = 20
EXCERPT_HEIGHT = 240


def ffmpeg_binary(hass: HomeAssistant) -> str:
    """HA's configured ffmpeg, or the one on the PATH if that is not set up."""
    from homeassistant.components.ffmpeg import (  # noqa: PLC0415 - optional
        get_ffmpeg_manager,
    )

    try:
        return get_ffmpeg_manager(hass).binary
    except ValueError:
        return "ffmpeg"


async def async_excerpt(hass: HomeAssistant, source: Path) -> tuple[Path, int]:
    """The first `EXCERPT_SECONDS` of `source` at low resolution: path and size.

    Raises `ExportError` (with ffmpeg's last words) when ffmpeg cannot do it.
    """
    target = source.with_name(f"{source.stem}.excerpt.mp4")
    await run_ffmpeg(
        [
            ffmpeg_binary(hass),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-t",
            str(EXCERPT_SECONDS),
            "-i",
            str(source),
            "-an",
            "-vf",
            f"scale=-2:{EXCERPT_HEIGHT}",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "30",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
            str(target),
        ]
    )
    size = await hass.async_add_executor_job(lambda: target.stat().st_size)
    return target, size
