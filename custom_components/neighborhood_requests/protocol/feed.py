"""Turning a parsed feed into accepted and rejected requests, cheaply on every re-poll.

A feed is polled often and changes rarely, and each entry costs an Ed25519
verification. Results are therefore cached by the SHA-256 of the entry as
published: an unchanged entry is recognised by one hash and one lookup. What the
cache cannot decide, because it depends on the rest of the feed and on history
(duplicate ids, revisions going backwards), is checked on every call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .errors import Problem, ProtocolError
from .jws import jwk_thumbprint, public_key_from_jwk, verify_jws_with_kid
from .model import Feed, Publisher, PublisherStatement, Rejected, Request, Skipped
from .parse import (
    DEFAULT_MAX_REQUESTS,
    parse_request,
    parse_statement,
    validate_jwk,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REQUESTS",
    "FeedResult",
    "FeedVerifier",
    "Rejected",
    "Skipped",
    "VerifiedRequest",
    "read_capped",
    "self_verified_statement",
    "verify_statement",
]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


async def read_capped(chunks: AsyncIterable[bytes], limit: int) -> bytes:
    """Join `chunks`, giving up as soon as they pass `limit` bytes.

    The rest is never read: a hostile or broken server must not be able to make a
    home download (or hold in memory) more than the cap.
    """
    buffer = bytearray()
    async for chunk in chunks:
        buffer += chunk
        if len(buffer) > limit:
            raise ProtocolError.single("feed", f"feed larger than {limit} bytes")
    return bytes(buffer)


@dataclass(frozen=True, slots=True)
class VerifiedRequest:
    """An accepted entry. `verified` is False only for an allowed unsigned feed."""

    request: Request
    verified: bool
    digest: str
    kid: str | None


@dataclass(frozen=True, slots=True)
class FeedResult:
    """`upload_origins` come from a statement verified with a pinned key, or None."""

    publisher: Publisher
    accepted: tuple[VerifiedRequest, ...]
    rejected: tuple[Rejected, ...]
    keys_changed: bool
    skipped: tuple[Skipped, ...] = ()
    upload_origins: tuple[str, ...] | None = None


STATEMENT_PATH = "publisher.statement"


def verify_statement(
    publisher: Publisher,
    keys: Mapping[str, Ed25519PublicKey],
    *,
    untrusted_kids: Collection[str] = (),
) -> PublisherStatement | None:
    """The publisher's signed statement, checked against `keys`; None if it has none.

    The statement must speak for this very publisher block: a statement copied
    from another feed signed by the same key, or a block whose name was edited
    after signing, is refused rather than half-believed.
    """
    if publisher.statement is None:
        return None
    try:
        payload, _ = verify_jws_with_kid(
            publisher.statement, keys, untrusted_kids=untrusted_kids
        )
        statement = parse_statement(payload)
    except ProtocolError as err:
        raise err.prefixed(STATEMENT_PATH) from None
    signed = {
        "id": statement.id,
        "name": statement.name,
        "kind": statement.kind,
        "url": statement.url,
    }
    shown = {
        "id": publisher.id,
        "name": publisher.name,
        "kind": publisher.kind,
        "url": publisher.url,
    }
    problems = [
        Problem(STATEMENT_PATH, f"signed {name} differs from publisher.{name}")
        for name in signed
        if signed[name] != shown[name]
    ]
    if problems:
        raise ProtocolError(problems)
    return statement


def self_verified_statement(publisher: Publisher) -> PublisherStatement | None:
    """The statement checked with the feed's own keys: what a trust screen shows.

    Trust on first use, like the keys themselves: the owner sees what these
    keys sign and decides; later polls check it against the keys pinned then.
    """
    keys = {jwk["kid"]: public_key_from_jwk(jwk) for jwk in publisher.keys}
    return verify_statement(publisher, keys)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What one entry's content alone decides; safe to reuse while keys stay put."""

    accepted: VerifiedRequest | None
    request_id: str | None
    problems: tuple[Problem, ...] = ()


