"""The upload inbox: verify a home's signed manifest, take its clip, store both once.

A clip is never held in memory: it is hashed and counted while it is written to a
staging directory, and only a complete, matching upload is renamed into place, in
one step, so a reader of the inbox never sees half of one.

An idempotency key means something only together with the key that signed the
manifest: stored uploads are indexed by (home key id, idempotency key), and the
manifest is verified before the key is even looked at. Whoever learns a home's
idempotency key therefore cannot occupy it: an outsider's upload lands under the
outsider's own key id, and the home's real upload is still stored (issue 13.6).
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
import hashlib
import json
import logging
from pathlib import Path
import re
import secrets
import shutil
from typing import Any

from aiohttp import BodyPartReader, MultipartReader

from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.model import Manifest
from custom_components.neighborhood_requests.protocol.parse import (
    format_timestamp,
    manifest_to_dict,
)

_LOGGER = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_MANIFEST_BYTES = 64 * 1024
DEFAULT_MAX_CLIP_BYTES = 512 * 1024 * 1024
# "~" is not allowed in request ids, so these can never collide with a request.
STAGING = "~staging"
RECEIPT = "receipt.json"
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")

type Binding = tuple[str, str]
"""(home key id, SHA-256 of the idempotency key): what an upload occupies."""


class UploadRejected(Exception):
    """An upload the inbox refuses; `status` is the HTTP answer, `reason` says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Duplicate(Exception):
    """This home already delivered this very clip (under this key or another)."""


class InProgress(Exception):
    """An upload with this home key and idempotency key is still being received.

    Not a duplicate: the first attempt may yet fail, and a home treats 409 as
    delivered, so answering 409 here could lose the clip. The home retries later.
    """


@dataclass(frozen=True, slots=True)
class Receipt:
    """What `GET /inbox` lists about one stored upload."""

    request_id: str
    home_key_id: str
    sha256: str
    bytes: int
    received_at: str
    camera: str
    idempotency_key_sha256: str

    @property
    def binding(self) -> Binding:
        return self.home_key_id, self.idempotency_key_sha256

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        del data["idempotency_key_sha256"]
        return data


def check_idempotency_key(value: str | None) -> str:
    """The header a home must send, so a retry after a lost answer is stored once."""
    if value is None:
        raise UploadRejected(400, "Idempotency-Key header required")
    if _IDEMPOTENCY_KEY.fullmatch(value) is None:
        raise UploadRejected(
            400, "Idempotency-Key must be 1-255 visible ASCII characters"
        )
    return value


def key_digest(key: str) -> str:
    """Receipts keep only a digest of the key: the listing must not hand it out."""
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def verify_manifest_token(token: str) -> Manifest:
    """Check a manifest signed by the key in its own `jwk` header.

    The inbox has never seen the home before, so it cannot pin the key; what it
    can check is that `kid` is that key's thumbprint and that the manifest names
    the same key, which binds clip, manifest and key together.
    """
    try:
        header = jws.unverified_header(token)
    except ProtocolError as err:
        reason = "; ".join(p.reason for p in err.problems)
        raise UploadRejected(400, f"manifest: malformed JWS ({reason})") from None
    jwk, kid = header.get("jwk"), header.get("kid")
    if not isinstance(jwk, dict) or not isinstance(kid, str):
        raise UploadRejected(400, "manifest: JWS header needs jwk and kid")
    try:
        thumbprint = jws.jwk_thumbprint(jwk)
        if thumbprint != kid:
            raise UploadRejected(400, "manifest: kid is not the thumbprint of the jwk")
        return jws.verify_manifest(token, {kid: jws.public_key_from_jwk(jwk)})
    except ProtocolError as err:
        raise UploadRejected(400, f"manifest: {err}") from None


def check_scope(
    manifest: Manifest, request_id: str, publisher_id: str | None, max_bytes: int
) -> None:
    """The manifest must be about this request of this publisher, and fit the cap."""
    if manifest.request_id != request_id:
        raise UploadRejected(
            422, f"manifest is for request {manifest.request_id!r}, not {request_id!r}"
        )
    if publisher_id is not None and manifest.publisher_id != publisher_id:
        raise UploadRejected(
            422,
            f"manifest is for publisher {manifest.publisher_id!r}, "
            f"not {publisher_id!r}",
        )
    if manifest.bytes > max_bytes:
        raise UploadRejected(
            413, f"clip of {manifest.bytes} bytes exceeds the {max_bytes} byte limit"
        )


