"""Where the demo keeps its files: all under the git-ignored `.demo/` of the repo.

One place names every path, so a reset is `rm -rf .demo` and nothing else. The
interactive demo lives in `.demo/` itself; the smoke run (and anyone importing
the demo, such as the browser tests) passes its own `base` below it, so runs do
not share a Home Assistant, a publisher key or ports. Home Assistant's runtime
packages (`deps`) are shared by all of them: they take the longest to install.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Layout:
    """Paths of one demo installation of `repo`, under `base` (default `.demo`)."""

    repo: Path
    base: Path | None = None

    @property
    def root(self) -> Path:
        return self.base if self.base is not None else self.repo / ".demo"

    @property
    def venv_bin(self) -> Path:
        return self.repo / ".venv" / "bin"

    @property
    def deps(self) -> Path:
        """Home Assistant's runtime packages (frontend, stream, ...): not in .venv."""
        return self.repo / ".demo" / "deps"

    @property
    def standins(self) -> Path:
        """Import-time stand-ins for packages `deps` could not install."""
        return self.repo / ".demo" / "standins"

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

    @property
    def bot_state(self) -> Path:
        return self.root / "bot" / "state.json"

    def recordings(self, camera_entity: str) -> Path:
        """The integration's segments of one camera in the demo's HA config dir.

        Mirrors `footage.recordings_dir` of the integration, which needs a running
        Home Assistant to call.
        """
        object_id = camera_entity.partition(".")[2]
        return self.ha / "neighborhood_requests" / "recordings" / object_id

    def create(self) -> None:
        for path in (self.root, self.ha, self.publisher, self.inbox, self.logs):
            path.mkdir(parents=True, exist_ok=True)
