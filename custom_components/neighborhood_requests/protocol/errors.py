"""One error type for every protocol failure, carrying every problem found at once.

A publisher fixing a feed wants the whole list, not the first failure, and a home
records the reasons with the rejected request; neither wants a stack trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """A single reason, anchored at a JSON-path-like location such as `window.end`."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class ProtocolError(ValueError):
    """Raised by every parser and verifier in `protocol`; nothing else escapes them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems) or (
            Problem("", "invalid input"),
        )
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, path: str, reason: str) -> ProtocolError:
        """Shorthand for the common one-problem case."""
        return cls([Problem(path, reason)])

    def prefixed(self, prefix: str) -> ProtocolError:
        """The same problems, re-anchored under `prefix` (e.g. `requests[3]`)."""
        return ProtocolError(
            Problem(f"{prefix}.{p.path}" if p.path else prefix, p.reason)
            for p in self.problems
        )
