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
import textwrap

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


_WIDTH = 78
_EPILOG = """\
Typical session:
  %(prog)s keygen --out keys/
  %(prog)s sign --key keys/publisher.key --publisher publisher.json \\
      request-1.json --out feed.json
  %(prog)s check feed.json --trust keys/publisher.jwk.json
  %(prog)s serve --feed feed.json --inbox inbox/ --port 8080

Run '%(prog)s COMMAND --help' for a command's options.
The feed format is specified in docs/feed-spec.md. Exit status: 0 success,
1 a failure (or a feed that does not verify), 2 a usage error.
"""


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    example: str,
) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with a worked example."""
    return commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, _WIDTH),
        epilog=f"example:\n  {PROG} {name} {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=textwrap.fill(
            "Publish, check and serve Community Request Feeds: signed, public "
            "requests for video that Home Assistant homes answer locally.",
            _WIDTH,
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", title="commands"
    )

    keygen = _command(
        commands,
        "keygen",
        "create a publisher signing key",
        "Create an Ed25519 signing key: DIR/publisher.key (private, mode 0600) and "
        "DIR/publisher.jwk.json (the public JWK homes pin). Prints the key's "
        "fingerprint; publish it on your website so homes can compare it.",
        "--out keys/",
    )
    keygen.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="directory for the key files (created if missing)",
    )
    keygen.add_argument(
        "--kid", help="key id to put in the JWK (default: the key's thumbprint)"
    )
    keygen.add_argument(
        "--force", action="store_true", help="replace a key already in DIR"
    )
    keygen.set_defaults(handler=_keygen)

    sign = _command(
        commands,
        "sign",
        "sign request files into a feed",
        "Sign each REQUEST.json (one request object each) with the publisher key "
        "and write the feed: the publisher block with its public key, and one "
        "JWS per request. With --previous, an unchanged request keeps its "
        "revision and a changed one gets the next, so homes take the update.",
        "--key keys/publisher.key --publisher publisher.json \\\n"
        "      request-1.json request-2.json --previous feed.json --out feed.json",
    )
    sign.add_argument(
        "--key",
        type=Path,
        required=True,
        metavar="KEY_FILE",
        help="the private key written by keygen (publisher.key)",
    )
    sign.add_argument(
        "--kid", help="key id (default: from the JWK file beside the key)"
    )
    sign.add_argument(
        "--publisher",
        type=Path,
        required=True,
        metavar="PUBLISHER.json",
        help="the publisher block: id, name, kind, url (keys are added)",
    )
    sign.add_argument(
        "requests",
        type=Path,
        nargs="*",
        metavar="REQUEST.json",
        help="request files to sign (none: a feed without requests)",
    )
    sign.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FEED.json",
        help="where to write the signed feed (replaced atomically)",
    )
    sign.add_argument(
        "--previous",
        type=Path,
        metavar="FEED.json",
        help="the feed homes have now; revisions continue from it",
    )
    sign.add_argument(
        "--cancel",
        action="append",
        default=[],
        metavar="ID",
        help="withdraw the request with this id (repeatable); it stays in the "
        "feed as cancelled, one revision up, so homes stop asking",
    )
    sign.set_defaults(handler=_sign)

    chk = _command(
        commands,
        "check",
        "validate a feed as a home would",
        "Fetch or read a feed (Community Request Feed JSON, or CAP 1.2 XML) and "
        "judge every request as a home would: signature, expiry, guardrails, and "
        "with --home whether it concerns that home. Prints one line per request "
        "and exits 1 if any fails.",
        "https://example.org/feed.json --trust keys/publisher.jwk.json \\\n"
        "      --home 41.6,-73.0,50",
    )
    chk.add_argument(
        "source", metavar="FEED_OR_URL", help="a feed file, or an http(s) URL"
    )
    chk.add_argument(
        "--trust",
        metavar="JWK_FILE_OR_FINGERPRINT",
        help="the key to trust: a JWK file or a fingerprint (default: trust the "
        "key the feed carries, as a home does on first sight)",
    )
    chk.add_argument(
        "--format",
        choices=("auto", "crf", "cap"),
        default="auto",
        help="feed format (default: auto, told apart by the first byte)",
    )
    chk.add_argument(
        "--allow-unsigned",
        action="store_true",
        help="accept unsigned requests, marked unverified, as a home that "
        "allows them would",
    )
    chk.add_argument(
        "--home",
        type=_home,
        metavar="LAT,LON[,RADIUS_M]",
        help="a home's location (and camera view radius in metres): report "
        "whether each request's area reaches it",
    )
    chk.add_argument(
        "--now",
        type=_timestamp,
        metavar="RFC3339",
        help="judge expiry and guardrails at this time (default: now)",
    )
    chk.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse a feed larger than N bytes (default {DEFAULT_MAX_BYTES})",
    )
    chk.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="give up fetching a URL after this long (default 30)",
    )
    chk.set_defaults(handler=_check)

    srv = _command(
        commands,
        "serve",
        "serve a feed and an upload inbox",
        "Serve FEED.json at /feed.json (with ETag and Last-Modified; a rewritten "
        "file is served at once, a broken one keeps the last good version) and "
        "accept shared clips at the upload URL, verifying each manifest's "
        "signature and SHA-256 before keeping it in the inbox. Stops on Ctrl-C.",
        "--feed feed.json --inbox inbox/ --host 0.0.0.0 --port 8080",
    )
    srv.add_argument(
        "--feed",
        type=Path,
        required=True,
        metavar="FEED.json",
        help="the signed feed to serve (re-read when it changes)",
    )
    srv.add_argument(
        "--inbox",
        type=Path,
        required=True,
        metavar="DIR",
        help="directory where accepted clips and manifests are stored",
    )
    srv.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)",
    )
    srv.add_argument(
        "--port",
        type=_port,
        default=8080,
        help="TCP port (default 8080; 0 picks a free one)",
    )
    srv.add_argument(
        "--allow-loopback-upload",
        action="store_true",
        help="allow upload URLs over plain http on loopback (local tests only; "
        "otherwise upload URLs must be https)",
    )
    srv.add_argument(
        "--max-clip-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_CLIP_BYTES,
        metavar="N",
        help=f"refuse clips larger than N bytes (default {DEFAULT_MAX_CLIP_BYTES})",
    )
    srv.add_argument(
        "--admin-token-file",
        type=Path,
        metavar="FILE",
        help="the bearer token GET /inbox needs; created (mode 0600) if missing "
        f"(default: DIR/{server.ADMIN_TOKEN_FILE})",
    )
    srv.set_defaults(handler=_serve)

    psh = _command(
        commands,
        "push",
        "POST a feed to a home's webhook",
        "Send the feed to a home that registered a webhook, so it sees new "
        "requests at once instead of at its next poll.",
        "--feed feed.json \\\n"
        "      --webhook https://home.example/api/webhook/WEBHOOK_ID",
    )
    psh.add_argument(
        "--feed",
        type=Path,
        required=True,
        metavar="FEED.json",
        help="the signed feed to send",
    )
    psh.add_argument(
        "--webhook",
        required=True,
        metavar="URL",
        help="the home's webhook URL, as its owner gave it to you",
    )
    psh.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="give up after this long (default 30)",
    )
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
        feed_url=args.source if is_url(args.source) else "",
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
