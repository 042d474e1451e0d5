"""Whole-feed verification: pinned keys, unsigned feeds, duplicates, revisions."""

from __future__ import annotations

from collections.abc import AsyncIterator
import hashlib
import json
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest

from custom_components.neighborhood_requests.protocol.errors import (
    Problem,
    ProtocolError,
)
from custom_components.neighborhood_requests.protocol.feed import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REQUESTS,
    FeedResult,
    FeedVerifier,
    Rejected,
    read_capped,
    self_verified_statement,
)
from custom_components.neighborhood_requests.protocol.jws import b64url_decode
from custom_components.neighborhood_requests.protocol.model import Feed, Status
from custom_components.neighborhood_requests.protocol.parse import (
    parse_feed,
    parse_request,
)

from .factories import (
    OTHER_JWK,
    OTHER_KEY,
    OTHER_KID,
    TEST_JWK,
    TEST_KEY,
    make_feed,
    make_publisher,
    make_request,
    sign_request,
    sign_statement,
)


def feed_of(*requests: dict[str, Any] | str, **options: Any) -> Feed:
    """A feed of `requests`; without a publisher statement unless asked for."""
    options.setdefault("upload_origins", None)
    return parse_feed(make_feed(list(requests), **options))


def reasons(result: FeedResult) -> list[list[str]]:
    return [[str(p) for p in r.problems] for r in result.rejected]


# --- read_capped ----------------------------------------------------------------------


class Chunks:
    """An endless body that counts how much of it was read."""

    def __init__(self, size: int, count: int | None = None) -> None:
        self.size = size
        self.count = count
        self.served = 0

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._generate()

    async def _generate(self) -> AsyncIterator[bytes]:
        while self.count is None or self.served < self.count:
            self.served += 1
            yield b"x" * self.size


async def test_read_capped_returns_everything_under_the_limit() -> None:
    assert await read_capped(Chunks(10, count=3), limit=30) == b"x" * 30


async def test_read_capped_stops_reading_once_past_the_limit() -> None:
    body = Chunks(1000)  # never ends on its own

    with pytest.raises(ProtocolError) as err:
        await read_capped(body, limit=2500)

    assert str(err.value) == "feed: feed larger than 2500 bytes"
    assert body.served == 3


async def test_read_capped_empty_body() -> None:
    assert await read_capped(Chunks(10, count=0), limit=1) == b""


def test_default_limits() -> None:
    assert DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    assert DEFAULT_MAX_REQUESTS == 5000


# --- signed feeds -------------------------------------------------------------------


def test_signed_feed_is_accepted_and_verified() -> None:
    token = sign_request(make_request())
    verifier = FeedVerifier([TEST_JWK])

    result = verifier.verify(feed_of(token))

    assert result.rejected == ()
    assert result.keys_changed is False
    [accepted] = result.accepted
    assert accepted.verified is True
    assert accepted.kid == "test-key-1"
    assert accepted.digest == hashlib.sha256(token.encode()).hexdigest()
    assert accepted.request.id == "wpd-2026-0412"
    assert result.publisher.id == "wolcott-pd"
    assert verifier.known_revisions == {"wpd-2026-0412": 1}
    assert verifier.known_digests == {"wpd-2026-0412": accepted.digest}


def test_a_new_key_in_the_feed_flags_keys_changed() -> None:
    verifier = FeedVerifier([TEST_JWK])

    result = verifier.verify(feed_of(make_request(), keys=[TEST_JWK, OTHER_JWK]))

    assert result.keys_changed is True
    assert len(result.accepted) == 1  # still signed by the pinned key


def test_a_removed_key_flags_keys_changed() -> None:
    verifier = FeedVerifier([TEST_JWK, OTHER_JWK])

    assert verifier.verify(feed_of(make_request())).keys_changed is True


