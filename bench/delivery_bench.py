"""A big clip over a home uplink that drops: what a share costs the link, and how long.

A 1 GiB clip goes from the home's outbox (`OutboxRunner` with the real uploader)
to the reference publisher's inbox (`neighborhood-requests-feed serve`, its own
process) through a loopback proxy (`tests/delivery/uplink.py`) that caps the
upload at 40 Mbit/s and cuts the connection 5 times, at offsets of the upload
traffic drawn uniformly at random (seeded). Figures:

- `bytes_sent_over_size`: every byte the proxy carried upstream (headers,
  resent chunks) over the clip's size; target <= 1.05;
- `delivered`: clips the inbox lists for the request (its admin listing) whose
  SHA-256 is the clip's; exactly 1;
- `time_over_floor`: from the share entering the outbox to "delivered", over the
  floor size / bandwidth, the least any uploader needs; target <= 1.15.

Beside it, unless `--baseline-mib 0`: the multipart upload alone (what every
upload was before tus, and what a publisher without tus still gets) with a
smaller clip over the same link, cut 5 times at a random point of each attempt,
since each attempt starts from byte 0 (`multipart_bytes_sent_over_size`; its
retries get no backoff here, in its favour). Progress goes to stderr, one JSON
line to stdout.

Run: .venv/bin/python bench/delivery_bench.py           # about 5 minutes
     .venv/bin/python bench/delivery_bench.py --size-mib 128 --baseline-mib 0
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
import hashlib
import json
import os
from pathlib import Path
import random
import re
import shutil
import subprocess
import sys
import tempfile
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from yarl import URL

from custom_components.neighborhood_requests.delivery.multipart import post_multipart
from custom_components.neighborhood_requests.delivery.outbox import (
    Outbox,
    OutboxEntry,
    State,
    idempotency_key,
)
from custom_components.neighborhood_requests.delivery.outcome import UploadOutcome
from custom_components.neighborhood_requests.delivery.runner import OutboxRunner
from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.model import Manifest, Window
from custom_components.neighborhood_requests.protocol.parse import format_timestamp
from tests.delivery.uplink import Uplink

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CLI = Path(sys.executable).with_name("neighborhood-requests-feed")
PUBLISHER_ID = "bench-pd"
CAMERA = "camera.front_door"
MIB = 1024 * 1024
SEED = 2026


def log(message: str) -> None:
    print(f"[delivery bench] {message}", file=sys.stderr, flush=True)


def make_clip(size: int) -> tuple[Path, str]:
    """Random bytes (nothing compresses or dedups them), made once and reused."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"delivery-clip-{size}.bin"
    digest_file = path.with_suffix(".sha256")
    if path.exists() and digest_file.exists() and path.stat().st_size == size:
        return path, digest_file.read_text().strip()
    log(f"writing a {size / MIB:.0f} MiB clip to {path}")
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        left = size
        while left:
            block = os.urandom(min(left, 16 * MIB))
            digest.update(block)
            handle.write(block)
            left -= len(block)
    digest_file.write_text(digest.hexdigest() + "\n")
    return path, digest.hexdigest()


