"""`scripts/demo`: command line of the demo; the run itself is `demo.run.Demo`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from pathlib import Path
import signal
import sys

import aiohttp

from demo import homeassistant as ha
from demo.console import say
from demo.layout import Layout
from demo.processes import Supervisor
from demo.run import Demo

REPO = Path(__file__).resolve().parent.parent


def _footage_seconds(text: str) -> float:
    """At least 30 s: the window leaves 10 s at each end and must not be empty."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 30 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not 30..3600 seconds")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/demo",
        description="Run the publisher, a demo camera and Home Assistant on "
        "127.0.0.1, with a request about the camera's own footage.",
    )
    parser.add_argument(
        "--footage-seconds",
        type=_footage_seconds,
        default=120.0,
        help="footage to record before the new request is published (default 120)",
    )
    parser.add_argument(
        "--ha-port", type=int, default=8123, help="preferred Home Assistant port"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    layout = Layout(REPO)
    supervisor = Supervisor(registry=layout.root / "children.json")
    supervisor.install_exit_handlers()
    if reaped := supervisor.reap_leftovers():
        say(f"stopped processes a killed earlier run left behind: {reaped}")
    # A shell starting us in the background leaves SIGINT ignored; Ctrl-C and
    # `kill -INT` must still reach the cleanup below.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    code = 1
    try:
        code = asyncio.run(Demo(args, layout, supervisor).run())
    except KeyboardInterrupt:
        say("stopping")
        code = 0
    except (RuntimeError, TimeoutError, ha.FlowError, aiohttp.ClientError) as err:
        say(f"failed: {err}")
    finally:
        count = len(supervisor.children)
        supervisor.stop_all()
        say(f"stopped {count} processes")
    return code


if __name__ == "__main__":
    sys.exit(main())
