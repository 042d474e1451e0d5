"""Turning request files into a signed feed, with revisions that only ever go up.

A home ignores a request whose revision does not rise, so the publisher, not the
person editing JSON by hand, is the one who keeps count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import dataclasses
import json
from pathlib import Path
from typing import Any

from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.feed import (
    FeedVerifier,
    self_verified_statement,
)
from custom_components.neighborhood_requests.protocol.jws import SigningKey
from custom_components.neighborhood_requests.protocol.model import (
    CRF_VERSION,
    Request,
    Status,
)
from custom_components.neighborhood_requests.protocol.parse import (
    STATEMENT_VERSION,
    parse_feed,
    parse_request,
    request_to_dict,
)
from custom_components.neighborhood_requests.protocol.strict_json import (
    read_json as read_strict_json,
)
from publisher.atomic import write_atomic
from publisher.errors import PublisherError


def read_json(path: Path) -> Any:
    """A JSON file read as strictly as a home reads the feed, or a PublisherError.

    A request file with a duplicate member or a lone surrogate would be signed
    as the publisher never meant it (or not be writable by a home at all).
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PublisherError(f"cannot read {path}: {err.strerror}") from None
    try:
        return read_strict_json(data, str(path))
    except ProtocolError as err:
        raise PublisherError(str(err)) from None


def load_requests(paths: Sequence[Path]) -> list[Request]:
    """Parse every request file, reporting every problem of every file at once."""
    requests: list[Request] = []
    failures: list[str] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            request = parse_request(read_json(path))
        except ProtocolError as err:
            failures.append(f"{path}: {err}")
            continue
        if request.id in seen:
            failures.append(
                f"{path}: id {request.id!r} already used by {seen[request.id]}"
            )
            continue
        seen[request.id] = path
        requests.append(request)
    if failures:
        raise PublisherError("invalid requests: " + " | ".join(failures))
    return requests


def previous_requests(path: Path) -> dict[str, Request]:
    """Requests of an earlier feed, checked against that feed's own keys."""
    try:
        feed = parse_feed(path.read_bytes())
    except OSError as err:
        raise PublisherError(f"cannot read {path}: {err.strerror}") from None
    except ProtocolError as err:
        raise PublisherError(f"{path}: {err}") from None
    verifier = FeedVerifier(
        feed.publisher.keys,
        allow_unsigned=True,
        max_requests=max(len(feed.entries), 1),
    )
    result = verifier.verify(feed)
    # Only the requests matter here; the statement is signed anew.
    if rejected := [r for r in result.rejected if r.index >= 0]:
        first = rejected[0]
        reasons = "; ".join(str(p) for p in first.problems)
        raise PublisherError(
            f"{path}: previous feed has an invalid request "
            f"({first.request_id or f'#{first.index}'}: {reasons})"
        )
    return {item.request.id: item.request for item in result.accepted}


def next_revision(request: Request, previous: Request | None) -> Request:
    """Keep the revision if nothing changed, otherwise one past the previous one."""
    if previous is None:
        return request
    unchanged = dataclasses.replace(request, revision=previous.revision) == previous
    floor = previous.revision if unchanged else previous.revision + 1
    return dataclasses.replace(request, revision=max(request.revision, floor))


def apply_cancellations(
    requests: list[Request], previous: Mapping[str, Request], cancel: Sequence[str]
) -> list[Request]:
    """Mark the `--cancel` ids cancelled, from the inputs or else the previous feed."""
    by_id = {r.id: r for r in requests}
    for request_id in cancel:
        source = by_id.get(request_id) or previous.get(request_id)
        if source is None:
            raise PublisherError(
                f"--cancel {request_id}: no such request in the inputs or --previous"
            )
        # Without a previous feed to count from, the input's own revision is the
        # one homes saw, so the cancellation must go one past it.
        bump = request_id not in previous and source.status is not Status.CANCELLED
        by_id[request_id] = dataclasses.replace(
            source, status=Status.CANCELLED, revision=source.revision + int(bump)
        )
    return list(by_id.values())


def publisher_object(publisher: object, key: SigningKey) -> dict[str, Any]:
    """The feed's publisher block: the signing key first, and a signed statement.

    Other keys listed in the publisher file stay, so a rotation can announce the
    next key before it signs anything. The file's `upload_origins` (the
    publisher's inboxes besides the feed's own origin) go into the statement,
    which the key signs together with the block's id, name, kind and url: homes
    believe only what is signed (docs/feed-spec.md, 2.3).
    """
    if not isinstance(publisher, dict):
        raise PublisherError("publisher file must hold a JSON object")
    extra = [
        k
        for k in publisher.get("keys", [])
        if isinstance(k, dict) and k.get("kid") != key.kid
    ]
    block = {
        name: value
        for name, value in publisher.items()
        if name not in ("upload_origins", "statement")
    }
    statement = {
        "crf_publisher": STATEMENT_VERSION,
        **{name: publisher.get(name) for name in ("id", "name", "kind", "url")},
        "upload_origins": publisher.get("upload_origins") or [],
    }
    return {
        **block,
        "keys": [key.jwk, *extra],
        "statement": jws.sign_json(statement, key.private_key, key.kid),
    }


def build_feed(
    key: SigningKey,
    publisher: object,
    requests: Sequence[Request],
    *,
    previous: Mapping[str, Request] | None = None,
    cancel: Sequence[str] = (),
) -> dict[str, Any]:
    """The signed feed document; checked by the same parser a home uses."""
    previous = previous or {}
    final = [
        next_revision(r, previous.get(r.id))
        for r in apply_cancellations(list(requests), previous, cancel)
    ]
    document = {
        "crf": CRF_VERSION,
        "publisher": publisher_object(publisher, key),
        "requests": [
            jws.sign_json(request_to_dict(r), key.private_key, key.kid) for r in final
        ],
    }
    try:
        self_verified_statement(parse_feed(document).publisher)
    except ProtocolError as err:
        raise PublisherError(f"publisher file: {err}") from None
    return document


def write_feed(path: Path, document: Mapping[str, Any]) -> None:
    """Atomically, so a server re-reading the file never serves half of it."""
    write_atomic(path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
