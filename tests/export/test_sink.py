"""Clips appear under their final name only when complete, with their digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

from custom_components.neighborhood_requests.export.sink import HashingSink, hash_file


def test_commit_renames_and_hashes(tmp_path: Path) -> None:
    destination = tmp_path / "clip.mp4"
    sink = HashingSink(destination)
    sink.write(b"abc")
    sink.write(b"def")
    assert not destination.exists()
    assert sink.commit() == (hashlib.sha256(b"abcdef").hexdigest(), 6)
    assert destination.read_bytes() == b"abcdef"
    sink.abort()  # harmless after commit
    assert list(tmp_path.iterdir()) == [destination]


def test_failure_leaves_nothing(tmp_path: Path) -> None:
    destination = tmp_path / "clip.mp4"
    with HashingSink(destination) as sink:
        sink.write(b"partial")
        assert sink.temporary.exists()
    assert list(tmp_path.iterdir()) == []


def test_hash_file(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 3_000_000)
    assert hash_file(path) == (hashlib.sha256(b"x" * 3_000_000).hexdigest(), 3_000_000)