def test_same_key_under_another_kid_is_not_a_change() -> None:
    renamed = {**TEST_JWK, "kid": "renamed"}
    verifier = FeedVerifier([TEST_JWK])

    result = verifier.verify(feed_of(make_request(), kid="renamed", keys=[renamed]))

    assert result.keys_changed is False
    assert [a.kid for a in result.accepted] == ["renamed"]


def test_request_signed_by_an_unpinned_key_is_rejected() -> None:
    verifier = FeedVerifier([TEST_JWK])
    feed = feed_of(
        make_request(), key=OTHER_KEY, kid=OTHER_KID, keys=[TEST_JWK, OTHER_JWK]
    )

    result = verifier.verify(feed)

    assert result.accepted == ()
    assert result.rejected == (
        Rejected(
            0,
            None,
            (Problem("signature", 'key "other-key-1" is not trusted'),),
            ANY,
        ),
    )


def test_rotated_key_reusing_a_pinned_kid_is_not_trusted() -> None:
    impostor = {**OTHER_JWK, "kid": TEST_JWK["kid"]}
    verifier = FeedVerifier([TEST_JWK])
    feed = feed_of(make_request(), key=OTHER_KEY, kid="test-key-1", keys=[impostor])

    result = verifier.verify(feed)

    assert result.keys_changed is True
    assert reasons(result) == [['signature: key "test-key-1" is not trusted']]


def test_kid_nobody_published_is_unknown() -> None:
    verifier = FeedVerifier([TEST_JWK])

    result = verifier.verify(feed_of(make_request(), kid="ghost"))

    assert reasons(result) == [['signature: unknown kid "ghost"']]


def test_tampered_entry_is_rejected_and_others_kept() -> None:
    good = sign_request(make_request(id="good"))
    header, _, signature = sign_request(make_request(id="bad")).split(".")
    evil_payload = sign_request(make_request(id="evil")).split(".")[1]
    forged = f"{header}.{evil_payload}.{signature}"
    verifier = FeedVerifier([TEST_JWK])

    result = verifier.verify(feed_of(good, forged))

    assert [a.request.id for a in result.accepted] == ["good"]
    assert [(r.index, r.request_id) for r in result.rejected] == [(1, None)]
    assert reasons(result) == [['signature: does not verify with key "test-key-1"']]


def test_signed_but_invalid_request_is_rejected_with_every_problem() -> None:
    data = make_request(id="r-1", status="pending", revision=0)
    verifier = FeedVerifier([TEST_JWK])

    result = verifier.verify(feed_of(data))

    [rejected] = result.rejected
    assert rejected.request_id == "r-1"
    assert [str(p) for p in rejected.problems] == [
        "revision: must be at least 1",
        'status: unknown value "pending" (expected one of active, cancelled, closed)',
    ]


def test_signed_payload_that_is_not_a_request_has_no_id() -> None:
    verifier = FeedVerifier([TEST_JWK])

    result = verifier.verify(feed_of({"id": 5}))

    assert result.rejected[0].request_id is None


# --- unsigned feeds -------------------------------------------------------------------


def test_unsigned_feed_is_rejected_unless_allowed() -> None:
    verifier = FeedVerifier([])

    result = verifier.verify(feed_of(make_request(), signed=False))

    assert result.accepted == ()
    assert result.rejected == (
        Rejected(
            0,
            "wpd-2026-0412",
            (
                Problem(
                    "signature",
                    "unsigned request; this feed is not allowed to be unsigned",
                ),
            ),
            ANY,
        ),
    )


def test_unsigned_feed_is_accepted_as_unverified_when_allowed() -> None:
    verifier = FeedVerifier([], allow_unsigned=True)

    result = verifier.verify(feed_of(make_request(), signed=False))

    [accepted] = result.accepted
    assert accepted.verified is False
    assert accepted.kid is None
    assert len(accepted.digest) == 64
    assert result.keys_changed is False


def test_unsigned_invalid_request_is_rejected() -> None:
    verifier = FeedVerifier([], allow_unsigned=True)

    result = verifier.verify(feed_of(make_request(revision=True), signed=False))

    assert reasons(result) == [["revision: must be an integer, not boolean"]]


