"""Telegram's HTML parse mode, checked the way the Bot API checks it.

The stand-in rejects what Telegram rejects (an unescaped `<` or `&`, an unknown or
unbalanced tag) with the same 400 "can't parse entities", so a missing escape in
the bot fails a test instead of a resident's message.
"""

from __future__ import annotations

import html
import re

SUPPORTED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z-]*)([^<>]*)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's wording."""


def render_html(text: str) -> str:
    """Return the plain text a client would show; raise EntityParseError if invalid."""
    stack: list[str] = []
    plain: list[str] = []
    pos = 0
    for match in _TAG.finditer(text):
        plain.append(_check_data(text, pos, match.start()))
        closing, name = match.group(1) == "/", match.group(2).lower()
        offset = len(text[: match.start()].encode())
        if name not in SUPPORTED_TAGS:
            kind = "end" if closing else "start"
            raise EntityParseError(
                f'Unsupported {kind} tag "{name}" at byte offset {offset}'
            )
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
        pos = match.end()
    plain.append(_check_data(text, pos, len(text)))
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1]}"'
        )
    return html.unescape("".join(plain))


def _check_data(text: str, start: int, end: int) -> str:
    """Check the text between two tags; return it unchanged."""
    for index in range(start, end):
        char = text[index]
        offset = len(text[:index].encode())
        if char == "<":
            raise EntityParseError(f"Unsupported start tag at byte offset {offset}")
        if char == ">":
            raise EntityParseError(
                f"Unexpected end of name token at byte offset {offset}"
            )
        if char == "&" and not _ENTITY.match(text, index):
            raise EntityParseError(
                f'Character "&" is reserved and must be escaped at byte offset {offset}'
            )
    return text[start:end]
