"""What an export returns, and the errors it raises before anything is sent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


class ExportError(Exception):
    """An export failed; the message is meant for the owner, before they confirm."""


class NoFootageError(ExportError):
    """The window holds no footage at all, so there is nothing to share."""

    def __init__(self, start: datetime, end: datetime) -> None:
        super().__init__(
            f"no footage between {start.isoformat()} and {end.isoformat()}"
        )
        self.start = start
        self.end = end


# Why part of a window has no footage.
CAMERA_OFFLINE = "camera_offline"  # the recorder saw the camera's stream drop
NO_FOOTAGE = "no_footage"  # nothing recorded there; why is not known


@dataclass(frozen=True, slots=True)
class Gap:
    """A part of the window with no footage, and why, where that is known."""

    start: datetime
    end: datetime
    reason: str = NO_FOOTAGE


@dataclass(frozen=True, slots=True)
class VideoFormat:
    """The clip's picture from `start` (wall time) on: codec and size."""

    start: datetime
    codec: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ExportResult:
    """A finished clip: the file, its digest, the parts of the window it lacks and
    the picture's format(s).

    `missing` lists the ranges of the requested window with no footage, so the owner
    is told what the clip does not show before they confirm the share; `formats`
    says where the picture changes size (a camera reconfigured mid-window).
    """

    path: Path
    sha256: str
    bytes: int
    start: datetime
    end: datetime
    missing: tuple[Gap, ...] = ()
    formats: tuple[VideoFormat, ...] = ()


def gap_views(missing: Iterable[Gap]) -> list[dict[str, str]]:
    """Gaps as the websocket API, services and the audit log carry them."""
    return [
        {
            "start": gap.start.isoformat(),
            "end": gap.end.isoformat(),
            "reason": gap.reason,
        }
        for gap in missing
    ]


def format_views(formats: Iterable[VideoFormat]) -> list[dict[str, str | int]]:
    """The picture's formats as the websocket API and services carry them."""
    return [
        {
            "start": form.start.isoformat(),
            "codec": form.codec,
            "width": form.width,
            "height": form.height,
        }
        for form in formats
    ]
