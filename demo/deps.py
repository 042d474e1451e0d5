"""Home Assistant's own runtime packages for the demo, kept out of `.venv`.

`.venv` holds what the tests need; a running Home Assistant also wants its
frontend, the stream worker's PyAV, ha-ffmpeg and more. Home Assistant would pip
them into `.venv` at start-up; the demo instead resolves the same requirements
from the integrations' manifests and installs them once into `.demo/deps`, pinned
by Home Assistant's own constraints file, then runs `hass --skip-pip` with that
folder on PYTHONPATH. A package without a wheel for this Python is skipped and
named: the integration that wants it fails to load, the rest of HA does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import hashlib
import json
from pathlib import Path
import shutil
import subprocess

import homeassistant
from homeassistant import bootstrap
import homeassistant.components
from homeassistant.const import __version__ as HA_VERSION
from homeassistant.util.package import is_installed

STAMP = ".installed.json"


@dataclass(frozen=True, slots=True)
class Plan:
    """What to install: requirements missing from `.venv`, in a stable order."""

    domains: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def digest(self) -> str:
        text = "\n".join([HA_VERSION, *self.missing])
        return hashlib.sha256(text.encode()).hexdigest()


def components_dir() -> Path:
    return Path(next(iter(homeassistant.components.__path__)))


def constraints_file() -> Path:
    return Path(next(iter(homeassistant.__path__))) / "package_constraints.txt"


def domains_to_set_up(configured: Iterable[str]) -> set[str]:
    """The domains `hass` will set up: its defaults plus what the YAML names."""
    return (
        set(bootstrap.DEFAULT_INTEGRATIONS)
        | set(bootstrap.CORE_INTEGRATIONS)
        | set(configured)
    )


def resolve(domains: Iterable[str], components: Path) -> tuple[set[str], set[str]]:
    """Every domain reached through `dependencies`, and all their requirements.

    `after_dependencies` are only ordering hints: they are not set up because of
    this, so they are not followed.
    """
    seen: set[str] = set()
    requirements: set[str] = set()
    todo = list(domains)
    while todo:
        domain = todo.pop()
        if domain in seen:
            continue
        seen.add(domain)
        manifest = components / domain / "manifest.json"
        if not manifest.is_file():
            continue
        data = json.loads(manifest.read_text(encoding="utf-8"))
        requirements.update(data.get("requirements", []))
        todo.extend(data.get("dependencies", []))
    return seen, requirements


def plan(configured: Iterable[str]) -> Plan:
    domains, requirements = resolve(domains_to_set_up(configured), components_dir())
    missing = sorted(r for r in requirements if not is_installed(r))
    return Plan(tuple(sorted(domains)), tuple(missing))


@dataclass(frozen=True, slots=True)
class Installed:
    installed: tuple[str, ...]
    skipped: tuple[str, ...]
    fresh: bool


def ensure(target: Path, wanted: Plan, pip: Path) -> Installed:
    """Install `wanted.missing` into `target` unless the stamp says it is done."""
    stamp = target / STAMP
    if stamp.is_file():
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        if recorded.get("digest") == wanted.digest:
            return Installed(
                tuple(recorded["installed"]), tuple(recorded["skipped"]), False
            )
    if target.exists():
        shutil.rmtree(target)
    wheels = target.parent / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    constraints = str(constraints_file())
    installable: list[str] = []
    skipped: list[str] = []
    for requirement in wanted.missing:
        # One package at a time, so one that cannot be had is skipped alone.
        if _fetch_wheel(pip, requirement, wheels, constraints):
            installable.append(requirement)
        else:
            skipped.append(requirement)
    if installable:
        _pip(
            pip,
            "install",
            "--only-binary=:all:",
            "--find-links",
            str(wheels),
            "-c",
            constraints,
            "--target",
            str(target),
            *installable,
        )
    target.mkdir(parents=True, exist_ok=True)
    # The wheels are only a download cache; the installed files are what count.
    shutil.rmtree(wheels, ignore_errors=True)
    stamp.write_text(
        json.dumps(
            {
                "digest": wanted.digest,
                "installed": installable,
                "skipped": skipped,
            }
        ),
        encoding="utf-8",
    )
    return Installed(tuple(installable), tuple(skipped), True)


def _fetch_wheel(pip: Path, requirement: str, wheels: Path, constraints: str) -> bool:
    """A published wheel, else one built from the sdist (pure Python builds here)."""
    for args in (
        ["download", "--only-binary=:all:", "--dest", str(wheels)],
        ["wheel", "--wheel-dir", str(wheels)],
    ):
        try:
            _pip(pip, *args, "--no-deps", "-c", constraints, requirement)
        except subprocess.CalledProcessError:
            continue
        return True
    return False


def _pip(pip: Path, *args: str) -> None:
    """Run pip quietly; its output is shown only when it fails."""
    done = subprocess.run(  # noqa: S603 - pip of .venv with pinned requirements
        [str(pip), *args, "--disable-pip-version-check", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        if args[0] == "install":
            print(done.stdout + done.stderr)
        raise subprocess.CalledProcessError(done.returncode, args[0])
