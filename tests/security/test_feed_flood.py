"""Attack: fill the feed with junk so the home's store and audit log grow forever.

Anyone who can change the feed's bytes (a compromised web server, a proxy on an
unsigned feed) can add thousands of entries signed by keys nobody trusts. Before,
8 polls of 4,999 such entries left 39,993 records and a 13 MB store rewritten on
every save. Now each refused entry is a count: the stores stay small, the audit
log gets one line per poll, and the transparency report still says what happened.
"""

from __future__ import annotations

import json
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.protocol.jws import b64url_encode
from custom_components.neighborhood_requests.protocol.parse import (
    DEFAULT_MAX_REQUESTS,
)
from custom_components.neighborhood_requests.requests.rejections import (
    storage_key as rejections_key,
)
from tests.integration.conftest import FeedServer, request_now
from tests.integration.storage_helpers import storage_file
from tests.protocol.factories import make_feed

JUNK_PER_POLL = DEFAULT_MAX_REQUESTS - 1  # the valid request makes it a full feed
POLLS = 8


def junk(poll: int, count: int = JUNK_PER_POLL) -> list[str]:
    """Entries naming keys nobody lists: refused before any signature check."""
    signature = b64url_encode(bytes(64))
    entries = []
    for i in range(count):
        header = b64url_encode(
            json.dumps({"alg": "EdDSA", "kid": f"junk-{poll}-{i}"}).encode()
        )
        payload = b64url_encode(json.dumps({"id": f"junk-{poll}-{i}"}).encode())
        entries.append(f"{header}.{payload}.{signature}")
    return entries


async def poll(hass: HomeAssistant, entry: ConfigEntry) -> None:
    await hass.services.async_call(
        DOMAIN, "refresh", {"config_entry_id": entry.entry_id}, blocking=True
    )
    await hass.async_block_till_done()


async def store_bytes(hass: HomeAssistant, entry: ConfigEntry) -> int:
    """Bytes of the request store's file, with what is pending written now."""
    await entry.runtime_data.coordinator.store.async_commit()
    return storage_file(hass, f"{DOMAIN}.{entry.entry_id}").stat().st_size


async def tally_bytes(hass_storage: dict[str, Any], entry: ConfigEntry) -> int:
    """Bytes the counts of refused entries take in Home Assistant's Store."""
    await entry.runtime_data.coordinator.rejections.async_save()
    return len(json.dumps(hass_storage[rejections_key(entry.entry_id)]))


def audit_types(entry: ConfigEntry) -> list[str]:
    path = entry.runtime_data.coordinator.audit_path
    return [json.loads(line)["event"]["type"] for line in path.read_text().splitlines()]


async def test_eight_polls_of_junk_leave_counts_not_records(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_storage: dict[str, Any],
) -> None:
    coordinator = entry.runtime_data.coordinator
    audit_before = len(audit_types(entry))
    for number in range(POLLS):
        feed_server.serve(make_feed([request_now(), *junk(number)]))
        await poll(hass, entry)

    assert [r.request_id for r in coordinator.store] == ["wpd-2026-0412"]
    assert await store_bytes(hass, entry) < 8_000
    # The last poll's digests (16 hex digits each) are the largest part: bounded
    # by the entry limit of one feed, however many polls came before.
    assert await tally_bytes(hass_storage, entry) < 24 * DEFAULT_MAX_REQUESTS
    assert audit_types(entry)[audit_before:] == ["rejected_batch"] * POLLS

    report = await hass.services.async_call(
        DOMAIN,
        "transparency_report",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    publisher = report["publishers"]["wolcott-pd"]
    assert publisher["rejected_entries"] == POLLS * JUNK_PER_POLL
    assert publisher["rejected"] == POLLS * JUNK_PER_POLL
    assert publisher["rejected_reasons"] == {
        'signature: unknown kid "…"': POLLS * JUNK_PER_POLL
    }
    examples = publisher["rejected_examples"]
    assert len(examples) == 5
    assert examples[-1]["reasons"] == [
        ["signature", f'unknown kid "junk-{POLLS - 1}-{JUNK_PER_POLL - 1}"']
    ]
    assert publisher["pending"] == 1


async def test_the_same_junk_again_is_not_counted_again(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    feed_server.serve(make_feed([request_now(), *junk(0, 50)]))
    await poll(hass, entry)
    lines = len(audit_types(entry))

    await poll(hass, entry)
    await poll(hass, entry)

    counts = entry.runtime_data.coordinator.rejections.report("wolcott-pd")
    assert counts["rejected_entries"] == 50
    assert len(audit_types(entry)) == lines


async def test_a_feed_over_the_entry_limit_is_refused_before_any_entry(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """One entry too many: nothing is counted, stored or audited, the poll fails."""
    coordinator = entry.runtime_data.coordinator
    lines = len(audit_types(entry))
    feed_server.serve(make_feed([request_now(), *junk(0, DEFAULT_MAX_REQUESTS)]))

    await poll(hass, entry)

    assert coordinator.rejections.report("wolcott-pd")["rejected_entries"] == 0
    assert [r.request_id for r in coordinator.store] == ["wpd-2026-0412"]
    assert len(audit_types(entry)) == lines
    assert coordinator.update_interval > coordinator.settings.poll_interval
