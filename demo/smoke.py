"""`scripts/demo --smoke`: the whole product, end to end, as separate processes.

Headless and from an empty folder (`.demo/smoke/`), each step named so a failure
says where it stopped and why:

  options   the options flow allowed the loopback inbox and chose the recorder
  frontend  the frontend's page loads and the websocket commands it starts
            with all answer
  home key  the home's key id, from Home Assistant's diagnostics
  footage   Home Assistant's own recorder wrote `--footage-seconds` of footage
  publish   two requests about that footage, signed into the served feed,
            both pending in the home
  window recorded  the recorder closed the segment holding the window's end
  share     the owner shares one through the REST API (`respond`)
  decline   and declines the other
  delivery  the shared clip arrives in the publisher's inbox
  verify    manifest signed by the home's key, naming the camera by its label,
            SHA-256 and length, the clip covers the window (ffprobe and the
            camera's time code)
  declined  nothing arrived for the declined request; the home says declined
  audit     the audit log's hash chain verifies
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import shutil
import time
from typing import Any

import aiohttp

from demo import clip_check, feed, footage, ha_config, homeassistant as ha, timecode
from demo.clip_check import CheckFailed, Expected, Upload
from demo.console import say
from demo.processes import Supervisor
from demo.run import Running, check_children
from publisher.server import ADMIN_TOKEN_FILE

SMOKE_FOOTAGE_S = 50.0
# After "ready": the issue asks for the whole smoke within 6 minutes once set up.
BUDGET_S = 300.0
FIRST_SEGMENT_TIMEOUT_S = 90.0
PENDING_TIMEOUT_S = 60.0
DELIVERY_TIMEOUT_S = 120.0
LOOPBACK_OPTION = "allow_lan_publisher"


class SmokeFailed(Exception):
    """One step failed; `step` names it."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


@dataclass
class Steps:
    """Names the running step and times it, so every failure carries a step."""

    current: str = "start"
    timings: dict[str, float] = field(default_factory=dict)

    @contextlib.asynccontextmanager
    async def step(self, name: str) -> AsyncIterator[None]:
        self.current = name
        began = time.monotonic()
        try:
            yield
        except (
            CheckFailed,
            timecode.TimecodeError,
            ha.FlowError,
            aiohttp.ClientError,
            RuntimeError,  # a process of the demo exited
            OSError,
            ValueError,
        ) as err:
            raise SmokeFailed(name, str(err) or type(err).__name__) from err
        self.timings[name] = time.monotonic() - began
        say(f"smoke: {name} ok ({self.timings[name]:.1f} s)")


@dataclass(frozen=True, slots=True)
class Published:
    share: dict[str, Any]
    decline: dict[str, Any]
    start: datetime
    end: datetime


async def run(
    running: Running, supervisor: Supervisor, footage_s: float, steps: Steps
) -> None:
    """Every step in order; raises SmokeFailed at the first that fails."""
    client = running.client
    entry_id = running.entry_id
    if entry_id is None or running.options is None:
        raise SmokeFailed("options", "no config entry was created")
    async with steps.step("options"):
        if LOOPBACK_OPTION in running.options.missing:
            raise SmokeFailed(
                "options",
                f"no options step offers {LOOPBACK_OPTION!r} (walked "
                f"{list(running.options.steps)}): the home must refuse the inbox's "
                f"http://127.0.0.1 upload URL",
            )
        diagnostics = await client.diagnostics(entry_id)
        options = diagnostics.get("entry", {}).get("options", {})
        if options.get(LOOPBACK_OPTION) is not True:
            raise SmokeFailed(
                "options", f"{LOOPBACK_OPTION} is not saved in the entry's options"
            )
    async with steps.step("frontend"):
        # The frontend's first calls: a failing one leaves the owner's browser
        # on an endless loading screen.
        async with client.session.get(f"{client.base_url}/") as response:
            if response.status != 200 or "<html" not in (await response.text()):
                raise SmokeFailed(
                    "frontend", f"GET / answered HTTP {response.status}, not the app"
                )
        for command in ("get_services", "get_config", "get_states"):
            await client.ws({"type": command})
    async with steps.step("home key"):
        kid = diagnostics.get("home_key", {}).get("kid")
        if not isinstance(kid, str):
            raise SmokeFailed("home key", "diagnostics name no home_key.kid")
    async with steps.step("footage"):
        first = await _wait_for_footage(running, supervisor, footage_s)
    async with steps.step("publish"):
        published = await _publish(running, first)
        await _wait_pending(running, [published.share["id"], published.decline["id"]])
    async with steps.step("window recorded"):
        await _wait_window_recorded(running, supervisor, published.end)
    async with steps.step("share"):
        await _respond(running, published.share["id"], "share")
    async with steps.step("decline"):
        await _respond(running, published.decline["id"], "decline")
    async with steps.step("delivery"):
        upload = await _wait_for_upload(running, supervisor, published.share["id"])
    async with steps.step("verify"):
        _verify(upload, published, kid)
    async with steps.step("declined"):
        await _check_declined(running, published.decline["id"])
    async with steps.step("audit"):
        answer = await client.post(
            f"/api/services/{ha.DOMAIN}/verify_audit_log?return_response",
            {"config_entry_id": entry_id},
        )
        result = answer.get("service_response", {})
        if not result.get("ok") or not result.get("entries"):
            raise SmokeFailed("audit", f"audit log does not verify: {result}")


