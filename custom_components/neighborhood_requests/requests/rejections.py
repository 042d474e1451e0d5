"""Entries the home refused before they were requests: counted, never kept one by one.

Anyone who can change a feed's bytes can fill it with junk: 5,000 entries signed
by unknown keys on every poll. A record per entry made the store and the audit
log grow without limit, so what is kept instead is bounded whatever a feed holds:
per publisher, a count per rule broken (at most `MAX_RULES`, the rest counted as
`OTHER_RULE`) with the last `MAX_EXAMPLES` examples in full, and the digests of
the last poll's refused entries, so an entry that stays in the feed is counted
once, not on every poll. The same holds for the alerts of a CAP feed that are not
video requests at all, which are counted as skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
import hashlib
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from ..const import DOMAIN
from ..protocol.errors import Problem
from ..protocol.model import Rejected, Skipped

STORAGE_VERSION = 1
SAVE_DELAY_S = 5.0
MAX_RULES = 64
MAX_EXAMPLES = 5
MAX_RULE_CHARS = 160
OTHER_RULE = "other reasons"
DIGEST_CHARS = 16  # 64 bits: plenty to tell one poll's few thousand entries apart

# What varies between two breaches of one rule: quoted values, numbers, indexes.
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
# A number standing alone: not the 16 of UTF-16, the 0085 of U+0085 or a hex digit.
_NUMBER = re.compile(r"(?<![\w+-])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\w)")
_ITEM_PREFIX = re.compile(r"^[a-z]+\[\d+\]: ")


def rule_of(problem: Problem) -> str:
    """The rule a problem breaks, without the values that differ from entry to entry.

    `signature: unknown kid "k1"` and `... "k2"` are one rule; otherwise a feed
    could make every junk entry a reason of its own and the counts unbounded.
    """
    return _short(_NUMBER.sub("#", _QUOTED.sub('"…"', str(problem))))


def skip_rule(reason: str) -> str:
    """Why an alert is not a request, without saying which alert it was."""
    return _short(_QUOTED.sub('"…"', _ITEM_PREFIX.sub("", reason)))


def _short(text: str) -> str:
    return text if len(text) <= MAX_RULE_CHARS else text[: MAX_RULE_CHARS - 1] + "…"


@dataclass(slots=True)
class _Tally:
    """One publisher's counts: refused entries, and alerts that were no request."""

    rejected: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    skipped_rules: dict[str, int] = field(default_factory=dict)
    last_seen: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rejected": self.rejected,
            "rules": self.rules,
            "examples": self.examples,
            "skipped": self.skipped,
            "skipped_rules": self.skipped_rules,
            "last_seen": sorted(self.last_seen),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> _Tally:
        return cls(
            rejected=int(data.get("rejected", 0)),
            rules={str(k): int(v) for k, v in data.get("rules", {}).items()},
            examples=list(data.get("examples", ()))[-MAX_EXAMPLES:],
            skipped=int(data.get("skipped", 0)),
            skipped_rules={
                str(k): int(v) for k, v in data.get("skipped_rules", {}).items()
            },
            last_seen={str(d) for d in data.get("last_seen", ())},
        )


def _count(rules: dict[str, int], rule: str, amount: int = 1) -> None:
    """Add to `rule`, or to `OTHER_RULE` once `MAX_RULES` distinct rules exist."""
    if rule not in rules and len(rules) >= MAX_RULES:
        rule = OTHER_RULE
    rules[rule] = rules.get(rule, 0) + amount


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[
        :DIGEST_CHARS
    ]


def _entry_digest(rejected: Rejected) -> str:
    if rejected.digest:
        return rejected.digest[:DIGEST_CHARS]
    problems = "\n".join(str(p) for p in rejected.problems)
    return _digest(f"{rejected.request_id}\n{problems}")


@dataclass(frozen=True, slots=True)
class Batch:
    """What one poll refused that the last poll had not: one audit line's worth."""

    publisher_id: str
    rejected: int
    rules: dict[str, int]
    examples: tuple[dict[str, Any], ...]
    skipped: int
    skipped_rules: dict[str, int]

    def audit_event(self) -> dict[str, Any]:
        """One line for the whole batch, however many entries it holds."""
        return {
            "type": "rejected_batch",
            "publisher_id": self.publisher_id,
            "rejected": self.rejected,
            "rules": self.rules,
            "examples": list(self.examples),
            "skipped": self.skipped,
            "skipped_rules": self.skipped_rules,
        }


