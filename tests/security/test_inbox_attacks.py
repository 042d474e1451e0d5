"""The reference inbox, attacked over real HTTP as an outsider would.

An outsider can read the public feed (so knows every request id) and can sign
manifests with a key of their own. What they must not get: the list of what
homes sent, a home's idempotency key, or a way to make a home's real upload
count as delivered without it arriving.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from custom_components.neighborhood_requests.delivery.outbox import idempotency_key
from custom_components.neighborhood_requests.protocol.jws import (
    jwk_thumbprint,
    public_jwk,
)
from tests.protocol.factories import OTHER_KEY, PUBLISHER_ID
from tests.publisher.conftest import (
    ADMIN,
    ADMIN_TOKEN,
    CLIP,
    InboxServer,
    clip_upload,
    home_key_id,
    manifest_for,
    sign_manifest,
)

OUTSIDER_KID = jwk_thumbprint(public_jwk(OTHER_KEY))
# What the home sends for its share, derivable by anyone who knows its key id.
HOME_KEY = idempotency_key(PUBLISHER_ID, "req-a", home_key_id(), "camera.front_door")


async def post(
    session: aiohttp.ClientSession, server: InboxServer, body: Any, key: str
) -> tuple[int, dict[str, Any]]:
    async with session.post(
        f"{server.url}/upload/req-a", data=body, headers={"Idempotency-Key": key}
    ) as response:
        return response.status, await response.json()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-of-the-right-size"},
        {"Authorization": f"Basic {ADMIN_TOKEN}"},
        {"Authorization": f"Bearer {ADMIN_TOKEN[:-1]}"},
        {"Authorization": "Bearer"},
    ],
    ids=["no-token", "wrong-token", "wrong-scheme", "prefix-of-token", "empty"],
)
async def test_an_outsider_cannot_list_the_inbox(
    inbox_server: InboxServer,
    session: aiohttp.ClientSession,
    headers: dict[str, str],
) -> None:
    """The listing names every home key id and camera that shared: 401 and nothing."""
    await post(session, inbox_server, clip_upload(sign_manifest(manifest_for())), "k")

    async with session.get(f"{inbox_server.url}/inbox", headers=headers) as response:
        body = await response.text()
        assert response.status == 401
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="inbox"'
    assert home_key_id() not in body
    assert "camera.front_door" not in body

    async with session.get(f"{inbox_server.url}/inbox", headers=ADMIN) as response:
        assert response.status == 200
        (listed,) = await response.json()
    assert listed["home_key_id"] == home_key_id()


async def test_an_outsider_cannot_claim_a_homes_idempotency_key(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    """The outsider uploads first under the home's key, with their own signed clip.

    Before, the home's real upload then got 409 and counted as delivered though
    the inbox held the outsider's clip. The key is bound to the manifest's
    signer: the home's clip is stored as well, and only the home's 409 is real.
    """
    junk = b"not the home's footage" * 100
    forged = manifest_for(junk, home_key_id=OUTSIDER_KID, camera="camera.front_door")
    outsider = clip_upload(sign_manifest(forged, OTHER_KEY), junk)
    assert (await post(session, inbox_server, outsider, HOME_KEY))[0] == 201

    home = clip_upload(sign_manifest(manifest_for()))
    status, body = await post(session, inbox_server, home, HOME_KEY)

    assert status == 201, body
    stored = {r["home_key_id"]: r["bytes"] for r in inbox_server.app_inbox.receipts()}
    assert stored == {OUTSIDER_KID: len(junk), home_key_id(): len(CLIP)}
    again = clip_upload(sign_manifest(manifest_for()))
    assert await post(session, inbox_server, again, HOME_KEY) == (
        409,
        {"status": "duplicate"},
    )


async def test_an_outsider_cannot_borrow_a_homes_key_id(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    """Naming the home's key id in a manifest signed by another key is refused."""
    claimed = manifest_for(home_key_id=home_key_id())
    status, body = await post(
        session, inbox_server, clip_upload(sign_manifest(claimed, OTHER_KEY)), HOME_KEY
    )

    assert status == 400
    assert body["reason"].startswith("manifest: home_key_id")
    assert inbox_server.app_inbox.receipts() == []
    home = clip_upload(sign_manifest(manifest_for()))
    assert (await post(session, inbox_server, home, HOME_KEY))[0] == 201


async def test_other_bytes_under_a_used_key_are_422_never_409(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    """Same home, same key, other clip: a refusal the home records, not "done"."""
    first = clip_upload(sign_manifest(manifest_for()))
    assert (await post(session, inbox_server, first, HOME_KEY))[0] == 201
    other = CLIP[::-1]
    second = clip_upload(sign_manifest(manifest_for(other)), other)

    status, body = await post(session, inbox_server, second, HOME_KEY)

    assert status == 422
    assert "already used for another clip" in body["reason"]
    assert len(inbox_server.app_inbox.receipts()) == 1
