"""`sign`: request files become a signed feed; revisions only go up, never by hand."""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import pytest

from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.feed import (
    FeedVerifier,
    self_verified_statement,
)
from custom_components.neighborhood_requests.protocol.model import Request, Status
from custom_components.neighborhood_requests.protocol.parse import parse_feed
from tests.protocol.factories import OTHER_JWK, PUBLISHER_ID

from .conftest import Cli, Workspace


def requests_in(feed_path: Path) -> dict[str, Request]:
    """The feed's requests, verified with the keys the feed itself publishes."""
    feed = parse_feed(feed_path.read_bytes())
    result = FeedVerifier(feed.publisher.keys).verify(feed)
    assert result.rejected == ()
    return {item.request.id: item.request for item in result.accepted}


def sign(cli: Cli, ws: Workspace, *args: str | Path, out: Path | None = None) -> None:
    result = cli(
        "sign",
        "--key",
        ws.key,
        "--publisher",
        ws.publisher,
        *args,
        "--out",
        out or ws.feed,
    )
    assert result.code == 0, result.err


def test_sign_builds_a_feed_that_verifies_with_the_key(
    workspace: Workspace, cli: Cli
) -> None:
    result = cli(
        "sign",
        "--key",
        workspace.key,
        "--publisher",
        workspace.publisher,
        workspace.request("req-a"),
        workspace.request("req-b"),
        "--out",
        workspace.feed,
    )

    assert result.code == 0, result.err
    assert "signed 2 requests" in result.out
    document = json.loads(workspace.feed.read_text())
    assert document["crf"] == "1"
    assert document["publisher"]["id"] == PUBLISHER_ID
    assert document["publisher"]["keys"] == [workspace.jwk_data()]
    assert all(isinstance(entry, str) for entry in document["requests"])
    assert set(requests_in(workspace.feed)) == {"req-a", "req-b"}
    header = jwt.get_unverified_header(document["requests"][0])
    assert header["alg"] == "EdDSA"
    assert header["kid"] == workspace.jwk_data()["kid"]
    assert [p.name for p in workspace.root.iterdir() if p.name.endswith(".tmp")] == []


def test_sign_with_no_requests_builds_an_empty_feed(
    workspace: Workspace, cli: Cli
) -> None:
    sign(cli, workspace)

    assert json.loads(workspace.feed.read_text())["requests"] == []


def test_sign_refuses_invalid_requests_naming_each_file(
    workspace: Workspace, cli: Cli
) -> None:
    good = workspace.request("good")
    bad_window = workspace.request(
        "bad-window",
        window={"start": "2026-11-20T14:00:00Z", "end": "2026-11-20T13:00:00Z"},
    )
    bad_id = workspace.request("bad-id", id="../etc", revision=0)

    result = cli(
        "sign", "--key", workspace.key, "--publisher", workspace.publisher,
        good, bad_window, bad_id, "--out", workspace.feed,
    )  # fmt: skip

    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1
    assert f"{bad_window}: window.end: must be after window.start" in result.err
    assert f"{bad_id}: " in result.err
    assert "id: must not contain path separators" in result.err
    assert "revision: must be at least 1" in result.err
    assert str(good) not in result.err
    assert not workspace.feed.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"id": "a", "id": "b"}', 'duplicate key "id"'),
        ('{"summary": "\\udc00"}', "contains a lone surrogate"),
        (None, "cannot read"),
    ],
)
def test_sign_refuses_unreadable_request_files(
    workspace: Workspace, cli: Cli, content: str | None, message: str
) -> None:
    path = workspace.root / "broken.json"
    if content is not None:
        path.write_text(content)

    result = cli(
        "sign", "--key", workspace.key, "--publisher", workspace.publisher, path,
        "--out", workspace.feed,
    )  # fmt: skip

    assert result.code == 1
    assert str(path) in result.err
    assert message in result.err


def test_sign_refuses_duplicate_ids(workspace: Workspace, cli: Cli) -> None:
    first = workspace.request("one", id="same")
    second = workspace.request("two", id="same")

    result = cli(
        "sign", "--key", workspace.key, "--publisher", workspace.publisher,
        first, second, "--out", workspace.feed,
    )  # fmt: skip

    assert result.code == 1
    assert f"{second}: id 'same' already used by {first}" in result.err


def test_revision_is_kept_when_nothing_changed(workspace: Workspace, cli: Cli) -> None:
    request = workspace.request("req-a", revision=3)
    sign(cli, workspace, request)
    first = workspace.feed.read_bytes()
    again = workspace.root / "again.json"

    sign(cli, workspace, request, "--previous", workspace.feed, out=again)

    assert requests_in(again)["req-a"].revision == 3
    # Ed25519 is deterministic: an unchanged request is byte-identical, so homes
    # recognise it by its digest without verifying again.
    assert json.loads(again.read_text())["requests"] == json.loads(first)["requests"]