def _example(rejected: Rejected, now: datetime) -> dict[str, Any]:
    return {
        "request_id": rejected.request_id,
        "reasons": [[p.path, p.reason] for p in rejected.problems[:MAX_EXAMPLES]],
        "at": now.isoformat(),
    }


class RejectionTally:
    """Bounded counts of refused entries, per publisher; persisted per entry."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key(entry_id), private=True
        )
        self._tallies: dict[str, _Tally] = {}

    async def async_load(self) -> None:
        data = await self._store.async_load() or {}
        self._tallies = {
            str(publisher): _Tally.from_dict(tally)
            for publisher, tally in data.get("publishers", {}).items()
        }

    def _data(self) -> dict[str, Any]:
        return {
            "publishers": {p: t.as_dict() for p, t in self._tallies.items()},
        }

    async def async_save(self) -> None:
        await self._store.async_save(self._data())

    async def async_remove(self) -> None:
        await self._store.async_remove()

    def observe(
        self,
        publisher_id: str,
        rejected: Sequence[Rejected],
        skipped: Sequence[Skipped],
        now: datetime,
    ) -> Batch | None:
        """Count what this poll refused that the previous one had not.

        Returns the batch to audit, or None when nothing is new (the normal
        re-poll of a feed whose bad entries stay put).
        """
        tally = self._tallies.setdefault(publisher_id, _Tally())
        seen: set[str] = set()
        new_rejected: list[Rejected] = []
        for entry in rejected:
            digest = _entry_digest(entry)
            if digest not in tally.last_seen and digest not in seen:
                new_rejected.append(entry)
            seen.add(digest)
        new_skipped: list[Skipped] = []
        for item in skipped:
            digest = _digest(f"skipped\n{item.reason}")
            if digest not in tally.last_seen and digest not in seen:
                new_skipped.append(item)
            seen.add(digest)
        changed = seen != tally.last_seen
        tally.last_seen = seen
        if not (new_rejected or new_skipped):
            if changed:
                self._store.async_delay_save(self._data, SAVE_DELAY_S)
            return None
        rules: dict[str, int] = {}
        for entry in new_rejected:
            for rule in dict.fromkeys(rule_of(p) for p in entry.problems):
                _count(rules, rule)
        skipped_rules: dict[str, int] = {}
        for item in new_skipped:
            _count(skipped_rules, skip_rule(item.reason))
        examples = tuple(_example(e, now) for e in new_rejected[-MAX_EXAMPLES:])
        tally.rejected += len(new_rejected)
        tally.skipped += len(new_skipped)
        for rule, amount in rules.items():
            _count(tally.rules, rule, amount)
        for rule, amount in skipped_rules.items():
            _count(tally.skipped_rules, rule, amount)
        tally.examples = [*tally.examples, *examples][-MAX_EXAMPLES:]
        self._store.async_delay_save(self._data, SAVE_DELAY_S)
        return Batch(
            publisher_id,
            len(new_rejected),
            rules,
            examples,
            len(new_skipped),
            skipped_rules,
        )

    def absorb(
        self,
        publisher_id: str,
        request_id: str | None,
        problems: Iterable[Problem],
        at: datetime,
    ) -> None:
        """Fold one old per-entry rejection record into the counts (migration)."""
        tally = self._tallies.setdefault(publisher_id, _Tally())
        found = tuple(problems)
        tally.rejected += 1
        for rule in dict.fromkeys(rule_of(p) for p in found):
            _count(tally.rules, rule)
        example = _example(Rejected(-1, request_id, found), at)
        tally.examples = [*tally.examples, example][-MAX_EXAMPLES:]
        self._store.async_delay_save(self._data, SAVE_DELAY_S)

    def report(self, publisher_id: str) -> dict[str, Any]:
        """The transparency report's part: counts by rule, newest examples last."""
        tally = self._tallies.get(publisher_id, _Tally())
        return {
            "rejected_entries": tally.rejected,
            "rejected_rules": dict(
                sorted(tally.rules.items(), key=lambda item: -item[1])
            ),
            "rejected_examples": list(tally.examples),
            "skipped": tally.skipped,
            "skipped_reasons": dict(
                sorted(tally.skipped_rules.items(), key=lambda item: -item[1])
            ),
        }

    @property
    def publishers(self) -> tuple[str, ...]:
        return tuple(self._tallies)


def storage_key(entry_id: str) -> str:
    """A file of its own: small, and written only when something new is refused."""
    return f"{DOMAIN}.{entry_id}.rejections"
