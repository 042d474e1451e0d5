"""Origins (scheme, host, port): the unit in which a home trusts where clips may go.

A home trusts the origin of the feed URL its owner typed, and the upload origins
a publisher names in its signed statement (docs/feed-spec.md, 2.3). Comparing
origins rather than hosts keeps `https://feeds.example.org` from vouching for
`http://feeds.example.org:8080`, and one spelling per origin keeps the
comparison a string equality.
"""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """`scheme://host[:port]`, lower case, default port left out; ValueError if none.

    Non-ASCII host names are written in their IDNA (punycode) form, so two
    spellings of one name are one origin.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"{scheme or 'no'} scheme: an origin is http or https")
    host = parts.hostname
    if not host:
        raise ValueError("no host")
    port = parts.port  # raises ValueError on a malformed port
    host = host.rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    elif not host.isascii():
        host = host.encode("idna").decode("ascii")
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def parse_origin(value: str) -> str:
    """An origin as a publisher writes one: nothing but scheme, host and port.

    A path, query, fragment or user name would suggest a narrower trust than an
    origin gives, so they are refused rather than dropped.
    """
    parts = urlsplit(value)
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not carry a user name or password")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("must be an origin: scheme://host[:port], without a path")
    return origin_of(value)


def origin_label(origin: str) -> str:
    """How an origin is shown to a person: the host, and the scheme only if not TLS."""
    return origin.removeprefix("https://")
