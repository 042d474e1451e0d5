"""A confirmed share goes to the exporter, then the outbox, one clip per camera.

The exporter and outbox here are small real implementations of the protocols in
`share.py` (a file written and hashed on disk, a list as the queue), standing in
for the recorder and the delivery outbox of the export issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import hashlib
import json
from pathlib import Path

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.neighborhood_requests.consent.share import Share
from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.export.result import (
    ExportError,
    ExportResult,
)
from custom_components.neighborhood_requests.protocol.model import Request


@dataclass
class DiskExporter:
    directory: Path
    fail_for: str | None = None
    calls: list[tuple[str, bool, bool]] = field(default_factory=list)

    async def export(
        self, request: Request, camera: str, include_audio: bool, *, preview: bool
    ) -> ExportResult:
        self.calls.append((camera, include_audio, preview))
        if camera == self.fail_for:
            raise ExportError("no recordings found")
        data = f"{request.id}:{camera}:{include_audio}".encode()
        path = self.directory / f"{camera}.mp4"
        path.write_bytes(data)
        return ExportResult(
            path=path,
            sha256=hashlib.sha256(data).hexdigest(),
            bytes=len(data),
            start=request.window.start,
            end=request.window.end,
        )


@dataclass
class ListOutbox:
    shares: list[Share] = field(default_factory=list)

    async def enqueue(self, share: Share) -> None:
        self.shares.append(share)

    def status(self, publisher_id: str, request_id: str, camera: str) -> str | None:
        return "pending" if self.shares else None


async def share(
    hass: HomeAssistant, entry: ConfigEntry, user: User, **data: object
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "respond",
        {
            "config_entry_id": entry.entry_id,
            "request_id": "wpd-2026-0412",
            "decision": "share",
            **data,
        },
        blocking=True,
        context=Context(user_id=user.id),
    )


def audit_types(entry: ConfigEntry) -> list[tuple[str, bool | None]]:
    path = entry.runtime_data.coordinator.audit_path
    events = [json.loads(line)["event"] for line in path.read_text().splitlines()]
    return [(e["type"], e.get("ok")) for e in events]


async def test_each_camera_is_exported_and_queued(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User, tmp_path: Path
) -> None:
    exporter, outbox = DiskExporter(tmp_path), ListOutbox()
    entry.runtime_data.exporter, entry.runtime_data.outbox = exporter, outbox
    await share(hass, entry, hass_admin_user, include_audio=True)
    assert exporter.calls == [
        ("camera.porch", True, False),
        ("camera.hall", True, False),
    ]
    assert [s.camera for s in outbox.shares] == ["camera.porch", "camera.hall"]
    first = outbox.shares[0]
    assert first.decided_by == hass_admin_user.id
    assert first.include_audio is True
    assert (
        first.export.sha256
        == hashlib.sha256(first.export.path.read_bytes()).hexdigest()
    )
    assert audit_types(entry)[-5:] == [
        ("decision", None),
        ("export", True),
        ("queued", None),
        ("export", True),
        ("queued", None),
    ]


async def test_failed_export_keeps_consent_and_says_why(
    hass: HomeAssistant, entry: ConfigEntry, hass_admin_user: User, tmp_path: Path
) -> None:
    outbox = ListOutbox()
    entry.runtime_data.exporter = DiskExporter(tmp_path, fail_for="camera.porch")
    entry.runtime_data.outbox = outbox
    with pytest.raises(HomeAssistantError) as err:
        await share(hass, entry, hass_admin_user, cameras=["camera.porch"])
    assert err.value.translation_key == "export_failed"
    assert err.value.translation_placeholders == {
        "camera": "camera.porch",
        "error": "no recordings found",
    }
    assert outbox.shares == []
    assert audit_types(entry)[-1] == ("export", False)
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.state == "shared"
