"""Clip export engine: rolling recorder, segment store, clip cutter and Frigate client.

Nothing here imports Home Assistant: the integration passes in the ffmpeg binary
(from HA's ffmpeg integration), the stream source and the aiohttp session, so the
engine runs and is tested on its own with real ffmpeg.
"""

from .result import ExportError, ExportResult, NoFootageError

__all__ = ["ExportError", "ExportResult", "NoFootageError"]
