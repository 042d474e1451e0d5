"""The audit log's building blocks: one line's bytes, its hash, its signature, the head.

A line is `{"event", "prev", "seq", "ts"}` in canonical JSON (sorted keys, no spaces,
ASCII), plus `sig` when the home signs its log: the Ed25519 signature of the line's
canonical bytes without `sig`. `prev` is the SHA-256 of the previous line's exact
bytes, so removing, inserting or reordering lines breaks the chain, and a signature
per line names the very first line someone changed even when they recomputed every
hash after it (they cannot sign without the home key).

The chain cannot show lines cut off its end. The signed head can: the entry count
and the last line's hash, signed with the home key and kept outside the log,
rewritten after every append.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .errors import ProtocolError
from .jws import b64url_decode, b64url_encode, public_jwk, sign_json, verify_jws

GENESIS = "0" * 64
FIELDS = frozenset({"seq", "ts", "prev", "event"})
SIGNATURE = "sig"
HEAD_TYPE = "crf-audit-head"

# Entries the writer adds when it finds the log other than its signed head left
# it: verification reports each one for ever after, so restarting Home Assistant
# never turns a tampered log into a clean one.
INCIDENTS = frozenset(
    {
        "audit_log_shrank",
        "audit_log_mismatch",
        "audit_head_missing",
        "audit_head_invalid",
    }
)
# The writer's own repair after a power cut (a torn last line set aside).
REPAIRS = frozenset({"audit_log_repaired"})


def canonical_line(entry: Mapping[str, Any]) -> bytes:
    """The one byte spelling of an entry, without its newline."""
    return json.dumps(
        entry, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def line_hash(raw: bytes) -> str:
    """What the next entry's `prev` must be."""
    return hashlib.sha256(raw).hexdigest()


def sign_entry(entry: Mapping[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """`entry` with its `sig` over the canonical bytes of everything else."""
    unsigned = {k: v for k, v in entry.items() if k != SIGNATURE}
    signature = key.sign(canonical_line(unsigned))
    return {**unsigned, SIGNATURE: b64url_encode(signature)}


def signature_valid(entry: Mapping[str, Any], key: Ed25519PublicKey) -> bool:
    """Whether `entry`'s `sig` is the home's signature of the rest of it."""
    signature = entry.get(SIGNATURE)
    if not isinstance(signature, str):
        return False
    unsigned = {k: v for k, v in entry.items() if k != SIGNATURE}
    try:
        key.verify(b64url_decode(signature), canonical_line(unsigned))
    except InvalidSignature, ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class SignedHead:
    """Where the log ended the last time the home wrote to it."""

    entries: int
    head: str
    ts: str


def make_head(
    key: Ed25519PrivateKey, kid: str, *, entries: int, head: str, ts: str
) -> str:
    """The head as a JWS compact string signed by the home key."""
    payload = {"type": HEAD_TYPE, "entries": entries, "head": head, "ts": ts}
    return sign_json(payload, key, kid)


def read_head(token: str, key: Ed25519PublicKey) -> SignedHead:
    """Check a head against the home's public key; ProtocolError says what is wrong."""
    kid = public_jwk(key)["kid"]
    payload = verify_jws(token.strip(), {kid: key})
    entries, head = payload.get("entries"), payload.get("head")
    if (
        payload.get("type") != HEAD_TYPE
        or isinstance(entries, bool)
        or not isinstance(entries, int)
        or entries < 0
        or not isinstance(head, str)
        or len(head) != 64
    ):
        raise ProtocolError.single("head", "not an audit log head")
    return SignedHead(entries, head, str(payload.get("ts", "")))
