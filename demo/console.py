"""One voice for the demo's own lines, apart from its children's logs."""

from __future__ import annotations


def say(message: str) -> None:
    print(f"demo: {message}", flush=True)
