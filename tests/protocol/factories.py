"""Valid protocol objects for tests: fixed keys, one good request, signed feeds.

Each test states only what it changes (`make_request(status="cancelled")`), so the
reader sees the one difference that matters. Keys are derived from fixed seeds so
fingerprints in snapshots and failure messages stay the same from run to run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from custom_components.neighborhood_requests.protocol.jws import (
    public_jwk,
    public_key_from_jwk,
    sign_json,
)
from custom_components.neighborhood_requests.protocol.parse import (
    STATEMENT_VERSION,
    format_timestamp,
)

TEST_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
TEST_KID = "test-key-1"
TEST_JWK = public_jwk(TEST_KEY, TEST_KID)

OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(100, 132)))
OTHER_KID = "other-key-1"
OTHER_JWK = public_jwk(OTHER_KEY, OTHER_KID)

HOME_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(200, 232)))
HOME_KID = "home-key-1"
HOME_JWK = public_jwk(HOME_KEY, HOME_KID)

PUBLISHER_ID = "wolcott-pd"
PUBLISHER_URL = "https://feeds.example.org/"
UPLOAD_URL = "https://feeds.example.org/upload"
# Signed in the publisher statement of every signed feed, so homes trust it.
UPLOAD_ORIGIN = "https://feeds.example.org"

# A fixed "now" keeps tests reproducible; pass `now=` for wall-clock relative ones.
NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
HOME_LAT, HOME_LON = 41.6000, -73.0000

OMIT: Any = object()
"""Pass as an override value to drop that member: `make_request(public_url=OMIT)`."""


def make_request(*, now: datetime | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid CRF v1 request object whose window lies in the past relative to `now`.

    Window: now-2h .. now-1h30m; issued now-1h; expires now+7d; a 300 m circle
    centred on (HOME_LAT, HOME_LON). Top-level members are replaced by `overrides`
    (a nested object is replaced whole); `OMIT` removes a member.
    """
    now = (now or NOW).replace(microsecond=0)
    request: dict[str, Any] = {
        "id": "wpd-2026-0412",
        "revision": 1,
        "status": "active",
        "issued_at": format_timestamp(now - timedelta(hours=1)),
        "expires_at": format_timestamp(now + timedelta(days=7)),
        "window": {
            "start": format_timestamp(now - timedelta(hours=2)),
            "end": format_timestamp(now - timedelta(hours=1, minutes=30)),
        },
        "area": {"circle": {"lat": HOME_LAT, "lon": HOME_LON, "radius_m": 300.0}},
        "incident": {
            "type": "burglary",
            "summary": "Break-in on Elm Street; looking for a person on foot.",
            "case_number": "24-1187",
            "reference_url": None,
        },
        "legal_basis": {"type": "voluntary", "reference": None},
        "requested": {"video": True, "audio": False},
        "contact": {
            "name": "Det. A. Rivera",
            "phone": "+1-203-555-0100",
            "email": "tips@wolcott-pd.example.org",
        },
        "response": {"upload_url": UPLOAD_URL},
        "public_url": "https://feeds.example.org/requests/wpd-2026-0412",
    }
    for name, value in overrides.items():
        if value is OMIT:
            request.pop(name, None)
        else:
            request[name] = value
    return request


def sign_request(
    request: Mapping[str, Any],
    key: Ed25519PrivateKey = TEST_KEY,
    kid: str = TEST_KID,
) -> str:
    """One feed entry: the request as a JWS compact string."""
    return sign_json(request, key, kid)


def make_publisher(
    *, keys: Iterable[Mapping[str, Any]] | None = None, **overrides: Any
) -> dict[str, Any]:
    """The feed's `publisher` object; keys default to `[TEST_JWK]`."""
    publisher: dict[str, Any] = {
        "id": PUBLISHER_ID,
        "name": "Wolcott Police Department",
        "kind": "law_enforcement",
        "url": PUBLISHER_URL,
        "keys": [dict(k) for k in (keys if keys is not None else [TEST_JWK])],
    }
    for name, value in overrides.items():
        if value is OMIT:
            publisher.pop(name, None)
        else:
            publisher[name] = value
    return publisher


def sign_statement(
    publisher: Mapping[str, Any],
    upload_origins: Iterable[str] = (UPLOAD_ORIGIN,),
    key: Ed25519PrivateKey = TEST_KEY,
    kid: str = TEST_KID,
) -> str:
    """The publisher statement (spec 2.3) for `publisher`'s block, signed."""
    payload = {
        "crf_publisher": STATEMENT_VERSION,
        **{name: publisher.get(name) for name in ("id", "name", "kind", "url")},
        "upload_origins": list(upload_origins),
    }
    return sign_json(payload, key, kid)


def make_feed(
    requests: Iterable[Mapping[str, Any] | str] = (),
    *,
    key: Ed25519PrivateKey = TEST_KEY,
    kid: str = TEST_KID,
    signed: bool = True,
    keys: Iterable[Mapping[str, Any]] | None = None,
    publisher: Mapping[str, Any] | None = None,
    upload_origins: Iterable[str] | None = (UPLOAD_ORIGIN,),
) -> dict[str, Any]:
    """A feed document (a dict) holding `requests`.

    Signed (default): each mapping is signed with `key`/`kid`; strings are taken
    as ready-made entries, and the publisher block gets a statement naming
    `upload_origins`, signed with the same key (`None`: no statement, as
    feeds from before statements). Unsigned: mappings go in as plain objects
    and the publisher's keys default to `[]`. `publisher` replaces the whole
    object; a `statement` it carries is kept.
    """
    if publisher is None:
        default_keys: Iterable[Mapping[str, Any]] = [] if not signed else [TEST_JWK]
        publisher = make_publisher(keys=keys if keys is not None else default_keys)
    if signed and upload_origins is not None and "statement" not in publisher:
        statement = sign_statement(publisher, upload_origins, key, kid)
        publisher = {**publisher, "statement": statement}
    entries: list[str | dict[str, Any]] = []
    for request in requests:
        if isinstance(request, str):
            entries.append(request)
        elif signed:
            entries.append(sign_request(request, key, kid))
        else:
            entries.append(dict(request))
    return {"crf": "1", "publisher": dict(publisher), "requests": entries}


def feed_bytes(feed: Mapping[str, Any]) -> bytes:
    """What a feed server sends for `feed`."""
    return json.dumps(feed, separators=(",", ":")).encode("utf-8")


def trusted_keys(*jwks: Mapping[str, Any]) -> dict[str, Any]:
    """`{kid: Ed25519PublicKey}` for `verify_jws`; defaults to the test key."""
    chosen = jwks or (TEST_JWK,)
    return {jwk["kid"]: public_key_from_jwk(jwk) for jwk in chosen}
