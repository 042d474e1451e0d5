"""`serve`, resumable side: the inbox's tus 1.0 resources over real HTTP.

Every request is written out by hand here (not by the home's client), so each
header the spec names is checked as the inbox reads it.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
import hashlib
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from yarl import URL

from publisher.inbox import Inbox
from publisher.server import FeedFile, create_app
from publisher.tus import TusStore

from .conftest import (
    ADMIN_TOKEN,
    CLIP,
    Cli,
    InboxServer,
    ServeApp,
    Workspace,
    home_key_id,
    manifest_for,
    sign_manifest,
)

TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = {"Content-Type": "application/offset+octet-stream"}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def creation_headers(
    clip: bytes = CLIP, *, key: str = "tus-1", **manifest: Any
) -> dict[str, str]:
    token = sign_manifest(manifest_for(clip, **manifest))
    return TUS | {
        "Idempotency-Key": key,
        "Upload-Length": str(len(clip)),
        "Upload-Metadata": f"manifest {b64(token.encode())},filetype "
        f"{b64(b'video/mp4')},filename {b64(b'clip.mp4')}",
    }


async def create(
    session: aiohttp.ClientSession,
    server: InboxServer | str,
    headers: dict[str, str] | None = None,
) -> aiohttp.ClientResponse:
    base = server if isinstance(server, str) else server.url
    async with session.post(
        f"{base}/upload/req-a", headers=headers or creation_headers()
    ) as response:
        await response.read()
        return response


def location(base: str, response: aiohttp.ClientResponse) -> str:
    return str(URL(f"{base}/upload/req-a").join(URL(response.headers["Location"])))


async def patch(
    session: aiohttp.ClientSession,
    url: str,
    offset: int,
    body: bytes,
    **headers: str,
) -> aiohttp.ClientResponse:
    async with session.patch(
        url,
        data=body,
        headers=TUS | OCTETS | {"Upload-Offset": str(offset)} | headers,
    ) as response:
        await response.read()
        return response


async def head(session: aiohttp.ClientSession, url: str) -> aiohttp.ClientResponse:
    async with session.head(url, headers=TUS) as response:
        return response


def checksum(data: bytes) -> str:
    return f"sha256 {b64(hashlib.sha256(data).digest())}"


async def test_options_say_what_the_inbox_speaks(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    async with session.options(f"{inbox_server.url}/upload/req-a") as response:
        assert response.status == 204
        assert response.headers["Tus-Resumable"] == "1.0.0"
        assert response.headers["Tus-Version"] == "1.0.0"
        assert response.headers["Tus-Extension"] == (
            "creation,checksum,termination,expiration"
        )
        assert response.headers["Tus-Max-Size"] == str(64 * 1024)
        assert response.headers["Tus-Checksum-Algorithm"] == "sha256"


async def test_create_head_patch_stores_the_clip(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    created = await create(session, inbox_server)
    assert created.status == 201
    assert created.headers["Tus-Resumable"] == "1.0.0"
    assert created.headers["Upload-Offset"] == "0"
    assert created.headers["Upload-Expires"].endswith("GMT")
    url = location(inbox_server.url, created)
    assert url.startswith(f"{inbox_server.url}/upload/req-a/")

    half = len(CLIP) // 2
    first = await patch(
        session, url, 0, CLIP[:half], **{"Upload-Checksum": checksum(CLIP[:half])}
    )
    assert (first.status, first.headers["Upload-Offset"]) == (204, str(half))
    status = await head(session, url)
    assert status.status == 200
    assert status.headers["Upload-Offset"] == str(half)
    assert status.headers["Upload-Length"] == str(len(CLIP))
    assert status.headers["Cache-Control"] == "no-store"
    assert inbox_server.app_inbox.receipts() == []

    last = await patch(session, url, half, CLIP[half:])
    assert (last.status, last.headers["Upload-Offset"]) == (204, str(len(CLIP)))
    (receipt,) = inbox_server.app_inbox.receipts()
    assert receipt["sha256"] == hashlib.sha256(CLIP).hexdigest()
    folder = inbox_server.inbox_dir / "req-a" / home_key_id() / receipt["sha256"]
    assert (folder / "clip.mp4").read_bytes() == CLIP
    assert json.loads((folder / "manifest.json").read_text()) == {
        **manifest_for(),
        "gaps": [],  # the inbox stores the parsed manifest: none stated
        "formats": [],
    }
    # The resource is gone with its job done; asking again says "already here".
    assert (await head(session, url)).status == 404
    assert (await create(session, inbox_server)).status == 409


async def test_a_second_creation_resumes_the_unfinished_upload(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    """A home that lost the Location gets the same upload, at its offset."""
    url = location(inbox_server.url, await create(session, inbox_server))
    await patch(session, url, 0, CLIP[:1000])

    again = await create(session, inbox_server)

    assert again.status == 201
    assert location(inbox_server.url, again) == url
    assert again.headers["Upload-Offset"] == "1000"


async def test_a_re_exported_clip_replaces_the_unfinished_upload(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    url = location(inbox_server.url, await create(session, inbox_server))
    await patch(session, url, 0, CLIP[:1000])
    other = CLIP[::-1]

    again = await create(session, inbox_server, creation_headers(other))

    fresh = location(inbox_server.url, again)
    assert fresh != url
    assert again.headers["Upload-Offset"] == "0"
    assert (await head(session, url)).status == 404
    assert (await patch(session, fresh, 0, other)).status == 204
    (receipt,) = inbox_server.app_inbox.receipts()
    assert receipt["sha256"] == hashlib.sha256(other).hexdigest()


async def test_a_chunk_that_does_not_match_its_checksum_is_not_kept(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    url = location(inbox_server.url, await create(session, inbox_server))
    wrong = checksum(b"something else")

    refused = await patch(session, url, 0, CLIP[:500], **{"Upload-Checksum": wrong})

    assert refused.status == 460
    assert (await head(session, url)).headers["Upload-Offset"] == "0"
    assert (await patch(session, url, 0, CLIP)).status == 204


@pytest.mark.parametrize(
    ("headers", "offset", "status", "reason"),
    [
        ({}, 5, 409, "Upload-Offset mismatch"),
        ({"Content-Type": "video/mp4"}, 0, 415, "Content-Type must be"),
        ({"Upload-Offset": "-1"}, 0, 400, "Upload-Offset must be"),
        ({"Upload-Checksum": "md5 AAAA"}, 0, 400, "Upload-Checksum: md5 is not"),
        ({"Upload-Checksum": "sha256 !!"}, 0, 400, "Upload-Checksum: not a base64"),
    ],
)
async def test_a_bad_patch_changes_nothing(  # noqa: PLR0917 - fixtures
    inbox_server: InboxServer,
    session: aiohttp.ClientSession,
    headers: dict[str, str],
    offset: int,
    status: int,
    reason: str,
) -> None:
    url = location(inbox_server.url, await create(session, inbox_server))
    async with session.patch(
        url,
        data=CLIP[:100],
        headers=TUS | OCTETS | {"Upload-Offset": str(offset)} | headers,
    ) as response:
        assert response.status == status
        assert (await response.json())["reason"].startswith(reason)
    assert (await head(session, url)).headers["Upload-Offset"] == "0"


async def test_a_body_past_the_length_is_refused_whole(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    url = location(inbox_server.url, await create(session, inbox_server))
    await patch(session, url, 0, CLIP[:100])

    refused = await patch(session, url, 100, CLIP[100:] + b"extra")

    assert refused.status == 400
    assert (await head(session, url)).headers["Upload-Offset"] == "100"


async def test_bytes_that_do_not_hash_to_the_manifest_are_never_stored(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    url = location(inbox_server.url, await create(session, inbox_server))
    forged = CLIP[:-1] + b"!"

    async with session.patch(
        url, data=forged, headers=TUS | OCTETS | {"Upload-Offset": "0"}
    ) as response:
        assert response.status == 422
        assert (await response.json())["reason"] == (
            "clip sha256 does not match the manifest"
        )
    assert inbox_server.app_inbox.receipts() == []
    assert (await head(session, url)).status == 404


@pytest.mark.parametrize(
    ("headers", "status", "reason"),
    [
        ({"Upload-Metadata": ""}, 400, "Upload-Metadata: manifest required"),
        ({"Upload-Metadata": "manifest !!!"}, 400, "Upload-Metadata: manifest is not"),
        ({"Upload-Metadata": "manifest a b"}, 400, "Upload-Metadata: malformed pair"),
        (
            {"Upload-Metadata": f"manifest {b64(b'x')},manifest {b64(b'y')}"},
            400,
            "Upload-Metadata: manifest given twice",
        ),
        ({"Upload-Length": "12"}, 422, "Upload-Length is 12, manifest says"),
        ({"Upload-Length": "many"}, 400, "Upload-Length must be"),
        ({"Upload-Defer-Length": "1"}, 400, "Upload-Defer-Length is not supported"),
    ],
)
async def test_a_bad_creation_is_refused(
    inbox_server: InboxServer,
    session: aiohttp.ClientSession,
    headers: dict[str, str],
    status: int,
    reason: str,
) -> None:
    async with session.post(
        f"{inbox_server.url}/upload/req-a", headers=creation_headers() | headers
    ) as response:
        assert response.status == status
        assert response.headers["Tus-Resumable"] == "1.0.0"
        assert (await response.json())["reason"].startswith(reason)


async def test_a_clip_that_is_no_mp4_or_too_big_is_refused(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    webm = creation_headers()
    webm["Upload-Metadata"] = webm["Upload-Metadata"].replace(
        b64(b"video/mp4"), b64(b"video/webm")
    )
    assert (await create(session, inbox_server, webm)).status == 415
    big = bytes(70 * 1024)
    assert (await create(session, inbox_server, creation_headers(big))).status == 413


async def test_another_tus_version_is_412(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    headers = creation_headers() | {"Tus-Resumable": "0.2.2"}
    created = await create(session, inbox_server, headers)
    assert (created.status, created.headers["Tus-Version"]) == (412, "1.0.0")
    url = location(inbox_server.url, await create(session, inbox_server))
    for method in ("HEAD", "PATCH", "DELETE"):
        async with session.request(
            method, url, headers={"Tus-Resumable": "0.2.2"}
        ) as response:
            assert response.status == 412


async def test_delete_frees_the_upload(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    url = location(inbox_server.url, await create(session, inbox_server))
    await patch(session, url, 0, CLIP[:100])

    async with session.delete(url, headers=TUS) as response:
        assert response.status == 204

    assert (await head(session, url)).status == 404
    assert list((inbox_server.inbox_dir / "~tus").iterdir()) == []
    async with session.delete(url, headers=TUS) as response:
        assert response.status == 404


async def test_an_upload_url_for_another_request_is_404(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    url = location(inbox_server.url, await create(session, inbox_server))
    assert (await head(session, url.replace("/req-a/", "/req-b/"))).status == 404


async def cut_after(data: bytes) -> AsyncIterator[bytes]:
    """A body that breaks off: what a dropped connection looks like to the inbox."""
    yield data
    await asyncio.sleep(0.05)
    raise ConnectionResetError("cut")


@pytest.mark.parametrize("with_checksum", [False, True])
async def test_a_cut_keeps_what_arrived_unless_a_checksum_covers_it(
    inbox_server: InboxServer, session: aiohttp.ClientSession, with_checksum: bool
) -> None:
    url = location(inbox_server.url, await create(session, inbox_server))
    headers = TUS | OCTETS | {"Upload-Offset": "0"}
    if with_checksum:
        headers["Upload-Checksum"] = checksum(CLIP)
    headers["Content-Length"] = str(len(CLIP))

    with pytest.raises(aiohttp.ClientError):
        async with session.patch(url, data=cut_after(CLIP[:4000]), headers=headers):
            pass

    for _ in range(200):  # the inbox notices the cut on its own time
        offset = (await head(session, url)).headers["Upload-Offset"]
        if offset != "0" or with_checksum:
            break
        await asyncio.sleep(0.01)
    assert offset == ("0" if with_checksum else "4000")
    end = await patch(session, url, int(offset), CLIP[int(offset) :])
    assert end.status == 204
    assert len(inbox_server.app_inbox.receipts()) == 1


async def test_a_resume_interrupts_a_patch_the_inbox_still_holds(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    """The home lost its connection; the inbox has not noticed and holds the upload."""
    url = location(inbox_server.url, await create(session, inbox_server))
    upload = inbox_server.app_tus.get(URL(url).name)
    assert upload is not None, url
    never = asyncio.Event()

    async def stuck() -> AsyncIterator[bytes]:
        yield CLIP[:3000]
        await never.wait()

    headers = TUS | OCTETS | {"Upload-Offset": "0", "Content-Length": str(len(CLIP))}
    async with aiohttp.ClientSession() as other:
        stale = asyncio.create_task(other.patch(url, data=stuck(), headers=headers))
        for _ in range(500):
            if upload.lock.locked() and upload.offset() == 3000:
                break
            await asyncio.sleep(0.01)

        resumed = await head(session, url)

        assert resumed.status == 200
        assert resumed.headers["Upload-Offset"] == "3000"
        with pytest.raises(aiohttp.ClientError):
            await stale
    assert (await patch(session, url, 3000, CLIP[3000:])).status == 204


async def test_unfinished_uploads_survive_a_restart_of_the_inbox(
    inbox_server: InboxServer, session: aiohttp.ClientSession, serve_app: ServeApp
) -> None:
    """The offset is on disk; the commit after a restart re-reads the bytes to hash."""
    url = location(inbox_server.url, await create(session, inbox_server))
    await patch(session, url, 0, CLIP[:5000])
    (inbox_server.inbox_dir / "~tus" / "broken").mkdir()

    inbox = Inbox(inbox_server.inbox_dir, max_clip_bytes=64 * 1024)
    tus = TusStore(inbox_server.inbox_dir)
    base = await serve_app(
        create_app(inbox_server.feed, inbox, admin_token=ADMIN_TOKEN, tus=tus)
    )
    moved = url.replace(inbox_server.url, base)

    assert len(tus) == 1  # the broken folder was dropped
    assert (await head(session, moved)).headers["Upload-Offset"] == "5000"
    assert (await patch(session, moved, 5000, CLIP[5000:])).status == 204
    assert len(inbox.receipts()) == 1


async def test_uploads_for_a_withdrawn_request_are_gone(
    signed_feed: Workspace,
    cli: Cli,
    inbox_server: InboxServer,
    session: aiohttp.ClientSession,
) -> None:
    """Cancelled after the upload began: PATCH, HEAD and creation all say 410."""
    url = location(inbox_server.url, await create(session, inbox_server))
    await patch(session, url, 0, CLIP[:100])
    done = cli(
        "sign", "--key", signed_feed.key, "--publisher", signed_feed.publisher,
        signed_feed.request("req-b"), "--previous", signed_feed.feed,
        "--cancel", "req-a", "--out", signed_feed.feed,
    )  # fmt: skip
    assert done.code == 0, done.err

    async with session.patch(
        url, data=CLIP[100:], headers=TUS | OCTETS | {"Upload-Offset": "100"}
    ) as response:
        assert response.status == 410
    assert (await head(session, url)).status == 404  # dropped with its request
    async with session.post(
        f"{inbox_server.url}/upload/req-a", headers=creation_headers()
    ) as response:
        assert response.status == 410
        assert await response.json() == {
            "status": "withdrawn",
            "reason": "request 'req-a' was cancelled",
        }
    assert inbox_server.app_inbox.receipts() == []
    assert list((inbox_server.inbox_dir / "~tus").iterdir()) == []


async def test_an_expired_request_takes_no_clips(
    tmp_path: Path, workspace: Workspace, cli: Cli, serve_app: ServeApp,
    session: aiohttp.ClientSession,
) -> None:  # fmt: skip
    past = workspace.request(
        "req-a", expires_at="2026-01-02T00:00:00Z", issued_at="2026-01-01T00:00:00Z"
    )
    cli("sign", "--key", workspace.key, "--publisher", workspace.publisher, past,
        "--out", workspace.feed)  # fmt: skip
    app = create_app(
        FeedFile(workspace.feed), Inbox(tmp_path / "inbox"), admin_token=ADMIN_TOKEN
    )
    base = await serve_app(app)

    created = await create(session, base)
    assert created.status == 410
    async with session.post(
        f"{base}/upload/req-a", data=b"x", headers={"Idempotency-Key": "k"}
    ) as response:
        assert response.status == 410
        assert (await response.json())["reason"] == "request 'req-a' has expired"
