"""A power cut at every step of a share: SIGKILL a real `hass`, restart it, compare.

The fault acts as a power cut would: Home Assistant (started by the demo's own
machinery, with this integration set up through its config and options flows) is
killed with SIGKILL while a share is at one exact step, then started again. The
step is held from outside the product: a Frigate stand-in that holds the clip
before or half-way through sending it, a proxy before the publisher's real inbox
(the reference publisher, its own process) that stalls the upload or holds the
inbox's answer back, and the audit log on disk, watched for the decision line.

After each restart the request record, the outbox and the inbox must agree, the
inbox must hold exactly one clip, the audit log must hold exactly one decision and
verify, and a Decline must be refused as already decided.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import json
import os
from pathlib import Path
import signal
import time
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from demo import deps, feed, ha_config, ha_setup, homeassistant as ha, ports, standins
from demo.layout import Layout
from demo.options_flow import configure_options
from demo.processes import Child, Supervisor
from demo.state import State
from tests.export.footage import Assets, make_assets
from tests.export.frigate_standin import FrigateStandIn, Recording

from .holding_proxy import HOLD, PASS, STALL, HoldingProxy

pytestmark = pytest.mark.kill

REPO = Path(__file__).resolve().parents[2]
CAMERA = ha_config.CAMERA_ENTITY
STEP_TIMEOUT_S = 120.0
START_TIMEOUT_S = 600.0  # a fresh machine installs Home Assistant's packages first

STEPS = (
    "after the decision",
    "during the export",
    "during the upload",
    "after the inbox accepted",
    "before the outbox recorded the answer",
)


class HeldFrigate(FrigateStandIn):
    """Frigate that can hold a clip before its first byte or half-way through."""

    hold: str | None = None
    holding: asyncio.Event
    release: asyncio.Event

    async def __aenter__(self) -> HeldFrigate:
        self.holding = asyncio.Event()
        self.release = asyncio.Event()
        await super().__aenter__()
        return self

    async def _clip(self, request: web.Request, _body: None) -> web.StreamResponse:
        hold, self.hold = self.hold, None
        if hold is None:
            return await super()._clip(request, _body)
        recording = self.recordings[request.match_info["camera_name"]]
        data = recording.clip.read_bytes()
        response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
        response.content_length = len(data)
        if hold == "before":
            self.holding.set()
            await self.release.wait()
            return response
        await response.prepare(request)
        await response.write(data[: len(data) // 2])
        self.holding.set()
        await self.release.wait()
        return response


@dataclass
class Stack:
    """The processes and servers of one run, and how to reach each."""

    layout: Layout
    supervisor: Supervisor
    session: aiohttp.ClientSession
    publisher: feed.Publisher
    site: feed.Site
    proxy: HoldingProxy
    frigate: HeldFrigate
    port: int
    camera_url: str
    state: State
    client: ha.HomeAssistantClient | None = None
    entry_id: str = ""
    published: list[dict[str, Any]] = field(default_factory=list)

    @property
    def hass(self) -> Child:
        (child,) = [c for c in self.supervisor.children if c.name == "home-assistant"]
        return child

    @property
    def storage(self) -> Path:
        return self.layout.ha / ".storage"

    @property
    def audit_log(self) -> Path:
        return self.layout.ha / "neighborhood_requests" / self.entry_id / "audit.jsonl"

    async def start_hass(self) -> ha.HomeAssistantClient:
        client, self.state = await ha_setup.start_home_assistant(
            self.session,
            self.layout,
            self.supervisor,
            ha_setup.Start(self.port, self.camera_url, self.state, lambda: 0.0),
        )
        self.client = client
        return client

    def kill_hass(self) -> None:
        """SIGKILL the whole process group: no shutdown, no final write."""
        child = self.hass
        os.killpg(child.pid, signal.SIGKILL)
        child.process.wait(timeout=30)
        self.supervisor.forget(child)

    async def publish(self, request_id_suffix: str) -> dict[str, Any]:
        now = datetime.now(UTC).replace(microsecond=0)
        request = feed.footage_request(
            now,
            now - timedelta(minutes=10),
            now - timedelta(minutes=8),
            self.site,
            suffix=request_id_suffix,
        )
        self.published.append(request)
        self.publisher.write(self.site, [request])
        self.publisher.sign()
        assert self.client is not None
        await self.client.call(ha.DOMAIN, "refresh", {"config_entry_id": self.entry_id})
        return request

    def stored(self, suffix: str) -> Any:
        path = self.storage / f"neighborhood_requests.{self.entry_id}{suffix}"
        return json.loads(path.read_text())["data"] if path.exists() else None

    def receipts(self, request_id: str) -> list[Path]:
        return sorted(self.publisher.inbox.glob(f"{request_id}/*/*/receipt.json"))

    def audit_events(self, request_id: str) -> list[dict[str, Any]]:
        if not self.audit_log.exists():
            return []
        found = []
        for line in self.audit_log.read_bytes().splitlines():
            with contextlib.suppress(ValueError):
                event = json.loads(line)["event"]
                if event.get("request_id") == request_id:
                    found.append(event)
        return found


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Assets:
    return make_assets(tmp_path_factory.mktemp("footage"))


@pytest.fixture
async def stack(
    socket_enabled: None, tmp_path: Path, assets: Assets
) -> AsyncIterator[Stack]:
    layout = Layout(REPO, base=tmp_path / "kill")
    layout.create()
    wanted = deps.plan(ha_config.CONFIGURED_DOMAINS)
    done = deps.ensure(layout.deps, wanted, layout.venv_bin / "pip")
    standins.write(layout.standins, done.skipped)
    supervisor = Supervisor(registry=layout.root / "children.json")
    ha_port = ports.pick(29123)
    publisher_port = ports.pick(29780, avoid={ha_port})
    publisher = feed.Publisher(
        layout.publisher, layout.venv_bin / "neighborhood-requests-feed"
    )
    now = datetime.now(UTC)
    frigate = HeldFrigate(
        {
            "front_door": Recording(
                assets.clip_faststart,
                (now - timedelta(hours=1)).timestamp(),
                (now + timedelta(hours=1)).timestamp(),
            )
        }
    )
    proxy = HoldingProxy(publisher_port)
    async with aiohttp.ClientSession() as session, frigate:
        await proxy.start()
        site = feed.Site(f"http://127.0.0.1:{proxy.port}")
        try:
            publisher.keygen()
            publisher.write(site, [])
            publisher.sign()
            supervisor.start(
                "publisher",
                publisher.serve_argv(publisher_port),
                log=layout.logs / "publisher.log",
            )
            await _until(lambda: _answers(session, site.feed_url), "the publisher")
            yield Stack(
                layout,
                supervisor,
                session,
                publisher,
                site,
                proxy,
                frigate,
                ha_port,
                # A camera entity to link; its footage comes from Frigate.
                "http://127.0.0.1:9/unused.m3u8",
                State.load(layout.state),
            )
        finally:
            frigate.release.set()
            await proxy.close()
            supervisor.stop_all()


async def test_sigkill_at_every_step_of_a_share_loses_and_repeats_nothing(
    stack: Stack,
) -> None:
    client = await stack.start_hass()
    entry_id, stack.state = await ha_setup.link_feed(
        client, stack.site, stack.layout, stack.state
    )
    stack.entry_id = entry_id
    options = await configure_options(
        client,
        entry_id,
        {
            "allow_lan_publisher": True,
            "backend": "frigate",
            "frigate_url": stack.frigate.url,
        },
        lambda _line: None,
    )
    assert not options.missing, options
    await ha_setup.wait_loaded(client, entry_id)

    for number, step in enumerate(STEPS):
        request = await stack.publish(f"-k{number}")
        request_id = request["id"]
        await _until(
            lambda rid=request_id: _pending(stack, rid), f"{step}: request pending"
        )
        await _kill_at(stack, step, request_id)
        stack.frigate.hold = None
        stack.frigate.release.set()
        stack.proxy.mode = PASS
        stack.proxy.drop()
        client = await stack.start_hass()
        await ha_setup.wait_loaded(client, entry_id)
        stack.frigate.release = asyncio.Event()
        stack.frigate.holding = asyncio.Event()
        await _check_one_story(stack, step, request_id)


async def _kill_at(stack: Stack, step: str, request_id: str) -> None:
    """Start the share, hold it at `step` from outside, then pull the plug."""
    frigate, proxy = stack.frigate, stack.proxy
    uploads_before = len(proxy.uploads)
    if step == "after the decision":
        frigate.hold = "before"
    elif step == "during the export":
        frigate.hold = "mid"
    elif step == "during the upload":
        proxy.mode = STALL
    else:
        proxy.mode = HOLD
    assert stack.client is not None
    share = asyncio.create_task(
        stack.client.call(
            ha.DOMAIN,
            "respond",
            {
                "config_entry_id": stack.entry_id,
                "request_id": request_id,
                "decision": "share",
                "cameras": [CAMERA],
            },
        )
    )
    try:
        if step in ("after the decision", "during the export"):
            await _until(
                lambda: _true(
                    frigate.holding.is_set()
                    and any(
                        e["type"] == "decision" for e in stack.audit_events(request_id)
                    )
                ),
                f"{step}: decision on disk and export held",
            )
            if step == "after the decision":
                assert not any(
                    e["type"] == "export" for e in stack.audit_events(request_id)
                )
        else:
            await _until(
                lambda: _true(len(proxy.uploads) > uploads_before),
                f"{step}: upload started",
            )
            upload = proxy.uploads[uploads_before]
            held = upload.stalled if step == "during the upload" else upload.answered
            await asyncio.wait_for(held.wait(), STEP_TIMEOUT_S)
            if step == "during the upload":
                assert not stack.receipts(request_id), "the inbox stored a half clip"
            else:
                assert len(stack.receipts(request_id)) == 1, "the inbox has no clip"
            if step == "before the outbox recorded the answer":
                # Freeze Home Assistant, let the answer reach its socket, then
                # kill it before it could read the answer and record it.
                os.killpg(stack.hass.pid, signal.SIGSTOP)
                upload.release.set()
                await asyncio.wait_for(upload.delivered.wait(), STEP_TIMEOUT_S)
                await asyncio.sleep(0.2)
        outbox = stack.stored(".outbox") or {"entries": []}
        delivered_before = [
            e
            for e in outbox["entries"]
            if e["request_id"] == request_id and e["state"] == "delivered"
        ]
        assert not delivered_before, f"{step}: delivered before the kill"
        stack.kill_hass()
    finally:
        share.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await share


async def _check_one_story(stack: Stack, step: str, request_id: str) -> None:
    """Record, outbox and inbox agree; one clip, one decision; Decline refused."""

    async def delivered() -> bool:
        outbox = stack.stored(".outbox") or {"entries": []}
        mine = [e for e in outbox["entries"] if e["request_id"] == request_id]
        return bool(mine) and all(e["state"] == "delivered" for e in mine)

    await _until(delivered, f"{step}: the outbox records the clip as delivered")

    async def recorded() -> bool:
        record = (
            (stack.stored("") or {})
            .get("requests", {})
            .get(f"{feed.PUBLISHER_ID}/{request_id}")
        )
        return bool(record) and [d["state"] for d in record["deliveries"]] == [
            "delivered"
        ]

    await _until(recorded, f"{step}: the record shows the delivery")
    record = stack.stored("")["requests"][f"{feed.PUBLISHER_ID}/{request_id}"]
    assert record["state"] == "shared", step
    assert record["decision"]["decision"] == "share", step
    assert record["decision"]["cameras"] == [CAMERA], step
    outbox = [
        e for e in stack.stored(".outbox")["entries"] if e["request_id"] == request_id
    ]
    assert len(outbox) == 1, step
    receipts = stack.receipts(request_id)
    assert len(receipts) == 1, f"{step}: {len(receipts)} clips in the inbox"
    receipt = json.loads(receipts[0].read_text())
    assert receipt["sha256"] == outbox[0]["sha256"] == record["deliveries"][0]["sha256"]

    events = stack.audit_events(request_id)
    decisions = [e for e in events if e["type"].startswith("decision")]
    assert [(e["type"], e["decision"]) for e in decisions] == [("decision", "share")], (
        step,
        decisions,
    )
    assert stack.client is not None
    with pytest.raises(ha.FlowError, match="already been decided"):
        await stack.client.call(
            ha.DOMAIN,
            "respond",
            {
                "config_entry_id": stack.entry_id,
                "request_id": request_id,
                "decision": "decline",
            },
        )
    answer = await stack.client.post(
        f"/api/services/{ha.DOMAIN}/verify_audit_log?return_response",
        {"config_entry_id": stack.entry_id},
    )
    report = answer["service_response"]
    assert report["ok"], (step, report)
    assert [
        e for e in stack.audit_events(request_id) if e["type"].startswith("decision")
    ] == decisions, f"{step}: the refused Decline reached the audit log as a decision"


async def _pending(stack: Stack, request_id: str) -> bool:
    assert stack.client is not None
    diagnostics = await stack.client.diagnostics(stack.entry_id)
    return request_id in {p.get("request_id") for p in diagnostics.get("pending", [])}


async def _answers(session: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with session.get(url) as response:
            return response.status == 200
    except aiohttp.ClientError:
        return False


async def _true(value: bool) -> bool:
    return value


async def _until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)
