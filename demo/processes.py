"""Child processes of the demo, each in its own process group, all stopped on exit.

A process group per child means one `killpg` also reaches what the child started
(ffmpeg under Home Assistant, for example), and Ctrl-C in the terminal reaches only
the demo, which then stops the children in order. There is one way out: `stop_all`,
called from the driver's `finally`, from `atexit` and from SIGTERM/SIGHUP, so a
clean exit, Ctrl-C, SIGTERM and an exception all leave nothing running.
"""

from __future__ import annotations

import atexit
from collections.abc import Mapping, Sequence
import contextlib
from dataclasses import dataclass
import json
import os
from pathlib import Path
import signal
import subprocess
import time
from types import FrameType


@dataclass(frozen=True, slots=True)
class Child:
    """One started process; its process group id equals its pid."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    argv: tuple[str, ...]
    env: Mapping[str, str] | None

    @property
    def pid(self) -> int:
        return self.process.pid


class Supervisor:
    """Starts children and guarantees they, and their own children, are gone.

    With a `registry` file, each child's pid and command line are recorded while
    it runs, so a later run can stop what a SIGKILLed demo could not.
    """

    def __init__(self, *, grace_s: float = 10.0, registry: Path | None = None) -> None:
        self.grace_s = grace_s
        self.registry = registry
        self._children: list[Child] = []
        self._stopped = False

    @property
    def children(self) -> tuple[Child, ...]:
        return tuple(self._children)

    def install_exit_handlers(self) -> None:
        """Reach `stop_all` from interpreter exit and from SIGTERM/SIGHUP."""
        atexit.register(self.stop_all)
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # KeyboardInterrupt unwinds the driver through its `finally`, exactly as
        # Ctrl-C does, so there is a single cleanup path.
        raise KeyboardInterrupt(signal.Signals(signum).name)

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Child:
        """Run `argv` in a new session with output appended to `log`."""
        if self._stopped:
            raise RuntimeError("supervisor already stopped")
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            process = subprocess.Popen(  # noqa: S603 - argv built by the demo
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=None if env is None else dict(env),
                cwd=cwd,
                start_new_session=True,
            )
        child = Child(name, process, log, tuple(argv), env)
        self._children.append(child)
        self._record()
        return child

    def _record(self) -> None:
        if self.registry is None:
            return
        entries = [{"pid": c.pid, "argv": list(c.argv)} for c in self._children]
        self.registry.parent.mkdir(parents=True, exist_ok=True)
        self.registry.write_text(json.dumps(entries), encoding="utf-8")

    def reap_leftovers(self) -> list[int]:
        """Stop children a previous, killed run recorded; return their pids.

        A pid counts only while /proc shows the very command line recorded for
        it, so a recycled pid of some unrelated process is never touched.
        """
        if self.registry is None or not self.registry.is_file():
            return []
        try:
            entries = json.loads(self.registry.read_text(encoding="utf-8"))
        except ValueError:
            entries = []
        reaped = []
        for entry in entries:
            pid, argv = int(entry["pid"]), list(entry["argv"])
            if _runs(pid, argv):
                _signal_group(pid, signal.SIGTERM)
                deadline = time.monotonic() + self.grace_s
                while _runs(pid, argv) and time.monotonic() < deadline:
                    time.sleep(0.1)
                _reap_group(pid)
                reaped.append(pid)
        self.registry.unlink()
        return reaped

    def restart(self, child: Child) -> Child:
        """Start an exited child again with the same command line."""
        self.stop(child)
        self._children.remove(child)
        return self.start(child.name, child.argv, log=child.log, env=child.env)

    def forget(self, child: Child) -> None:
        """Drop a child that ended on its own (and whatever it left in its group)."""
        _reap_group(child.pid)
        self._children.remove(child)
        self._record()

    def exited(self) -> list[tuple[Child, int]]:
        """Children that ended on their own, with their exit codes."""
        return [
            (child, code)
            for child in self._children
            if (code := child.process.poll()) is not None
        ]

    def stop(self, child: Child) -> int | None:
        """SIGTERM the child's group, SIGKILL it after the grace period."""
        _signal_group(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace_s
        code = _wait(child.process, deadline)
        if code is None or _group_alive(child.pid):
            _signal_group(child.pid, signal.SIGKILL)
            code = _wait(child.process, time.monotonic() + 5.0)
        # The leader may be gone while something it started still runs.
        _reap_group(child.pid)
        return code

    def stop_all(self) -> None:
        """Stop every child, newest first; safe to call more than once."""
        self._stopped = True
        while self._children:
            child = self._children.pop()
            with contextlib.suppress(OSError):
                self.stop(child)
        if self.registry is not None:
            self.registry.unlink(missing_ok=True)


def _runs(pid: int, argv: list[str]) -> bool:
    """Whether `pid` still runs `argv` (after at most a `#!` interpreter)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    cmdline = raw.decode(errors="replace").split("\0")[:-1]
    extra = len(cmdline) - len(argv)
    return bool(argv) and extra in (0, 1) and cmdline[extra:] == argv


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait(process: subprocess.Popen[bytes], deadline: float) -> int | None:
    while True:
        remaining = deadline - time.monotonic()
        try:
            return process.wait(timeout=max(remaining, 0.0))
        except subprocess.TimeoutExpired:
            if remaining <= 0:
                return None


def _reap_group(pgid: int) -> None:
    """SIGKILL whatever is left in the group and wait until it is empty."""
    deadline = time.monotonic() + 5.0
    while _group_alive(pgid) and time.monotonic() < deadline:
        _signal_group(pgid, signal.SIGKILL)
        time.sleep(0.05)
