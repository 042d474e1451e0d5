"""The supervisor leaves nothing running: not the child, not what it started."""

from __future__ import annotations

import os
from pathlib import Path
import sys
import time

import pytest

from demo.processes import Supervisor
from demo.run import check_children

# A child that starts a grandchild in its own process group, reports its pid and
# then waits; optionally it ignores SIGTERM, as a wedged process would.
PARENT = """
import signal, subprocess, sys, time
if sys.argv[1] == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(grandchild.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is gone once /proc says so or it is reaped.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def _grandchild_pid(log: Path) -> int:
    """Poll the log until the child has printed its grandchild's pid."""
    deadline = time.monotonic() + 30
    while not log.read_text().strip():
        assert time.monotonic() < deadline, "child never reported its grandchild"
        time.sleep(0.01)
    return int(log.read_text().split()[0])


@pytest.mark.parametrize("mode", ["polite", "stubborn"])
def test_stop_all_ends_child_and_grandchild(tmp_path: Path, mode: str) -> None:
    supervisor = Supervisor(grace_s=1.0)
    log = tmp_path / "child.log"
    child = supervisor.start("child", [sys.executable, "-c", PARENT, mode], log=log)
    grandchild = _grandchild_pid(log)
    assert os.getpgid(grandchild) == child.pid

    supervisor.stop_all()

    assert child.process.returncode is not None
    assert not _alive(child.pid)
    assert not _alive(grandchild)
    assert supervisor.children == ()
    supervisor.stop_all()  # a second call (atexit after finally) is harmless


def test_exited_reports_a_child_that_ended(tmp_path: Path) -> None:
    supervisor = Supervisor()
    child = supervisor.start(
        "quick",
        [sys.executable, "-c", "print('bye'); raise SystemExit(3)"],
        log=tmp_path / "quick.log",
    )
    child.process.wait()
    assert supervisor.exited() == [(child, 3)]
    assert (tmp_path / "quick.log").read_text() == "bye\n"
    supervisor.stop_all()
    with pytest.raises(RuntimeError, match="already stopped"):
        supervisor.start("late", [sys.executable, "-c", ""], log=tmp_path / "x.log")


def test_a_later_run_stops_what_a_killed_run_left(tmp_path: Path) -> None:
    registry = tmp_path / "children.json"
    killed_run = Supervisor(registry=registry)
    log = tmp_path / "child.log"
    child = killed_run.start("child", [sys.executable, "-c", PARENT, "polite"], log=log)
    grandchild = _grandchild_pid(log)
    # The first run dies without cleaning up; only its registry remains.

    reaped = Supervisor(grace_s=5.0, registry=registry).reap_leftovers()

    assert reaped == [child.pid]
    child.process.wait()  # reap the zombie: this test process is its parent
    assert not _alive(grandchild)
    assert not registry.exists()


def test_leftovers_with_another_command_line_are_not_touched(tmp_path: Path) -> None:
    registry = tmp_path / "children.json"
    registry.write_text(f'[{{"pid": {os.getpid()}, "argv": ["not", "this"]}}]')
    assert Supervisor(registry=registry).reap_leftovers() == []
    assert Supervisor(registry=registry).reap_leftovers() == []  # registry gone


def test_an_optional_child_that_ends_is_reported_and_forgotten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The companion bot may stop (no Telegram here); the demo goes on."""
    supervisor = Supervisor(registry=tmp_path / "children.json")
    for name in ("bot", "camera"):
        supervisor.start(
            name,
            [sys.executable, "-c", f"print('{name} gone'); raise SystemExit(2)"],
            log=tmp_path / f"{name}.log",
        )
    for child in supervisor.children:
        child.process.wait()

    with pytest.raises(RuntimeError, match=r"camera exited with 2(.|\n)*camera gone"):
        check_children(supervisor, frozenset({"bot"}))

    assert "bot exited with 2" in capsys.readouterr().out
    assert [c.name for c in supervisor.children] == ["camera"]
    supervisor.stop_all()
