"""What an upload attempt came to, in the outbox's terms; how HTTP answers map to it.

The outbox decides between done, retry, give up, re-export and withdrawn without
knowing HTTP; this is the one place that knows which status means which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
import json
import math

import aiohttp
from aiohttp import hdrs

from ..requests.address_guard import refused_address

REASON_LIMIT = 200
REASON_READ_LIMIT = 4096
RETRYABLE_4XX = frozenset({408, 429})
GONE = 410
# Far beyond any request's life: keeps a hostile Retry-After from overflowing.
RETRY_AFTER_LIMIT_S = 366 * 24 * 3600.0
# A server asking for no wait at all still gets a second, never a busy loop.
RETRY_AFTER_FLOOR_S = 1.0
REDIRECTED_AWAY = "upload URL redirected to another host"


class Result(StrEnum):
    """What the outbox should do next with a share."""

    DELIVERED = "delivered"  # the inbox has the clip (2xx, or 409 = already there)
    RETRY = "retry"  # transient: 5xx, 408/429, stall, connection error
    FAILED = "failed"  # final: the inbox refused it (other 4xx, bad redirect)
    MISMATCH = "mismatch"  # the clip on disk is not the one the manifest signs
    WITHDRAWN = "withdrawn"  # 410: the requester no longer wants clips for it


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """The classified result of one attempt; `reason` is short and owner-readable.

    `reason` is English, for the audit log; `code` and `params` say it again for
    people in their language (a `selector.reasons` option and its values, where
    `detail` is an inbox's own words or a technical cause, shown as it is).
    `retry_after` is the server's `Retry-After` in seconds from when it
    answered, for a retry only.
    """

    result: Result
    status: int | None = None
    reason: str = ""
    duplicate: bool = False
    retry_after: float | None = None
    # The English reason is the outcome; its code and values only say it again.
    code: str = field(default="", compare=False)
    params: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def delivered(self) -> bool:
        return self.result is Result.DELIVERED


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """RFC 9110 `Retry-After`: delay-seconds or an HTTP-date, as seconds from now.

    Anything unreadable counts as absent, so the outbox's own backoff applies.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        seconds = float(value) if len(value) < 12 else RETRY_AFTER_LIMIT_S
    else:
        try:
            moment = parsedate_to_datetime(value)
        except TypeError, ValueError, IndexError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, RETRY_AFTER_FLOOR_S), RETRY_AFTER_LIMIT_S)


async def classify(
    response: aiohttp.ClientResponse, *, duplicate_ok: bool = True
) -> UploadOutcome | None:
    """Map an answer to an outcome; None for a redirect (the caller decides).

    `duplicate_ok`: 409 means "already there" for a creation or a multipart
    upload; on a tus PATCH it means a wrong offset, which the caller handles.
    """
    status = response.status
    if 200 <= status < 300:
        return UploadOutcome(Result.DELIVERED, status=status)
    if status == 409 and duplicate_ok:
        return UploadOutcome(
            Result.DELIVERED,
            status=status,
            reason="already delivered",
            duplicate=True,
            code="already_delivered",
        )
    if 300 <= status < 400:
        return None
    reason = await server_reason(response)
    words = {"detail": reason}
    if status == GONE:
        return UploadOutcome(
            Result.WITHDRAWN,
            status=status,
            reason=reason,
            code="inbox_gone",
            params=words,
        )
    if 400 <= status < 500 and status not in RETRYABLE_4XX:
        return UploadOutcome(
            Result.FAILED,
            status=status,
            reason=reason,
            code="inbox_refused",
            params=words,
        )
    return UploadOutcome(
        Result.RETRY,
        status=status,
        reason=reason,
        retry_after=retry_after(response.headers.get(hdrs.RETRY_AFTER)),
        code="inbox_unavailable",
        params=words,
    )


async def server_reason(response: aiohttp.ClientResponse) -> str:
    """The server's own words: JSON `reason`/`message`, else its text, else HTTP's."""
    fallback = f"HTTP {response.status} {response.reason or ''}".strip()
    raw = bytearray()
    try:
        while len(raw) < REASON_READ_LIMIT and (
            chunk := await response.content.read(REASON_READ_LIMIT - len(raw))
        ):
            raw += chunk
    except aiohttp.ClientError, TimeoutError, OSError:
        return fallback
    text = raw.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for field in ("reason", "message", "error"):
            value = data.get(field)
            if isinstance(value, str) and value.strip():
                text = value.strip()
                break
    return truncate(" ".join(text.split())) or fallback


def failed(
    status: int | None,
    reason: str,
    code: str,
    params: Mapping[str, str] | None = None,
) -> UploadOutcome:
    return UploadOutcome(
        Result.FAILED,
        status=status,
        reason=truncate(reason),
        code=code,
        params=dict(params or {}),
    )


def retry(
    reason: str, code: str, params: Mapping[str, str] | None = None
) -> UploadOutcome:
    return UploadOutcome(
        Result.RETRY, reason=truncate(reason), code=code, params=dict(params or {})
    )


def connection_failed(err: BaseException) -> UploadOutcome:
    """No answer at all: final where no retry could connect either, else a retry."""
    if isinstance(err, aiohttp.InvalidURL):
        return failed(None, f"invalid upload URL: {err}", "upload_url_invalid")
    if (refused := refused_address(err)) is not None:
        # The home's session refuses that address; it would refuse it again.
        return failed(
            None,
            f"upload address {refused}",
            "upload_address_refused",
            {"address": refused.address, "kind": refused.kind},
        )
    if isinstance(err, TimeoutError):
        return retry(describe(err), "timed_out")
    return retry(describe(err), "connection_failed", {"detail": describe(err)})


def changed() -> UploadOutcome:
    return UploadOutcome(
        Result.MISMATCH,
        reason="clip changed since export (SHA-256 mismatch)",
        code="clip_changed",
    )


def unreadable(err: OSError) -> UploadOutcome:
    """A clip that cannot be read must be exported again; a retry would fail too."""
    detail = str(err.strerror or err)
    return UploadOutcome(
        Result.MISMATCH,
        reason=truncate(f"clip file unreadable: {detail}"),
        code="clip_unreadable",
        params={"detail": truncate(detail)},
    )


def describe(err: BaseException) -> str:
    if isinstance(err, TimeoutError):
        return "timed out"
    detail = str(err).strip()
    name = type(err).__name__
    return truncate(f"{name}: {detail}" if detail else name)


def truncate(text: str) -> str:
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"
