"""What the demo prints about the home while it runs: verdicts, arrivals, status.

Everything here is read from Home Assistant's public state and actions, the
publisher's inbox listing (with the publisher's admin token, which the demo
runs) and the files on disk, the way an onlooker would.
"""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp

from demo import camera, feed, footage, ha_config, homeassistant as ha
from demo.console import say
from demo.layout import Layout
from publisher.server import ADMIN_TOKEN_FILE


async def print_verdicts(client: ha.HomeAssistantClient, entry_id: str | None) -> None:
    """What the home made of the feed so far, from its transparency report."""
    answer = await client.post(
        f"/api/services/{ha.DOMAIN}/transparency_report?return_response",
        {"config_entry_id": entry_id},
    )
    report = answer.get("service_response", {}).get("publishers", {})
    for publisher, counts in report.items():
        shown = {k: v for k, v in counts.items() if isinstance(v, int) and v}
        say(f"home's verdicts for {publisher}: {shown}")
        for reason, count in counts.get("rejected_reasons", {}).items():
            say(f"  rejected x{count}: {reason}")


async def look_for(client: ha.HomeAssistantClient, request_id: str) -> bool:
    """True once the request is a pin, or once the home recorded a verdict."""
    states = await client.states()
    pin = ha.request_pins(states).get(request_id)
    if pin is not None:
        say(
            f"request {request_id} is on the map as {pin['entity_id']} "
            f"({pin['state']} km from home)"
        )
        return True
    event = ha.integration_states(states).get("event")
    if event is not None and event["attributes"].get("request_id") == request_id:
        attributes = event["attributes"]
        if attributes.get("event_type") == "rejected":
            reasons = "; ".join(attributes.get("reasons", []))
            say(f"request {request_id} arrived but was REJECTED: {reasons}")
            return True
    return False


async def status_line(
    client: ha.HomeAssistantClient, layout: Layout, site: feed.Site
) -> str:
    """Camera, requests, inbox and recorder in one line."""
    age = camera.newest_segment_age(layout.camera)
    cam = "no segments" if age is None else f"live ({age:.0f} s)"
    if age is not None and age > 3 * camera.SEGMENT_SECONDS:
        cam = f"STALLED ({age:.0f} s)"
    try:
        states = await client.states()
        found = ha.integration_states(states)
        pending = found.get("pending", {}).get("state", "?")
        pins = len(ha.request_pins(states))
    except aiohttp.ClientError, ha.FlowError:
        pending, pins = "?", 0
    try:
        # The listing is the publisher's own view: it takes the admin token.
        token = (layout.inbox / ADMIN_TOKEN_FILE).read_text(encoding="utf-8").strip()
        async with client.session.get(
            site.inbox_url, headers={"Authorization": f"Bearer {token}"}
        ) as response:
            response.raise_for_status()
            uploads = len(await response.json())
    except aiohttp.ClientError, ValueError, OSError:
        uploads = -1
    recorded = footage.recorded(layout.recordings(ha_config.CAMERA_ENTITY))
    recorder = (
        "no segments yet"
        if recorded is None
        else f"{recorded.count} segments, newest started "
        f"{(datetime.now(UTC) - recorded.newest).total_seconds():.0f} s ago"
    )
    return (
        f"[{datetime.now(UTC):%H:%M:%S}Z] camera {cam} | "
        f"pending {pending}, map pins {pins} | inbox {uploads} uploads | "
        f"recorder: {recorder}"
    )
