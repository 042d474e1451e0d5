"""Configuration from the environment and a YAML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import (
    DEFAULT_TELEGRAM_API_BASE_URL,
    BotConfig,
    ConfigError,
    load_config,
    mask_secret,
)

TOKEN = "123456789:AAEhBOweik6ad9r_QxMwUfZ3mYv5lSsT7qX"
HA_TOKEN = "eyJhbGciOiJIUzI1NiJ9.long-lived-token-of-the-bot-user"
GOOD_ENV = {
    "TELEGRAM_BOT_TOKEN": TOKEN,
    "HA_URL": "http://ha:8123",
    "HA_TOKEN": HA_TOKEN,
}


def problems(env: dict[str, str], config_file: Path | None = None) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as err:
        load_config(env, config_file)
    return err.value.problems


def test_environment_only_with_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    config = load_config({**GOOD_ENV, "HA_URL": "https://ha.example.org/"})
    assert config == BotConfig(
        telegram_token=TOKEN,
        ha_url="https://ha.example.org",
        ha_token=HA_TOKEN,
        telegram_api_base_url=DEFAULT_TELEGRAM_API_BASE_URL,
        language="en",
        state_file=tmp_path / ".local/state/neighborhood-requests-bot/state.json",
    )
    # Secrets never show in the repr a log line would print.
    assert TOKEN not in repr(config)
    assert HA_TOKEN not in repr(config)


def test_xdg_state_home_is_honoured(tmp_path: Path) -> None:
    config = load_config({**GOOD_ENV, "XDG_STATE_HOME": str(tmp_path)})
    assert config.state_file == tmp_path / "neighborhood-requests-bot/state.json"


def test_file_settings_and_environment_wins(tmp_path: Path) -> None:
    config_file = tmp_path / "bot.yaml"
    config_file.write_text(
        f"telegram_bot_token: '{TOKEN}'\n"
        "ha_url: http://from-file:8123\n"
        "ha_token: file-token\n"
        "telegram_api_base_url: http://localhost:8081/bot\n"
        "bot_language: de\n"
        "bot_state_file: ~/bot-state.json\n",
        encoding="utf-8",
    )
    config = load_config({"HA_TOKEN": "env-token", "BOT_LANGUAGE": ""}, config_file)
    assert config.telegram_token == TOKEN
    assert config.ha_url == "http://from-file:8123"
    assert config.ha_token == "env-token"  # the environment wins
    assert config.language == "de"  # an empty variable counts as unset
    assert config.telegram_api_base_url == "http://localhost:8081/bot"
    assert config.state_file == Path("~/bot-state.json").expanduser()
    assert config.source == config_file


def test_empty_file_and_null_values(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert load_config(GOOD_ENV, empty).ha_url == "http://ha:8123"
    nulls = tmp_path / "nulls.yaml"
    nulls.write_text("bot_language:\n", encoding="utf-8")
    assert load_config(GOOD_ENV, nulls).language == "en"


def test_every_missing_setting_is_named() -> None:
    found = problems({})
    assert len(found) == 3
    for name in ("TELEGRAM_BOT_TOKEN", "HA_URL", "HA_TOKEN"):
        assert any(p.startswith(f"{name} is required") for p in found)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"TELEGRAM_BOT_TOKEN": "12345:short"}, "does not look like a bot token"),
        ({"TELEGRAM_BOT_TOKEN": "bot" + TOKEN}, "does not look like a bot token"),
        ({"HA_URL": "ha.local:8123"}, "HA_URL must be an http:// or https:// URL"),
        ({"HA_URL": "ftp://ha"}, "HA_URL must be an http:// or https:// URL"),
        ({"HA_URL": "http://ha/?x=1"}, "must not have a query or fragment"),
        ({"HA_TOKEN": "two words"}, "HA_TOKEN must not contain whitespace"),
        ({"TELEGRAM_API_BASE_URL": "localhost:8081"}, "TELEGRAM_API_BASE_URL must"),
        ({"BOT_LANGUAGE": "fr"}, "BOT_LANGUAGE must be one of en, de, es"),
    ],
)
def test_invalid_values(override: dict[str, str], expected: str) -> None:
    found = problems({**GOOD_ENV, **override})
    assert len(found) == 1
    assert expected in found[0]


def test_tokens_are_masked_in_errors() -> None:
    bad = "123456789:" + "x" * 20 + "!secret-part"
    error = str(ConfigError(problems({**GOOD_ENV, "TELEGRAM_BOT_TOKEN": bad})))
    assert "secret-part" not in error
    assert "123456789:…" in error
    assert error.startswith("invalid configuration:\n  - TELEGRAM_BOT_TOKEN")


@pytest.mark.parametrize(
    ("secret", "shown"),
    [
        (TOKEN, "123456789:… (35 chars hidden)"),
        ("abcdefghijklmnopqrstuvwxyz", "abcd… (26 chars)"),
        ("short one", "*** (9 chars)"),
    ],
)
def test_mask_secret(secret: str, shown: str) -> None:
    assert mask_secret(secret) == shown


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("ha_url: [unclosed", "is not valid YAML"),
        ("- a list\n", "must be a mapping of settings"),
        ("ha_urll: http://ha\n", "unknown setting 'ha_urll'"),
        ("HA_URL: http://ha\n", "unknown setting 'HA_URL'"),
        ("ha_token: 12345\n", "ha_token must be a string (quote it in YAML)"),
    ],
)
def test_file_problems(tmp_path: Path, content: str, expected: str) -> None:
    config_file = tmp_path / "bot.yaml"
    config_file.write_text(content, encoding="utf-8")
    found = problems(GOOD_ENV, config_file)
    assert any(expected in p for p in found), found


def test_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    found = problems(GOOD_ENV, missing)
    assert found == (f"cannot read config file {missing}: No such file or directory",)
