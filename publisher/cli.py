"""Command line of `neighborhood-requests-feed`: argparse in, one line out on failure.

Each subcommand is a thin function over a module that does the work, so tests can
drive the whole tool in-process through `run(argv)`.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
import math
from pathlib import Path
import signal
import sys

from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.feed import DEFAULT_MAX_BYTES
from custom_components.neighborhood_requests.protocol.parse import parse_timestamp
from publisher import check, keys, push, server, signing
from publisher.errors import PublisherError, UsageError
from publisher.fetch import is_url, load_source
from publisher.inbox import DEFAULT_MAX_CLIP_BYTES

PROG = "neighborhood-requests-feed"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a positive number of seconds"
        )
    return value


def _home(text: str) -> check.Home:
    """`LAT,LON[,RADIUS_M]` with WGS84 ranges checked here, not deep in geo code."""
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) not in (2, 3) or not all(math.isfinite(n) for n in numbers):
        raise argparse.ArgumentTypeError(f"{text!r} is not LAT,LON[,RADIUS_M]")
    lat, lon, *rest = numbers
    radius = rest[0] if rest else 0.0
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius >= 0):
        raise argparse.ArgumentTypeError(f"{text!r} is out of range")
    return check.Home(lat, lon, radius)


def _timestamp(text: str) -> datetime:
    try:
        return parse_timestamp(text, "--now")
    except ProtocolError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Publish, check and serve Community Request Feeds."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    keygen = commands.add_parser("keygen", help="create a publisher signing key")
    keygen.add_argument("--out", type=Path, required=True, metavar="DIR")
    keygen.add_argument("--kid", help="key id (default: the key's thumbprint)")
    keygen.add_argument("--force", action="store_true", help="replace an existing key")
    keygen.set_defaults(handler=_keygen)

    sign = commands.add_parser("sign", help="sign request files into a feed")
    sign.add_argument("--key", type=Path, required=True)
    sign.add_argument(
        "--kid", help="key id (default: from the JWK file beside the key)"
    )
    sign.add_argument("--publisher", type=Path, required=True, metavar="PUBLISHER.json")
    sign.add_argument("requests", type=Path, nargs="*", metavar="REQUEST.json")
    sign.add_argument("--out", type=Path, required=True, metavar="FEED.json")
    sign.add_argument("--previous", type=Path, metavar="FEED.json")
    sign.add_argument("--cancel", action="append", default=[], metavar="ID")
    sign.set_defaults(handler=_sign)

    chk = commands.add_parser("check", help="validate a feed as a home would")
    chk.add_argument("source", metavar="FEED_OR_URL")
    chk.add_argument("--trust", metavar="JWK_FILE_OR_FINGERPRINT")
    chk.add_argument("--format", choices=("auto", "crf", "cap"), default="auto")
    chk.add_argument("--allow-unsigned", action="store_true")
    chk.add_argument("--home", type=_home, metavar="LAT,LON[,RADIUS_M]")
    chk.add_argument("--now", type=_timestamp, help="judge guardrails at this time")
    chk.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES)
    chk.add_argument("--timeout", type=_seconds, default=30.0)
    chk.set_defaults(handler=_check)

    srv = commands.add_parser("serve", help="serve a feed and an upload inbox")
    srv.add_argument("--feed", type=Path, required=True, metavar="FEED.json")
    srv.add_argument("--inbox", type=Path, required=True, metavar="DIR")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=_port, default=8080)
    srv.add_argument("--allow-loopback-upload", action="store_true")
    srv.add_argument(
        "--max-clip-bytes", type=_positive_int, default=DEFAULT_MAX_CLIP_BYTES
    )
    srv.add_argument(
        "--admin-token-file",
        type=Path,
        metavar="FILE",
        help="the bearer token GET /inbox needs; created (mode 0600) if missing "
        f"(default: DIR/{server.ADMIN_TOKEN_FILE})",
    )
    srv.set_defaults(handler=_serve)

    psh = commands.add_parser("push", help="POST a feed to a home's webhook")
    psh.add_argument("--feed", type=Path, required=True, metavar="FEED.json")
    psh.add_argument("--webhook", required=True, metavar="URL")
    psh.add_argument("--timeout", type=_seconds, default=30.0)
    psh.set_defaults(handler=_push)
    return parser


def run(argv: Sequence[str]) -> int:
    """Parse and dispatch; every expected failure becomes one stderr line."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except UsageError as err:
        print(f"{PROG} {args.command}: {err}", file=sys.stderr)
        return 2
    except PublisherError as err:
        print(f"{PROG} {args.command}: {err}", file=sys.stderr)
        return 1


def _keygen(args: argparse.Namespace) -> int:
    key = keys.generate(args.out, kid=args.kid, force=args.force)
    print(
        f"wrote {args.out / keys.KEY_FILE} and {args.out / keys.JWK_FILE} "
        f"(kid {key.kid})"
    )
    print(key.fingerprint)
    return 0


def _sign(args: argparse.Namespace) -> int:
    key = keys.load_signing_key(args.key, args.kid)
    publisher = signing.read_json(args.publisher)
    requests = signing.load_requests(args.requests)
    previous = signing.previous_requests(args.previous) if args.previous else {}
    document = signing.build_feed(
        key, publisher, requests, previous=previous, cancel=args.cancel
    )
    signing.write_feed(args.out, document)
    print(
        f"signed {len(document['requests'])} requests into {args.out} "
        f"with {key.fingerprint}"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    options = check.CheckOptions(
        trust=keys.load_trust(args.trust) if args.trust else None,
        format=args.format,
        allow_unsigned=args.allow_unsigned,
        home=args.home,
        now=args.now,
        publisher_url=args.source if is_url(args.source) else "",
    )
    data = asyncio.run(load_source(args.source, args.max_bytes, args.timeout))
    report = check.check_bytes(data, options)
    print("\n".join(report.lines))
    return 0 if report.ok else 1


def _serve(args: argparse.Namespace) -> int:
    config = server.ServeConfig(
        feed_path=args.feed,
        inbox_dir=args.inbox,
        host=args.host,
        port=args.port,
        allow_loopback_upload=args.allow_loopback_upload,
        max_clip_bytes=args.max_clip_bytes,
        admin_token_file=args.admin_token_file,
    )
    asyncio.run(_serve_until_signal(config))
    return 0


async def _serve_until_signal(config: server.ServeConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    def ready(url: str) -> None:
        token_file = config.admin_token_file or server.default_token_file(config)
        print(
            f"serving {config.feed_path} at {url}/feed.json, "
            f"uploads into {config.inbox_dir}; listing at {url}/inbox with the "
            f"bearer token in {token_file}",
            flush=True,
        )

    await server.serve(config, stop=stop, ready=ready)


def _push(args: argparse.Namespace) -> int:
    print(asyncio.run(push.push(args.feed, args.webhook, time_limit=args.timeout)))
    return 0
