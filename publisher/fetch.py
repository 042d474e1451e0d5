"""Reading a feed from a file or a URL with the same size cap a home enforces.

The cap is applied while bytes arrive, so an endless or huge body costs at most
`max_bytes` of memory and the connection is dropped as soon as the cap is passed.
"""

from __future__ import annotations

from pathlib import Path

import aiohttp

from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.feed import read_capped
from publisher.errors import PublisherError

CHUNK = 64 * 1024
ACCEPT = "application/json, application/cap+xml;q=0.9, application/xml;q=0.8"


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


async def fetch_url(url: str, max_bytes: int, time_limit: float) -> bytes:
    """GET `url`; a non-200 status, a refused connection or an oversize body fail."""
    client_timeout = aiohttp.ClientTimeout(total=time_limit)
    try:
        async with (
            aiohttp.ClientSession(timeout=client_timeout) as session,
            session.get(url, headers={"Accept": ACCEPT}) as response,
        ):
            if response.status != 200:
                raise PublisherError(
                    f"{url}: HTTP {response.status} {response.reason or ''}".rstrip()
                )
            length = response.content_length
            if length is not None and length > max_bytes:
                raise PublisherError(
                    f"{url}: feed larger than {max_bytes} bytes "
                    f"(Content-Length {length})"
                )
            return await read_capped(response.content.iter_chunked(CHUNK), max_bytes)
    except ProtocolError as err:
        raise PublisherError(f"{url}: {err}") from None
    except aiohttp.ClientError as err:
        raise PublisherError(f"cannot fetch {url}: {err}") from None
    except TimeoutError:
        raise PublisherError(
            f"cannot fetch {url}: timed out after {time_limit:g} s"
        ) from None


def read_file(path: Path, max_bytes: int) -> bytes:
    """A local feed, refused when larger than the cap, like a fetched one."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise PublisherError(f"cannot read {path}: {err.strerror}") from None
    if len(data) > max_bytes:
        raise PublisherError(f"{path}: feed larger than {max_bytes} bytes")
    return data


async def load_source(source: str, max_bytes: int, time_limit: float) -> bytes:
    """Bytes of a feed given as a path or an http(s) URL."""
    if is_url(source):
        return await fetch_url(source, max_bytes, time_limit)
    return read_file(Path(source), max_bytes)
