"""What one demo run leaves for the next: owner, ports, token, entry.

Plain JSON in `.demo/state.json`; the password is a demo password printed on every
start, so keeping it readable next to the demo it unlocks is the point.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
import json
from pathlib import Path
import secrets
from typing import Any, Self

from demo.homeassistant import Owner


@dataclass(frozen=True, slots=True)
class State:
    owner: Owner
    ha_port: int | None = None
    publisher_port: int | None = None
    camera_port: int | None = None
    token: str | None = None
    feed_url: str | None = None
    entry_id: str | None = None

    @classmethod
    def new(cls) -> Self:
        password = secrets.token_urlsafe(9)
        return cls(Owner("Demo Owner", "demo", password))

    @classmethod
    def load(cls, path: Path) -> Self:
        """The saved state, or a fresh one with a new owner password."""
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return cls(**{**data, "owner": Owner(**data["owner"])})
        except FileNotFoundError, KeyError, TypeError, ValueError:
            return cls.new()

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(path)

    def evolve(self, **changes: Any) -> Self:
        return replace(self, **changes)
