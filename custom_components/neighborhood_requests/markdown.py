"""Text from a publisher, made inert before it reaches Home Assistant's Markdown.

Flow and repair descriptions and persistent notification messages are rendered
as Markdown (with some HTML) by the frontend. A request's summary such as
`**URGENT** [verify here](https://evil.example) ![](https://tracker.example/p)`
must show exactly those characters: not bold type, not a link the owner may
trust because it sits in Home Assistant, and not an image the browser fetches,
which would tell the publisher that this home was shown the request.

Titles (of notifications, issues and flow steps) are plain text and must not go
through here: the backslashes would show.
"""

from __future__ import annotations

import re

# CommonMark lets a backslash escape any ASCII punctuation, and only those; with
# every one escaped no emphasis, link, image, autolink (`https://`, `www.`,
# `a@b.c`), HTML tag, entity, heading, list or table can start.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_BLANK_RUN = re.compile(r"\n{3,}")
# CommonMark's line endings: a lone carriage return ends a line too.
_LINE_END = re.compile(r"\r\n|\r|\n")


def plain(text: str) -> str:
    """`text` as Markdown that renders as exactly that text.

    Leading white space goes from every line (indentation would start a code
    block), and line breaks stay, at most one blank line at a time.
    """
    lines = (line.strip() for line in _LINE_END.split(text))
    joined = _BLANK_RUN.sub("\n\n", "\n".join(lines))
    return _PUNCTUATION.sub(r"\\\1", joined)
