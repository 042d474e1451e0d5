"""The demo's feed is one a home accepts: signed by the CLI, verified, in scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path

from custom_components.neighborhood_requests.protocol.feed import FeedVerifier
from custom_components.neighborhood_requests.protocol.geo import ViewPoint, matches
from custom_components.neighborhood_requests.protocol.origins import origin_of
from custom_components.neighborhood_requests.protocol.parse import (
    parse_feed,
    parse_request,
)
from custom_components.neighborhood_requests.protocol.policy import Guardrails, evaluate
from demo import feed
from publisher.cli import run

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
SITE = feed.Site("http://127.0.0.1:8780")


def _sign(tmp_path: Path, requests: list[dict[str, object]]) -> bytes:
    """Sign with the real publisher CLI, in-process, as `scripts/demo` does."""
    assert run(["keygen", "--out", str(tmp_path / "key")]) == 0
    publisher = feed.Publisher(tmp_path, Path("unused"))
    files = publisher.write(SITE, requests)
    argv = ["sign", "--key", str(publisher.key), "--publisher"]
    argv += [str(publisher.publisher_file), *map(str, files)]
    assert run([*argv, "--out", str(publisher.feed)]) == 0
    return publisher.feed.read_bytes()


def test_demo_feed_verifies_with_its_own_key(tmp_path: Path) -> None:
    footage = feed.footage_request(
        NOW, NOW - timedelta(minutes=2), NOW - timedelta(seconds=10), SITE
    )
    body = _sign(tmp_path, [*feed.initial_requests(NOW, SITE), footage])

    parsed = parse_feed(body)
    jwk = json.loads((tmp_path / "key" / "publisher.jwk.json").read_text())
    result = FeedVerifier([jwk]).verify(parsed)

    assert not result.rejected
    assert {item.request.id for item in result.accepted} == {
        "wpd-demo-0412",
        "wpd-demo-0415",
        footage["id"],
    }
    assert all(item.verified for item in result.accepted)
    assert parsed.publisher.id == feed.PUBLISHER_ID


def test_only_the_nearby_requests_concern_the_demo_home(tmp_path: Path) -> None:
    body = _sign(
        tmp_path,
        [
            *feed.initial_requests(NOW, SITE),
            feed.footage_request(
                NOW, NOW - timedelta(minutes=2), NOW - timedelta(seconds=10), SITE
            ),
        ],
    )
    result = FeedVerifier(parse_feed(body).publisher.keys).verify(parse_feed(body))
    home = [ViewPoint(*feed.HOME, feed.HOME_RADIUS_M)]
    concern = {r.request.id for r in result.accepted if matches(r.request.area, home)}
    assert "wpd-demo-0412" in concern
    assert "wpd-demo-0415" not in concern
    assert len(concern) == 2


def test_requests_pass_the_default_guardrails_once_the_lan_is_allowed() -> None:
    """Only the plain-http loopback upload URL separates the demo from defaults."""
    footage_start = NOW - timedelta(minutes=2)
    footage = feed.footage_request(
        NOW, footage_start + timedelta(seconds=5), NOW - timedelta(seconds=15), SITE
    )
    window = footage["window"]
    assert isinstance(window, dict)
    assert datetime.fromisoformat(window["start"]) > footage_start
    assert datetime.fromisoformat(window["end"]) < NOW

    # The home trusts the origin of the feed URL its owner typed.
    trusted = frozenset({origin_of(SITE.feed_url)})
    guardrails = Guardrails(upload_origins=trusted, allow_lan=True)
    for document in [*feed.initial_requests(NOW, SITE), footage]:
        verdict = evaluate(
            parse_request(document), guardrails, now=NOW + timedelta(seconds=1)
        )
        assert verdict.actionable, verdict.reasons
        strict = evaluate(
            parse_request(document),
            Guardrails(upload_origins=trusted),
            now=NOW + timedelta(seconds=1),
        )
        assert {p.path for p in strict.reasons} == {"response.upload_url"}
