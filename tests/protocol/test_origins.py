"""Origins: one spelling each, and only what an origin may say."""

from __future__ import annotations

import pytest

from custom_components.neighborhood_requests.protocol.origins import (
    origin_label,
    origin_of,
    parse_origin,
)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://feeds.example.org/a/b?c#d", "https://feeds.example.org"),
        ("HTTPS://Feeds.Example.ORG./", "https://feeds.example.org"),
        ("https://feeds.example.org:443/", "https://feeds.example.org"),
        ("http://feeds.example.org:80", "http://feeds.example.org"),
        ("https://feeds.example.org:8443", "https://feeds.example.org:8443"),
        ("http://127.0.0.1:8080/feed.json", "http://127.0.0.1:8080"),
        ("https://[2001:DB8::1]:8443/", "https://[2001:db8::1]:8443"),
        ("https://bücher.example/", "https://xn--bcher-kva.example"),
        ("https://user:pw@feeds.example.org/", "https://feeds.example.org"),
    ],
)
def test_one_spelling_per_origin(url: str, origin: str) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    "url",
    ["ftp://feeds.example.org/", "https:///x", "feeds.example.org", "https://x:99999/"],
)
def test_what_has_no_origin(url: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        origin_of(url)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://inbox.example.org/upload", "must be an origin"),
        ("https://inbox.example.org?x=1", "must be an origin"),
        ("https://inbox.example.org#top", "must be an origin"),
        ("https://me@inbox.example.org", "must not carry a user name or password"),
    ],
)
def test_an_origin_is_only_an_origin(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_origin(value)


def test_labels_hide_only_the_tls_scheme() -> None:
    assert origin_label("https://inbox.example.org") == "inbox.example.org"
    assert origin_label("https://inbox.example.org:8443") == "inbox.example.org:8443"
    assert origin_label("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
