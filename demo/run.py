"""Starting the demo: publisher, camera and Home Assistant, linked and configured.

The order is the order of dependence: the publisher's feed and the camera stream
must answer before Home Assistant's config flow fetches the one and links the
other; the options flow then sets what the demo needs. What happens once it is
ready is `demo.watch` (interactive) or `demo.smoke` (`--smoke`).

`started()` is the entry point for other code (the browser tests): it starts
everything under a chosen folder and stops every process when the block ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
import shutil
import time
from typing import Any

import aiohttp

from demo import (
    camera,
    deps,
    feed,
    ha_config,
    ha_setup,
    homeassistant as ha,
    ports,
    standins,
)
from demo.console import say
from demo.layout import Layout
from demo.options_flow import OptionsResult, configure_options
from demo.processes import Supervisor
from demo.state import State

RESTART_EXIT_CODE = 100
# What the demo sets in the options flow, wherever the flow asks for it: the
# publisher (feed and inbox) is plain http on 127.0.0.1, and the camera is
# recorded by Home Assistant; it hangs by the front door and looks north-west
# down the street, which the panel's map draws as its view cone.
DEMO_OPTIONS = {
    "allow_lan_publisher": True,
    "backend": "recorder",
    "location": {"latitude": feed.HOME[0] + 0.0001, "longitude": feed.HOME[1]},
    "view_radius": 60,
    "view_direction": 320,
    "view_angle": 100,
}


@dataclass(frozen=True, slots=True)
class Options:
    """How to run; the ports are preferences (a taken one moves up)."""

    footage_seconds: float = 120.0
    ha_port: int = 8123
    publisher_port: int = 8780
    camera_port: int = 8790
    # Create the integration's entry through the config flow (the browser tests
    # turn this off to add it through the frontend themselves).
    link_feed: bool = True
    # Start from an empty folder (the shared package cache stays).
    fresh: bool = False
    # The home's language (what the server writes: entity names, notifications);
    # None keeps what the home has (English at onboarding).
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Running:
    """A started demo: how to reach each part, and what it was set up with."""

    client: ha.HomeAssistantClient
    site: feed.Site
    camera_url: str
    owner: ha.Owner
    entry_id: str | None
    options: OptionsResult | None
    publisher: feed.Publisher
    layout: Layout
    camera_started: datetime

    @property
    def ha_url(self) -> str:
        return self.client.base_url

    async def publish(self, requests: list[dict[str, Any]]) -> None:
        """Sign `requests` into the served feed and have the home poll it now.

        The publisher re-reads the feed file whenever it is replaced, so signing
        a new file is all it takes; the `refresh` action saves waiting for the
        next poll.
        """
        self.publisher.write(self.site, requests)
        say(self.publisher.sign())
        if self.entry_id is not None:
            await self.client.call(
                ha.DOMAIN, "refresh", {"config_entry_id": self.entry_id}
            )


class Demo:
    """One run: the processes and the HTTP clients that started them."""

    def __init__(
        self, options: Options, layout: Layout, supervisor: Supervisor
    ) -> None:
        self.options = options
        self.layout = layout
        self.supervisor = supervisor
        self.started = time.monotonic()
        self.publisher = feed.Publisher(
            layout.publisher, layout.venv_bin / "neighborhood-requests-feed"
        )
        self.ffmpeg = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
        self._camera_server: Any = None
        self._camera_started = datetime.now(UTC)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    async def start(self, session: aiohttp.ClientSession) -> Running:
        """Everything up to "ready": processes started, entry created, options set."""
        if self.options.fresh:
            shutil.rmtree(self.layout.root, ignore_errors=True)
        self.layout.create()
        self._prepare_packages()
        state = State.load(self.layout.state)
        ha_port = ports.pick(self.options.ha_port)
        if ha_port != self.options.ha_port:
            say(f"Home Assistant uses port {ha_port}")
        # The feed URL is pinned in the config entry: keep the publisher's port.
        publisher_port = ports.pick(
            state.publisher_port or self.options.publisher_port, avoid={ha_port}
        )
        camera_port = ports.pick(
            state.camera_port or self.options.camera_port,
            avoid={ha_port, publisher_port},
        )
        state = state.evolve(
            ha_port=ha_port, publisher_port=publisher_port, camera_port=camera_port
        )
        state.save(self.layout.state)
        site = feed.Site(f"http://127.0.0.1:{publisher_port}")
        camera_url = f"http://127.0.0.1:{camera_port}/{camera.PLAYLIST}"
        await self._start_publisher(session, site, publisher_port)
        await self._start_camera(camera_port)
        client, state = await ha_setup.start_home_assistant(
            session,
            self.layout,
            self.supervisor,
            ha_setup.Start(ha_port, camera_url, state, self.elapsed),
        )
        if self.options.language:
            # Set before the feed is linked, and again on later runs: a change
            # of language sets the feed up again in the new one.
            await client.ws(
                {"type": "config/core/update", "language": self.options.language}
            )
            say(f"the home speaks {self.options.language!r}")
        entry_id, result = None, None
        if self.options.link_feed:
            entry_id, state = await ha_setup.link_feed(client, site, self.layout, state)
            result = await configure_options(client, entry_id, DEMO_OPTIONS, say)
            if result.missing:
                say(f"the options flow offers no {', '.join(sorted(result.missing))}")
            # The options reload the entry, whose first poll judges again what
            # the default guardrails turned away (the inbox's loopback URL).
            await ha_setup.wait_loaded(client, entry_id)
        return Running(
            client,
            site,
            camera_url,
            state.owner,
            entry_id,
            result,
            self.publisher,
            self.layout,
            self._camera_started,
        )

    async def close(self) -> None:
        if self._camera_server is not None:
            await self._camera_server.cleanup()
            self._camera_server = None

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
        standins.write(self.layout.standins, done.skipped)

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

    async def _start_camera(self, port: int) -> None:
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
        self._camera_started = datetime.now(UTC)
        self._camera_server = await camera.start_server(self.layout.camera, port)
        deadline = time.monotonic() + 30
        while not (self.layout.camera / camera.PLAYLIST).is_file():
            check_children(self.supervisor)
            if time.monotonic() > deadline:
                raise RuntimeError("camera wrote no playlist in 30 s")
            await asyncio.sleep(0.2)
        say(f"camera streaming after {self.elapsed():.1f} s")


@contextlib.asynccontextmanager
async def started(options: Options, layout: Layout) -> AsyncIterator[Running]:
    """Start the demo under `layout`; stop every process when the block ends."""
    supervisor = Supervisor(registry=layout.root / "children.json")
    supervisor.reap_leftovers()
    demo = Demo(options, layout, supervisor)
    try:
        async with aiohttp.ClientSession() as session:
            yield await demo.start(session)
    finally:
        await demo.close()
        supervisor.stop_all()


def check_children(
    supervisor: Supervisor, optional: frozenset[str] = frozenset()
) -> None:
    """Restart HA when it asks to; an `optional` child that ends is only reported."""
    for child, code in supervisor.exited():
        if child.name == "home-assistant" and code == RESTART_EXIT_CODE:
            # Settings → Restart in the UI: hass exits with 100 and expects its
            # supervisor (us) to start it again.
            say("Home Assistant asked for a restart; starting it again")
            supervisor.restart(child)
            continue
        tail = child.log.read_text(errors="replace").splitlines()[-15:]
        message = f"{child.name} exited with {code}; last lines of {child.log}:\n"
        if child.name in optional:
            say(message + "\n".join(tail[-5:]))
            supervisor.forget(child)
            continue
        raise RuntimeError(message + "\n".join(tail))


async def _wait_http(
    session: aiohttp.ClientSession, url: str, name: str, supervisor: Supervisor
) -> None:
    deadline = time.monotonic() + 30
    while True:
        check_children(supervisor)
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not answer {url} in 30 s")
        await asyncio.sleep(0.2)
