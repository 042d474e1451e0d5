"""`scripts/demo`: command line of the demo and of its smoke test."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from pathlib import Path
import signal
import sys

import aiohttp

from demo import homeassistant as ha, smoke, watch
from demo.console import say
from demo.layout import Layout
from demo.processes import Supervisor
from demo.run import Demo, Options

REPO = Path(__file__).resolve().parent.parent
# The languages the integration speaks.
LANGUAGES = ("en", "de", "es")
# The smoke test runs beside an interactive demo without touching it.
SMOKE_PORTS = {"ha_port": 18123, "publisher_port": 18780, "camera_port": 18790}


def _footage_seconds(text: str) -> float:
    """At least 40 s: a window leaves 15 s at each end and lasts 10 s or more."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 40 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not 40..3600 seconds")
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
        help="footage Home Assistant records before the request about it is "
        f"published (default 120; --smoke: {smoke.SMOKE_FOOTAGE_S:.0f})",
    )
    parser.add_argument(
        "--ha-port", type=int, help="preferred Home Assistant port (default 8123)"
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        help="the home's language: what Home Assistant writes itself (entity "
        "names, map pins, notifications); each person's browser follows their "
        "own profile (default: keep the home's, English at first start)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="headless end-to-end check from an empty .demo/smoke: share one "
        "request, decline another, verify what reached the inbox; exit 0 on PASS",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.smoke:
        layout = Layout(REPO, REPO / ".demo" / "smoke")
        options = Options(
            footage_seconds=args.footage_seconds or smoke.SMOKE_FOOTAGE_S,
            fresh=True,
            **{**SMOKE_PORTS, **({"ha_port": args.ha_port} if args.ha_port else {})},
        )
    else:
        layout = Layout(REPO)
        options = Options(
            footage_seconds=args.footage_seconds or 120.0,
            ha_port=args.ha_port or 8123,
            language=args.language,
        )
    supervisor = Supervisor(registry=layout.root / "children.json")
    supervisor.install_exit_handlers()
    if reaped := supervisor.reap_leftovers():
        say(f"stopped processes a killed earlier run left behind: {reaped}")
    # A shell starting us in the background leaves SIGINT ignored; Ctrl-C and
    # `kill -INT` must still reach the cleanup below.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    demo = Demo(options, layout, supervisor)
    code = 1
    try:
        code = asyncio.run(_run(demo, args.smoke))
    except KeyboardInterrupt:
        say("stopping")
        code = 0 if not args.smoke else 1
    except smoke.SmokeFailed as err:
        print(f"demo smoke: FAIL in step {err.step!r}: {err.reason}", flush=True)
        say(f"logs: {layout.logs}/")
    except (RuntimeError, TimeoutError, ha.FlowError, aiohttp.ClientError) as err:
        if args.smoke:
            print(f"demo smoke: FAIL while starting: {err}", flush=True)
        else:
            say(f"failed: {err}")
    finally:
        count = len(supervisor.children)
        supervisor.stop_all()
        say(f"stopped {count} processes")
    return code


async def _run(demo: Demo, is_smoke: bool) -> int:
    try:
        async with aiohttp.ClientSession() as session:
            running = await demo.start(session)
            watch.print_ready(running, demo.elapsed())
            if not is_smoke:
                return await watch.watch(
                    running, demo.supervisor, demo.options.footage_seconds
                )
            steps = smoke.Steps()
            try:
                async with asyncio.timeout(smoke.BUDGET_S):
                    await smoke.run(
                        running, demo.supervisor, demo.options.footage_seconds, steps
                    )
            except TimeoutError:
                raise smoke.SmokeFailed(
                    steps.current,
                    f"not done within the smoke's {smoke.BUDGET_S:.0f} s budget",
                ) from None
            timings = ", ".join(f"{k} {v:.0f} s" for k, v in steps.timings.items())
            say(f"smoke steps: {timings}")
            print(f"demo smoke: PASS after {demo.elapsed():.0f} s", flush=True)
            return 0
    finally:
        await demo.close()


if __name__ == "__main__":
    sys.exit(main())
