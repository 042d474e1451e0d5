"""One error type for every protocol failure, carrying every problem found at once.

A publisher fixing a feed wants the whole list, not the first failure, and a home
records the reasons with the rejected request; neither wants a stack trace.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """A single reason, anchored at a JSON-path-like location such as `window.end`.

    `reason` is English and is what logs, the audit log and publishers read.
    `code` and `params` say the same for people in their own language: the home
    translates `code` (a `selector.reasons` option) and fills in `params`, raw
    machine values (seconds, metres, timestamps) it formats for the reader. A
    problem without a code is technical (a malformed entry, a bad signature)
    and is shown as it is, behind a translated sentence naming its kind.
    """

    path: str
    reason: str
    # The English text is the problem; its code and values only say it again.
    code: str = field(default="", compare=False)
    params: Mapping[str, str] = field(default_factory=dict, compare=False)

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
            Problem(
                f"{prefix}.{p.path}" if p.path else prefix, p.reason, p.code, p.params
            )
            for p in self.problems
        )