def test_revision_goes_up_when_content_changed(workspace: Workspace, cli: Cli) -> None:
    sign(cli, workspace, workspace.request("req-a", revision=3))
    changed = workspace.request(
        "req-a", revision=1, incident={"type": "burglary", "summary": "Updated."}
    )
    updated = workspace.root / "updated.json"

    sign(cli, workspace, changed, "--previous", workspace.feed, out=updated)

    assert requests_in(updated)["req-a"].revision == 4


def test_a_higher_revision_in_the_file_wins(workspace: Workspace, cli: Cli) -> None:
    sign(cli, workspace, workspace.request("req-a", revision=2))
    ahead = workspace.request("req-a", revision=9, public_url=None)
    updated = workspace.root / "updated.json"

    sign(cli, workspace, ahead, "--previous", workspace.feed, out=updated)

    assert requests_in(updated)["req-a"].revision == 9


def test_cancel_a_request_given_as_input(workspace: Workspace, cli: Cli) -> None:
    sign(cli, workspace, workspace.request("req-a", revision=2), "--cancel", "req-a")

    request = requests_in(workspace.feed)["req-a"]
    assert request.status is Status.CANCELLED
    assert request.revision == 3


def test_cancel_a_request_only_in_the_previous_feed(
    workspace: Workspace, cli: Cli
) -> None:
    other = workspace.request("b")
    sign(cli, workspace, workspace.request("req-a", revision=2), other)
    cancelled = workspace.root / "cancelled.json"
    repeated = workspace.root / "repeated.json"

    sign(
        cli, workspace, other, "--previous", workspace.feed,
        "--cancel", "req-a", out=cancelled,
    )  # fmt: skip
    sign(
        cli, workspace, other, "--previous", cancelled,
        "--cancel", "req-a", out=repeated,
    )  # fmt: skip

    after = requests_in(cancelled)
    assert after["req-a"].status is Status.CANCELLED
    assert after["req-a"].revision == 3
    assert after["b"].revision == 1
    # Cancelling again changes nothing, so the revision stays.
    assert requests_in(repeated)["req-a"].revision == 3


def test_cancel_an_unknown_id_fails(workspace: Workspace, cli: Cli) -> None:
    result = cli(
        "sign", "--key", workspace.key, "--publisher", workspace.publisher,
        workspace.request("req-a"), "--cancel", "nope", "--out", workspace.feed,
    )  # fmt: skip

    assert result.code == 1
    assert "--cancel nope: no such request" in result.err
    assert not workspace.feed.exists()


def test_sign_uses_the_kid_recorded_by_keygen(tmp_path: Path, cli: Cli) -> None:
    cli("keygen", "--out", tmp_path / "k", "--kid", "wpd-2026")
    ws = Workspace(
        tmp_path, tmp_path / "k/publisher.key", tmp_path / "k/publisher.jwk.json",
        tmp_path / "publisher.json", tmp_path / "feed.json",
    )  # fmt: skip
    ws.publisher.write_text(
        json.dumps(
            {
                "id": "p",
                "name": "P",
                "kind": "community",
                "url": "https://feeds.example.org/",
            }
        )
    )

    sign(cli, ws, ws.request("req-a"))

    document = json.loads(ws.feed.read_text())
    assert document["publisher"]["keys"][0]["kid"] == "wpd-2026"
    assert jwt.get_unverified_header(document["requests"][0])["kid"] == "wpd-2026"


def test_sign_kid_option_overrides(workspace: Workspace, cli: Cli) -> None:
    sign(cli, workspace, workspace.request("req-a"), "--kid", "override")

    document = json.loads(workspace.feed.read_text())
    assert document["publisher"]["keys"][0]["kid"] == "override"
    assert "req-a" in requests_in(workspace.feed)


@pytest.mark.parametrize("sibling", ["{broken", '{"x": "someone-else", "kid": "k"}'])
def test_a_foreign_or_broken_sibling_jwk_falls_back_to_the_thumbprint(
    workspace: Workspace, cli: Cli, sibling: str
) -> None:
    workspace.jwk.write_text(sibling)

    sign(cli, workspace, workspace.request("req-a"))

    key = json.loads(workspace.feed.read_text())["publisher"]["keys"][0]
    assert key["kid"] == jws.jwk_thumbprint(key)


def test_sign_without_a_sibling_jwk_uses_the_thumbprint(
    workspace: Workspace, cli: Cli
) -> None:
    workspace.jwk.unlink()

    sign(cli, workspace, workspace.request("req-a"))

    key = json.loads(workspace.feed.read_text())["publisher"]["keys"][0]
    assert key["kid"] == jws.jwk_thumbprint(key)


