"""The owner's path through the real frontend, in the order an owner takes it.

Add the feed through the config flow (URL, the trust screen with the key's
fingerprint, the camera picker); see the request on the map; see the entities
on the feed's device page. Deciding happens in the "Video requests" panel
(`test_panel`). Screenshots of the key screens go to a scratch folder, or to
$E2E_SCREENSHOTS (docs/images/ for the README).

Tests later in the file reuse the entry an earlier one created; each makes it
over REST when run alone.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import time
from typing import Any

from playwright.async_api import Page, expect

from custom_components.neighborhood_requests.protocol.jws import fingerprint
from demo import feed, ha_config
from demo.ha_setup import wait_loaded
from demo.homeassistant import DOMAIN, HomeAssistantClient, request_pins
from demo.options_flow import configure_options
from demo.run import DEMO_OPTIONS

from .conftest import IMAGES

REQUEST_ID = "wpd-e2e-porch"
CASE = "WPD-26-E2E01"
WINDOW_S = 20
DELIVERY_TIMEOUT_S = 90


def _log(line: str) -> None:
    print(line)


async def _configure(
    stage: dict[str, Any], ha: HomeAssistantClient, entry_id: str
) -> None:
    """What the demo sets after its config flow: a LAN publisher, the recorder."""
    result = await configure_options(ha, entry_id, DEMO_OPTIONS, _log)
    assert not result.missing, result
    await wait_loaded(ha, entry_id)
    stage["entry_id"] = entry_id
    stage["recording_since"] = time.time()


async def linked(stage: dict[str, Any], ha: HomeAssistantClient) -> str:
    """The feed's entry; made over REST when the config-flow test did not run."""
    if "entry_id" not in stage:
        entry = await ha.run_config_flow(
            {
                "user": {"url": stage["feed_url"]},
                # Plain http on 127.0.0.1: the owner accepts both, as the demo does.
                "insecure": {"next_step_id": "insecure_accept"},
                "lan_publisher": {"allow_lan_publisher": True},
                "trust": {"trust": True},
                "home": {
                    "home": {
                        "latitude": feed.HOME[0],
                        "longitude": feed.HOME[1],
                        "radius": feed.HOME_RADIUS_M,
                    },
                    "cameras": [ha_config.CAMERA_ENTITY],
                },
            },
            _log,
        )
        await _configure(stage, ha, str(entry["entry_id"]))
    return str(stage["entry_id"])


async def published(stage: dict[str, Any], ha: HomeAssistantClient) -> str:
    """A request about footage the recorder has, published once and polled."""
    if "request_id" in stage:
        return str(stage["request_id"])
    entry_id = await linked(stage, ha)
    start = datetime.fromtimestamp(stage["recording_since"] + 8, UTC)
    end = start + timedelta(seconds=WINDOW_S)
    # The window must lie wholly in the past, and be on disk, when it is shared.
    await asyncio.sleep(max(0.0, end.timestamp() + 6 - time.time()))
    site = feed.Site(stage["site"])
    incident = feed.Incident(
        request_id=REQUEST_ID,
        type="package_theft",
        summary="A parcel was taken from a porch on Center Street.",
        case_number=CASE,
        lat=feed.HOME[0] + 0.0009,
        lon=feed.HOME[1] - 0.0006,
        radius_m=200.0,
    )
    request = feed.request_document(
        incident,
        site,
        issued_at=datetime.now(UTC),
        window_start=start.replace(microsecond=0),
        window_end=end.replace(microsecond=0),
    )
    publisher = feed.Publisher(
        Path(stage["publisher_dir"]), Path(stage["publisher_cli"])
    )
    publisher.write(site, [request])
    _log(publisher.sign())
    await ha.call(DOMAIN, "refresh", {"config_entry_id": entry_id})
    stage["request_id"] = REQUEST_ID
    return REQUEST_ID


