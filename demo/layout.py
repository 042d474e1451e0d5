"""Where the demo keeps its files: all under the git-ignored `.demo/` of the repo.

One place names every path, so a reset is `rm -rf .demo` and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Layout:
    """Paths of one demo installation rooted at `repo`."""

    repo: Path

    @property
    def root(self) -> Path:
        return self.repo / ".demo"

    @property
    def venv_bin(self) -> Path:
        return self.repo / ".venv" / "bin"

    @property
    def deps(self) -> Path:
        """Home Assistant's runtime packages (frontend, stream, ...): not in .venv."""
        return self.root / "deps"

    @property
    def ha(self) -> Path:
        return self.root / "ha"

    @property
    def publisher(self) -> Path:
        return self.root / "publisher"

    @property
    def inbox(self) -> Path:
        return self.publisher / "inbox"

    @property
    def camera(self) -> Path:
        return self.root / "camera"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def state(self) -> Path:
        return self.root / "state.json"

    def create(self) -> None:
        for path in (self.root, self.ha, self.publisher, self.inbox, self.logs):
            path.mkdir(parents=True, exist_ok=True)