def cli(*argv: str | Path) -> str:
    done = subprocess.run(
        [str(CLI), *map(str, argv)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {done.stderr.strip()}")
    return done.stdout


def write_feed(work: Path, upload_base: str, request_ids: list[str]) -> Path:
    """A signed feed whose requests name the proxy as their upload host."""
    cli("keygen", "--out", work / "keys")
    now = datetime.now(UTC).replace(microsecond=0)
    (work / "publisher.json").write_text(
        json.dumps(
            {
                "id": PUBLISHER_ID,
                "name": "Bench Police Department",
                "kind": "law_enforcement",
                "url": f"{upload_base}/",
                "keys": [],
            }
        )
    )
    files = []
    for request_id in request_ids:
        request = {
            "id": request_id,
            "revision": 1,
            "status": "active",
            "issued_at": format_timestamp(now - timedelta(hours=1)),
            "expires_at": format_timestamp(now + timedelta(days=7)),
            "window": {
                "start": format_timestamp(now - timedelta(hours=3)),
                "end": format_timestamp(now - timedelta(hours=1)),
            },
            "area": {"circle": {"lat": 41.6, "lon": -73.0, "radius_m": 300}},
            "incident": {
                "type": "burglary",
                "summary": "Two hours of footage asked for.",
                "case_number": "B-1",
            },
            "legal_basis": {"type": "voluntary"},
            "response": {"upload_url": f"{upload_base}/upload/{request_id}"},
        }
        path = work / f"{request_id}.json"
        path.write_text(json.dumps(request))
        files.append(path)
    feed = work / "feed.json"
    cli("sign", "--key", work / "keys" / "publisher.key", "--publisher",
        work / "publisher.json", *files, "--out", feed)  # fmt: skip
    return feed


async def start_inbox(
    feed: Path, inbox: Path, max_bytes: int
) -> tuple[asyncio.subprocess.Process, int]:
    """`serve` in its own process; its port from the line it prints when ready."""
    process = await asyncio.create_subprocess_exec(
        str(CLI), "serve", "--feed", str(feed), "--inbox", str(inbox),
        "--port", "0", "--allow-loopback-upload",
        "--max-clip-bytes", str(max_bytes),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if found is None:
        raise SystemExit(f"serve did not start: {line!r}")
    return process, int(found.group(1))


def manifest_for(request_id: str, size: int, sha256: str, key: Any, kid: str) -> str:
    now = datetime.now(UTC).replace(microsecond=0)
    manifest = Manifest(
        request_id=request_id,
        publisher_id=PUBLISHER_ID,
        camera=CAMERA,
        window=Window(now - timedelta(hours=3), now - timedelta(hours=1)),
        sha256=sha256,
        bytes=size,
        exported_at=now,
        exporter_version="neighborhood_requests bench",
        home_key_id=kid,
    )
    return str(jws.sign_manifest(manifest, key))


async def multipart_only(
    session: aiohttp.ClientSession, url: str, **job: Any
) -> UploadOutcome:
    """The uploader before tus: one multipart POST, from byte 0 every time."""
    return await post_multipart(
        session,
        URL(url),
        manifest_jws=job["manifest_jws"],
        clip_path=job["clip_path"],
        idempotency_key=job["idempotency_key"],
        expected_sha256=job["expected_sha256"],
        stall_s=60.0,
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=30),
        chunk_size=256 * 1024,
    )


async def share(
    url: str,
    clip: Path,
    sha256: str,
    request_id: str,
    *,
    uploader: Callable[..., Awaitable[UploadOutcome]] | None = None,
    backoff: timedelta | None = None,
) -> tuple[float, OutboxEntry]:
    """One share through the outbox, retried until it is delivered."""
    key = jws.generate_private_key()
    kid = str(jws.public_jwk(key)["kid"])
    size = await asyncio.to_thread(lambda: clip.stat().st_size)
    entry = OutboxEntry(
        key=idempotency_key(PUBLISHER_ID, request_id, kid, CAMERA),
        request_id=request_id,
        publisher_id=PUBLISHER_ID,
        upload_url=url,
        clip_path=clip,
        sha256=sha256,
        bytes=size,
        manifest_jws=manifest_for(request_id, size, sha256, key, kid),
        expires_at=datetime.now(UTC) + timedelta(days=7),
    )
    outbox = Outbox([entry]) if backoff is None else Outbox([entry], base=backoff)

    async def nothing(_: Any) -> None:
        return None

    async def audit(event: dict[str, Any]) -> None:
        if event["type"] == "delivery_result":
            log(f"  attempt {event['attempt']}: {event['result']} {event['reason']}")

    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession() as session:
        options: dict[str, Any] = {} if uploader is None else {"uploader": uploader}
        runner = OutboxRunner(
            outbox,
            session,
            save=nothing,
            audit=audit,
            clock=lambda: datetime.now(UTC),
            **options,
        )
        began = loop.time()
        while True:
            await runner.run_due()
            current = outbox.get(entry.key)
            assert current is not None
            if current.state is not State.PENDING:
                return loop.time() - began, current
            wake = runner.next_wakeup()
            if wake is not None:
                await asyncio.sleep(
                    max(0.0, (wake - datetime.now(UTC)).total_seconds())
                )


async def listed(inbox: Path, port: int, request_id: str, sha256: str) -> int:
    """Clips of `request_id` with this SHA-256, as the publisher's listing says."""
    token = (inbox / "~admin-token").read_text().strip()
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"http://127.0.0.1:{port}/inbox",
            headers={"Authorization": f"Bearer {token}"},
        ) as response,
    ):
        response.raise_for_status()
        receipts = await response.json()
    return sum(
        1 for r in receipts if r["request_id"] == request_id and r["sha256"] == sha256
    )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    size = args.size_mib * MIB
    rate = args.rate_mbit * 1_000_000 / 8
    rng = random.Random(args.seed)
    clip, sha256 = make_clip(size)
    baseline = args.baseline_mib * MIB
    small, small_sha = make_clip(baseline) if baseline else (clip, sha256)
    work = Path(tempfile.mkdtemp(prefix="delivery-bench-"))
    link = Uplink(0, rate=rate)
    await link.start()
    feed = write_feed(work, link.url, ["bench-tus", "bench-multipart"])
    inbox = work / "inbox"
    process, port = await start_inbox(feed, inbox, max(size, baseline) + MIB)
    link.target_port = port
    figures: dict[str, Any] = {"bench": "delivery"}
    try:
        link.cuts = sorted(rng.randrange(1, size) for _ in range(args.cuts))
        log(f"tus: {args.size_mib} MiB at {args.rate_mbit} Mbit/s, "
            f"cuts at {[round(c / MIB) for c in link.cuts]} MiB")  # fmt: skip
        elapsed, entry = await share(
            f"{link.url}/upload/bench-tus", clip, sha256, "bench-tus"
        )
        floor = size / rate
        delivered = await listed(inbox, port, "bench-tus", sha256)
        figures |= {
            "bytes_sent_over_size": round(link.upstream_bytes / size, 4),
            "delivered": delivered if entry.state is State.DELIVERED else 0,
            "time_over_floor": round(elapsed / floor, 4),
            "time_s": round(elapsed, 1),
            "floor_s": round(floor, 1),
            "size_bytes": size,
            "rate_mbit": args.rate_mbit,
            "cuts": link.cut_count,
            "connections": link.connections,
            "attempts": entry.attempts,
            "seed": args.seed,
        }
        if baseline:
            link.upstream_bytes, link.connections, link.cut_count = 0, 0, 0
            link.cut_each = [rng.randrange(1, baseline) for _ in range(args.cuts)]
            log(f"multipart: {args.baseline_mib} MiB, cut each attempt at "
                f"{[round(c / MIB) for c in link.cut_each]} MiB")  # fmt: skip
            _, entry = await share(
                f"{link.url}/upload/bench-multipart",
                small,
                small_sha,
                "bench-multipart",
                uploader=multipart_only,
                backoff=timedelta(0),
            )
            figures |= {
                "multipart_bytes_sent_over_size": round(
                    link.upstream_bytes / baseline, 4
                ),
                "multipart_delivered": await listed(
                    inbox, port, "bench-multipart", small_sha
                ),
                "multipart_size_bytes": baseline,
                "multipart_attempts": entry.attempts,
            }
    finally:
        await link.close()
        process.terminate()
        await process.wait()
        shutil.rmtree(work, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rate-mbit", type=float, default=40.0)
    parser.add_argument("--cuts", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--baseline-mib", type=int, default=128)
    figures = asyncio.run(run(parser.parse_args()))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
