"""Attack: JSON that one reader takes one way and another reader another way.

Signed payloads used to be read more loosely than the feed around them: UTF-16,
NaN, duplicate members (the last one winning), lone surrogates that the Store
then failed to write, and C1 controls in URLs. Each is now refused with its rule,
alone: the rest of the feed still works.
"""

from __future__ import annotations

import json
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.protocol.jws import b64url_encode
from tests.integration.conftest import FeedServer, request_now
from tests.integration.storage_helpers import stored
from tests.protocol.factories import TEST_KEY, TEST_KID, feed_bytes, make_feed


def signed_raw(payload: bytes) -> str:
    """An entry whose payload bytes are exactly `payload`, validly signed."""
    header = b64url_encode(json.dumps({"alg": "EdDSA", "kid": TEST_KID}).encode())
    body = b64url_encode(payload)
    signature = TEST_KEY.sign(f"{header}.{body}".encode("ascii"))
    return f"{header}.{body}.{b64url_encode(signature)}"


def payload_of(request: dict[str, Any]) -> bytes:
    return json.dumps(request, separators=(",", ":")).encode()


async def test_signed_but_ambiguous_entries_are_refused_one_by_one(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_storage: dict[str, Any],
) -> None:
    twice = payload_of(request_now(id="twice-1"))[:-1] + b',"id":"twice-2"}'
    surrogate = payload_of(request_now(id="surr-1")).replace(
        b"Break-in", b"Break\\ud800in"
    )
    nan = payload_of(request_now(id="nan-1")).replace(b"300.0", b"NaN")
    c1 = payload_of(
        request_now(id="c1-1", response={"upload_url": "https://feeds.example.org/u"})
    ).replace(b"/u", b"/\\u0085u")
    feed_server.serve(
        make_feed(
            [
                request_now(),
                signed_raw(twice),
                signed_raw(surrogate),
                signed_raw(nan),
                signed_raw('{"id": "u16"}'.encode("utf-16")),
                signed_raw(c1),
            ]
        )
    )
    coordinator = entry.runtime_data.coordinator

    await coordinator.async_refresh()
    await hass.async_block_till_done()

    assert [r.request_id for r in coordinator.store] == ["wpd-2026-0412"]
    rules = coordinator.rejections.report("wolcott-pd")["rejected_rules"]
    assert rules == {
        'payload: duplicate key "…"': 1,
        "payload: contains a lone surrogate (a \\ud800-\\udfff escape alone)": 1,
        "payload: NaN is not a JSON number": 1,
        "payload: is UTF-16 (byte order mark); JSON here must be UTF-8": 1,
        "response.upload_url: must not contain spaces or control characters "
        "(U+0085 at position #)": 1,
    }
    # What the home keeps can be written: the stores' JSON writers do not fail.
    await coordinator.store.async_commit()
    await coordinator.rejections.async_save()
    assert stored(hass, f"{DOMAIN}.{entry.entry_id}")["requests"]
    assert json.dumps(hass_storage, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    "body",
    [
        '{"crf": "1"}'.encode("utf-16"),
        b'{"crf": "1", "crf": "1"}',
        b'{"crf": "1", "publisher": {"id": NaN}}',
    ],
)
async def test_a_pushed_feed_is_read_as_strictly(
    hass: HomeAssistant, entry: ConfigEntry, hass_client_no_auth: Any, body: bytes
) -> None:
    client = await hass_client_no_auth()

    response = await client.post(f"/api/webhook/{entry.data['webhook_id']}", data=body)

    assert response.status == 400
    assert [r.request_id for r in entry.runtime_data.coordinator.store] == [
        "wpd-2026-0412"
    ]


async def test_a_polled_feed_with_a_duplicate_member_changes_nothing(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    body = feed_bytes(make_feed([request_now()]))
    feed_server.body = body[:-1] + b',"requests":[]}'
    coordinator = entry.runtime_data.coordinator

    await hass.services.async_call(
        DOMAIN, "refresh", {"config_entry_id": entry.entry_id}, blocking=True
    )

    assert [r.state for r in coordinator.store] == ["pending"]
    assert coordinator.update_interval > coordinator.settings.poll_interval