class Inbox:
    """Stored uploads under `root/<request_id>/<home_key_id>/<sha256>/`.

    The content hash as the last level lets one home send one clip per camera for
    the same request, while the same clip twice is recognised as a duplicate.
    """

    def __init__(
        self, root: Path, *, max_clip_bytes: int = DEFAULT_MAX_CLIP_BYTES
    ) -> None:
        self.root = root
        self.max_clip_bytes = max_clip_bytes
        self._receipts: list[Receipt] = []
        self._bound: dict[Binding, Receipt] = {}
        self._in_flight: set[Binding] = set()
        root.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(root / STAGING, ignore_errors=True)
        (root / STAGING).mkdir()
        for path in sorted(root.glob(f"*/*/*/{RECEIPT}")):
            self._load_receipt(path)

    def _load_receipt(self, path: Path) -> None:
        try:
            receipt = Receipt(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as err:
            _LOGGER.warning("Ignoring unreadable receipt %s: %s", path, err)
            return
        self._receipts.append(receipt)
        self._bound[receipt.binding] = receipt

    def receipts(self) -> list[dict[str, Any]]:
        return [r.public() for r in sorted(self._receipts, key=lambda r: r.received_at)]

    def seen(self, home_key_id: str, key: str) -> bool:
        """True once this home stored an upload under this key."""
        return (home_key_id, key_digest(key)) in self._bound

    def receiving(self, home_key_id: str, key: str) -> bool:
        """True while this home's multipart upload under this key is being read."""
        return (home_key_id, key_digest(key)) in self._in_flight

    def claim(self, manifest: Manifest, key: str) -> Binding:
        """The (home key, idempotency key) a verified manifest may use, if still free.

        Same key and same bytes: `Duplicate` (409, the home counts it delivered).
        Same key and other bytes: 422, because a key names exactly one clip.
        """
        binding = (manifest.home_key_id, key_digest(key))
        self.check(manifest, binding)
        return binding

    def check(self, manifest: Manifest, binding: Binding) -> None:
        """`claim` for a binding already made (a resumable upload that completes)."""
        stored = self._bound.get(binding)
        if stored is not None:
            if stored.sha256 == manifest.sha256.lower():
                raise Duplicate
            raise UploadRejected(
                422,
                "this Idempotency-Key was already used for another clip "
                f"(SHA-256 {stored.sha256[:12]}…)",
            )
        if self._final(manifest).exists():
            raise Duplicate

    def _final(self, manifest: Manifest) -> Path:
        return (
            self.root
            / manifest.request_id
            / manifest.home_key_id
            / manifest.sha256.lower()
        )

    async def receive(
        self,
        request_id: str,
        publisher_id: str | None,
        key: str,
        reader: MultipartReader,
    ) -> Receipt:
        """Read `manifest`, check it and the key, then read `clip` and store both."""
        token, manifest = await _read_manifest(reader)
        check_scope(manifest, request_id, publisher_id, self.max_clip_bytes)
        binding = self.claim(manifest, key)
        if binding in self._in_flight:
            raise InProgress
        self._in_flight.add(binding)
        try:
            with self.staging() as staging:
                await _read_clip(reader, manifest, staging / "clip.mp4")
                if await reader.next() is not None:
                    raise UploadRejected(400, "unexpected part after clip")
                return self.commit(staging, token, manifest, binding)
        finally:
            self._in_flight.discard(binding)

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh folder for one upload's files; gone afterwards unless committed."""
        path = self.root / STAGING / secrets.token_hex(8)
        path.mkdir()
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def commit(
        self, staging: Path, token: str, manifest: Manifest, binding: Binding
    ) -> Receipt:
        """Write manifest and receipt beside `staging/clip.mp4`, then rename it in."""
        receipt = Receipt(
            request_id=manifest.request_id,
            home_key_id=manifest.home_key_id,
            sha256=manifest.sha256.lower(),
            bytes=manifest.bytes,
            received_at=format_timestamp(datetime.now(UTC)),
            camera=manifest.camera,
            idempotency_key_sha256=binding[1],
        )
        (staging / "manifest.jws").write_text(token + "\n", encoding="ascii")
        (staging / "manifest.json").write_text(
            json.dumps(manifest_to_dict(manifest), indent=2) + "\n", encoding="utf-8"
        )
        (staging / RECEIPT).write_text(
            json.dumps(asdict(receipt), indent=2) + "\n", encoding="utf-8"
        )
        final = self._final(manifest)
        if final.exists():
            raise Duplicate
        final.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(final)
        self._receipts.append(receipt)
        self._bound[binding] = receipt
        return receipt


async def _next_part(reader: MultipartReader, expected: str) -> BodyPartReader:
    part = await reader.next()
    if part is None:
        raise UploadRejected(400, f"missing {expected} part")
    if not isinstance(part, BodyPartReader):
        raise UploadRejected(400, "nested multipart is not accepted")
    if part.name != expected:
        raise UploadRejected(400, f"expected part {expected!r} here, got {part.name!r}")
    return part


def parse_manifest_bytes(data: bytes) -> tuple[str, Manifest]:
    """The manifest JWS as sent (multipart part or tus metadata), verified."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise UploadRejected(413, f"manifest larger than {MAX_MANIFEST_BYTES} bytes")
    try:
        token = data.decode("ascii").strip()
    except UnicodeDecodeError:
        raise UploadRejected(400, "manifest: not a JWS compact string") from None
    return token, verify_manifest_token(token)


async def _read_manifest(reader: MultipartReader) -> tuple[str, Manifest]:
    part = await _next_part(reader, "manifest")
    data = bytearray()
    while chunk := await part.read_chunk(CHUNK):
        data += chunk
        if len(data) > MAX_MANIFEST_BYTES:
            break
    return parse_manifest_bytes(bytes(data))


async def _read_clip(reader: MultipartReader, manifest: Manifest, target: Path) -> None:
    """Stream the clip to disk, hashing as it goes; stop at the first excess byte.

    Writes are synchronous: a 64 KiB chunk to a local disk costs microseconds,
    less than handing it to a thread.
    """
    part = await _next_part(reader, "clip")
    content_type = part.headers.get("Content-Type", "")
    if content_type.split(";")[0].strip().lower() != "video/mp4":
        raise UploadRejected(
            415, f"clip must be video/mp4, not {content_type or 'untyped'}"
        )
    hasher = hashlib.sha256()
    count = 0
    with target.open("wb") as handle:
        while chunk := await part.read_chunk(CHUNK):
            count += len(chunk)
            # manifest.bytes is already known to be within the inbox's cap.
            if count > manifest.bytes:
                raise UploadRejected(
                    422, f"clip longer than the manifest's {manifest.bytes} bytes"
                )
            hasher.update(chunk)
            handle.write(chunk)
    if count != manifest.bytes:
        raise UploadRejected(
            422, f"clip has {count} bytes, manifest says {manifest.bytes}"
        )
    if hasher.hexdigest() != manifest.sha256.lower():
        raise UploadRejected(422, "clip sha256 does not match the manifest")