async def _wait_for_footage(
    running: Running, supervisor: Supervisor, footage_s: float
) -> datetime:
    recordings = running.layout.recordings(ha_config.CAMERA_ENTITY)
    deadline = time.monotonic() + FIRST_SEGMENT_TIMEOUT_S
    while (found := footage.recorded(recordings, running.camera_started)) is None:
        check_children(supervisor)
        if time.monotonic() > deadline:
            raise SmokeFailed(
                "footage",
                f"Home Assistant recorded nothing of {ha_config.CAMERA_ENTITY} in "
                f"{FIRST_SEGMENT_TIMEOUT_S:.0f} s (no segments in {recordings}; "
                "is the built-in recorder wired to runtime_data.exporter?)",
            )
        await asyncio.sleep(1.0)
    due = footage.due(found.first, timedelta(seconds=footage_s))
    say(f"smoke: recording since {found.first:%H:%M:%S}, window due {due:%H:%M:%S}")
    while datetime.now(UTC) < due:
        check_children(supervisor)
        await asyncio.sleep(1.0)
    return found.first


async def _wait_window_recorded(
    running: Running, supervisor: Supervisor, end: datetime
) -> None:
    """Until a segment starts after the window: the one holding its end is closed.

    ffmpeg's segment muxer finishes a file before it opens the next, so the export
    finds the whole window instead of reporting its tail as missing.
    """
    recordings = running.layout.recordings(ha_config.CAMERA_ENTITY)
    deadline = time.monotonic() + PENDING_TIMEOUT_S
    while (found := footage.recorded(recordings)) is None or found.newest <= end:
        check_children(supervisor)
        if time.monotonic() > deadline:
            raise SmokeFailed(
                "window recorded",
                f"no segment after the window's end {end:%H:%M:%S} in {recordings}",
            )
        await asyncio.sleep(0.5)


async def _publish(running: Running, first: datetime) -> Published:
    now = datetime.now(UTC)
    start, end = footage.window(first, now)
    share = feed.footage_request(now, start, end, running.site, suffix="-s")
    decline = feed.footage_request(
        now, start, end, running.site, kind=feed.MAILBOX, suffix="-d"
    )
    await running.publish([share, decline])
    say(
        f"smoke: published {share['id']} and {decline['id']}, window "
        f"{start:%H:%M:%S} .. {end:%H:%M:%S} UTC"
    )
    return Published(share, decline, start, end)


async def _wait_pending(running: Running, request_ids: list[str]) -> None:
    assert running.entry_id is not None
    deadline = time.monotonic() + PENDING_TIMEOUT_S
    while True:
        diagnostics = await running.client.diagnostics(running.entry_id)
        pending = {p.get("request_id") for p in diagnostics.get("pending", [])}
        if pending >= set(request_ids):
            return
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(1.0)
    answer = await running.client.post(
        f"/api/services/{ha.DOMAIN}/transparency_report?return_response",
        {"config_entry_id": running.entry_id},
    )
    publishers = answer.get("service_response", {}).get("publishers", {})
    reasons = publishers.get(feed.PUBLISHER_ID, {}).get("rejected_reasons", {})
    raise SmokeFailed(
        "publish",
        f"{sorted(set(request_ids) - pending)} not pending after "
        f"{PENDING_TIMEOUT_S:.0f} s; the home's rejection reasons so far: {reasons}",
    )


