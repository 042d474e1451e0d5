"""Import-time stand-ins for the voice packages that have no wheel for this Python.

Since Home Assistant 2026.10 the websocket `get_services` command imports every
base component, `assist_satellite` (and with it `assist_pipeline`) included, and
fails when `pymicro_vad` or `pyspeex_noise` is missing, so the frontend never
finishes loading. The demo uses no voice features; a module that imports but
refuses to work lets the frontend load, while voice stays as unusable as it is
without the package. Only packages `deps` had to skip get a stand-in, and the
folder comes after `.demo/deps` on the path, so a real package always wins.
(The browser tests' stage found this first and wrote the same stand-ins.)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# Requirement name -> (module, the class Home Assistant imports from it).
VOICE = {
    "pymicro-vad": ("pymicro_vad", "MicroVad"),
    "pyspeex-noise": ("pyspeex_noise", "AudioProcessor"),
}


def requirement_name(requirement: str) -> str:
    return requirement.split("==", 1)[0].strip().lower()


def write(folder: Path, skipped: Iterable[str]) -> list[str]:
    """Write a stand-in for each skipped voice package; return their modules."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.py"):
        stale.unlink()
    written = []
    for requirement in skipped:
        found = VOICE.get(requirement_name(requirement))
        if found is None:
            continue
        module, name = found
        (folder / f"{module}.py").write_text(
            f'"""Stand-in by scripts/demo: {requirement} has no wheel here."""\n'
            f"\n\nclass {name}:\n"
            f"    def __init__(self, *args: object, **kwargs: object) -> None:\n"
            f'        raise RuntimeError("{module} is not installed")\n',
            encoding="utf-8",
        )
        written.append(module)
    return written
