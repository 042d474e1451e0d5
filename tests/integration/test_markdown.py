"""Publisher text in Markdown: shown exactly, able to format nothing."""

from __future__ import annotations

import re
import string

from hypothesis import given, strategies as st

from custom_components.neighborhood_requests.markdown import plain

from .markdown import rendered

ATTACK = (
    "**URGENT** [verify your account](https://evil.example/login) "
    "![](https://tracker.example/p.gif?home=1) <img src=https://t.example/i> "
    "www.evil.example tips@evil.example &amp; `code`\n# Heading\n    indented\n"
    "1. list\n| a | b |\n---"
)


def inert(markdown: str) -> bool:
    """No ASCII punctuation left that is not escaped, and no indented line."""
    bare = re.sub(r"\\.", "", markdown)
    return (
        not any(c in string.punctuation for c in bare)
        and "\r" not in markdown
        and not any(line[:1].isspace() for line in markdown.split("\n"))
    )


def test_links_images_html_and_formatting_become_text() -> None:
    escaped = plain(ATTACK)

    assert inert(escaped)
    assert rendered(escaped) == (
        "**URGENT** [verify your account](https://evil.example/login) "
        "![](https://tracker.example/p.gif?home=1) <img src=https://t.example/i> "
        "www.evil.example tips@evil.example &amp; `code`\n# Heading\nindented\n"
        "1. list\n| a | b |\n---"
    )


def test_paragraphs_stay_but_blank_runs_shrink() -> None:
    assert plain("one\r\n\r\n\r\n\r\ntwo") == "one\n\ntwo"
    # A lone carriage return ends a line: no indented code block after it.
    assert plain("a\r\r    code") == "a\n\ncode"


def normal(text: str) -> str:
    """What `plain` keeps of `text`: lines without leading space, short blank runs."""
    lines = (line.strip() for line in re.split(r"\r\n|\r|\n", text))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


@given(st.text())
def test_any_text_is_shown_as_it_was_and_formats_nothing(text: str) -> None:
    escaped = plain(text)

    assert inert(escaped)
    assert rendered(escaped) == normal(text)
