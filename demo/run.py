"""`scripts/demo`: publisher, camera and Home Assistant, started and watched.

The order is the order of dependence: the publisher's feed and the camera stream
must answer before Home Assistant's config flow fetches the one and links the
other. Then the demo waits for footage, publishes a request about it and watches
it arrive. Ctrl-C (or SIGTERM) stops every process it started.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
import os
from pathlib import Path
import shutil
import time
from typing import Any

import aiohttp

from demo import camera, deps, feed, ha_config, homeassistant as ha, ports, report
from demo.console import say
from demo.layout import Layout
from demo.processes import Supervisor
from demo.state import State

STATUS_EVERY_S = 10.0
HA_START_TIMEOUT_S = 300.0
PIN_TIMEOUT_S = 120.0
RESTART_EXIT_CODE = 100


class Demo:
    """One run: the processes, the HTTP clients and what they found."""

    def __init__(
        self, args: argparse.Namespace, layout: Layout, supervisor: Supervisor
    ) -> None:
        self.args = args
        self.layout = layout
        self.supervisor = supervisor
        self.state = State.load(layout.state)
        self.started = time.monotonic()
        self.publisher = feed.Publisher(
            layout.publisher, layout.venv_bin / "neighborhood-requests-feed"
        )
        self.footage_start: datetime | None = None
        self.entry_id: str | None = None
        self.ffmpeg = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    async def run(self) -> int:
        self.layout.create()
        self._prepare_packages()
        ha_port = ports.pick(self.args.ha_port)
        if ha_port != self.args.ha_port:
            say(f"port {self.args.ha_port} is taken; Home Assistant uses {ha_port}")
        # The feed URL is pinned in the config entry: keep the publisher's port.
        publisher_port = ports.pick(self.state.publisher_port or 8780, avoid={ha_port})
        camera_port = ports.pick(
            self.state.camera_port or 8790, avoid={ha_port, publisher_port}
        )
        site = feed.Site(f"http://127.0.0.1:{publisher_port}")
        camera_url = f"http://127.0.0.1:{camera_port}/{camera.PLAYLIST}"
        self.state = self.state.evolve(
            ha_port=ha_port, publisher_port=publisher_port, camera_port=camera_port
        )
        self.state.save(self.layout.state)

        async with aiohttp.ClientSession() as session:
            await self._start_publisher(session, site, publisher_port)
            runner = await self._start_camera(camera_port)
            try:
                client = await self._start_home_assistant(session, ha_port, camera_url)
                await self._link_feed(client, site)
                self._print_ready(client, site, camera_url)
                await report.print_verdicts(client, self.entry_id)
                return await self._watch(client, site)
            finally:
                await runner.cleanup()

    def _prepare_packages(self) -> None:
        wanted = deps.plan(ha_config.CONFIGURED_DOMAINS)
        if wanted.missing and not (self.layout.deps / deps.STAMP).is_file():
            say(
                f"installing {len(wanted.missing)} Home Assistant runtime packages "
                "into .demo/deps (first run only)"
            )
        done = deps.ensure(self.layout.deps, wanted, self.layout.venv_bin / "pip")
        if done.fresh:
            say(f"installed {', '.join(done.installed) or 'nothing'}")
        if done.fresh and done.skipped:
            say(
                f"no wheel for this Python, skipped: {', '.join(done.skipped)} "
                "(only voice/assist integrations need them)"
            )

    async def _start_publisher(
        self, session: aiohttp.ClientSession, site: feed.Site, port: int
    ) -> None:
        kid = self.publisher.keygen()
        # Each start publishes a fresh feed of last night's requests; signing with
        # the previous feed keeps their revisions rising.
        shutil.rmtree(self.publisher.requests_dir, ignore_errors=True)
        self.publisher.write(site, feed.initial_requests(datetime.now(UTC), site))
        say(self.publisher.sign())
        self.supervisor.start(
            "publisher",
            self.publisher.serve_argv(port),
            log=self.layout.logs / "publisher.log",
        )
        await _wait_http(session, site.feed_url, "publisher", self.supervisor)
        say(f"publisher up (key {kid}) after {self.elapsed():.1f} s")

    async def _start_camera(self, port: int) -> Any:
        overlay = camera.choose_overlay(self.ffmpeg)
        if overlay.reason:
            say(f"camera without clock overlay: {overlay.reason}")
        shutil.rmtree(self.layout.camera, ignore_errors=True)
        self.layout.camera.mkdir(parents=True)
        self.supervisor.start(
            "camera",
            camera.ffmpeg_argv(self.ffmpeg, self.layout.camera, overlay, "Front door"),
            log=self.layout.logs / "camera.log",
        )
        self.footage_start = datetime.now(UTC)
        runner = await camera.start_server(self.layout.camera, port)
        deadline = time.monotonic() + 30
        while not (self.layout.camera / camera.PLAYLIST).is_file():
            _check_children(self.supervisor)
            if time.monotonic() > deadline:
                raise RuntimeError("camera wrote no playlist in 30 s")
            await asyncio.sleep(0.2)
        say(f"camera streaming after {self.elapsed():.1f} s")
        return runner

    async def _start_home_assistant(
        self, session: aiohttp.ClientSession, port: int, camera_url: str
    ) -> ha.HomeAssistantClient:
        ha_config.prepare(self.layout, port, camera_url)
        log = self.layout.logs / "home-assistant.log"
        if log.exists():
            # Keep the last run's log, and never read its errors as this run's.
            log.replace(log.with_name(f"{log.name}.1"))
        child = self.supervisor.start(
            "home-assistant",
            ha_config.hass_argv(self.layout),
            log=self.layout.logs / "hass.out",
            env=ha_config.hass_env(self.layout),
        )
        client = ha.HomeAssistantClient(session, f"http://127.0.0.1:{port}")
        await client.wait_until_up(
            HA_START_TIMEOUT_S,
            lambda: child.process.poll() is None and not _http_failed(log),
        )
        say(f"Home Assistant answering after {self.elapsed():.1f} s")
        owner = self.state.owner
        pending = await client.onboarding_pending()
        if pending:
            await client.onboard(owner, _core_config())
            say(f"onboarded owner {owner.username!r} ({', '.join(pending)})")
        elif self.state.token and await client.token_works(self.state.token):
            client.token = self.state.token
        else:
            await client.login(owner)
        if client.token != self.state.token:
            token = await client.long_lived_token("scripts/demo")
            client.token = token
            self.state = self.state.evolve(token=token)
            self.state.save(self.layout.state)
        await client.wait_until_running(HA_START_TIMEOUT_S)
        say(f"Home Assistant running after {self.elapsed():.1f} s")
        return client

    async def _link_feed(self, client: ha.HomeAssistantClient, site: feed.Site) -> None:
        """Create the entry through the config flow, or move it to a new port."""
        entries = await client.entries()
        if not entries:
            entry = await client.run_config_flow(
                {
                    "user": {"url": site.feed_url},
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
                say,
            )
            self.entry_id = entry["entry_id"]
            say(f"config entry {entry['title']!r} created through the config flow")
        else:
            self.entry_id = entries[0]["entry_id"]
            if self.state.feed_url not in (None, site.feed_url):
                await self._reconfigure(client, site)
        self.state = self.state.evolve(feed_url=site.feed_url, entry_id=self.entry_id)
        self.state.save(self.layout.state)
        if not await client.allow_loopback_uploads(self.entry_id, say):
            say(
                "warning: the integration has no option to accept the demo inbox's "
                "http://127.0.0.1 upload URL, so its guardrails reject every demo "
                "request (no map pin until it has one)"
            )
        for _ in range(60):
            entries = await client.entries()
            states = {e["entry_id"]: e["state"] for e in entries}
            if states.get(self.entry_id) == "loaded":
                return
            await asyncio.sleep(0.5)
        say(f"warning: config entry state is {states.get(self.entry_id)!r}")

    async def _reconfigure(
        self, client: ha.HomeAssistantClient, site: feed.Site
    ) -> None:
        """The publisher moved to another port: the reconfigure flow follows it."""
        result = await client.post(
            "/api/config/config_entries/flow",
            {"handler": ha.DOMAIN, "entry_id": self.entry_id},
        )
        result = await client.post(
            f"/api/config/config_entries/flow/{result['flow_id']}",
            {"url": site.feed_url},
        )
        say(f"feed moved to {site.feed_url}: {result.get('reason', result)}")

    def _print_ready(
        self, client: ha.HomeAssistantClient, site: feed.Site, camera_url: str
    ) -> None:
        owner = self.state.owner
        lines = [
            f"ready after {self.elapsed():.1f} s",
            f"  Home Assistant   {client.base_url}/  (map: {client.base_url}/map)",
            f"  owner login      {owner.username} / {owner.password}",
            f"  publisher feed   {site.feed_url}",
            f"  upload inbox     {site.inbox_url}",
            f"  camera stream    {camera_url}  ({ha_config.CAMERA_ENTITY})",
            f"  logs             {self.layout.logs}/",
        ]
        if os.environ.get("TELEGRAM_BOT_TOKEN"):
            lines.append(
                "  companion bot    not available yet: neighborhood-requests-bot "
                "only has --check so far"
            )
        lines.append("Ctrl-C stops everything.")
        for line in lines:
            say(line)

    async def _watch(self, client: ha.HomeAssistantClient, site: feed.Site) -> int:
        """Publish the footage request when due; print a status line meanwhile."""
        assert self.footage_start is not None
        due = self.footage_start.timestamp() + self.args.footage_seconds
        if due > time.time():
            say(
                f"publishing a request about the camera's footage in "
                f"{due - time.time():.0f} s"
            )
        published: str | None = None
        seen = False
        published_at = 0.0
        next_status = 0.0
        while True:
            _check_children(self.supervisor)
            try:
                if published is None and time.time() >= due:
                    published = self._publish_footage_request(site)
                    published_at = time.monotonic()
                    await client.call(
                        ha.DOMAIN, "refresh", {"config_entry_id": self.entry_id}
                    )
                if published is not None and not seen:
                    seen = await report.look_for(client, published)
                    if seen:
                        await report.print_verdicts(client, self.entry_id)
                    elif time.monotonic() - published_at > PIN_TIMEOUT_S:
                        say(f"request {published} not seen in {PIN_TIMEOUT_S:.0f} s")
                        seen = True
            except (aiohttp.ClientError, ha.FlowError) as err:
                # Home Assistant restarting, or briefly busy: try again next turn.
                say(f"Home Assistant did not answer: {err}")
            if time.monotonic() >= next_status:
                say(await report.status_line(client, self.layout, site))
                next_status = time.monotonic() + STATUS_EVERY_S
            await asyncio.sleep(1.0)

    def _publish_footage_request(self, site: feed.Site) -> str:
        assert self.footage_start is not None
        request = feed.footage_request(datetime.now(UTC), self.footage_start, site)
        self.publisher.write(site, [request])
        say(self.publisher.sign())
        window = request["window"]
        say(
            f"published request {request['id']} ({request['incident']['type']}, "
            f"window {window['start']} .. {window['end']})"
        )
        return str(request["id"])


def _http_failed(log: Path) -> bool:
    """HA keeps running without its web server when the port is lost: say so."""
    try:
        text = log.read_text(errors="replace")
    except FileNotFoundError:
        return False
    return "Error during setup of component http" in text


def _core_config() -> dict[str, Any]:
    return {
        "location_name": "Wolcott demo home",
        "latitude": feed.HOME[0],
        "longitude": feed.HOME[1],
        "elevation": 250,
        "unit_system": "us_customary",
        "time_zone": feed.TIME_ZONE,
        "currency": "USD",
        "country": "US",
        "language": "en",
    }


def _check_children(supervisor: Supervisor) -> None:
    for child, code in supervisor.exited():
        if child.name == "home-assistant" and code == RESTART_EXIT_CODE:
            # Settings → Restart in the UI: hass exits with 100 and expects its
            # supervisor (us) to start it again.
            say("Home Assistant asked for a restart; starting it again")
            supervisor.restart(child)
            continue
        tail = child.log.read_text(errors="replace").splitlines()[-15:]
        raise RuntimeError(
            f"{child.name} exited with {code}; last lines of {child.log}:\n"
            + "\n".join(tail)
        )


async def _wait_http(
    session: aiohttp.ClientSession, url: str, name: str, supervisor: Supervisor
) -> None:
    deadline = time.monotonic() + 30
    while True:
        _check_children(supervisor)
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not answer {url} in 30 s")
        await asyncio.sleep(0.2)
