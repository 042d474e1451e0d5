"""Ed25519 keys as JWKs, and the one JWS profile CRF allows: compact, EdDSA, with `kid`.

A home pins a publisher's key like an SSH host key, so everything here is about
saying no precisely: which algorithm, which key, which part of the token is wrong.
PyJWT writes tokens; reading is done here: the header and the payload go through
the strict JSON reader (`strict_json`), and the signature is checked with
`cryptography` directly, because PyJWT's pure-Python base64 checks on the payload
cost about half an Ed25519 verification and a feed holds thousands.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection, Mapping
from dataclasses import dataclass
import functools
import hashlib
import json
import re
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from jwt.api_jws import PyJWS

from .errors import ProtocolError
from .model import Manifest
from .parse import manifest_to_dict, parse_manifest, validate_jwk
from .strict_json import read_json

ALLOWED_ALGS = frozenset({"EdDSA", "Ed25519"})
SIGNING_ALG = "EdDSA"

_JWS = PyJWS()
# Unpadded base64url segments only (RFC 7515 section 2); payload may be empty
# only in the detached form, which CRF does not use, so it must not be.
_COMPACT = re.compile(r"([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)")
_PATH = "signature"


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url, as JOSE spells it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict unpadded base64url; `binascii.Error` on anything else."""
    if len(text) % 4 == 1 or "=" in text:
        raise binascii.Error("bad base64url length or padding")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url_encode(raw) != text:
        # Non-canonical trailing bits would let two strings carry one value.
        raise binascii.Error("non-canonical base64url")
    return raw


