"""Why a connection failed, in the words of the person who has to fix it.

aiohttp (Home Assistant) and httpx (Telegram, through python-telegram-bot) wrap
the same few operating-system failures in their own exception classes; the cause
chain still holds the original. `explain` walks it and names the cause: the name
did not resolve, nothing listens on the port, the TLS handshake or certificate
failed, no answer in time. Each explanation says what to check next.
"""

from __future__ import annotations

import errno
import socket
import ssl
from urllib.parse import urlsplit

import aiohttp

# How far down a cause chain to look; real chains are 2-4 deep.
_MAX_DEPTH = 8
_UNREACHABLE = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN})


def _chain(err: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in found and len(found) < _MAX_DEPTH:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _where(url: str) -> tuple[str, str]:
    """Host and host:port of a URL, with the scheme's default port."""
    parts = urlsplit(url)
    host = parts.hostname or url
    try:
        port = parts.port or (443 if parts.scheme in ("https", "wss") else 80)
    except ValueError:
        return host, host
    return host, f"{host}:{port}"


def explain(err: BaseException, url: str) -> str:
    """A plain-words reason for a failed connection to `url`."""
    host, address = _where(url)
    # The deepest cause is the operating system's own; the wrappers above it
    # (aiohttp's, httpx's, PTB's) only restate it.
    for cause in reversed(_chain(err)):
        if isinstance(cause, socket.gaierror):
            return (
                f"the name {host!r} could not be resolved (DNS: "
                f"{cause.strerror or cause}); check the address and this "
                "machine's DNS"
            )
        if isinstance(cause, ssl.SSLCertVerificationError):
            return (
                f"the TLS certificate of {address} was not accepted "
                f"({getattr(cause, 'verify_message', None) or cause}); the server is "
                "not "
                "the one named, or its certificate is self-signed or expired"
            )
        if isinstance(cause, ssl.SSLError):
            return (
                f"the TLS handshake with {address} failed "
                f"({getattr(cause, 'reason', None) or cause}); "
                "if that server speaks plain HTTP, use http:// instead of https://"
            )
        if isinstance(cause, ConnectionRefusedError):
            return (
                f"connection refused by {address}: nothing listens there (is it "
                "running, and is the port right?)"
            )
        if isinstance(cause, ConnectionResetError):
            return f"{address} reset the connection"
        if isinstance(cause, OSError) and cause.errno in _UNREACHABLE:
            return f"no route to {address} (is the network up?)"
        name = type(cause).__name__
        if isinstance(cause, TimeoutError) or "Timeout" in name or name == "TimedOut":
            return f"no answer from {address} in time"
    text = str(err).strip()
    return text or type(err).__name__


def client_session() -> aiohttp.ClientSession:
    """An aiohttp session that resolves names as the system does.

    aiohttp prefers aiodns when it is installed (Home Assistant's dependencies
    install it), which asks DNS servers directly and so never sees /etc/hosts
    entries or mDNS names such as `homeassistant.local`. The system resolver sees
    what every other program on the machine sees.
    """
    connector = aiohttp.TCPConnector(resolver=aiohttp.ThreadedResolver())
    return aiohttp.ClientSession(connector=connector)