def test_other_published_keys_are_kept_for_rotation(
    workspace: Workspace, cli: Cli
) -> None:
    publisher = json.loads(workspace.publisher.read_text())
    publisher["keys"] = [OTHER_JWK, workspace.jwk_data()]
    workspace.publisher.write_text(json.dumps(publisher))

    sign(cli, workspace, workspace.request("req-a"))

    keys = json.loads(workspace.feed.read_text())["publisher"]["keys"]
    assert keys == [workspace.jwk_data(), OTHER_JWK]


@pytest.mark.parametrize(
    ("publisher", "message"),
    [
        ({"id": "p", "kind": "community", "url": "https://x.example/"},
         "publisher file: publisher.name: is required"),
        ([1, 2], "publisher file must hold a JSON object"),
    ],
)  # fmt: skip
def test_sign_refuses_a_bad_publisher_file(
    workspace: Workspace, cli: Cli, publisher: object, message: str
) -> None:
    workspace.publisher.write_text(json.dumps(publisher))

    result = cli(
        "sign", "--key", workspace.key, "--publisher", workspace.publisher,
        "--out", workspace.feed,
    )  # fmt: skip

    assert result.code == 1
    assert message in result.err


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read key"), (b"not a key", "not a readable")],
)
def test_sign_refuses_a_bad_key(
    workspace: Workspace, cli: Cli, content: bytes | None, message: str
) -> None:
    key = workspace.root / "other.key"
    if content is not None:
        key.write_bytes(content)

    result = cli(
        "sign",
        "--key",
        key,
        "--publisher",
        workspace.publisher,
        "--out",
        workspace.feed,
    )

    assert result.code == 1
    assert message in result.err


def test_sign_refuses_a_previous_feed_that_does_not_verify(
    signed_feed: Workspace, cli: Cli
) -> None:
    document = json.loads(signed_feed.feed.read_text())
    document["publisher"]["keys"] = [
        OTHER_JWK | {"kid": document["publisher"]["keys"][0]["kid"]}
    ]
    signed_feed.feed.write_text(json.dumps(document))

    result = cli(
        "sign", "--key", signed_feed.key, "--publisher", signed_feed.publisher,
        "--previous", signed_feed.feed, "--out", signed_feed.root / "new.json",
    )  # fmt: skip

    assert result.code == 1
    assert "previous feed has an invalid request (#0: signature: " in result.err


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read"), ('{"crf": "2"}', "crf: unsupported")],
)
def test_sign_refuses_an_unreadable_previous_feed(
    workspace: Workspace, cli: Cli, content: str | None, message: str
) -> None:
    previous = workspace.root / "previous.json"
    if content is not None:
        previous.write_text(content)

    result = cli(
        "sign", "--key", workspace.key, "--publisher", workspace.publisher,
        "--previous", previous, "--out", workspace.feed,
    )  # fmt: skip

    assert result.code == 1
    assert message in result.err


def test_sign_replaces_an_existing_feed_atomically(
    signed_feed: Workspace, cli: Cli
) -> None:
    inode = signed_feed.feed.stat().st_ino

    sign(cli, signed_feed, signed_feed.request("req-c"))

    assert signed_feed.feed.stat().st_ino != inode
    assert set(requests_in(signed_feed.feed)) == {"req-c"}
    assert [p.name for p in signed_feed.root.iterdir() if p.name.endswith(".tmp")] == []


def test_upload_origins_are_signed_in_the_statement(
    workspace: Workspace, cli: Cli
) -> None:
    """publisher.json names them; the feed carries them only inside the signature."""
    publisher = json.loads(workspace.publisher.read_text())
    publisher["upload_origins"] = ["https://Inbox.Example.org:443"]
    workspace.publisher.write_text(json.dumps(publisher))

    sign(cli, workspace, workspace.request("req-a"))

    document = json.loads(workspace.feed.read_text())
    assert "upload_origins" not in document["publisher"]
    feed = parse_feed(document)
    statement = self_verified_statement(feed.publisher)
    assert statement is not None
    assert statement.upload_origins == ("https://inbox.example.org",)
    assert statement.name == feed.publisher.name


@pytest.mark.parametrize(
    ("origins", "message"),
    [
        (["https://inbox.example.org/upload"], "must be an origin"),
        (["https://inbox.example.org", "https://inbox.example.org/"], "duplicate"),
        ("https://inbox.example.org", "must be an array of origins"),
    ],
)
def test_sign_refuses_upload_origins_that_are_not_origins(
    workspace: Workspace, cli: Cli, origins: object, message: str
) -> None:
    publisher = json.loads(workspace.publisher.read_text())
    publisher["upload_origins"] = origins
    workspace.publisher.write_text(json.dumps(publisher))

    result = cli(
        "sign", "--key", workspace.key, "--publisher", workspace.publisher,
        workspace.request("req-a"), "--out", workspace.feed,
    )  # fmt: skip

    assert result.code == 1
    assert "publisher file: publisher.statement.upload_origins" in result.err
    assert message in result.err
    assert not workspace.feed.exists()
