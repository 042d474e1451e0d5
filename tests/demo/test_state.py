"""State survives a run; ports fall back when the preferred one is taken."""

from __future__ import annotations

from pathlib import Path
import socket

from demo import ports
from demo.state import State


def test_state_round_trips_and_keeps_the_password_private(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    state = State.new().evolve(ha_port=8123, token="t", entry_id="e")
    state.save(path)
    assert State.load(path) == state
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(state.owner.password) >= 12


def test_unreadable_state_starts_over(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text("{not json")
    fresh = State.load(tmp_path / "state.json")
    assert fresh.ha_port is None
    assert fresh.owner.username == "demo"
    assert State.load(tmp_path / "missing.json").token is None


def test_pick_prefers_a_free_port_and_avoids_a_taken_one(
    socket_enabled: None,
) -> None:
    with socket.socket() as taken:
        taken.bind((ports.HOST, 0))
        taken.listen()
        busy = taken.getsockname()[1]
        assert not ports.is_free(busy)
        assert ports.pick(busy) == busy + 1 or not ports.is_free(busy + 1)
        assert ports.pick(busy) != busy
    free = ports.any_free()
    assert ports.pick(free) == free
    assert ports.pick(free, avoid={free}) != free
