"""What an export returns, and the errors it raises before anything is sent."""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class ExportResult:
    """A finished clip: the file, its digest and the parts of the window it lacks.

    `missing` lists the ranges of the requested window with no footage, so the owner
    is told what the clip does not show before they confirm the share.
    """

    path: Path
    sha256: str
    bytes: int
    start: datetime
    end: datetime
    missing: tuple[tuple[datetime, datetime], ...] = ()


def gap_views(
    missing: tuple[tuple[datetime, datetime], ...] | list[tuple[datetime, datetime]],
) -> list[dict[str, str]]:
    """Gaps as the websocket API, services and the audit log carry them."""
    return [
        {"start": start.isoformat(), "end": end.isoformat()} for start, end in missing
    ]
