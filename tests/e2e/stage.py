"""The browser tests' stage: publisher, camera and an onboarded Home Assistant.

Run as its own process (`python -m tests.e2e.stage BASE`) because the test
process is no place for servers: the Home Assistant test plugin blocks sockets
between tests and fails a test that leaves threads or tasks behind. It starts
what `scripts/demo` starts, with the demo's own `started()`, in a folder of its
own and on ports of its own (a running demo is never touched), but leaves the
integration unconfigured: adding it is what the first browser test does.

Prints one JSON line once Home Assistant is running, then waits until its
standard input closes (the test process is done, or died) or a signal arrives;
`started()` then stops every process it started.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import asdict
import json
from pathlib import Path
import signal
import sys

from demo import ha_config
from demo.layout import Layout
from demo.run import Options, Running, started

REPO = Path(__file__).resolve().parents[2]
OPTIONS = Options(
    ha_port=28123,
    publisher_port=28780,
    camera_port=28790,
    link_feed=False,
    fresh=True,
)


def describe(running: Running) -> dict[str, str]:
    """What the tests need to reach and drive the stage."""
    return {
        "ha_url": running.ha_url,
        "token": running.client.token or "",
        "feed_url": running.site.feed_url,
        "site": running.site.base_url,
        "publisher_dir": str(running.publisher.folder),
        "publisher_cli": str(running.publisher.cli),
        "camera_entity": ha_config.CAMERA_ENTITY,
        "ha_config": str(running.layout.ha),
        "logs": str(running.layout.logs),
        "camera_started": running.camera_started.isoformat(),
        **{f"owner_{key}": value for key, value in asdict(running.owner).items()},
    }


async def hold() -> None:
    """Until stdin closes (a reader thread would outlive a cancelled wait)."""
    loop = asyncio.get_running_loop()
    closed = asyncio.Event()
    loop.add_reader(sys.stdin.fileno(), closed.set)
    await closed.wait()


async def run(base: Path) -> None:
    layout = Layout(REPO, base=base)
    async with started(OPTIONS, layout) as running:
        print(json.dumps(describe(running)), flush=True)
        # Nobody reads stdout from here on: later progress lines go to the log.
        sys.stdout = sys.stderr
        await hold()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.stage")
    parser.add_argument("base", type=Path)
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, through `started()`'s cleanup.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))
    try:
        asyncio.run(run(args.base.resolve()))
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
