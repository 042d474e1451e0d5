"""What the options say about a camera's recording, in the owner's words.

Two cameras can cost very different CPU and disk: one sends AAC that is stored
as it comes, another G.711 that must be converted, one streams 2 Mbit/s and
another 12. The owner picks a retention and a disk budget without seeing
ffmpeg, so the options tell them per camera what the recorder found (codec,
size, what happens to the sound), the bit rate it measured, how much footage
the folder holds now and how much it can hold at that rate.
"""

from __future__ import annotations

from datetime import timedelta

from ..texts import Texts
from .recording import CameraRecording

# Codec names as owners and camera menus write them (not translated).
CODEC_NAMES = {
    "h264": "H.264",
    "hevc": "H.265 (HEVC)",
    "mjpeg": "MJPEG",
    "mpeg4": "MPEG-4",
    "av1": "AV1",
    "vp9": "VP9",
    "aac": "AAC",
    "pcm_mulaw": "G.711 µ-law",
    "pcm_alaw": "G.711 A-law",
    "adpcm_g726": "G.726",
    "adpcm_g726le": "G.726",
    "opus": "Opus",
    "mp3": "MP3",
    "pcm_s16le": "PCM",
    "pcm_s16be": "PCM",
}


def codec_name(codec: str | None) -> str:
    """A codec as a camera's own menu would call it."""
    return CODEC_NAMES.get(codec or "", (codec or "?").upper())


def recording_summary(
    texts: Texts,
    recording: CameraRecording | None,
    retention: timedelta,
    budget_bytes: int,
) -> str:
    """`video H.264, 1920x1080; audio G.711 µ-law, converted to AAC; 4.2 Mbit/s,
    2 h 10 min kept now, room for about 2 h 40 min.` (or why it is not known)."""
    if recording is None:
        return texts["recording_not_started"]
    plan = recording.recorder.plan
    if plan is None or not plan.probed:
        stream = texts["recording_not_probed"]
        audio = ""
    else:
        video = codec_name(plan.video_codec)
        stream = (
            texts["recording_stream"].format(
                codec=video, width=plan.width, height=plan.height
            )
            if plan.width and plan.height
            else texts["recording_stream_unsized"].format(codec=video)
        )
        audio = texts[f"recording_audio_{plan.audio}"].format(
            codec=codec_name(plan.audio_codec)
        )
    rate = recording.bytes_per_second
    if rate:
        room = min(retention.total_seconds(), budget_bytes / rate)
        measured = texts["recording_measured"].format(
            rate=texts.number(f"{rate * 8 / 1e6:.1f}"),
            kept=texts.duration(timedelta(seconds=recording.kept_seconds or 0)),
            room=texts.duration(timedelta(seconds=room)),
        )
    else:
        measured = texts["recording_unmeasured"]
    if not audio:
        return texts["recording_summary_unprobed"].format(
            stream=stream, measured=measured
        )
    return texts["recording_summary"].format(
        stream=stream, audio=audio, measured=measured
    )
