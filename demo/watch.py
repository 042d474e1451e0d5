"""The interactive demo once it is ready: URLs, the bot, the footage request, status.

After `--footage-seconds` of footage recorded by Home Assistant itself, the
publisher adds a request whose window lies inside that footage, and the demo
says when the home shows it (a pin on the map) or why it refused it. Then it
keeps printing one status line every few seconds until Ctrl-C.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import os
import time

import aiohttp

from demo import bot, feed, footage, ha_config, homeassistant as ha, report
from demo.console import say
from demo.processes import Supervisor
from demo.run import Running, check_children

STATUS_EVERY_S = 10.0
PIN_TIMEOUT_S = 120.0
# How long to wait for the first recorded segment before publishing anyway.
FOOTAGE_WAIT_S = 90.0


def print_ready(running: Running, elapsed: float) -> None:
    owner = running.owner
    url = running.ha_url
    for line in (
        f"ready after {elapsed:.1f} s",
        f"  Home Assistant   {url}/  (map: {url}/map)",
        f"  owner login      {owner.username} / {owner.password}",
        f"  publisher feed   {running.site.feed_url}",
        f"  upload inbox     {running.site.inbox_url}  "
        f"(files: {running.layout.inbox}/)",
        f"  camera stream    {running.camera_url}  ({ha_config.CAMERA_ENTITY})",
        f"  logs             {running.layout.logs}/",
    ):
        say(line)


async def watch(running: Running, supervisor: Supervisor, footage_s: float) -> int:
    """Publish the footage request when due; a status line meanwhile. Never returns."""
    client = running.client
    optional: frozenset[str] = frozenset()
    if token := os.environ.get("TELEGRAM_BOT_TOKEN"):
        for line in await bot.start(running, supervisor, token):
            say(line)
        optional = frozenset({bot.NAME})
    else:
        say("  companion bot    set TELEGRAM_BOT_TOKEN to start it as well")
    say("Ctrl-C stops everything.")
    await report.print_verdicts(client, running.entry_id)
    first: datetime | None = None
    due: datetime | None = None
    published: str | None = None
    published_at = 0.0
    next_status = 0.0
    while True:
        check_children(supervisor, optional)
        now = datetime.now(UTC)
        if first is None:
            first = _first_footage(running, now)
            if first is not None:
                due = footage.due(first, timedelta(seconds=footage_s))
                say(
                    f"publishing a request about the recorded footage at "
                    f"{due:%H:%M:%S} UTC (in {(due - now).total_seconds():.0f} s)"
                )
        try:
            if published is None and first is not None and due is not None:
                if now >= due:
                    published = await _publish(running, first, now)
                    published_at = time.monotonic()
            elif published is not None and published_at:
                if await report.look_for(client, published):
                    await report.print_verdicts(client, running.entry_id)
                    published_at = 0.0
                elif time.monotonic() - published_at > PIN_TIMEOUT_S:
                    say(f"request {published} not seen in {PIN_TIMEOUT_S:.0f} s")
                    published_at = 0.0
        except (aiohttp.ClientError, ha.FlowError) as err:
            # Home Assistant restarting, or briefly busy: try again next turn.
            say(f"Home Assistant did not answer: {err}")
        if time.monotonic() >= next_status:
            say(await report.status_line(client, running.layout, running.site))
            next_status = time.monotonic() + STATUS_EVERY_S
        await asyncio.sleep(1.0)


def _first_footage(running: Running, now: datetime) -> datetime | None:
    """The recorder's first segment; the camera's start once waiting is pointless."""
    recordings = running.layout.recordings(ha_config.CAMERA_ENTITY)
    found = footage.recorded(recordings, since=running.camera_started)
    if found is not None:
        say(
            f"Home Assistant records {ha_config.CAMERA_ENTITY} since "
            f"{found.first:%H:%M:%S} UTC"
        )
        return found.first
    if (now - running.camera_started).total_seconds() < FOOTAGE_WAIT_S:
        return None
    say(
        f"warning: Home Assistant recorded nothing of {ha_config.CAMERA_ENTITY} in "
        f"{FOOTAGE_WAIT_S:.0f} s (no segments under {recordings}); "
        "the request is published about the camera's stream anyway, and a share "
        "will find no footage"
    )
    return running.camera_started


async def _publish(running: Running, first: datetime, now: datetime) -> str:
    start, end = footage.window(first, now)
    request = feed.footage_request(now, start, end, running.site)
    await running.publish([request])
    say(
        f"published request {request['id']} ({request['incident']['type']}, "
        f"window {start:%H:%M:%S} .. {end:%H:%M:%S} UTC)"
    )
    return str(request["id"])