def test_unsigned_entry_in_a_signed_feed_is_rejected_even_when_allowed() -> None:
    verifier = FeedVerifier([TEST_JWK], allow_unsigned=True)
    feed = parse_feed(
        {**make_feed([make_request(id="a")]), "requests": [make_request(id="b")]}
    )

    result = verifier.verify(feed)

    assert reasons(result) == [["signature: unsigned request in a signed feed"]]
    assert result.rejected[0].request_id == "b"


def test_unsigned_digest_ignores_member_order() -> None:
    verifier = FeedVerifier([], allow_unsigned=True)
    data = make_request()
    reordered = dict(reversed(list(data.items())))

    first = verifier.verify(feed_of(data, signed=False)).accepted[0]
    second = verifier.verify(feed_of(reordered, signed=False)).accepted[0]

    assert first.digest == second.digest


# --- duplicates and revisions ---------------------------------------------------------


def test_duplicate_ids_reject_both_entries() -> None:
    verifier = FeedVerifier([TEST_JWK])
    feed = feed_of(
        make_request(id="dup"), make_request(id="dup", revision=2), make_request()
    )

    result = verifier.verify(feed)

    assert [a.request.id for a in result.accepted] == ["wpd-2026-0412"]
    assert [(r.index, r.request_id) for r in result.rejected] == [
        (0, "dup"),
        (1, "dup"),
    ]
    assert reasons(result) == [['id: duplicate id "dup" in this feed']] * 2
    assert "dup" not in verifier.known_revisions


def test_revision_going_backwards_is_rejected() -> None:
    verifier = FeedVerifier([TEST_JWK], known_revisions={"wpd-2026-0412": 3})

    result = verifier.verify(feed_of(make_request(revision=2)))

    assert reasons(result) == [["revision: revision 2 is older than 3 already seen"]]
    assert verifier.known_revisions == {"wpd-2026-0412": 3}


def test_higher_revision_replaces_lower() -> None:
    verifier = FeedVerifier([TEST_JWK])
    verifier.verify(feed_of(make_request(revision=1)))

    result = verifier.verify(feed_of(make_request(revision=2, status="cancelled")))

    assert [a.request.revision for a in result.accepted] == [2]
    assert verifier.known_revisions == {"wpd-2026-0412": 2}


def test_old_revision_replayed_after_a_newer_one_is_rejected() -> None:
    old = sign_request(make_request(revision=1))
    verifier = FeedVerifier([TEST_JWK])
    verifier.verify(feed_of(old))
    verifier.verify(feed_of(make_request(revision=2)))

    result = verifier.verify(feed_of(old))

    assert reasons(result) == [["revision: revision 1 is older than 2 already seen"]]


def test_same_revision_with_new_content_is_rejected() -> None:
    verifier = FeedVerifier([TEST_JWK])
    verifier.verify(feed_of(make_request(revision=3)))

    result = verifier.verify(
        feed_of(make_request(revision=3, incident={"type": "x", "summary": "edited"}))
    )

    assert reasons(result) == [
        [
            "revision: revision 3 was already seen with other content; "
            "a publisher must raise the revision to change a request"
        ]
    ]


def test_same_revision_same_content_is_accepted_again() -> None:
    verifier = FeedVerifier([TEST_JWK])
    feed = feed_of(make_request())
    verifier.verify(feed)

    assert len(verifier.verify(feed).accepted) == 1


def test_known_digests_survive_a_restart() -> None:
    first = FeedVerifier([TEST_JWK])
    first.verify(feed_of(make_request()))
    restarted = FeedVerifier(
        [TEST_JWK],
        known_revisions=first.known_revisions,
        known_digests=first.known_digests,
    )

    edited = make_request(public_url="https://feeds.example.org/other")
    result = restarted.verify(feed_of(edited))

    assert reasons(result)[0][0].startswith("revision: revision 1 was already seen")


