"""The committed panel bundle is exactly what `frontend/src` builds to.

HACS installs the bundle as committed, without Node, so a source change that
was not rebuilt would never reach anyone. `scripts/test` runs the same check;
here it is also shown to fail on a bundle that differs by a single byte.
"""

from __future__ import annotations

from pathlib import Path
import shutil
import subprocess

import pytest

REPO = Path(__file__).parents[2]
BUILD = REPO / "frontend" / "build.mjs"
BUNDLE = (
    REPO
    / "custom_components"
    / "neighborhood_requests"
    / "panel"
    / "www"
    / "neighborhood-requests-panel.js"
)
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not on PATH (scripts/setup installs Node.js)"
)


def check(bundle: Path) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run(
        [NODE, str(BUILD), "--check", "--bundle", str(bundle)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=120,
    )


def test_the_committed_bundle_is_up_to_date() -> None:
    done = check(BUNDLE)
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_a_stale_bundle_fails_the_check(tmp_path: Path) -> None:
    stale = tmp_path / "neighborhood-requests-panel.js"
    stale.write_bytes(BUNDLE.read_bytes() + b"\n")
    done = check(stale)
    assert done.returncode == 1
    assert "is not what frontend/src builds to" in done.stderr
    assert "npm --prefix frontend run build" in done.stderr