async def test_add_the_feed_through_the_config_flow(
    page: Page, stage: dict[str, Any], ha: HomeAssistantClient
) -> None:
    jwk = json.loads(
        (Path(stage["publisher_dir"]) / "key" / "publisher.jwk.json").read_text()
    )
    await page.goto(f"{stage['ha_url']}/config/integrations/dashboard")
    await page.get_by_role("button", name="Add integration").click()
    # Type into the dialog's search field itself: keys the page gets before the
    # dialog has focus open Home Assistant's quick bar instead.
    await page.wait_for_function(
        """() => {
            let active = document.activeElement;
            while (active && active.shadowRoot && active.shadowRoot.activeElement) {
                active = active.shadowRoot.activeElement;
            }
            return active !== null && active.tagName === "INPUT";
        }"""
    )
    await page.keyboard.type("Neighborhood Requests")
    await page.get_by_text("Neighborhood Requests", exact=True).last.click()

    await page.locator("input[name=url]").fill(stage["feed_url"])
    await page.get_by_role("button", name="Submit").click()

    # The demo publisher speaks plain http: the flow names the risk first.
    await expect(page.get_by_text("This address is not encrypted")).to_be_visible()
    await page.get_by_text("Continue with http:// anyway").click()

    # The demo publisher listens on 127.0.0.1: the owner must allow that first.
    await expect(page.get_by_text("The feed is on your local network")).to_be_visible()
    await page.locator("ha-switch").click()
    await page.get_by_role("button", name="Submit").click()

    await expect(page.get_by_text("Trust this publisher?")).to_be_visible()
    await expect(page.get_by_text(fingerprint(jwk))).to_be_visible()
    await page.screenshot(path=IMAGES / "config-flow-trust.png")
    await page.locator("ha-switch").click()
    await page.get_by_role("button", name="Submit").click()

    await expect(page.get_by_text("Your home and cameras")).to_be_visible()
    await page.locator("ha-entities-picker ha-picker-field").first.click()
    await page.get_by_placeholder("Search", exact=True).fill(ha_config.CAMERA_NAME)
    await page.locator("ha-combo-box-item", has_text=ha_config.CAMERA_NAME).click()
    await page.get_by_role("button", name="Submit").click()

    # "Name and assign": the feed's device, named after the publisher.
    await page.get_by_role("button", name="Skip and finish").click()

    entries = await ha.entries()
    assert [e["title"] for e in entries] == [feed.PUBLISHER_NAME]
    await _configure(stage, ha, str(entries[0]["entry_id"]))


async def test_the_request_is_on_the_map(
    page: Page, stage: dict[str, Any], ha: HomeAssistantClient
) -> None:
    request_id = await published(stage, ha)
    pins = request_pins(await ha.states())
    assert request_id in pins, sorted(pins)
    pin = pins[request_id]
    await page.goto(f"{stage['ha_url']}/map")
    marker = page.locator(f"ha-entity-marker[entity-id='{pin['entity_id']}']")
    await expect(marker).to_be_visible()
    await page.screenshot(path=IMAGES / "map.png")


async def test_the_device_page_shows_the_entities(
    page: Page, stage: dict[str, Any], ha: HomeAssistantClient
) -> None:
    entry_id = await linked(stage, ha)
    devices = await ha.ws({"type": "config/device_registry/list"})
    device = next(d for d in devices if entry_id in d["config_entries"])
    entities = await ha.ws({"type": "config/entity_registry/list"})
    ours = [
        e
        for e in entities
        if e["device_id"] == device["id"] and not e.get("disabled_by")
    ]
    assert ours
    names = {
        s["entity_id"]: s["attributes"].get("friendly_name") for s in await ha.states()
    }
    await page.goto(f"{stage['ha_url']}/config/devices/device/{device['id']}")
    await expect(page.get_by_text(device["name"]).first).to_be_visible()
    for entity in ours:
        full = names.get(entity["entity_id"]) or ""
        shown = full.removeprefix(device["name"]).strip() or full
        await expect(page.get_by_text(shown).first).to_be_visible()
    await page.screenshot(path=IMAGES / "device.png", full_page=True)