def test_equal_revision_without_known_digest_is_accepted() -> None:
    verifier = FeedVerifier([TEST_JWK], known_revisions={"wpd-2026-0412": 1})

    assert len(verifier.verify(feed_of(make_request())).accepted) == 1


# --- limits, trusted keys, cache ------------------------------------------------------


def test_more_entries_than_the_cap_are_refused() -> None:
    verifier = FeedVerifier([TEST_JWK], max_requests=1)
    feed = parse_feed(make_feed([make_request(id="a"), make_request(id="b")]))

    with pytest.raises(ProtocolError) as err:
        verifier.verify(feed)

    assert str(err.value) == "requests: 2 entries exceed the limit of 1 per feed"


def test_bad_trusted_key_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError) as err:
        FeedVerifier([{**TEST_JWK, "kty": "RSA"}])

    assert str(err.value) == 'trusted_keys[0].kty: must be "OKP" (Ed25519), not "RSA"'


def test_unchanged_entries_come_from_the_cache() -> None:
    verifier = FeedVerifier([TEST_JWK])
    tokens = [sign_request(make_request(id=f"r-{i}")) for i in range(3)]

    first = verifier.verify(feed_of(*tokens))
    second = verifier.verify(feed_of(*tokens))

    assert second.accepted == first.accepted
    assert all(a is b for a, b in zip(first.accepted, second.accepted, strict=True))


def test_cache_forgets_entries_no_longer_in_the_feed() -> None:
    verifier = FeedVerifier([TEST_JWK])
    a, b = sign_request(make_request(id="a")), sign_request(make_request(id="b"))
    first = verifier.verify(feed_of(a, b))
    verifier.verify(feed_of(b))

    again = verifier.verify(feed_of(a, b))

    assert again.accepted[0] == first.accepted[0]
    assert again.accepted[0] is not first.accepted[0]  # verified afresh
    assert again.accepted[1] is first.accepted[1]


def test_cached_verdicts_do_not_outlive_a_key_change() -> None:
    verifier = FeedVerifier([TEST_JWK])
    token = sign_request(make_request())
    assert len(verifier.verify(feed_of(token)).accepted) == 1
    impostor = {**OTHER_JWK, "kid": TEST_JWK["kid"]}

    result = verifier.verify(feed_of(token, keys=[impostor]))

    assert reasons(result) == [['signature: key "test-key-1" is not trusted']]


def test_cached_rejections_are_reused_too() -> None:
    verifier = FeedVerifier([TEST_JWK])
    feed = feed_of(make_request(), key=TEST_KEY, kid="ghost")

    first = verifier.verify(feed)
    second = verifier.verify(feed)

    assert first.rejected == second.rejected
    assert first.rejected[0].problems is second.rejected[0].problems


def test_accepted_and_rejected_keep_feed_order() -> None:
    verifier = FeedVerifier([TEST_JWK])
    feed = feed_of(
        make_request(id="a"),
        make_request(id="b", status="nope"),
        make_request(id="c"),
        "not-a-jws",
    )

    result = verifier.verify(feed)

    assert [a.request.id for a in result.accepted] == ["a", "c"]
    assert [r.index for r in result.rejected] == [1, 3]


def test_unsigned_entry_with_python_values_is_rejected_not_crashed() -> None:
    verifier = FeedVerifier([], allow_unsigned=True)
    feed = Feed("1", parse_feed(make_feed(signed=False)).publisher, ({"id": {1, 2}},))

    result = verifier.verify(feed)

    assert result.rejected[0].request_id is None
    assert "id: must be a string, not set" in reasons(result)[0]


# --- the worked example in docs/feed-spec.md -----------------------------------------

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"


def test_documented_example_feed_verifies() -> None:
    feed = parse_feed((EXAMPLES / "feed.json").read_bytes())

    result = FeedVerifier(feed.publisher.keys).verify(feed)

    assert result.rejected == ()
    assert [(a.request.id, a.request.status) for a in result.accepted] == [
        ("wpd-2026-0412", Status.ACTIVE),
        ("wpd-2026-0409", Status.CANCELLED),
    ]
    assert all(a.verified and a.kid == "wolcott-pd-2026-11" for a in result.accepted)


