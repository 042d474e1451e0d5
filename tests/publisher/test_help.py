"""`--help` describes every option of every command, with an example each."""

from __future__ import annotations

import argparse

import pytest

from publisher.cli import PROG, build_parser, run

COMMANDS = ("keygen", "sign", "check", "serve", "push")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    return dict(action.choices)


def test_every_command_is_listed_with_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert any(
            line.split()[:1] == [command] and len(line.split()) > 1
            for line in out.splitlines()
        ), command
    assert f"{PROG} keygen --out keys/" in out
    assert "docs/feed-spec.md" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_is_described(command: str) -> None:
    """No option reaches --help without a sentence: the issue was four bare ones."""
    parser = _subparsers(build_parser())[command]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        name = action.option_strings[0] if action.option_strings else action.dest
        assert action.help, f"{command} {name} has no help text"
        assert len(action.help) > 15, f"{command} {name}: {action.help!r}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_shows_an_example_that_parses(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: {PROG} {command}")
    assert "\nexample:\n" in out
    example = out.split("\nexample:\n", 1)[1].replace("\\\n", " ").split()
    assert example[:2] == [PROG, command]
    # The example is a real command line: the parser accepts it as written.
    args = build_parser().parse_args(example[1:])
    assert args.command == command


def test_help_names_the_defaults_a_user_needs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(["serve", "--help"])
    serve = capsys.readouterr().out
    assert "default 127.0.0.1" in serve
    assert "default 8080" in serve
    run(["check", "--help"])
    check = capsys.readouterr().out
    assert "default 5242880" in check  # 5 MB, the homes' own cap
