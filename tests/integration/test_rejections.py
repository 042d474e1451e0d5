"""Refused entries as bounded counts: rules, examples, once per entry, migration."""

from __future__ import annotations

from datetime import UTC, datetime
import hashlib

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from custom_components.neighborhood_requests.protocol.errors import Problem
from custom_components.neighborhood_requests.protocol.model import Rejected, Skipped
from custom_components.neighborhood_requests.requests.rejections import (
    MAX_EXAMPLES,
    MAX_RULES,
    OTHER_RULE,
    RejectionTally,
    rule_of,
    skip_rule,
)
from custom_components.neighborhood_requests.requests.store import RequestRecord

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def test_a_rule_leaves_out_what_differs_between_entries() -> None:
    assert rule_of(Problem("signature", 'unknown kid "k-17"')) == (
        'signature: unknown kid "…"'
    )
    assert rule_of(Problem("area.polygon[3][0]", "95.5 is outside -90..90")) == (
        "area.polygon[#][#]: # is outside #..#"
    )
    assert rule_of(Problem("payload", 'duplicate key "a\\"b"')) == (
        'payload: duplicate key "…"'
    )
    assert len(rule_of(Problem("x", "y" * 1000))) == 160
    assert skip_rule("alert[12]: event code SAME=TOR is not a video request") == (
        "event code SAME=TOR is not a video request"
    )


def rejected(n: int, reason: str) -> Rejected:
    digest = hashlib.sha256(str(n).encode()).hexdigest()
    return Rejected(n, f"r-{n}", (Problem("signature", reason),), digest)


async def test_counts_stay_bounded_whatever_the_reasons(hass: HomeAssistant) -> None:
    """Reasons the attacker controls beyond the normalisation go to one bucket."""
    tally = RejectionTally(hass, "entry")
    entries = [rejected(n, f"reason-{'x' * (n + 1)}") for n in range(200)]

    batch = tally.observe("pd", entries, [], NOW)

    assert batch is not None
    assert batch.rejected == 200
    assert len(batch.rules) == MAX_RULES + 1
    assert batch.rules[OTHER_RULE] == 200 - MAX_RULES
    assert len(batch.examples) == MAX_EXAMPLES
    report = tally.report("pd")
    assert report["rejected_entries"] == 200
    assert len(report["rejected_rules"]) == MAX_RULES + 1
    assert [e["request_id"] for e in report["rejected_examples"]] == [
        f"r-{n}" for n in range(195, 200)
    ]


async def test_each_entry_counts_once_while_it_stays(hass: HomeAssistant) -> None:
    tally = RejectionTally(hass, "entry")
    first = [rejected(n, "bad") for n in range(3)]

    assert tally.observe("pd", first, [Skipped(0, "alert[0]: weather")], NOW)
    assert tally.observe("pd", first, [Skipped(0, "alert[0]: weather")], NOW) is None
    batch = tally.observe("pd", [*first, rejected(9, "bad")], [], NOW)

    assert batch is not None
    assert (batch.rejected, batch.skipped) == (1, 0)
    assert tally.report("pd")["rejected_entries"] == 4
    assert tally.report("pd")["skipped"] == 1
    # Gone from the feed and back again: a new sighting, counted again.
    tally.observe("pd", [], [], NOW)
    assert tally.observe("pd", first[:1], [], NOW) is not None
    assert tally.report("pd")["rejected_entries"] == 5


async def test_counts_survive_a_restart(hass: HomeAssistant) -> None:
    tally = RejectionTally(hass, "entry")
    tally.observe("pd", [rejected(1, "bad")], [], NOW)
    await tally.async_save()

    again = RejectionTally(hass, "entry")
    await again.async_load()

    assert again.report("pd")["rejected_entries"] == 1
    assert again.observe("pd", [rejected(1, "bad")], [], NOW) is None


async def test_records_of_older_versions_become_counts(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """A store a junk feed once bloated with `!` records shrinks at the next start."""
    coordinator = entry.runtime_data.coordinator
    for n in range(3):
        coordinator.store.put(
            RequestRecord(
                key=f"wolcott-pd/!{n:016x}",
                publisher_id="wolcott-pd",
                request_id=None,
                revision=0,
                state="rejected",
                reasons=(Problem("signature", f'unknown kid "k{n}"'),),
                first_seen=NOW,
            )
        )
    assert len(coordinator.store) == 4

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    coordinator = entry.runtime_data.coordinator
    assert [r.request_id for r in coordinator.store] == ["wpd-2026-0412"]
    report = coordinator.rejections.report("wolcott-pd")
    assert report["rejected_entries"] == 3
    assert report["rejected_rules"] == {'signature: unknown kid "…"': 3}
