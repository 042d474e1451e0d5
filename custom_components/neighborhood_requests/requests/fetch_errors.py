"""Why a feed could not be fetched, named as precisely as the failure allows.

"The feed could not be reached" helps nobody: a typo in the host, a server that
is down, a certificate problem and a wrong path each need a different fix. Every
failure becomes a `FeedFetchError` whose `reason` is a translation key of the
config flow's errors and of `selector.feed_problem`, and whose `placeholders`
fill that text (the host, the port, the HTTP status).
"""

from __future__ import annotations

from collections.abc import Mapping
import errno
from http import HTTPStatus

import aiohttp
from yarl import URL

SCHEMES = ("https", "http")


class FeedFetchError(Exception):
    """A feed could not be used; `reason` is the translation key to show."""

    def __init__(
        self,
        reason: str,
        detail: str = "",
        placeholders: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.placeholders = dict(placeholders or {})


def url_problem(text: str) -> FeedFetchError | None:
    """What is wrong with a typed feed address before anything is fetched."""
    try:
        url = URL(text)
    except ValueError as err:
        return FeedFetchError("invalid_url", str(err))
    # `host:port/path` parses as scheme `host`: that is a missing scheme too.
    if not url.scheme or (
        url.scheme not in SCHEMES
        and ("." in url.scheme or (url.path.split("/")[0].isdigit() and not url.host))
    ):
        example = f"https://{text.removeprefix('//')}"
        return FeedFetchError("no_scheme", text, {"example": example})
    if url.scheme not in SCHEMES:
        return FeedFetchError(
            "unsupported_scheme", text, {"scheme": url.scheme.lower()}
        )
    if not url.host:
        return FeedFetchError("invalid_url", text)
    return None


def status_problem(status: int, url: str) -> FeedFetchError:
    """An HTTP status that is not the feed, with its standard phrase."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    shown = f"{status} {phrase}".strip()
    return FeedFetchError("http_status", f"HTTP {shown} from {url}", {"status": shown})


def connection_problem(
    err: aiohttp.ClientError | ValueError, url: str
) -> FeedFetchError:
    """A failure below HTTP: no such name, nobody listening, TLS, or the URL."""
    try:
        target = URL(url)
    except ValueError:
        target = URL()
    host = target.host or ""
    where = {"host": host, "port": str(target.port or "")}
    detail = f"{type(err).__name__}: {err}"
    if isinstance(err, aiohttp.ClientConnectorDNSError):
        return FeedFetchError("dns_failure", detail, where)
    if isinstance(err, aiohttp.ClientSSLError):
        return FeedFetchError("tls_error", detail, where)
    if isinstance(err, aiohttp.ClientConnectorError) and (
        err.os_error.errno == errno.ECONNREFUSED
    ):
        return FeedFetchError("connection_refused", detail, where)
    if isinstance(err, aiohttp.NonHttpUrlClientError):
        return FeedFetchError(
            "unsupported_scheme", detail, {"scheme": target.scheme or "?"}
        )
    if isinstance(err, aiohttp.InvalidURL | ValueError):
        return FeedFetchError("invalid_url", detail)
    return FeedFetchError("cannot_connect", detail, where)