def test_documented_example_request_is_the_first_signed_payload() -> None:
    request = json.loads((EXAMPLES / "request.json").read_text())
    feed = json.loads((EXAMPLES / "feed.json").read_text())
    payload = b64url_decode(feed["requests"][0].split(".")[1])

    assert json.loads(payload) == request
    assert (
        payload
        == json.dumps(
            request, separators=(",", ":"), sort_keys=True, ensure_ascii=False
        ).encode()
    )
    assert parse_request(request).id == "wpd-2026-0412"


# --- publisher statement (spec 2.3) ------------------------------------------------


def test_signed_upload_origins_come_with_the_result() -> None:
    feed = feed_of(
        make_request(),
        upload_origins=["https://Inbox.Example.org:443/", "https://up.example.net"],
    )

    result = FeedVerifier([TEST_JWK]).verify(feed)

    assert result.upload_origins == (
        "https://inbox.example.org",
        "https://up.example.net",
    )
    assert result.rejected == ()


def test_without_a_statement_there_are_no_signed_origins() -> None:
    result = FeedVerifier([TEST_JWK]).verify(feed_of(make_request()))

    assert result.upload_origins is None


def test_a_statement_by_an_unpinned_key_is_refused_and_counted() -> None:
    feed = feed_of(
        make_request(),
        upload_origins=["https://evil.example"],
        key=OTHER_KEY,
        kid=OTHER_KID,
        keys=[TEST_JWK, OTHER_JWK],
    )

    result = FeedVerifier([TEST_JWK]).verify(feed)

    assert result.upload_origins is None
    statement = [r for r in result.rejected if r.index == -1]
    assert [str(p) for r in statement for p in r.problems] == [
        'publisher.statement.signature: key "other-key-1" is not trusted'
    ]


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("name", "Totally The Police"),
        ("url", "https://evil.example/"),
        ("kind", "community"),
    ],
)
def test_a_block_edited_after_signing_loses_its_statement(
    member: str, value: str
) -> None:
    """Anyone can edit the block; the statement then speaks for none of it."""
    document = make_feed([make_request()])
    document["publisher"][member] = value

    result = FeedVerifier([TEST_JWK]).verify(parse_feed(document))

    assert result.upload_origins is None
    [refused] = [r for r in result.rejected if r.index == -1]
    assert [str(p) for p in refused.problems] == [
        f"publisher.statement: signed {member} differs from publisher.{member}"
    ]
    assert [a.request.id for a in result.accepted] == ["wpd-2026-0412"]


def test_a_statement_from_another_publisher_is_refused() -> None:
    borrowed = sign_statement(make_publisher(id="other-pd"), ["https://evil.example"])
    document = make_feed([make_request()])
    document["publisher"]["statement"] = borrowed

    result = FeedVerifier([TEST_JWK]).verify(parse_feed(document))

    assert result.upload_origins is None
    assert any(
        str(p) == "publisher.statement: signed id differs from publisher.id"
        for r in result.rejected
        for p in r.problems
    )


def test_self_verified_statement_is_what_a_trust_screen_shows() -> None:
    feed = feed_of(make_request(), upload_origins=["https://inbox.example.org"])

    statement = self_verified_statement(feed.publisher)

    assert statement is not None
    assert statement.upload_origins == ("https://inbox.example.org",)
    assert self_verified_statement(feed_of(make_request()).publisher) is None


def test_a_statement_that_does_not_verify_with_its_own_keys_raises() -> None:
    document = make_feed([make_request()])
    header, payload, _ = document["publisher"]["statement"].split(".")
    document["publisher"]["statement"] = f"{header}.{payload}.{'A' * 86}"

    with pytest.raises(ProtocolError) as err:
        self_verified_statement(parse_feed(document).publisher)

    assert str(err.value) == (
        'publisher.statement.signature: does not verify with key "test-key-1"'
    )