def generate_private_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def private_key_to_pem(key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM, unencrypted: the file's permissions are its protection."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    """Read a PKCS#8 PEM Ed25519 key; any other key type is refused, not converted."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as err:
        raise ProtocolError.single(
            "key", f"not a readable PEM private key: {err}"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ProtocolError.single(
            "key", f"must be an Ed25519 key, not {type(key).__name__}"
        )
    return key


def _public(key: Ed25519PrivateKey | Ed25519PublicKey) -> Ed25519PublicKey:
    return key.public_key() if isinstance(key, Ed25519PrivateKey) else key


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint: the key's identity, whatever its `kid` says."""
    problems = validate_jwk(jwk, "jwk", require_kid=False)
    if problems:
        raise ProtocolError(problems)
    canonical = json.dumps(
        {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]},
        separators=(",", ":"),
        sort_keys=True,
    )
    return b64url_encode(hashlib.sha256(canonical.encode("ascii")).digest())


def fingerprint(jwk: Mapping[str, Any]) -> str:
    """What a resident compares with the publisher's website, SSH style."""
    return f"SHA256:{jwk_thumbprint(jwk)}"


def public_jwk(
    key: Ed25519PrivateKey | Ed25519PublicKey, kid: str | None = None
) -> dict[str, str]:
    """The public half as a JWK; `kid` defaults to the thumbprint so it is stable."""
    raw = _public(key).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
    jwk["kid"] = kid if kid is not None else jwk_thumbprint(jwk)
    return jwk


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key with the public JWK (and kid) its verifiers look it up by.

    Publishers sign feeds with one, homes sign manifests with one: both need the
    key and the kid together, and the kid must never drift from the key.
    """

    private_key: Ed25519PrivateKey
    jwk: dict[str, str]

    @property
    def kid(self) -> str:
        return self.jwk["kid"]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.jwk)

    @classmethod
    def from_private(cls, key: Ed25519PrivateKey, kid: str | None = None) -> SigningKey:
        return cls(key, public_jwk(key, kid))


def public_key_from_jwk(jwk: Mapping[str, Any]) -> Ed25519PublicKey:
    """A verifying key from a public Ed25519 JWK; anything else is a ProtocolError."""
    problems = validate_jwk(jwk, "jwk", require_kid=False)
    if problems:
        raise ProtocolError(problems)
    return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))


def _canonical_json(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(
        payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False
    ).encode("utf-8")


def sign_json(
    payload: Mapping[str, Any],
    key: Ed25519PrivateKey,
    kid: str,
    *,
    extra_headers: Mapping[str, Any] | None = None,
) -> str:
    """JWS compact serialization of `payload`, header `{"alg": "EdDSA", "kid": kid}`."""
    headers: dict[str, Any] = {**(extra_headers or {}), "kid": kid, "typ": None}
    return _JWS.encode(
        _canonical_json(payload), key, algorithm=SIGNING_ALG, headers=headers
    )


@functools.lru_cache(maxsize=64)
def _header(segment: str) -> dict[str, Any]:
    """The protected header, read by the same strict reader as every payload.

    Cached because every entry of a feed shares one. A header with two `alg`
    members must not mean one thing here and another in some other library.
    Callers must not mutate the returned dict.
    """
    try:
        raw = b64url_decode(segment)
    except binascii.Error, ValueError:
        raise ProtocolError.single(
            _PATH, "malformed JWS header: not unpadded base64url"
        ) from None
    try:
        header = read_json(raw, "header")
    except ProtocolError as err:
        reason = "; ".join(p.reason for p in err.problems)
        raise ProtocolError.single(_PATH, f"malformed JWS header: {reason}") from None
    if not isinstance(header, dict):
        raise ProtocolError.single(_PATH, "malformed JWS header: must be a JSON object")
    if not isinstance(header.get("kid", ""), str):
        raise ProtocolError.single(_PATH, "malformed JWS header: kid must be a string")
    return header


def unverified_header(token: object) -> dict[str, Any]:
    """The protected header of a compact JWS, strictly read and not yet trusted.

    For an inbox that must look at the `jwk` a manifest carries before it can
    verify anything; the returned dict must not be mutated.
    """
    if not isinstance(token, str) or _COMPACT.fullmatch(token) is None:
        raise ProtocolError.single(
            _PATH,
            "malformed JWS compact serialization "
            "(expected three unpadded base64url segments)",
        )
    return _header(token.split(".", 1)[0])


def verify_jws(
    token: object,
    keys: Mapping[str, Ed25519PublicKey],
    *,
    untrusted_kids: Collection[str] = (),
) -> dict[str, Any]:
    """Check `token` against the key its `kid` names in `keys`; return the payload."""
    return verify_jws_with_kid(token, keys, untrusted_kids=untrusted_kids)[0]


def verify_jws_with_kid(
    token: object,
    keys: Mapping[str, Ed25519PublicKey],
    *,
    untrusted_kids: Collection[str] = (),
) -> tuple[dict[str, Any], str]:
    """`verify_jws`, also saying which key signed: the payload and the `kid`.

    Only EdDSA/Ed25519 is accepted, so `none` and the HMAC-with-the-public-key
    trick fail before any key is touched. `untrusted_kids` are keys the publisher
    lists but the home has not pinned: named as such, since that is what a
    resident must act on (re-trust), unlike a kid nobody has heard of.
    """
    if not isinstance(token, str):
        raise ProtocolError.single(_PATH, "must be a JWS compact serialization string")
    match = _COMPACT.fullmatch(token)
    if match is None:
        raise ProtocolError.single(
            _PATH,
            "malformed JWS compact serialization "
            "(expected three unpadded base64url segments)",
        )
    header_segment, payload_segment, signature_segment = match.groups()
    header = _header(header_segment)
    alg = header.get("alg")
    if alg is None:
        raise ProtocolError.single(_PATH, "alg header missing")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGS:
        raise ProtocolError.single(
            _PATH, f"alg {json.dumps(alg)} not allowed (EdDSA only)"
        )
    if "crit" in header:
        raise ProtocolError.single(_PATH, "crit header not supported")
    kid = header.get("kid")
    if kid is None:
        raise ProtocolError.single(_PATH, "kid header missing")
    key = keys.get(kid)
    if key is None and kid in untrusted_kids:
        raise ProtocolError.single(_PATH, f"key {json.dumps(kid)} is not trusted")
    if key is None:
        raise ProtocolError.single(_PATH, f"unknown kid {json.dumps(kid)}")
    try:
        signature = b64url_decode(signature_segment)
        payload_bytes = b64url_decode(payload_segment)
    except binascii.Error, ValueError:
        raise ProtocolError.single(_PATH, "malformed base64url segment") from None
    try:
        key.verify(signature, f"{header_segment}.{payload_segment}".encode("ascii"))
    except InvalidSignature:
        raise ProtocolError.single(
            _PATH, f"does not verify with key {json.dumps(kid)}"
        ) from None
    payload = read_json(payload_bytes, "payload")
    if not isinstance(payload, dict):
        raise ProtocolError.single("payload", "must be a JSON object")
    return payload, kid


def sign_manifest(manifest: Manifest, key: Ed25519PrivateKey) -> str:
    """The home's signature over a clip manifest, carrying the home's public key.

    An inbox has never met the home, so the header holds the public `jwk` and the
    `kid` must be its thumbprint, which `home_key_id` must equal: clip, manifest
    and key are then bound together without any registry of homes.
    """
    jwk = public_jwk(key)
    thumbprint = jwk.pop("kid")
    if manifest.home_key_id != thumbprint:
        raise ProtocolError.single(
            "home_key_id",
            f"must be the RFC 7638 thumbprint of the signing key ({thumbprint})",
        )
    return sign_json(
        manifest_to_dict(manifest), key, thumbprint, extra_headers={"jwk": jwk}
    )


def verify_manifest(token: object, keys: Mapping[str, Ed25519PublicKey]) -> Manifest:
    """Verify and parse a manifest; its `home_key_id` must equal the signing `kid`."""
    payload, kid = verify_jws_with_kid(token, keys)
    manifest = parse_manifest(payload)
    if manifest.home_key_id != kid:
        raise ProtocolError.single(
            "home_key_id",
            f"{json.dumps(manifest.home_key_id)} does not match signing kid "
            f"{json.dumps(kid)}",
        )
    return manifest


def verify_self_signed_manifest(token: object) -> Manifest:
    """Verify a manifest with the key in its own `jwk` header, as an inbox does.

    This proves integrity and that one key signed it, not who holds that key:
    the `kid` must be the key's thumbprint so the key id cannot be borrowed.
    """
    if not isinstance(token, str) or _COMPACT.fullmatch(token) is None:
        raise ProtocolError.single(
            _PATH, "malformed JWS compact serialization (expected three segments)"
        )
    header = _header(token.split(".", 1)[0])
    jwk = header.get("jwk")
    problems = validate_jwk(jwk, f"{_PATH}.jwk", require_kid=False)
    if problems:
        raise ProtocolError(problems)
    assert isinstance(jwk, Mapping)
    thumbprint = jwk_thumbprint(jwk)
    if header.get("kid") != thumbprint:
        raise ProtocolError.single(
            _PATH, "kid must be the RFC 7638 thumbprint of the jwk header"
        )
    return verify_manifest(token, {thumbprint: public_key_from_jwk(jwk)})
