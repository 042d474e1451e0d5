"""`check` on files: the verdicts a home would reach, with every reason spelled out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custom_components.neighborhood_requests.protocol import jws
from tests.protocol.factories import OTHER_JWK, feed_bytes, make_feed, make_request

from .conftest import CAP_ALERT, Cli, Workspace


def test_check_accepts_a_signed_feed_without_pinning(
    signed_feed: Workspace, cli: Cli
) -> None:
    result = cli("check", signed_feed.feed)

    assert result.code == 0, result.out
    header, origins, *verdicts = result.out.splitlines()
    fingerprint = jws.fingerprint(signed_feed.jwk_data())
    assert header == (
        "publisher 'Wolcott Police Department' (wolcott-pd) kind law_enforcement "
        f"fingerprint {fingerprint}; key not pinned"
    )
    assert origins == (
        "uploads go to: feeds.example.org (the feed's own origin and the signed "
        "publisher statement; feed at https://feeds.example.org/)"
    )
    assert verdicts == ["ACCEPT req-a rev 1", "ACCEPT req-b rev 1"]


@pytest.mark.parametrize("how", ["jwk", "fingerprint", "thumbprint"])
def test_check_with_the_pinned_key(signed_feed: Workspace, cli: Cli, how: str) -> None:
    fingerprint = jws.fingerprint(signed_feed.jwk_data())
    trust = {
        "jwk": str(signed_feed.jwk),
        "fingerprint": fingerprint,
        "thumbprint": fingerprint.removeprefix("SHA256:"),
    }[how]

    # `=`: a thumbprint may begin with "-", which argparse would take for an option.
    result = cli("check", signed_feed.feed, f"--trust={trust}")

    assert result.code == 0, result.out
    assert result.out.splitlines()[0].endswith(f"key pinned ({fingerprint})")
    assert "ACCEPT req-a rev 1" in result.out


def test_check_pins_a_jwk_file_without_kid(signed_feed: Workspace, cli: Cli) -> None:
    pinned = signed_feed.root / "pinned.json"
    pinned.write_text(
        json.dumps({k: v for k, v in signed_feed.jwk_data().items() if k != "kid"})
    )

    result = cli("check", signed_feed.feed, "--trust", pinned)

    assert result.code == 0, result.out


def test_check_rejects_a_feed_signed_by_another_key(
    signed_feed: Workspace, cli: Cli
) -> None:
    other = signed_feed.root / "other.jwk.json"
    other.write_text(json.dumps(OTHER_JWK))

    result = cli("check", signed_feed.feed, "--trust", other)

    assert result.code == 1
    lines = result.out.splitlines()
    assert "WARNING the feed's keys differ from the pinned key" in lines
    rejects = [line for line in lines if line.startswith("REJECT")]
    assert len(rejects) == 3
    assert all("signature: " in line for line in rejects)
    assert rejects[0].startswith("REJECT publisher statement: ")
    assert not any(line.startswith("ACCEPT") for line in lines)


def test_check_reports_a_pinned_fingerprint_missing_from_the_feed(
    signed_feed: Workspace, cli: Cli
) -> None:
    result = cli("check", signed_feed.feed, "--trust", jws.fingerprint(OTHER_JWK))

    assert result.code == 1
    assert f"pinned fingerprint {jws.fingerprint(OTHER_JWK)} not in feed" in result.out
    assert "ACCEPT" not in result.out


def test_check_rejects_a_tampered_request(signed_feed: Workspace, cli: Cli) -> None:
    document = json.loads(signed_feed.feed.read_text())
    header, _, signature = document["requests"][0].split(".")
    forged = make_request(id="req-a", revision=7)
    payload = jws.b64url_encode(json.dumps(forged).encode())
    document["requests"][0] = f"{header}.{payload}.{signature}"
    signed_feed.feed.write_text(json.dumps(document))

    result = cli("check", signed_feed.feed)

    assert result.code == 1
    assert "ACCEPT req-b rev 1" in result.out
    reject = next(line for line in result.out.splitlines() if line.startswith("REJECT"))
    assert reject.startswith("REJECT #0: signature: does not verify")


def test_check_rejects_an_unsigned_feed_unless_allowed(
    tmp_path: Path, cli: Cli
) -> None:
    feed = tmp_path / "unsigned.json"
    feed.write_bytes(feed_bytes(make_feed([make_request(id="u1")], signed=False)))

    refused = cli("check", feed)
    allowed = cli("check", feed, "--allow-unsigned")

    assert refused.code == 1
    assert "fingerprint none; unsigned feed" in refused.out
    assert "REJECT u1: signature: unsigned request" in refused.out
    assert allowed.code == 0
    assert "ACCEPT u1 rev 1 (unverified)" in allowed.out


def test_check_with_home_reports_actionable(signed_feed: Workspace, cli: Cli) -> None:
    result = cli("check", signed_feed.feed, "--home", "41.6,-73.0,30")

    assert result.code == 0
    assert "ACCEPT req-a rev 1; home: actionable" in result.out.splitlines()


def test_check_with_home_explains_why_not(signed_feed: Workspace, cli: Cli) -> None:
    result = cli(
        "check",
        signed_feed.feed,
        "--home",
        "41.7,-73.0",
        "--now",
        "2030-01-01T00:00:00Z",
    )

    assert result.code == 0
    line = next(line for line in result.out.splitlines() if "req-a" in line)
    assert line.startswith("ACCEPT req-a rev 1; home: not actionable: area: ")
    assert " m from the home, beyond its view" in line
    assert "expire" in line


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"[]", "not a valid feed: feed: must be a JSON object"),
     (b"\xff", "not a valid feed: feed: not valid UTF-8")],
)  # fmt: skip
def test_check_refuses_what_is_not_a_feed(
    tmp_path: Path, cli: Cli, content: bytes, message: str
) -> None:
    feed = tmp_path / "feed.json"
    feed.write_bytes(content)

    result = cli("check", feed)

    assert result.code == 1
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_check_refuses_an_oversize_file(signed_feed: Workspace, cli: Cli) -> None:
    result = cli("check", signed_feed.feed, "--max-bytes", "100")

    assert result.code == 1
    assert "feed larger than 100 bytes" in result.err
    assert result.out == ""


def test_check_reports_a_missing_file(tmp_path: Path, cli: Cli) -> None:
    result = cli("check", tmp_path / "absent.json")

    assert result.code == 1
    assert "cannot read" in result.err


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--home", "41.6"),
        ("--home", "91,0"),
        ("--home", "1,2,-3"),
        ("--home", "a,b"),
        ("--home", "nan,0"),
        ("--trust", "not-a-fingerprint"),
        ("--max-bytes", "0"),
        ("--max-bytes", "many"),
        ("--now", "2026-11-20 14:00"),
        ("--format", "rss"),
        ("--timeout", "0"),
        ("--timeout", "soon"),
    ],
)
def test_check_usage_errors_exit_2(
    signed_feed: Workspace, cli: Cli, option: str, value: str
) -> None:
    result = cli("check", signed_feed.feed, option, value)

    assert result.code == 2
    assert option in result.err or "not-a-fingerprint" in result.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{broken", "not a readable JSON file"),
        ("[1]", "must hold one JWK object"),
        ('{"kty": "RSA"}', "jwk.kty"),
    ],
)
def test_check_refuses_a_bad_trust_file(
    signed_feed: Workspace, cli: Cli, content: str, message: str
) -> None:
    trust = signed_feed.root / "trust.json"
    trust.write_text(content)

    result = cli("check", signed_feed.feed, "--trust", trust)

    assert result.code == 1
    assert message in result.err


CAP_REVISION = 1795186800  # the alert's `sent` in epoch seconds


def test_check_refuses_cap_alerts_unless_unsigned_is_allowed(
    tmp_path: Path, cli: Cli
) -> None:
    feed = tmp_path / "alerts.xml"
    feed.write_bytes(CAP_ALERT)

    refused = cli("check", feed)
    allowed = cli("check", feed, "--allow-unsigned", "--format", "cap")

    assert refused.code == 1
    assert refused.out.splitlines() == [
        "publisher (CAP alerts) kind other fingerprint none; unsigned feed",
        "REJECT WPD-2026-0412: unsigned CAP alert; pass --allow-unsigned to accept",
    ]
    assert allowed.code == 0
    assert allowed.out.splitlines()[1] == (
        f"ACCEPT WPD-2026-0412 rev {CAP_REVISION} (unverified)"
    )


def test_check_cap_with_home(tmp_path: Path, cli: Cli) -> None:
    feed = tmp_path / "alerts.xml"
    feed.write_bytes(CAP_ALERT)

    result = cli(
        "check", feed, "--allow-unsigned", "--home", "41.6,-73.0",
        "--now", "2026-11-20T16:00:00Z",
    )  # fmt: skip

    assert result.code == 0
    line = result.out.splitlines()[1]
    assert line.startswith(
        f"ACCEPT WPD-2026-0412 rev {CAP_REVISION} (unverified); home: "
    )
    # A CAP file names no publisher URL the upload host could be compared with.
    assert "upload" in line


@pytest.mark.parametrize(
    ("content", "forced"), [(CAP_ALERT, "crf"), (b'{"crf": "1"}', "cap")]
)
def test_check_format_option_forces_the_parser(
    tmp_path: Path, cli: Cli, content: bytes, forced: str
) -> None:
    feed = tmp_path / "feed"
    feed.write_bytes(content)

    result = cli("check", feed, "--format", forced)

    assert result.code == 1
    assert "not a valid feed" in result.err


def test_an_empty_cap_feed_is_fine_without_unsigned(tmp_path: Path, cli: Cli) -> None:
    feed = tmp_path / "empty.xml"
    feed.write_bytes(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title>'
        b"<updated>2026-11-20T15:00:00Z</updated></feed>"
    )

    result = cli("check", feed)

    assert result.code == 0


def test_check_warns_about_uploads_homes_will_refuse(
    workspace: Workspace, cli: Cli
) -> None:
    """An inbox neither on the feed's origin nor signed: every home says no."""
    request = workspace.request(
        "req-x", response={"upload_url": "https://collector.example.net/in"}
    )
    result = cli(
        "sign", "--key", workspace.key, "--publisher", workspace.publisher,
        request, "--out", workspace.feed,
    )  # fmt: skip
    assert result.code == 0, result.err

    result = cli("check", workspace.feed)

    assert result.code == 1
    assert (
        "WARNING req-x: upload origin collector.example.net is neither the feed's "
        "origin nor a signed upload origin; homes will not act on it"
    ) in result.out.splitlines()


def test_check_skips_alerts_that_are_not_requests(tmp_path: Path, cli: Cli) -> None:
    """A real alert feed mixes kinds: the others are listed, and fail nothing."""
    alert = CAP_ALERT.split(b"?>", 1)[1].decode()
    weather = (
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1"><identifier>W-1'
        "</identifier></alert>"
    )
    entries = "".join(
        f"<entry><id>urn:{i}</id><title>t</title><updated>2026-11-20T15:00:00Z"
        f"</updated><content type='text/xml'>{item}</content></entry>"
        for i, item in enumerate((weather, alert))
    )
    feed = tmp_path / "alerts.xml"
    feed.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title>'
        f"<updated>2026-11-20T15:00:00Z</updated>{entries}</feed>"
    )

    result = cli("check", feed, "--allow-unsigned")

    assert result.code == 0
    assert result.out.splitlines()[1:] == [
        f"ACCEPT WPD-2026-0412 rev {CAP_REVISION} (unverified)",
        "SKIP alert[0]: CAP 1.1 alert; only CAP 1.2 alerts can be requests",
    ]
