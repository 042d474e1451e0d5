"""Publisher key files: generating them safely and reading them back for signing.

The private key is a plain PKCS#8 PEM, so its protection is its file mode; the kid
lives in the public JWK file beside it, because PEM has nowhere to keep one.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from pathlib import Path
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.jws import SigningKey
from publisher.atomic import write_atomic
from publisher.errors import PublisherError, UsageError

KEY_FILE = "publisher.key"
JWK_FILE = "publisher.jwk.json"
_FINGERPRINT = re.compile(r"(?:SHA256:)?([A-Za-z0-9_-]{43})")


@dataclass(frozen=True, slots=True)
class Trust:
    """What `check --trust` pins: a whole JWK, or only a fingerprint to look for."""

    jwk: dict[str, Any] | None = None
    thumbprint: str | None = None


def generate(
    out_dir: Path, *, kid: str | None = None, force: bool = False
) -> SigningKey:
    """Create a key pair in `out_dir`; an existing key is kept unless `force`.

    Overwriting a publisher key silently would orphan every home that pinned it.
    """
    if kid is not None and not kid.strip():
        raise UsageError("--kid must not be empty")
    out_dir.mkdir(parents=True, exist_ok=True)
    key_path = out_dir / KEY_FILE
    private = jws.generate_private_key()
    jwk = jws.public_jwk(private, kid)
    try:
        write_atomic(
            key_path, jws.private_key_to_pem(private), mode=0o600, overwrite=force
        )
    except FileExistsError:
        raise PublisherError(
            f"{key_path} already exists; pass --force to replace it "
            "(homes that pinned the old key will reject the new one)"
        ) from None
    write_atomic(out_dir / JWK_FILE, (json.dumps(jwk, indent=2) + "\n").encode())
    return SigningKey(private, jwk)


def load_signing_key(path: Path, kid: str | None = None) -> SigningKey:
    """Read a PEM key; kid from `kid`, else the sibling JWK, else the thumbprint."""
    try:
        private = jws.load_private_key(path.read_bytes())
    except OSError as err:
        raise PublisherError(f"cannot read key {path}: {err.strerror}") from None
    except ProtocolError as err:
        raise PublisherError(f"{path}: {err}") from None
    if kid is None:
        kid = _sibling_kid(path, private)
    return SigningKey.from_private(private, kid)


def _sibling_kid(key_path: Path, private: Ed25519PrivateKey) -> str | None:
    """The kid keygen recorded, if the JWK next to the key is this key's public half."""
    candidate = key_path.with_suffix(".jwk.json")
    if not candidate.is_file():
        return None
    try:
        jwk = json.loads(candidate.read_text(encoding="utf-8"))
    except OSError, ValueError:
        return None
    own = jws.public_jwk(private)
    if (
        isinstance(jwk, dict)
        and jwk.get("x") == own["x"]
        and isinstance(jwk.get("kid"), str)
    ):
        return str(jwk["kid"])
    return None


def load_trust(value: str) -> Trust:
    """Parse `--trust`: a JWK file (public key or keygen output) or a fingerprint."""
    path = Path(value)
    if path.is_file():
        try:
            jwk = json.loads(path.read_bytes())
        except (OSError, ValueError) as err:
            raise PublisherError(f"{path}: not a readable JSON file ({err})") from None
        if not isinstance(jwk, dict):
            raise PublisherError(f"{path}: must hold one JWK object")
        try:
            jws.public_key_from_jwk(jwk)
            if not isinstance(jwk.get("kid"), str):
                jwk = {**jwk, "kid": jws.jwk_thumbprint(jwk)}
        except ProtocolError as err:
            raise PublisherError(f"{path}: {err}") from None
        return Trust(jwk=jwk)
    match = _FINGERPRINT.fullmatch(value)
    if match is None:
        raise UsageError(
            f"--trust {value!r} is neither a JWK file nor a SHA256: fingerprint"
        )
    return Trust(thumbprint=match.group(1))
