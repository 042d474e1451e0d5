"""No entity id leaves the house: what a real upload carries, read at the inbox.

A requester sees the upload's bytes (headers, the multipart body with the clip's
file name, the signed manifest, the clip) and what the reference inbox stores
from them. The camera is linked as `camera.kids_bedroom_window`; none of that may
name it, its object id, or a hash an inbox could match against likely names.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
import hashlib
import json
from pathlib import Path

from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
import pytest

from custom_components.neighborhood_requests.const import (
    CONF_ALLOW_LAN,
    DOMAIN,
)
from custom_components.neighborhood_requests.delivery.outbox import idempotency_key
from tests.export.footage import Assets, lay_out
from tests.integration.conftest import (  # noqa: F401  (fixtures)
    add_entry,
    auto_enable_custom_integrations,
    config_dir_in_tmp,
    home,
)
from tests.integration.inbox_helpers import REQUEST_ID, PublisherServer
from tests.integration.options_helpers import answer, choose, open_options, save
from tests.integration.sharing import (  # noqa: F401  (fixtures, found by name)
    assets_fixture,
    notifications_ready_fixture,
)
from tests.protocol.factories import PUBLISHER_ID

from .holding_proxy import HoldingProxy

CAMERA = "camera.kids_bedroom_window"


@pytest.fixture
async def publisher(
    socket_enabled: None, tmp_path: Path
) -> AsyncIterator[tuple[PublisherServer, HoldingProxy]]:
    """The reference inbox, reached only through a proxy that keeps every byte."""
    server = PublisherServer(tmp_path / "publisher")
    await server.start()
    host_port = int(server.base_url.rsplit(":", 1)[1])
    proxy = HoldingProxy(host_port)
    await proxy.start()
    server.base_url = f"http://127.0.0.1:{proxy.port}"
    server.publish()
    yield server, proxy
    await proxy.close()
    await server.stop()


@pytest.mark.parametrize("resumable", [True, False], ids=["tus", "multipart"])
async def test_an_upload_names_the_camera_only_by_its_label(  # noqa: PLR0917
    hass: HomeAssistant,
    publisher: tuple[PublisherServer, HoldingProxy],
    home: tuple[float, float],  # noqa: F811
    assets: Assets,
    notifications_ready: None,
    hass_admin_user: User,
    resumable: bool,
) -> None:
    server, proxy = publisher
    server.offer_tus = resumable
    entry: ConfigEntry = await add_entry(hass, server.feed_url, cameras=[CAMERA])
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_ALLOW_LAN: True}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    server.publish(server.request())
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    record = next(r for r in entry.runtime_data.coordinator.store if r.request)
    assert record.request is not None
    lay_out(
        assets,
        entry.runtime_data.footage.directory(CAMERA),
        record.request.window.start,
    )

    await hass.services.async_call(
        DOMAIN,
        "respond",
        {
            "config_entry_id": entry.entry_id,
            "request_id": REQUEST_ID,
            "decision": "share",
            "cameras": [CAMERA],
        },
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    record = next(r for r in entry.runtime_data.coordinator.store if r.request)
    assert [d.state for d in record.deliveries] == ["delivered"], record.deliveries
    (upload,) = proxy.uploads
    sent = bytes(upload.sent)
    assert b"200 OK" in bytes(upload.answer) or b"201" in bytes(upload.answer)
    head, _, body = sent.partition(b"\r\n\r\n")
    # What an inbox could match: the entity id, its object id in any spelling,
    # and the old idempotency key, a plain hash of the entity id.
    guessable = idempotency_key(
        PUBLISHER_ID, REQUEST_ID, entry.runtime_data.home_key.kid, CAMERA
    ).encode()
    # A resumable upload carries the file name (and the manifest) base64 in
    # `Upload-Metadata`: read it decoded as well.
    metadata = tus_metadata(head)
    readable = sent + b"".join(metadata.values())
    for needle in (
        CAMERA.encode(),
        b"kids_bedroom_window",
        b"kids-bedroom-window",
        b"Kids bedroom window",
        guessable,
        hashlib.sha256(CAMERA.encode()).hexdigest().encode(),
    ):
        assert needle not in readable, needle
    if resumable:
        assert metadata["filename"].startswith(b"wpd-2026-0412_Camera-1_")
    else:
        assert b'filename="wpd-2026-0412_Camera-1_' in body

    (receipt,) = server.stored()
    assert receipt["camera"] == "Camera 1"
    folder = server.clip_folder(receipt)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["camera"] == "Camera 1"
    for path in folder.iterdir():
        assert b"kids_bedroom" not in path.read_bytes(), path.name
    assert b"Idempotency-Key: crf1-" in head


def tus_metadata(head: bytes) -> dict[str, bytes]:
    """The decoded `Upload-Metadata` pairs of a request head (none: empty)."""
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"upload-metadata":
            pairs = (item.strip().split(b" ", 1) for item in value.split(b","))
            return {k.decode(): base64.b64decode(v) for k, v in pairs}
    return {}


async def test_a_label_shaped_like_an_entity_id_is_refused(
    hass: HomeAssistant, publisher: tuple[PublisherServer, HoldingProxy]
) -> None:
    """The options refuse a label that would leak an entity id, and a duplicate."""
    server, _proxy = publisher
    hass.config.latitude, hass.config.longitude = 41.6, -73.0
    entry = await add_entry(hass, server.feed_url, cameras=[CAMERA, "camera.porch"])
    result = await choose(hass, await open_options(hass, entry), "home")
    result = await answer(
        hass,
        result,
        {"home": entry.options["home"], "cameras": [CAMERA, "camera.porch"]},
    )
    assert result["step_id"] == "camera"
    for label, error in (
        ("camera.kids_bedroom_window", "label_invalid"),
        ("kids_bedroom.window", "label_invalid"),
        ("x" * 41, "label_invalid"),
        ("Bell\x07", "label_invalid"),
        ("camera 2", "label_taken"),
    ):
        result = await answer(
            hass, result, {"label": label, "policy": "ask", "backend": "recorder"}
        )
        assert result["errors"] == {"label": error}, label
    result = await answer(
        hass,
        result,
        {"label": "  Garden   side ", "policy": "ask", "backend": "recorder"},
    )
    assert result["step_id"] == "camera"  # the next camera
    result = await answer(hass, result, {"policy": "ask", "backend": "recorder"})
    await save(hass, result)
    policies = entry.options["camera_policies"]
    assert policies[CAMERA]["label"] == "Garden side"
    assert policies["camera.porch"]["label"] == "Camera 2"
