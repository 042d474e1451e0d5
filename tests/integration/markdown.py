"""What Home Assistant's Markdown shows for text the integration escaped.

Publisher text reaches descriptions and notification messages escaped
(`markdown.plain`); a test that looks for a value reads it as a reader would.
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def rendered(markdown: str) -> str:
    """`markdown` with its backslash escapes resolved, as the frontend shows it."""
    return _ESCAPED.sub(r"\1", markdown)
