"""The one strict JSON reader: what it refuses, and that it refuses nothing else.

The properties hold for every byte string a hostile publisher could send: the
reader returns a value or raises ProtocolError, and any value it returns can be
written back as UTF-8 (which is what Home Assistant's Store does with it).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.jws import (
    b64url_encode,
    sign_json,
    verify_jws,
)
from custom_components.neighborhood_requests.protocol.strict_json import read_json

from .factories import TEST_KEY, TEST_KID, trusted_keys
from .test_properties import PROPERTY_SETTINGS


def refusal(data: bytes | str) -> str:
    with pytest.raises(ProtocolError) as err:
        read_json(data, "doc")
    return str(err.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": NaN}', "doc: NaN is not a JSON number"),
        (b'{"a": Infinity}', "doc: Infinity is not a JSON number"),
        (b"[1e309]", "doc: number 1e309 is too large"),
        (b"[-1e309]", "doc: number -1e309 is too large"),
        (b'{"a": {"b": 1, "b": 1}}', 'doc: duplicate key "b"'),
        (b'[{"x": 1}, {"x": 2, "x": 3}]', 'doc: duplicate key "x"'),
        (
            b'{"' + b"k" * 60 + b'": 1, "' + b"k" * 60 + b'": 2}',
            'doc: duplicate key "' + "k" * 40 + '…"',
        ),
        (b'["\\udfff"]', "doc: contains a lone surrogate"),
        (b'["\\ud83d"]', "doc: contains a lone surrogate"),
        (b'["\\ude00\\ud83d"]', "doc: contains a lone surrogate"),
        (b"\xef\xbb\xbf\xef\xbb\xbf{}", "doc: not valid JSON"),
        (b"\xff\xfe{\x00}\x00", "doc: is UTF-16 (byte order mark)"),
        (b"\xfe\xff\x00{\x00}", "doc: is UTF-16 (byte order mark)"),
        (b"\x00\x00\xfe\xff\x00\x00\x00{", "doc: is UTF-32 (byte order mark)"),
        ('{"a": 1}'.encode("utf-32-be"), "doc: looks like UTF-16 or UTF-32"),
        (b'"caf\xe9"', "doc: not valid UTF-8 (byte 4: invalid continuation byte)"),
        (b'"\xc0\xae"', "doc: not valid UTF-8"),  # an overlong "."
        (b'"a\x01"', "doc: not valid JSON (Invalid control character"),
        ("\ud800", "doc: contains a lone surrogate"),
        (b"[" * 200_000 + b"]" * 200_000, "doc: nested too deeply to read"),
        (b"1" * 5000, "doc: not valid JSON (Exceeds the limit"),
    ],
    ids=lambda value: repr(value)[:30],
)
def test_refusals_name_the_rule(data: bytes | str, expected: str) -> None:
    assert refusal(data).startswith(expected)


def test_one_utf8_byte_order_mark_is_ignored() -> None:
    """RFC 8259 lets a reader ignore it; a writer must not add it (spec section 1)."""
    assert read_json(b'\xef\xbb\xbf{"a": "\xc3\xa9"}', "doc") == {"a": "é"}
    assert read_json('\ufeff{"a": 1}', "doc") == {"a": 1}


def test_a_surrogate_pair_is_one_character() -> None:
    assert read_json(b'["\\ud83d\\ude00"]', "doc") == ["\U0001f600"]


def test_an_escaped_backslash_before_u_is_not_a_surrogate() -> None:
    """`\\\\ud800` is a backslash and the letters u, d, 8, 0, 0: perfectly fine."""
    assert read_json(b'["\\\\ud800"]', "doc") == ["\\ud800"]


def test_control_characters_may_be_escaped_in_json() -> None:
    """JSON allows `\\u0001`; which strings may hold controls is parse.py's rule."""
    assert read_json(b'["\\u0001\\u0085"]', "doc") == ["\x01\x85"]


