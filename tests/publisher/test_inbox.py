"""`serve`, inbox side: only a verified, complete clip is stored, and only once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import hashlib
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.parse import parse_manifest
from publisher.inbox import STAGING, Inbox
from publisher.server import FeedFile, create_app
from tests.protocol.factories import HOME_KEY, OTHER_KEY

from .conftest import (
    ADMIN,
    ADMIN_TOKEN,
    CAP_ALERT,
    CLIP,
    InboxServer,
    ServeApp,
    Workspace,
    clip_upload,
    home_key_id,
    manifest_for,
    sign_manifest,
    upload_body,
)


async def post(
    session: aiohttp.ClientSession,
    server: InboxServer,
    body: Any,
    *,
    request_id: str = "req-a",
    key: str | None = "delivery-1",
) -> tuple[int, dict[str, Any]]:
    headers = {"Idempotency-Key": key} if key is not None else {}
    async with session.post(
        f"{server.url}/upload/{request_id}", data=body, headers=headers
    ) as response:
        return response.status, await response.json()


def stored(server: InboxServer) -> list[str]:
    """Every file under the inbox except staging, relative to it."""
    return sorted(
        str(p.relative_to(server.inbox_dir))
        for p in server.inbox_dir.rglob("*")
        if p.is_file() and STAGING not in p.parts
    )


async def test_upload_is_stored_and_listed(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    token = sign_manifest(manifest_for())
    digest = hashlib.sha256(CLIP).hexdigest()

    status, body = await post(session, inbox_server, clip_upload(token))

    assert (status, body) == (201, {"status": "created", "sha256": digest})
    folder = inbox_server.inbox_dir / "req-a" / home_key_id() / digest
    assert (folder / "clip.mp4").read_bytes() == CLIP
    assert (folder / "manifest.jws").read_text().strip() == token
    assert json.loads((folder / "manifest.json").read_text()) == {
        **manifest_for(),
        # The inbox stores the parsed manifest: no gaps, no formats stated.
        "gaps": [],
        "formats": [],
    }
    assert list((inbox_server.inbox_dir / STAGING).iterdir()) == []
    async with session.get(f"{inbox_server.url}/inbox", headers=ADMIN) as response:
        listing = await response.json()
    assert len(listing) == 1
    entry = listing[0]
    assert entry.pop("received_at").endswith("Z")
    assert entry == {
        "request_id": "req-a",
        "home_key_id": home_key_id(),
        "sha256": digest,
        "bytes": len(CLIP),
        "camera": "camera.front_door",
    }


async def test_a_manifest_signed_by_the_integration_is_accepted(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    """What the home's exporter sends (`jws.sign_manifest`) is what the inbox takes."""
    token = jws.sign_manifest(parse_manifest(manifest_for()), HOME_KEY)

    status, body = await post(session, inbox_server, clip_upload(token))

    assert status == 201, body