def _claimed_id(payload: Mapping[str, Any]) -> str | None:
    """The id an entry claims, to name a rejection; never used to accept one."""
    value = payload.get("id")
    return value if isinstance(value, str) else None


class FeedVerifier:
    """Verifies feeds of one publisher against the keys the home pinned.

    One instance lives as long as the feed's config entry: its cache and the
    revisions it has seen are what make a re-poll cheap and replay-proof.
    """

    def __init__(
        self,
        trusted_keys: Sequence[Mapping[str, Any]],
        *,
        allow_unsigned: bool = False,
        max_requests: int = DEFAULT_MAX_REQUESTS,
        known_revisions: Mapping[str, int] | None = None,
        known_digests: Mapping[str, str] | None = None,
    ) -> None:
        self._trusted: dict[str, tuple[str, Ed25519PublicKey]] = {}
        for i, jwk in enumerate(trusted_keys):
            problems = validate_jwk(jwk, f"trusted_keys[{i}]", require_kid=False)
            if problems:
                raise ProtocolError(problems)
            key = public_key_from_jwk(jwk)
            thumbprint = jwk_thumbprint(jwk)
            self._trusted[thumbprint] = (str(jwk.get("kid", thumbprint)), key)
        self._allow_unsigned = allow_unsigned
        self._max_requests = max_requests
        self._revisions: dict[str, int] = dict(known_revisions or {})
        self._digests: dict[str, str] = dict(known_digests or {})
        self._cache: dict[str, _Outcome] = {}
        self._cache_keys: frozenset[tuple[str, str]] | None = None

    @property
    def known_revisions(self) -> dict[str, int]:
        """Highest revision accepted per request id, for the home's store."""
        return dict(self._revisions)

    @property
    def known_digests(self) -> dict[str, str]:
        """Digest of the accepted entry per request id, to spot silent edits."""
        return dict(self._digests)

    def _key_map(
        self, publisher: Publisher
    ) -> tuple[dict[str, Ed25519PublicKey], frozenset[str], bool]:
        """Usable keys by kid, kids the publisher lists but the home did not pin."""
        thumbprints = {kid: tp for tp, (kid, _) in self._trusted.items()}
        untrusted: set[str] = set()
        published: set[str] = set()
        for jwk in publisher.keys:
            thumbprint = jwk_thumbprint(jwk)
            published.add(thumbprint)
            kid = jwk["kid"]
            if thumbprint in self._trusted:
                thumbprints[kid] = thumbprint
            else:
                thumbprints.pop(kid, None)
                untrusted.add(kid)
        key_set = frozenset(thumbprints.items())
        if key_set != self._cache_keys:
            # A cached verdict was reached with other keys; it may not hold now.
            self._cache.clear()
            self._cache_keys = key_set
        usable = {kid: self._trusted[tp][1] for kid, tp in thumbprints.items()}
        return usable, frozenset(untrusted), published != set(self._trusted)

    def verify(self, feed: Feed) -> FeedResult:
        """Split `feed` into accepted and rejected requests and remember revisions."""
        entries = feed.entries
        if len(entries) > self._max_requests:
            raise ProtocolError.single(
                "requests",
                f"{len(entries)} entries exceed the limit of "
                f"{self._max_requests} per feed",
            )
        keys, untrusted, keys_changed = self._key_map(feed.publisher)
        signed_feed = bool(feed.publisher.keys)
        cache = self._cache
        fresh: dict[str, _Outcome] = {}
        outcomes: list[tuple[str, _Outcome]] = []
        for entry in entries:
            if isinstance(entry, str):
                digest = hashlib.sha256(entry.encode("utf-8")).hexdigest()
                outcome = cache.get(digest) or self._check_signed(
                    entry, digest, keys, untrusted
                )
            else:
                digest = hashlib.sha256(_canonical(entry)).hexdigest()
                outcome = cache.get(digest) or self._check_unsigned(
                    entry, digest, signed_feed
                )
            fresh[digest] = outcome
            outcomes.append((digest, outcome))
        # Only what the current feed holds is worth remembering.
        self._cache = fresh
        result = self._decide(feed.publisher, outcomes, keys_changed)
        origins, refused = self._statement(feed.publisher, keys, untrusted)
        return replace(
            result,
            rejected=(*refused, *feed.rejected, *result.rejected),
            skipped=feed.skipped,
            upload_origins=origins,
        )

    def _statement(
        self,
        publisher: Publisher,
        keys: Mapping[str, Ed25519PublicKey],
        untrusted: frozenset[str],
    ) -> tuple[tuple[str, ...] | None, tuple[Rejected, ...]]:
        """Signed upload origins, or the reasons the statement cannot be believed."""
        try:
            statement = verify_statement(publisher, keys, untrusted_kids=untrusted)
        except ProtocolError as err:
            assert publisher.statement is not None
            digest = hashlib.sha256(publisher.statement.encode()).hexdigest()
            return None, (Rejected(-1, None, err.problems, digest),)
        return (None if statement is None else statement.upload_origins), ()

    def _check_signed(
        self,
        token: str,
        digest: str,
        keys: Mapping[str, Ed25519PublicKey],
        untrusted: frozenset[str],
    ) -> _Outcome:
        try:
            payload, kid = verify_jws_with_kid(token, keys, untrusted_kids=untrusted)
        except ProtocolError as err:
            return _Outcome(None, None, err.problems)
        try:
            request = parse_request(payload)
        except ProtocolError as err:
            return _Outcome(None, _claimed_id(payload), err.problems)
        return _Outcome(VerifiedRequest(request, True, digest, kid), request.id)

    def _check_unsigned(
        self, entry: Mapping[str, Any], digest: str, signed_feed: bool
    ) -> _Outcome:
        claimed = _claimed_id(entry)
        if signed_feed:
            return _Outcome(
                None,
                claimed,
                (Problem("signature", "unsigned request in a signed feed"),),
            )
        if not self._allow_unsigned:
            return _Outcome(
                None,
                claimed,
                (
                    Problem(
                        "signature",
                        "unsigned request; this feed is not allowed to be unsigned",
                    ),
                ),
            )
        try:
            request = parse_request(entry)
        except ProtocolError as err:
            return _Outcome(None, claimed, err.problems)
        return _Outcome(VerifiedRequest(request, False, digest, None), request.id)

    def _decide(
        self,
        publisher: Publisher,
        outcomes: Sequence[tuple[str, _Outcome]],
        keys_changed: bool,
    ) -> FeedResult:
        """Feed-wide and history rules, which no cache entry can answer alone."""
        counts = Counter(
            o.accepted.request.id for _, o in outcomes if o.accepted is not None
        )
        accepted: list[VerifiedRequest] = []
        rejected: list[Rejected] = []
        for index, (digest, outcome) in enumerate(outcomes):
            verified = outcome.accepted
            if verified is None:
                rejected.append(
                    Rejected(index, outcome.request_id, outcome.problems, digest)
                )
                continue
            request = verified.request
            problem = self._history_problem(request, digest, counts[request.id])
            if problem is not None:
                rejected.append(Rejected(index, request.id, (problem,), digest))
                continue
            self._revisions[request.id] = request.revision
            self._digests[request.id] = digest
            accepted.append(verified)
        return FeedResult(publisher, tuple(accepted), tuple(rejected), keys_changed)

    def _history_problem(
        self, request: Request, digest: str, count: int
    ) -> Problem | None:
        if count > 1:
            return Problem("id", f"duplicate id {json.dumps(request.id)} in this feed")
        seen = self._revisions.get(request.id)
        if seen is None:
            return None
        if request.revision < seen:
            return Problem(
                "revision",
                f"revision {request.revision} is older than {seen} already seen",
            )
        known_digest = self._digests.get(request.id)
        if request.revision == seen and known_digest not in (None, digest):
            return Problem(
                "revision",
                f"revision {request.revision} was already seen with other content; "
                "a publisher must raise the revision to change a request",
            )
        return None


def _canonical(entry: Mapping[str, Any]) -> bytes:
    try:
        text = json.dumps(entry, separators=(",", ":"), sort_keys=True)
    except TypeError, ValueError:
        text = repr(entry)
    return text.encode("utf-8", "surrogatepass")