def test_signed_payload_with_a_duplicate_key_is_refused() -> None:
    """Two readers keeping different members would see two requests."""
    header = b64url_encode(json.dumps({"alg": "EdDSA", "kid": TEST_KID}).encode())
    payload = b64url_encode(b'{"id": "a", "id": "b"}')
    signature = TEST_KEY.sign(f"{header}.{payload}".encode())
    token = f"{header}.{payload}.{b64url_encode(signature)}"

    with pytest.raises(ProtocolError) as err:
        verify_jws(token, trusted_keys())

    assert str(err.value) == 'payload: duplicate key "id"'


def test_header_with_two_algs_is_refused() -> None:
    header = b64url_encode(b'{"alg": "none", "alg": "EdDSA", "kid": "test-key-1"}')
    payload = b64url_encode(b"{}")
    signature = TEST_KEY.sign(f"{header}.{payload}".encode())
    token = f"{header}.{payload}.{b64url_encode(signature)}"

    with pytest.raises(ProtocolError) as err:
        verify_jws(token, trusted_keys())

    assert str(err.value) == 'signature: malformed JWS header: duplicate key "alg"'


def test_utf16_payload_is_refused_even_with_a_good_signature() -> None:
    header = b64url_encode(json.dumps({"alg": "EdDSA", "kid": TEST_KID}).encode())
    payload = b64url_encode('{"id": "a"}'.encode("utf-16"))
    signature = TEST_KEY.sign(f"{header}.{payload}".encode())
    token = f"{header}.{payload}.{b64url_encode(signature)}"

    with pytest.raises(ProtocolError) as err:
        verify_jws(token, trusted_keys())

    assert str(err.value).startswith("payload: is UTF-16")


# --- properties ---------------------------------------------------------------------


def writable(value: Any) -> None:
    """What Home Assistant's Store does with an accepted value must not fail."""
    json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


def read_or_refuse(data: bytes | str) -> None:
    """Parsed and writable, or refused with reasons: never anything else."""
    try:
        value = read_json(data, "doc")
    except ProtocolError as err:
        problems = err.problems
    else:
        writable(value)
        return
    assert problems
    assert all(p.reason for p in problems)


@PROPERTY_SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_protocol_error(data: bytes) -> None:
    read_or_refuse(data)


# Texts built from JSON's own tokens reach the interesting cases (escapes,
# surrogates, duplicate members, constants) far more often than random bytes.
_tokens = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"a"',
        '"\\ud800"',
        '"\\udc00"',
        '"\\ud83d\\ude00"',
        '"\\\\ud800"',
        '"\\u0000"',
        '"\\u0085"',
        "NaN",
        "-Infinity",
        "1e400",
        "1",
        "-0.5",
        "true",
        "null",
        " ",
        "\ufeff",
        "\x85",
        "\ud800",
    ]
)


@PROPERTY_SETTINGS
@given(st.lists(_tokens, max_size=40).map("".join), st.booleans())
def test_any_token_soup_parses_or_raises_protocol_error(
    text: str, as_bytes: bool
) -> None:
    data: bytes | str = text.encode("utf-8", "surrogatepass") if as_bytes else text
    read_or_refuse(data)


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@PROPERTY_SETTINGS
@given(json_values, st.booleans())
def test_every_well_formed_document_reads_back_unchanged(
    value: Any, ensure_ascii: bool
) -> None:
    text = json.dumps(value, ensure_ascii=ensure_ascii)

    assert read_json(text.encode("utf-8"), "doc") == value


@PROPERTY_SETTINGS
@given(st.binary(max_size=200))
def test_any_signed_payload_verifies_or_raises_protocol_error(payload: bytes) -> None:
    """Even bytes the publisher really signed cannot reach past the reader."""
    header = b64url_encode(json.dumps({"alg": "EdDSA", "kid": TEST_KID}).encode())
    body = b64url_encode(payload) or "AA"
    signature = TEST_KEY.sign(f"{header}.{body}".encode())
    token = f"{header}.{body}.{b64url_encode(signature)}"
    try:
        value = verify_jws(token, trusted_keys())
    except ProtocolError:
        return
    assert isinstance(value, dict)
    writable(value)


def test_signing_and_verifying_still_agree() -> None:
    token = sign_json({"summary": "naïve ☃", "n": 1.5}, TEST_KEY, TEST_KID)

    assert verify_jws(token, trusted_keys()) == {"summary": "naïve ☃", "n": 1.5}