async def test_the_same_key_with_the_same_clip_is_a_duplicate(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    """A retry whose first answer was lost: 409, which the home counts delivered."""
    token = sign_manifest(manifest_for())
    assert (await post(session, inbox_server, clip_upload(token)))[0] == 201
    before = stored(inbox_server)

    again = sign_manifest(manifest_for(exported_at="2026-11-20T16:05:00Z"))
    status, body = await post(session, inbox_server, clip_upload(again))

    assert (status, body) == (409, {"status": "duplicate"})
    assert stored(inbox_server) == before


async def test_the_same_key_with_other_bytes_is_422(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    """A key names exactly one clip: other bytes under it are refused, not "done"."""
    token = sign_manifest(manifest_for())
    assert (await post(session, inbox_server, clip_upload(token)))[0] == 201
    before = stored(inbox_server)

    other_clip = CLIP + b"more"
    again = clip_upload(sign_manifest(manifest_for(other_clip)), other_clip)
    status, body = await post(session, inbox_server, again)

    assert status == 422
    assert body["status"] == "rejected"
    assert body["reason"].startswith(
        "this Idempotency-Key was already used for another clip"
    )
    assert stored(inbox_server) == before


async def test_the_same_clip_under_a_new_key_is_a_duplicate(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    token = sign_manifest(manifest_for())
    await post(session, inbox_server, clip_upload(token))
    before = stored(inbox_server)

    status, body = await post(
        session, inbox_server, clip_upload(token), key="delivery-2"
    )

    assert (status, body) == (409, {"status": "duplicate"})
    assert stored(inbox_server) == before


async def test_one_home_can_send_one_clip_per_camera(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    garage = CLIP[::-1]
    first = clip_upload(sign_manifest(manifest_for()))
    second = clip_upload(
        sign_manifest(manifest_for(garage, camera="camera.garage")), garage
    )

    assert (await post(session, inbox_server, first))[0] == 201
    assert (await post(session, inbox_server, second, key="delivery-2"))[0] == 201

    async with session.get(f"{inbox_server.url}/inbox", headers=ADMIN) as response:
        cameras = {entry["camera"] for entry in await response.json()}
    assert cameras == {"camera.front_door", "camera.garage"}


async def test_idempotency_keys_survive_a_restart(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    await post(session, inbox_server, clip_upload(sign_manifest(manifest_for())))
    (inbox_server.inbox_dir / "junk" / "x" / "y").mkdir(parents=True)
    (inbox_server.inbox_dir / "junk" / "x" / "y" / "receipt.json").write_text("{bad")
    (inbox_server.inbox_dir / STAGING / "half-upload").mkdir()

    restarted = Inbox(inbox_server.inbox_dir)

    assert restarted.seen(home_key_id(), "delivery-1")
    assert not restarted.seen(home_key_id(), "delivery-2")
    assert [entry["request_id"] for entry in restarted.receipts()] == ["req-a"]
    assert list((inbox_server.inbox_dir / STAGING).iterdir()) == []


async def test_missing_idempotency_key_is_refused(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    body = clip_upload(sign_manifest(manifest_for()))

    status, answer = await post(session, inbox_server, body, key=None)

    assert status == 400
    assert answer == {"status": "rejected", "reason": "Idempotency-Key header required"}
    assert stored(inbox_server) == []


async def test_a_malformed_idempotency_key_is_refused(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    body = clip_upload(sign_manifest(manifest_for()))

    status, answer = await post(session, inbox_server, body, key="x" * 300)

    assert status == 400
    assert "Idempotency-Key must be" in answer["reason"]


async def test_an_unknown_request_is_404(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    body = clip_upload(sign_manifest(manifest_for(request_id="nope")))

    status, answer = await post(session, inbox_server, body, request_id="nope")

    assert status == 404
    assert answer["reason"] == "unknown request 'nope'"


def _forged_signature() -> str:
    """Signed by another key while the header names the home's key."""
    token = sign_manifest(manifest_for())
    forged = sign_manifest(manifest_for(), OTHER_KEY)
    header, payload, _ = token.split(".")
    return f"{header}.{payload}.{forged.split('.')[2]}"


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (_forged_signature(), "manifest: signature: does not verify"),
        (sign_manifest(manifest_for(), header={"kid": "home-1"}),
         "manifest: kid is not the thumbprint of the jwk"),
        (sign_manifest(manifest_for(), header={"jwk": None}),
         "manifest: JWS header needs jwk and kid"),
        (sign_manifest(manifest_for(), header={"jwk": {"kty": "RSA"}}),
         "manifest: jwk.kty"),
        (sign_manifest(manifest_for(home_key_id="someone-else")),
         "manifest: home_key_id"),
        (sign_manifest(manifest_for(bytes="many")), "manifest: bytes"),
        ("not.a.jws", "manifest: malformed JWS"),
        ("caf\u00e9", "manifest: not a JWS compact string"),
    ],
    ids=["forged", "kid-not-thumbprint", "no-jwk", "rsa-jwk", "home-key-id",
         "bad-field", "not-jws", "not-ascii"],
)  # fmt: skip
async def test_a_bad_manifest_is_400(
    inbox_server: InboxServer, session: aiohttp.ClientSession, token: str, reason: str
) -> None:
    status, answer = await post(session, inbox_server, clip_upload(token))

    assert status == 400
    assert answer["status"] == "rejected"
    assert answer["reason"].startswith(reason)
    assert stored(inbox_server) == []


@pytest.mark.parametrize(
    ("clip", "manifest", "reason"),
    [
        (CLIP[:-1] + b"!", manifest_for(), "clip sha256 does not match the manifest"),
        (CLIP[:-10], manifest_for(), f"clip has {len(CLIP) - 10} bytes, manifest says"),
        (CLIP + b"extra", manifest_for(), "clip longer than the manifest's"),
        (CLIP, manifest_for(request_id="req-b"), "manifest is for request 'req-b'"),
        (CLIP, manifest_for(publisher_id="other"), "manifest is for publisher 'other'"),
    ],
)
async def test_a_clip_that_does_not_match_is_422(
    inbox_server: InboxServer,
    session: aiohttp.ClientSession,
    clip: bytes,
    manifest: dict[str, Any],
    reason: str,
) -> None:
    body = clip_upload(sign_manifest(manifest), clip)

    status, answer = await post(session, inbox_server, body)

    assert status == 422
    assert answer["reason"].startswith(reason)
    assert stored(inbox_server) == []
    assert list((inbox_server.inbox_dir / STAGING).iterdir()) == []
    # The key was not used up: the home may retry with a correct upload.
    retry = clip_upload(sign_manifest(manifest_for()))
    assert (await post(session, inbox_server, retry))[0] == 201


async def test_a_clip_over_the_cap_is_413(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    big = bytes(70 * 1024)
    body = clip_upload(sign_manifest(manifest_for(big)), big)

    status, answer = await post(session, inbox_server, body)

    assert status == 413
    assert "exceeds the 65536 byte limit" in answer["reason"]
    assert stored(inbox_server) == []


async def test_an_announced_oversize_body_is_413(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    huge = bytes(400 * 1024)

    status, answer = await post(session, inbox_server, huge)

    assert status == 413
    assert answer["reason"].startswith("upload larger than")


async def test_an_oversize_manifest_is_413(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    body = upload_body([("manifest", "a" * 70_000, None), ("clip", CLIP, "video/mp4")])

    status, answer = await post(session, inbox_server, body)

    assert status == 413
    assert answer["reason"] == "manifest larger than 65536 bytes"


@pytest.mark.parametrize(
    ("parts", "status", "reason"),
    [
        ([("clip", CLIP, "video/mp4")], 400,
         "expected part 'manifest' here, got 'clip'"),
        ([("manifest", "{token}", None)], 400, "missing clip part"),
        ([("manifest", "{token}", None), ("clip", CLIP, "video/webm")], 415,
         "clip must be video/mp4, not video/webm"),
        ([("manifest", "{token}", None), ("clip", CLIP, "video/mp4"),
          ("note", "hi", None)], 400, "unexpected part after clip"),
        ([], 400, "missing manifest part"),
    ],
)  # fmt: skip
async def test_malformed_uploads_are_refused(
    inbox_server: InboxServer,
    session: aiohttp.ClientSession,
    parts: list[tuple[str, bytes | str, str | None]],
    status: int,
    reason: str,
) -> None:
    token = sign_manifest(manifest_for())
    filled = [(n, token if c == "{token}" else c, t) for n, c, t in parts]

    got, answer = await post(session, inbox_server, upload_body(filled))

    assert (got, answer["reason"]) == (status, reason)


async def test_a_non_multipart_body_is_400(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    status, answer = await post(session, inbox_server, b"{}")

    assert status == 400
    assert answer["reason"] == "expected a multipart/form-data body"


async def test_a_multipart_body_without_boundary_is_400(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    async with session.post(
        f"{inbox_server.url}/upload/req-a",
        data=b"--x\r\n",
        headers={"Idempotency-Key": "k", "Content-Type": "multipart/form-data"},
    ) as response:
        assert response.status == 400
        assert (await response.json())["reason"].startswith("malformed multipart body")


async def test_nested_multipart_is_refused(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    outer = aiohttp.MultipartWriter("form-data")
    inner = aiohttp.MultipartWriter("mixed")
    inner.append("x")
    outer.append(inner)

    status, answer = await post(session, inbox_server, outer)

    assert (status, answer["reason"]) == (400, "nested multipart is not accepted")


async def test_uploads_for_a_served_cap_feed(
    tmp_path: Path, serve_app: ServeApp, session: aiohttp.ClientSession
) -> None:
    """CAP names no publisher id, so the manifest's is taken as it is."""
    feed = tmp_path / "alerts.xml"
    # The fixture's alert expired on 2026-11-27; an expired request answers 410.
    feed.write_bytes(CAP_ALERT.replace(b"2026-11-27T", b"2099-11-27T"))
    app = create_app(FeedFile(feed), Inbox(tmp_path / "inbox"), admin_token=ADMIN_TOKEN)
    url = await serve_app(app)
    token = sign_manifest(manifest_for(request_id="WPD-2026-0412", publisher_id="wpd"))

    async with session.get(f"{url}/feed.json") as response:
        assert response.content_type == "application/cap+xml"
        assert await response.read() == feed.read_bytes()
    async with session.post(
        f"{url}/upload/WPD-2026-0412",
        data=clip_upload(token),
        headers={"Idempotency-Key": "cap-1"},
    ) as response:
        assert response.status == 201


async def test_a_retry_arriving_during_the_first_upload_is_told_to_wait(
    signed_feed: Workspace, serve_app: ServeApp, session: aiohttp.ClientSession
) -> None:
    """A retry while the first attempt still streams gets 503, never 409.

    A home counts 409 as delivered; if the first attempt then failed, the clip would
    be lost. 503 with Retry-After makes the home come back, and it stores once.
    (The clip is larger than one read, so the inbox has the whole manifest part,
    and has verified it, before the first upload pauses.)
    """
    inbox = Inbox(signed_feed.root / "inbox", max_clip_bytes=1_000_000)
    app = create_app(FeedFile(signed_feed.feed), inbox, admin_token=ADMIN_TOKEN)
    url = await serve_app(app)
    clip = bytes(range(256)) * 1200
    token = sign_manifest(manifest_for(clip))
    boundary = "publisher-test"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="manifest"\r\n\r\n'
        f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="clip"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    half = len(clip) // 2
    resume = asyncio.Event()

    async def slow_body() -> AsyncIterator[bytes]:
        yield head + clip[:half]
        await resume.wait()
        yield clip[half:] + tail

    headers = {
        "Idempotency-Key": "delivery-1",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    first = asyncio.create_task(
        session.post(f"{url}/upload/req-a", data=slow_body(), headers=headers)
    )
    for _ in range(500):
        if inbox.receiving(home_key_id(), "delivery-1"):
            break
        await asyncio.sleep(0.01)

    async def again() -> tuple[int, dict[str, Any]]:
        async with session.post(
            f"{url}/upload/req-a",
            data=clip_upload(token, clip),
            headers={"Idempotency-Key": "delivery-1"},
        ) as response:
            return response.status, await response.json()

    status, body = await again()
    resume.set()
    response = await first

    assert status == 503
    assert body["status"] == "in_progress"
    assert response.status == 201
    response.release()
    assert len(inbox.receipts()) == 1
    assert await again() == (409, {"status": "duplicate"})


async def test_a_manifest_with_a_member_twice_is_refused(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    """Signed, but readable two ways (req-a by one reader, req-b by another)."""
    good = sign_manifest(manifest_for())
    header, payload, _ = good.split(".")
    body = jws.b64url_decode(payload)[:-1] + b',"request_id":"req-b"}'
    edited = f"{header}.{jws.b64url_encode(body)}"
    signature = HOME_KEY.sign(edited.encode("ascii"))
    token = f"{edited}.{jws.b64url_encode(signature)}"

    status, answer = await post(session, inbox_server, clip_upload(token))

    assert status == 400
    assert answer["reason"] == 'manifest: payload: duplicate key "request_id"'
    assert stored(inbox_server) == []
