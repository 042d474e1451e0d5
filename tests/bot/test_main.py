"""The command line without a server: usage, missing configuration."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys

import pytest

from bot.__main__ import main
from bot.config import SETTINGS


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


def test_running_without_configuration_lists_every_problem(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 1
    assert "HA_URL is required" in capsys.readouterr().err


def test_check_with_missing_configuration_lists_every_problem(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("invalid configuration:\n")
    for name in ("TELEGRAM_BOT_TOKEN", "HA_URL", "HA_TOKEN"):
        assert f"  - {name} is required" in err


def test_check_with_a_missing_config_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--check", "--config", str(tmp_path / "nope.yaml")]) == 1
    assert "cannot read config file" in capsys.readouterr().err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--chek"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --chek" in capsys.readouterr().err


def test_python_dash_m_bot_runs_main() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 1
    assert "invalid configuration" in result.stderr
