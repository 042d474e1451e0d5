"""Command line: `neighborhood-requests-bot [--config FILE] [--check]`.

Without `--check` the bot runs until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from pathlib import Path
import sys
from typing import TYPE_CHECKING

from bot.app import run
from bot.check import run_check
from bot.config import SETTINGS, ConfigError, load_config

if TYPE_CHECKING:
    from collections.abc import Mapping

EXIT_OK = 0
EXIT_PROBLEM = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neighborhood-requests-bot",
        description="Companion Telegram bot for Neighborhood Requests.",
        epilog="Settings come from the environment ("
        + ", ".join(SETTINGS)
        + ") and/or --config; the environment wins.",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="YAML file with the settings in lower case (e.g. ha_url: ...)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="validate the configuration, connect to Home Assistant and Telegram, "
        "report what was found, and exit 0 (all good) or 1",
    )
    return parser


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Entry point of the console script and of `python -m bot`.

    `env` stands in for the process environment (the add-on builds it from its
    options; see `bot.addon`).
    """
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.check else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs request URLs, which contain the bot token, at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        config = load_config(os.environ if env is None else env, args.config)
    except ConfigError as err:
        print(err, file=sys.stderr)
        return EXIT_PROBLEM
    if not args.check:
        return asyncio.run(run(config))
    ok = asyncio.run(run_check(config))
    return EXIT_OK if ok else EXIT_PROBLEM


if __name__ == "__main__":
    sys.exit(main())