async def _respond(running: Running, request_id: str, decision: str) -> None:
    """The owner's decision through the REST API, as an automation would send it."""
    body: dict[str, Any] = {
        "config_entry_id": running.entry_id,
        "request_id": request_id,
        "decision": decision,
    }
    if decision == "share":
        body["cameras"] = [ha_config.CAMERA_ENTITY]
    try:
        await running.client.post(f"/api/services/{ha.DOMAIN}/respond", body)
    except ha.FlowError as err:
        raise SmokeFailed(decision, f"Home Assistant refused: {err}") from err


async def _wait_for_upload(
    running: Running, supervisor: Supervisor, request_id: str
) -> Upload:
    deadline = time.monotonic() + DELIVERY_TIMEOUT_S
    while not (uploads := clip_check.uploads_for(running.layout.inbox, request_id)):
        check_children(supervisor)
        state = await _delivery_state(running, request_id)
        if state is not None and state.get("state") == "failed":
            raise SmokeFailed(
                "delivery", f"Home Assistant gave up delivering: {state.get('reason')}"
            )
        if time.monotonic() > deadline:
            raise SmokeFailed(
                "delivery",
                f"no clip for {request_id} in {running.layout.inbox} after "
                f"{DELIVERY_TIMEOUT_S:.0f} s; Home Assistant's delivery state: "
                f"{state or 'none recorded'}",
            )
        await asyncio.sleep(1.0)
    if len(uploads) != 1:
        raise SmokeFailed("delivery", f"{len(uploads)} clips for one camera")
    return uploads[0]


async def _decided(running: Running, request_id: str) -> dict[str, Any] | None:
    """The request as Home Assistant's chat subscription shows it after a decision."""
    event = await running.client.ws(
        {"type": f"{ha.DOMAIN}/subscribe"}, first_event=True
    )
    for item in (event or {}).get("decided", []):
        if item.get("request_id") == request_id:
            found: dict[str, Any] = item
            return found
    return None


async def _delivery_state(running: Running, request_id: str) -> dict[str, Any] | None:
    decided = await _decided(running, request_id)
    deliveries = (decided or {}).get("deliveries") or []
    return deliveries[0] if deliveries else None


def _verify(upload: Upload, published: Published, home_key_id: str) -> None:
    expected = Expected(
        request_id=published.share["id"],
        publisher_id=feed.PUBLISHER_ID,
        camera=ha_config.CAMERA_LABEL,
        home_key_id=home_key_id,
    )
    manifest = clip_check.check_manifest(upload, expected)
    if ha_config.CAMERA_ENTITY.encode() in upload.clip.read_bytes():
        raise CheckFailed("the clip names the camera's entity id")
    if upload.receipt.get("sha256") != manifest.sha256.lower():
        raise CheckFailed("the inbox's receipt names another SHA-256")
    ffprobe = shutil.which("ffprobe") or "/usr/bin/ffprobe"
    ffmpeg = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
    found = clip_check.probe(ffprobe, upload.clip)
    clip_check.check_probe(found, published.start, published.end)
    times = timecode.read_clip(ffmpeg, str(upload.clip), published.start)
    lag = clip_check.check_timecode(
        times, found.duration, published.start, published.end
    )
    window = (published.end - published.start).total_seconds()
    say(
        f"smoke: clip {manifest.bytes} bytes, sha256 {manifest.sha256[:16]}..., "
        f"{found.duration:.2f} s for a {window:.0f} s window; camera time "
        f"{clip_check.clock(times.first)} .. {clip_check.clock(times.last)} "
        f"(starts {lag:.1f} s before "
        "the window: keyframe rounding plus stream latency)"
    )


async def _check_declined(running: Running, request_id: str) -> None:
    uploads = clip_check.uploads_for(running.layout.inbox, request_id)
    # The listing is the publisher's own view: it takes the admin token.
    token = (running.layout.inbox / ADMIN_TOKEN_FILE).read_text(encoding="utf-8")
    async with running.client.session.get(
        running.site.inbox_url, headers={"Authorization": f"Bearer {token.strip()}"}
    ) as response:
        response.raise_for_status()
        listed = [r for r in await response.json() if r["request_id"] == request_id]
    if uploads or listed:
        raise SmokeFailed("declined", f"the inbox holds a clip for {request_id}")
    decided = await _decided(running, request_id)
    if decided is None:
        raise SmokeFailed(
            "declined", f"Home Assistant lists no recent decision on {request_id}"
        )
    if decided.get("state") != "declined":
        raise SmokeFailed(
            "declined", f"Home Assistant shows {request_id} as {decided.get('state')}"
        )
