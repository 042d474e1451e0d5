"""The seam between a consent decision and the bytes that leave the house.

`consent.respond` only ever talks to these two protocols; the export and delivery
modules supply the implementations (built-in recorder or Frigate; the retrying
outbox) and set them on the entry's runtime data. Keeping the seam this narrow is
what lets the consent path be tested without any video.

One clip per camera: the manifest a home signs names exactly one camera, and the
outbox's idempotency key separates the clips of a share that covers several.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..export.result import ExportResult
from ..protocol.model import Request

__all__ = ["DeliveryOutbox", "ExportResult", "Exporter", "Share"]


@dataclass(frozen=True, slots=True)
class Share:
    """One confirmed clip for the outbox, with who consented to it."""

    entry_id: str
    publisher_id: str
    request: Request
    camera: str
    include_audio: bool
    decided_by: str | None
    telegram_user: str | None
    export: ExportResult


class Exporter(Protocol):
    """Cuts the requested window out of one camera's local footage."""

    async def export(
        self,
        request: Request,
        camera: str,
        include_audio: bool,
        *,
        preview: bool,
    ) -> ExportResult:
        """Write the clip locally, or raise `export.ExportError`.

        `preview` clips are for the resident's eyes and never reach the outbox.
        """
        ...


class DeliveryOutbox(Protocol):
    """Persistent, retrying upload queue; survives restarts of Home Assistant."""

    async def enqueue(self, share: Share) -> None:
        """Queue once per (publisher, request, camera); a repeat is a no-op."""
        ...

    def status(self, publisher_id: str, request_id: str, camera: str) -> str | None:
        """`pending`, `delivered`, `failed`, `expired`, or None when unknown."""
        ...
