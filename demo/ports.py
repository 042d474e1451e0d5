"""Picking TCP ports on 127.0.0.1: the preferred one when free, else one near it.

Fallbacks are searched just above the preferred port rather than asked from the
kernel: a kernel-chosen port lies in the ephemeral range, where the demo's own
outgoing connections may take it as their source port before the server that
was promised it gets to bind.
"""

from __future__ import annotations

import socket

HOST = "127.0.0.1"
SEARCH = 100


def is_free(port: int, host: str = HOST) -> bool:
    """True when nothing listens on `port` (a bind test, as a server would do it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def any_free(host: str = HOST) -> int:
    """A port the kernel just handed out; free until someone else binds it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def pick(preferred: int, host: str = HOST, *, avoid: set[int] | None = None) -> int:
    """`preferred` if it can be bound, else the next free one above it.

    `avoid` holds ports already promised to another demo process.
    """
    taken = avoid or set()
    for port in range(preferred, min(preferred + SEARCH, 65536)):
        if port not in taken and is_free(port, host):
            return port
    return any_free(host)
