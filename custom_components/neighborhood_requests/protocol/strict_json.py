"""The one JSON reader for what crosses the wire: feeds, JWS headers and payloads,
webhook bodies and manifests at an inbox.

Python's `json` module is generous where a signed protocol must not be: it
guesses UTF-16 and UTF-32, turns `NaN`, `Infinity` and `1e400` into floats, keeps
the last of two members with one name, and hands back lone surrogates that no
UTF-8 writer (Home Assistant's Store included) can write again. Two readers that
disagree on any of these would see two different requests behind one
signature, so each is refused here with the rule it breaks (docs/feed-spec.md,
section 1).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import ProtocolError

UTF8_BOM = b"\xef\xbb\xbf"
# Byte order marks of the encodings RFC 8259 no longer allows; UTF-32 first,
# since the UTF-32LE mark begins with the UTF-16LE one.
_FOREIGN_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")
# A `\uD800`-`\uDFFF` escape; only a text that has one can decode to a surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SHOWN_KEY_CHARS = 40


class _Refused(ValueError):
    """Raised from inside `json.loads` hooks; its text is the rule that was broken."""


def read_json(data: bytes | str, path: str) -> object:
    """The value of a strict UTF-8 JSON text, or a ProtocolError saying what is wrong.

    Nothing but ProtocolError escapes, whatever the bytes: a hostile feed must
    not be able to reach a code path that was never meant to see it.
    """
    text = _text(data, path)
    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_members,
            parse_constant=_no_constant,
            parse_float=_finite,
        )
    except _Refused as err:
        raise ProtocolError.single(path, str(err)) from None
    except json.JSONDecodeError as err:
        raise ProtocolError.single(
            path,
            f"not valid JSON ({err.msg} at line {err.lineno} column {err.colno})",
        ) from None
    except ValueError as err:
        # Python's own limits, such as integers of more than 4300 digits.
        raise ProtocolError.single(path, f"not valid JSON ({err})") from None
    except RecursionError:
        raise ProtocolError.single(path, "nested too deeply to read") from None
    if _SURROGATE_ESCAPE.search(text) and _has_surrogate(value):
        raise ProtocolError.single(
            path, "contains a lone surrogate (a \\ud800-\\udfff escape alone)"
        )
    return value


def _text(data: bytes | str, path: str) -> str:
    """UTF-8 only; one leading byte order mark is ignored, as RFC 8259 allows."""
    if isinstance(data, str):
        if _SURROGATE.search(data):
            raise ProtocolError.single(path, "contains a lone surrogate")
        return data.removeprefix("\ufeff")
    raw = bytes(data)
    for mark, encoding in _FOREIGN_BOMS:
        if raw.startswith(mark):
            raise ProtocolError.single(
                path, f"is {encoding} (byte order mark); JSON here must be UTF-8"
            )
    raw = raw.removeprefix(UTF8_BOM)
    if b"\x00" in raw[:4]:
        # JSON text starts with ASCII, so a zero byte among the first four is
        # the tell-tale of UTF-16 or UTF-32 without a byte order mark.
        raise ProtocolError.single(
            path, "looks like UTF-16 or UTF-32; it must be UTF-8"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProtocolError.single(
            path, f"not valid UTF-8 (byte {err.start}: {err.reason})"
        ) from None


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)  # in C; only a short object is looked at again, in Python
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"duplicate key {_shown(key)}")
            seen.add(key)
    return obj


def _no_constant(name: str) -> object:
    raise _Refused(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"number {text[:_SHOWN_KEY_CHARS]} is too large")
    return value


def _shown(key: str) -> str:
    """A member name for a message: quoted, short, and safe to print."""
    shown = json.dumps(key[:_SHOWN_KEY_CHARS], ensure_ascii=True)
    return shown if len(key) <= _SHOWN_KEY_CHARS else shown[:-1] + '…"'


def _has_surrogate(value: object) -> bool:
    """Whether any string in `value` kept a lone surrogate; iterative, any depth."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
