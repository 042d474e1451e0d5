"""`keygen`: a publisher key is created once, privately, and never silently replaced."""

from __future__ import annotations

import json
from pathlib import Path
import stat

from custom_components.neighborhood_requests.protocol import jws

from .conftest import Cli


def test_keygen_writes_private_key_and_public_jwk(tmp_path: Path, cli: Cli) -> None:
    result = cli("keygen", "--out", tmp_path / "keys")

    assert result.code == 0
    key_file = tmp_path / "keys" / "publisher.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    private = jws.load_private_key(key_file.read_bytes())
    jwk = json.loads((tmp_path / "keys" / "publisher.jwk.json").read_text())
    assert jwk == jws.public_jwk(private)
    assert "d" not in jwk
    assert result.out.splitlines()[-1] == jws.fingerprint(jwk)


def test_keygen_uses_the_given_kid(tmp_path: Path, cli: Cli) -> None:
    result = cli("keygen", "--out", tmp_path, "--kid", "wpd-2026")

    assert result.code == 0
    assert (
        json.loads((tmp_path / "publisher.jwk.json").read_text())["kid"] == "wpd-2026"
    )
    assert "kid wpd-2026" in result.out


def test_keygen_refuses_to_overwrite_a_key(tmp_path: Path, cli: Cli) -> None:
    cli("keygen", "--out", tmp_path)
    before = (tmp_path / "publisher.key").read_bytes()

    result = cli("keygen", "--out", tmp_path)

    assert result.code == 1
    assert "already exists" in result.err
    assert "--force" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert (tmp_path / "publisher.key").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "publisher.jwk.json",
        "publisher.key",
    ]


def test_keygen_force_replaces_the_key(tmp_path: Path, cli: Cli) -> None:
    cli("keygen", "--out", tmp_path)
    before = (tmp_path / "publisher.key").read_bytes()

    result = cli("keygen", "--out", tmp_path, "--force")

    assert result.code == 0
    key_file = tmp_path / "publisher.key"
    assert key_file.read_bytes() != before
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    private = jws.load_private_key(key_file.read_bytes())
    jwk = json.loads((tmp_path / "publisher.jwk.json").read_text())
    assert jwk["x"] == jws.public_jwk(private)["x"]


def test_keygen_rejects_an_empty_kid(tmp_path: Path, cli: Cli) -> None:
    result = cli("keygen", "--out", tmp_path, "--kid", " ")

    assert result.code == 2
    assert "--kid" in result.err
    assert not (tmp_path / "publisher.key").exists()


def test_keygen_requires_out(cli: Cli) -> None:
    result = cli("keygen")

    assert result.code == 2
    assert "--out" in result.err


def test_help_exits_zero(cli: Cli) -> None:
    result = cli("--help")

    assert result.code == 0
    for command in ("keygen", "sign", "check", "serve", "push"):
        assert command in result.out
