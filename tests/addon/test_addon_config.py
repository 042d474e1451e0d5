"""The add-on repository holds up to Home Assistant's add-on linter.

The linter (frenck/action-addon-linter) validates config.yaml and build.yaml with
JSON schemas, pinned under tests/specs/, and reports every property that merely
repeats its default. Its further rules are restated here for what this add-on
could trip over. Docker is not run here; what is checked is every file the
Supervisor reads and the entry script (tests/bot/test_addon_run.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import version
import json
from pathlib import Path
import re
import tomllib
from typing import Any

from jsonschema import Draft7Validator, ValidationError, validators
import pytest
import yaml

from bot.config import LANGUAGES

REPO = Path(__file__).resolve().parents[2]
ADDON = REPO / "neighborhood_requests_bot"
SPECS = REPO / "tests" / "specs"
# The option types the Supervisor's add-on options validator knows.
OPTION_TYPE = re.compile(
    r"^(str|bool|password|email|url|port|device(\(.*\))?|int(\(\d*,\d*\))?"
    r"|float(\([\d.]*,[\d.]*\))?|match\(.+\)|list\([^|()]+(\|[^|()]+)*\))\??$"
)


def load(name: str) -> Any:
    return yaml.safe_load((ADDON / name).read_text(encoding="utf-8"))


def linter(schema_file: str) -> Draft7Validator:
    """Draft 7, plus the linter's rule that a property equal to its default goes."""
    schema = json.loads((SPECS / schema_file).read_text(encoding="utf-8"))
    properties = Draft7Validator.VALIDATORS["properties"]

    def properties_and_defaults(
        validator: Any, props: dict[str, Any], instance: Any, schema: Any
    ) -> Iterator[ValidationError]:
        for name, sub in props.items():
            if "default" in sub and instance.get(name) == sub["default"]:
                yield ValidationError(f"'{name}' should be removed, it uses a default")
        yield from properties(validator, props, instance, schema)

    checker = validators.extend(
        Draft7Validator, {"properties": properties_and_defaults}
    )
    return checker(schema)


def test_config_passes_the_linter_schema() -> None:
    errors = sorted(
        str(e.message)
        for e in linter("addon-config.schema.json").iter_errors(load("config.yaml"))
    )
    assert errors == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"startup": "application"}, "'startup' should be removed, it uses a default"),
        ({"init": True}, "'init' should be removed, it uses a default"),
        ({"arch": ["amd64", "riscv"]}, "'riscv' is not one of"),
        ({"ports": {"8080/tcp": 70000}}, "70000"),
        ({"homeassistant_api": "yes"}, "'yes' is not of type 'boolean'"),
        ({"boot": "always"}, "'always' is not one of"),
        ({"secrets": True}, "Additional properties are not allowed"),
    ],
)
def test_the_pinned_schema_refuses_what_the_linter_refuses(
    change: dict[str, Any], message: str
) -> None:
    """The check above can fail: each of these breaks the linter's schema."""
    config = load("config.yaml") | change
    errors = [
        str(e.message) for e in linter("addon-config.schema.json").iter_errors(config)
    ]
    assert any(message in error for error in errors), errors


def test_config_keeps_the_linters_other_rules() -> None:
    config = load("config.yaml")
    assert not (config.get("ingress") and config.get("webui"))
    assert "auto_uart" not in config
    assert "watchdog" not in config  # obsolete: Docker's HEALTHCHECK instead
    assert isinstance(config.get("tmpfs", False), bool)
    assert not config.get("full_access")
    assert not any(":" in device for device in config.get("devices", []))


def test_build_passes_the_linter_schema_and_matches_config() -> None:
    build, config = load("build.yaml"), load("config.yaml")
    errors = [
        str(e.message) for e in linter("addon-build.schema.json").iter_errors(build)
    ]
    assert errors == []
    assert set(build["build_from"]) == set(config["arch"])
    for arch, image in build["build_from"].items():
        name, tag = image.rsplit(":", 1)
        assert name == f"ghcr.io/home-assistant/{arch}-base-python"
        assert tag.startswith("3.14-alpine")  # the bot needs Python 3.14


def test_version_slug_and_home_assistant_access() -> None:
    config = load("config.yaml")
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    manifest = json.loads(
        (REPO / "custom_components/neighborhood_requests/manifest.json").read_text()
    )
    assert config["version"] == pyproject["project"]["version"] == manifest["version"]
    assert config["slug"] == ADDON.name
    # The Supervisor's token and proxy, and nothing more: no Supervisor API, no
    # host network, no privileges.
    assert config["homeassistant_api"] is True
    for power in (
        "hassio_api",
        "host_network",
        "privileged",
        "full_access",
        "docker_api",
        "map",
        "ports",
    ):
        assert power not in config, power


def test_options_schema_and_translations() -> None:
    config = load("config.yaml")
    schema, options = config["schema"], config["options"]
    assert set(options) <= set(schema)
    for name, kind in schema.items():
        assert OPTION_TYPE.match(kind), (name, kind)
    # The one option the owner must set; everything else has a default or is optional.
    required = {
        n for n, k in schema.items() if not k.endswith("?") and not options.get(n)
    }
    assert required == {"telegram_bot_token"}
    assert schema["telegram_bot_token"] == "password"  # shown masked
    assert schema["language"] == f"list({'|'.join(LANGUAGES)})"
    for language in ("en", "de", "es"):
        texts = yaml.safe_load(
            (ADDON / "translations" / f"{language}.yaml").read_text(encoding="utf-8")
        )
        assert set(texts) == {"configuration"}
        assert set(texts["configuration"]) == set(schema), language
        for name, text in texts["configuration"].items():
            assert set(text) == {"name", "description"}, (language, name)
            assert text["name"].strip()
            assert len(text["description"]) > 20


def test_requirements_are_the_versions_the_tests_ran() -> None:
    pins = {}
    for line in (ADDON / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, pinned = line.split("==")
            pins[name.split("[")[0]] = pinned
    assert set(pins) == {"python-telegram-bot", "aiohttp", "PyYAML", "tzdata"}
    for name, pinned in pins.items():
        assert version(name) == pinned, name


def test_dockerfile_and_run_script() -> None:
    dockerfile = (ADDON / "Dockerfile").read_text()
    lines = [
        line for line in dockerfile.splitlines() if line and not line.startswith("#")
    ]
    assert lines[:2] == ["ARG BUILD_FROM", "FROM ${BUILD_FROM}"]
    assert "COPY requirements.txt /tmp/requirements.txt" in lines
    assert "COPY run /run" in lines
    assert lines[-1] == 'CMD ["/run"]'
    assert "v${BUILD_VERSION}.tar.gz" in dockerfile  # the release of this version
    run = ADDON / "run"
    assert run.stat().st_mode & 0o111
    assert run.read_text().splitlines()[0] == "#!/bin/sh"


def test_repository_layout_and_store_files() -> None:
    repository = yaml.safe_load((REPO / "repository.yaml").read_text())
    assert set(repository) == {"name", "url", "maintainer"}
    assert repository["url"].startswith("https://github.com/")
    for name in ("DOCS.md", "README.md", "CHANGELOG.md", "icon.png", "logo.png"):
        assert (ADDON / name).is_file(), name
    from PIL import Image

    with Image.open(ADDON / "icon.png") as icon:
        assert icon.size == (128, 128)
    with Image.open(ADDON / "logo.png") as logo:
        assert logo.size == (250, 100)
