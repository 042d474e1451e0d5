"""Bot configuration from environment variables and an optional YAML file.

Environment variables win over the file so that a container or a systemd unit can
override one value (say, the token from a secret) without editing the file. Every
problem is collected before raising, so one run of `--check` lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

# No stubs for PyYAML in the pinned toolchain (types-PyYAML is not installed).
import yaml

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
LANGUAGES = ("en", "de", "es")
DEFAULT_LANGUAGE = "en"
STATE_FILE_RELATIVE = Path("neighborhood-requests-bot") / "state.json"

# The environment variable names; the YAML file uses the same names in lower case.
ENV_TELEGRAM_TOKEN = "TELEGRAM_BOT_TOKEN"  # noqa: S105 (a name, not a secret)
ENV_HA_URL = "HA_URL"
ENV_HA_TOKEN = "HA_TOKEN"  # noqa: S105 (a name, not a secret)
ENV_TELEGRAM_API_BASE_URL = "TELEGRAM_API_BASE_URL"
ENV_LANGUAGE = "BOT_LANGUAGE"
ENV_STATE_FILE = "BOT_STATE_FILE"
SETTINGS = (
    ENV_TELEGRAM_TOKEN,
    ENV_HA_URL,
    ENV_HA_TOKEN,
    ENV_TELEGRAM_API_BASE_URL,
    ENV_LANGUAGE,
    ENV_STATE_FILE,
)

# BotFather tokens: the bot's numeric id, a colon, and a secret of 35 URL-safe chars.
_TELEGRAM_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{35,}$")
_SHORTEST_SHOWN_PREFIX = 12


class ConfigError(Exception):
    """The configuration is unusable; `problems` says every reason, one per line."""

    def __init__(self, problems: list[str] | tuple[str, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "invalid configuration:\n" + "\n".join(f"  - {p}" for p in self.problems)
        )


@dataclass(frozen=True, kw_only=True)
class BotConfig:
    """Everything the bot needs to reach Telegram and Home Assistant.

    Secrets are left out of `repr` so a logged config never leaks them.
    """

    telegram_token: str = field(repr=False)
    ha_url: str
    ha_token: str = field(repr=False)
    telegram_api_base_url: str = DEFAULT_TELEGRAM_API_BASE_URL
    language: str = DEFAULT_LANGUAGE
    state_file: Path
    source: Path | None = None


def mask_secret(value: str) -> str:
    """Show enough of a secret to recognise it, never enough to use it.

    A Telegram token shows only its bot id (public anyway); anything else shows
    its length, and a prefix only when the value is long.
    """
    bot_id, sep, rest = value.partition(":")
    if sep and bot_id.isdigit():
        return f"{bot_id}:… ({len(rest)} chars hidden)"
    if len(value) >= _SHORTEST_SHOWN_PREFIX * 2:
        return f"{value[:4]}… ({len(value)} chars)"
    return f"*** ({len(value)} chars)"


def default_state_file(env: Mapping[str, str]) -> Path:
    """Follow the XDG base directory spec, as a per-user service should."""
    base = env.get("XDG_STATE_HOME")
    root = Path(base) if base else Path.home() / ".local" / "state"
    return root / STATE_FILE_RELATIVE


def read_config_file(path: Path) -> tuple[dict[str, str], list[str]]:
    """Return the settings found in a YAML file and the problems with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        return {}, [f"cannot read config file {path}: {err.strerror or err}"]
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as err:
        return {}, [f"config file {path} is not valid YAML: {err}"]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"config file {path} must be a mapping of settings"]
    allowed = {name.lower() for name in SETTINGS}
    settings: dict[str, str] = {}
    problems: list[str] = []
    for key, value in data.items():
        if not isinstance(key, str) or key not in allowed:
            problems.append(
                f"config file {path}: unknown setting {key!r} "
                f"(known: {', '.join(sorted(allowed))})"
            )
        elif value is None:
            continue
        elif not isinstance(value, str):
            problems.append(
                f"config file {path}: {key} must be a string (quote it in YAML)"
            )
        else:
            settings[key.upper()] = value
    return settings, problems


def _check_http_url(name: str, value: str) -> str | None:
    """Return a problem with an http(s) URL, or None."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{name} must be an http:// or https:// URL, got {value!r}"
    if parts.query or parts.fragment:
        return f"{name} must not have a query or fragment, got {value!r}"
    return None


def load_config(env: Mapping[str, str], config_file: Path | None = None) -> BotConfig:
    """Build the configuration; raise ConfigError naming every problem."""
    problems: list[str] = []
    settings: dict[str, str] = {}
    if config_file is not None:
        settings, problems = read_config_file(config_file)
    # Empty environment variables count as unset: systemd and compose files often
    # declare a variable without a value.
    settings.update({name: env[name] for name in SETTINGS if env.get(name)})
    settings = {name: value.strip() for name, value in settings.items()}

    def required(name: str) -> str:
        value = settings.get(name, "")
        if not value:
            where = f" or {name.lower()} in the config file"
            problems.append(f"{name} is required (environment variable{where})")
        return value

    telegram_token = required(ENV_TELEGRAM_TOKEN)
    if telegram_token and not _TELEGRAM_TOKEN.match(telegram_token):
        problems.append(
            f"{ENV_TELEGRAM_TOKEN} does not look like a bot token from BotFather "
            f"('<digits>:<35 or more characters>'), got {mask_secret(telegram_token)}"
        )
    ha_url = required(ENV_HA_URL).rstrip("/")
    if ha_url and (problem := _check_http_url(ENV_HA_URL, ha_url)):
        problems.append(problem)
    ha_token = required(ENV_HA_TOKEN)
    if ha_token and any(c.isspace() for c in ha_token):
        problems.append(
            f"{ENV_HA_TOKEN} must not contain whitespace, got {mask_secret(ha_token)}"
        )
    base_url = settings.get(ENV_TELEGRAM_API_BASE_URL, DEFAULT_TELEGRAM_API_BASE_URL)
    if problem := _check_http_url(ENV_TELEGRAM_API_BASE_URL, base_url):
        problems.append(problem)
    language = settings.get(ENV_LANGUAGE, DEFAULT_LANGUAGE).lower()
    if language not in LANGUAGES:
        problems.append(
            f"{ENV_LANGUAGE} must be one of {', '.join(LANGUAGES)}, got {language!r}"
        )
    state = settings.get(ENV_STATE_FILE)
    state_file = Path(state).expanduser() if state else default_state_file(env)
    if problems:
        raise ConfigError(problems)
    return BotConfig(
        telegram_token=telegram_token,
        ha_url=ha_url,
        ha_token=ha_token,
        telegram_api_base_url=base_url,
        language=language,
        state_file=state_file,
        source=config_file,
    )
