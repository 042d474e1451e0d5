"""Tampering with the audit log of a running home, as an attacker or a power cut would.

Each test acts on the real files Home Assistant wrote (the log under
`<config>/neighborhood_requests/<entry>/audit.jsonl`, its signed head under
`.storage/`) and asks `verify_audit_log`, the action an owner runs; a restart
(reload) shows what the home records when it finds the log altered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.protocol.audit import AuditLog
from custom_components.neighborhood_requests.protocol.audit_chain import (
    canonical_line,
    line_hash,
)
from custom_components.neighborhood_requests.protocol.jws import (
    SigningKey,
    generate_private_key,
)
from tests.integration.conftest import (  # noqa: F401  (fixtures)
    FeedServer,
    add_entry,
    auto_enable_custom_integrations,
    config_dir_in_tmp,
    feed_server,
    home,
    request_now,
)
from tests.protocol.factories import make_feed


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    feed_server: FeedServer,  # noqa: F811
    home: tuple[float, float],  # noqa: F811
) -> ConfigEntry:
    """A home that has audited a few verdicts (three requests)."""
    feed_server.serve(
        make_feed([request_now(id=f"wpd-{n}", revision=1) for n in range(3)])
    )
    return await add_entry(hass, feed_server.url, cameras=["camera.porch"])


def log_of(entry: ConfigEntry) -> Path:
    path: Path = entry.runtime_data.coordinator.audit_path
    return path


def lines(entry: ConfigEntry) -> list[bytes]:
    return log_of(entry).read_bytes().split(b"\n")[:-1]


def write_lines(entry: ConfigEntry, raw: list[bytes]) -> None:
    log_of(entry).write_bytes(b"".join(line + b"\n" for line in raw))


async def verify(hass: HomeAssistant, entry: ConfigEntry) -> dict[str, Any]:
    report: dict[str, Any] = await hass.services.async_call(
        DOMAIN,
        "verify_audit_log",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    return report


async def restart(hass: HomeAssistant, entry: ConfigEntry) -> None:
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def test_an_untouched_log_verifies(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    report = await verify(hass, entry)
    count = len(lines(entry))
    assert (report["ok"], report["entries"], report["expected_entries"]) == (
        True,
        count,
        count,
    )
    assert report["message"] == (
        f"The audit log verifies: {count} entries, each signed by this home, "
        "ending where its signed head says."
    )


async def test_dropping_the_tail_is_named_with_the_first_missing_line(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    raw = lines(entry)
    write_lines(entry, raw[:-2])
    report = await verify(hass, entry)
    assert (report["ok"], report["code"], report["first_broken_line"]) == (
        False,
        "truncated",
        len(raw) - 1,
    )
    assert report["message"] == (
        f"The audit log was cut short: it ends after entry {len(raw) - 2}, but its "
        f"signed head says {len(raw)}. Everything from line {len(raw) - 1} on is "
        "missing."
    )
    # Restarting does not make it clean: the home records what it found.
    await restart(hass, entry)
    report = await verify(hass, entry)
    assert (report["ok"], report["code"], report["first_broken_line"]) == (
        False,
        "incident",
        len(raw) - 1,
    )
    assert [i["type"] for i in report["incidents"]] == ["audit_log_mismatch"]


async def test_truncating_mid_line_is_a_torn_line_then_a_recorded_cut(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    path = log_of(entry)
    raw = lines(entry)
    keep = sum(len(line) + 1 for line in raw[:-1]) - 10
    with path.open("r+b") as handle:
        handle.truncate(keep)
    report = await verify(hass, entry)
    assert (report["code"], report["first_broken_line"]) == ("torn", len(raw) - 1)
    await restart(hass, entry)
    report = await verify(hass, entry)
    # The cut is found against the head before the torn bytes' repair is logged.
    assert (report["code"], report["first_broken_line"]) == ("incident", len(raw) - 1)
    assert report["incidents"][0]["type"] == "audit_log_mismatch"
    assert report["repairs"] == [{"line": len(raw), "type": "audit_log_repaired"}]


async def test_editing_the_last_line_names_it(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    raw = lines(entry)
    last = json.loads(raw[-1])
    last["event"]["state"] = "declined"
    raw[-1] = canonical_line(last)
    write_lines(entry, raw)
    report = await verify(hass, entry)
    assert (report["code"], report["first_broken_line"]) == (
        "line_changed",
        len(raw),
    )
    assert report["message"] == (
        f"Line {len(raw)} of the audit log was changed after this home wrote it."
    )


async def test_recomputing_the_chain_after_an_edit_still_names_the_edit(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    raw = lines(entry)
    entries = [json.loads(line) for line in raw]
    entries[1]["event"]["state"] = "shared"
    rewritten = [raw[0]]
    prev = line_hash(raw[0])
    for entry_ in entries[1:]:
        entry_["prev"] = prev
        line = canonical_line(entry_)
        rewritten.append(line)
        prev = line_hash(line)
    write_lines(entry, rewritten)
    report = await verify(hass, entry)
    assert (report["code"], report["first_broken_line"]) == ("line_changed", 2)


async def test_deleting_the_log_is_reported_before_and_after_a_restart(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    count = len(lines(entry))
    log_of(entry).unlink()
    report = await verify(hass, entry)
    assert (report["code"], report["first_broken_line"]) == ("missing", 1)
    await restart(hass, entry)
    report = await verify(hass, entry)
    assert (report["ok"], report["code"]) == (False, "incident")
    (incident,) = report["incidents"]
    assert incident["description"] == (
        "it was found missing when Home Assistant started: "
        f"{count} entries expected from the signed head, 0 found"
    )


async def test_replacing_the_log_with_a_forged_one_fails_at_line_one(
    hass: HomeAssistant, entry: ConfigEntry, tmp_path: Path
) -> None:
    forged = AuditLog(
        tmp_path / "forged.jsonl", key=SigningKey.from_private(generate_private_key())
    )
    for n in range(len(lines(entry))):
        forged.append({"type": "verdict", "request_id": f"wpd-{n}", "state": "ok"})
    log_of(entry).write_bytes((tmp_path / "forged.jsonl").read_bytes())
    report = await verify(hass, entry)
    assert (report["code"], report["first_broken_line"]) == ("line_changed", 1)


async def test_deleting_the_signed_head_is_reported(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    entry.runtime_data.coordinator.audit_head_path.unlink()
    report = await verify(hass, entry)
    assert report["code"] == "head_missing"
    await restart(hass, entry)
    report = await verify(hass, entry)
    assert [i["type"] for i in report["incidents"]] == ["audit_head_missing"]


async def test_a_torn_last_line_after_a_power_cut_is_repaired_and_recorded(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    count = len(lines(entry))
    with log_of(entry).open("ab") as handle:
        handle.write(b'{"event":{"type":"decision","request_id":"wpd-0"')
    report = await verify(hass, entry)
    assert (report["code"], report["first_broken_line"]) == ("torn", count + 1)
    await restart(hass, entry)
    report = await verify(hass, entry)
    assert report["ok"], report
    assert report["repairs"] == [{"line": count + 1, "type": "audit_log_repaired"}]
    torn = log_of(entry).with_name("audit.jsonl.torn")
    assert torn.read_bytes().startswith(b'{"event":{"type":"decision"')
