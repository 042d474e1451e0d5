"""Keys, JWKs and the CRF JWS profile: one way to be valid, many named failures."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
import hashlib
import hmac
import json
import string
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
import pytest

from custom_components.neighborhood_requests.protocol.errors import ProtocolError
from custom_components.neighborhood_requests.protocol.jws import (
    b64url_decode,
    b64url_encode,
    fingerprint,
    generate_private_key,
    jwk_thumbprint,
    load_private_key,
    private_key_to_pem,
    public_jwk,
    public_key_from_jwk,
    sign_json,
    sign_manifest,
    verify_jws,
    verify_jws_with_kid,
    verify_manifest,
    verify_self_signed_manifest,
)
from custom_components.neighborhood_requests.protocol.model import Manifest, Window
from custom_components.neighborhood_requests.protocol.parse import manifest_to_dict

from .factories import (
    HOME_JWK,
    HOME_KEY,
    HOME_KID,
    OTHER_JWK,
    OTHER_KEY,
    TEST_JWK,
    TEST_KEY,
    TEST_KID,
    make_request,
    trusted_keys,
)

# RFC 8037 appendix A.1 / A.3: a published Ed25519 JWK and its RFC 7638 thumbprint.
RFC8037_JWK = {
    "kty": "OKP",
    "crv": "Ed25519",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
}
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
RFC8037_SEED = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"


def b64json(value: object) -> str:
    return b64url_encode(json.dumps(value).encode())


def forge(
    header: Mapping[str, Any],
    payload: object,
    key: Ed25519PrivateKey | None = TEST_KEY,
    *,
    raw_payload: bytes | None = None,
) -> str:
    """A token with any header and payload, Ed25519-signed (or unsigned if no key)."""
    body = b64url_encode(raw_payload) if raw_payload is not None else b64json(payload)
    signing_input = f"{b64json(header)}.{body}"
    signature = key.sign(signing_input.encode()) if key else b"\x00" * 64
    return f"{signing_input}.{b64url_encode(signature)}"


def reason(token: object, keys: Mapping[str, Ed25519PublicKey] | None = None) -> str:
    with pytest.raises(ProtocolError) as err:
        verify_jws(token, trusted_keys() if keys is None else keys)
    assert len(err.value.problems) == 1
    return str(err.value.problems[0])


# --- keys ---------------------------------------------------------------------------


def test_private_key_pem_round_trip() -> None:
    key = generate_private_key()

    loaded = load_private_key(private_key_to_pem(key))

    assert public_jwk(loaded) == public_jwk(key)
    assert private_key_to_pem(key).startswith(b"-----BEGIN PRIVATE KEY-----")


def test_unreadable_pem_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match=r"^key: not a readable PEM private key"):
        load_private_key(b"-----BEGIN PRIVATE KEY-----\nnope\n")


def test_other_key_types_are_refused() -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )

    with pytest.raises(ProtocolError) as err:
        load_private_key(pem)

    assert str(err.value).startswith("key: must be an Ed25519 key, not EC")


def test_thumbprint_matches_rfc_8037_example() -> None:
    assert jwk_thumbprint(RFC8037_JWK) == RFC8037_THUMBPRINT
    assert fingerprint(RFC8037_JWK) == f"SHA256:{RFC8037_THUMBPRINT}"


def test_public_jwk_matches_rfc_8037_example() -> None:
    key = Ed25519PrivateKey.from_private_bytes(b64url_decode(RFC8037_SEED))

    assert public_jwk(key) == {**RFC8037_JWK, "kid": RFC8037_THUMBPRINT}
    assert public_jwk(key.public_key(), "k") == {**RFC8037_JWK, "kid": "k"}


def test_thumbprint_ignores_kid_and_extras() -> None:
    assert jwk_thumbprint({**RFC8037_JWK, "kid": "x", "use": "sig"}) == (
        RFC8037_THUMBPRINT
    )


def test_public_key_from_jwk_round_trips() -> None:
    key = public_key_from_jwk(TEST_JWK)

    assert public_jwk(key, TEST_KID) == TEST_JWK


@pytest.mark.parametrize(
    ("jwk", "expected"),
    [
        ("key", "jwk: must be a JWK object, not string"),
        ({**TEST_JWK, "kty": "EC"}, 'jwk.kty: must be "OKP" (Ed25519), not "EC"'),
        (
            {**TEST_JWK, "x": TEST_JWK["x"][:-1] + "B"},
            "jwk.x: must be a 32-byte public key in unpadded base64url",
        ),
        ({**TEST_JWK, "kid": 5}, "jwk.kid: must be a string, not integer"),
    ],
)
def test_bad_jwks_are_refused(jwk: Any, expected: str) -> None:
    with pytest.raises(ProtocolError) as err:
        public_key_from_jwk(jwk)

    assert expected in [str(p) for p in err.value.problems]
    with pytest.raises(ProtocolError):
        jwk_thumbprint(jwk)


def test_b64url_is_strict() -> None:
    assert b64url_decode(b64url_encode(b"\x00\xff")) == b"\x00\xff"
    for bad in ("AA==", "A", "AB"):  # padded, impossible length, non-canonical bits
        with pytest.raises(ValueError, match="base64url"):
            b64url_decode(bad)


# --- signing and verifying ---------------------------------------------------------


def test_sign_and_verify_round_trip() -> None:
    request = make_request()

    token = sign_json(request, TEST_KEY, TEST_KID)

    assert verify_jws(token, trusted_keys()) == request
    assert verify_jws_with_kid(token, trusted_keys()) == (request, TEST_KID)


def test_header_is_alg_and_kid_only() -> None:
    token = sign_json({"a": 1}, TEST_KEY, TEST_KID)

    header = json.loads(b64url_decode(token.split(".")[0]))

    assert header == {"alg": "EdDSA", "kid": TEST_KID}


def test_payload_is_canonical_json() -> None:
    token = sign_json({"b": "\u00e9", "a": [1, 2]}, TEST_KEY, TEST_KID)

    assert b64url_decode(token.split(".")[1]) == '{"a":[1,2],"b":"\u00e9"}'.encode()


def test_fully_specified_ed25519_alg_is_accepted() -> None:
    token = forge({"alg": "Ed25519", "kid": TEST_KID}, {"id": "x"})

    assert verify_jws(token, trusted_keys()) == {"id": "x"}


def test_alg_none_is_refused() -> None:
    unsigned = forge({"alg": "none", "kid": TEST_KID}, {"id": "x"}, key=None)

    assert reason(unsigned) == 'signature: alg "none" not allowed (EdDSA only)'


def test_alg_none_with_empty_signature_is_malformed() -> None:
    header, payload, _ = forge({"alg": "none", "kid": TEST_KID}, {"id": "x"}).split(".")

    assert reason(f"{header}.{payload}.") == (
        "signature: malformed JWS compact serialization "
        "(expected three unpadded base64url segments)"
    )


def test_hmac_keyed_with_the_public_key_is_refused() -> None:
    """The classic confusion attack: HS256 with the verifier's public key as secret."""
    public_raw = b64url_decode(TEST_JWK["x"])
    for secret in (
        public_raw,
        TEST_JWK["x"].encode(),
        TEST_KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    ):
        signing_input = f"{b64json({'alg': 'HS256', 'kid': TEST_KID})}.{b64json({})}"
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        token = f"{signing_input}.{b64url_encode(mac)}"

        assert reason(token) == 'signature: alg "HS256" not allowed (EdDSA only)'


@pytest.mark.parametrize("alg", ["RS256", "ES256", "PS256", "HS512", "eddsa", ""])
def test_other_algs_are_refused(alg: str) -> None:
    token = forge({"alg": alg, "kid": TEST_KID}, {"id": "x"})

    assert reason(token) == f'signature: alg "{alg}" not allowed (EdDSA only)'


def test_non_string_alg_is_refused() -> None:
    token = forge({"alg": ["EdDSA"], "kid": TEST_KID}, {"id": "x"})

    assert reason(token) == 'signature: alg ["EdDSA"] not allowed (EdDSA only)'


def test_missing_alg_is_refused() -> None:
    assert reason(forge({"kid": TEST_KID}, {})) == "signature: alg header missing"


def test_missing_kid_is_refused() -> None:
    assert reason(forge({"alg": "EdDSA"}, {})) == "signature: kid header missing"


def test_unknown_kid_is_refused() -> None:
    token = sign_json({}, TEST_KEY, "somebody-else")

    assert reason(token) == 'signature: unknown kid "somebody-else"'


def test_untrusted_kid_is_named() -> None:
    token = sign_json({}, OTHER_KEY, "other-key-1")

    with pytest.raises(ProtocolError) as err:
        verify_jws(token, trusted_keys(), untrusted_kids={"other-key-1"})

    assert str(err.value) == 'signature: key "other-key-1" is not trusted'


def test_non_string_kid_is_refused() -> None:
    token = forge({"alg": "EdDSA", "kid": 7}, {})

    assert reason(token).startswith("signature: malformed JWS header:")


def test_crit_header_is_refused() -> None:
    token = forge({"alg": "EdDSA", "kid": TEST_KID, "crit": ["b64"], "b64": False}, {})

    assert reason(token) == "signature: crit header not supported"


def test_unknown_crit_extension_is_refused() -> None:
    token = forge({"alg": "EdDSA", "kid": TEST_KID, "crit": ["exp"]}, {})

    assert reason(token) == "signature: crit header not supported"


def test_payload_edited_after_signing_is_refused() -> None:
    header, _, signature = sign_json(make_request(), TEST_KEY, TEST_KID).split(".")
    edited = b64json(make_request(revision=2))

    assert reason(f"{header}.{edited}.{signature}") == (
        'signature: does not verify with key "test-key-1"'
    )


def test_signature_from_another_key_is_refused() -> None:
    token = sign_json(make_request(), OTHER_KEY, TEST_KID)

    assert reason(token) == 'signature: does not verify with key "test-key-1"'


def test_truncated_signature_is_refused() -> None:
    header, payload, signature = sign_json({}, TEST_KEY, TEST_KID).split(".")

    assert reason(f"{header}.{payload}.{signature[:20]}") == (
        'signature: does not verify with key "test-key-1"'
    )


def test_non_canonical_signature_encoding_is_refused() -> None:
    header, payload, signature = sign_json({}, TEST_KEY, TEST_KID).split(".")
    # 64 bytes end in a character whose 4 low bits are padding and must be zero;
    # setting one gives a second spelling of the same signature.
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    tweaked = signature[:-1] + alphabet[alphabet.index(signature[-1]) + 1]

    assert reason(f"{header}.{payload}.{tweaked}") == (
        "signature: malformed base64url segment"
    )


def test_non_json_payload_is_refused() -> None:
    token = forge({"alg": "EdDSA", "kid": TEST_KID}, None, raw_payload=b"not json")

    assert reason(token) == (
        "payload: not valid JSON (Expecting value at line 1 column 1)"
    )


def test_non_object_payload_is_refused() -> None:
    token = forge({"alg": "EdDSA", "kid": TEST_KID}, [1, 2])

    assert reason(token) == "payload: must be a JSON object"


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c.d", "a..c", "a.b.c=", "a.b.c ", "é.b.c"],
)
def test_malformed_compact_strings_are_refused(token: str) -> None:
    assert reason(token) == (
        "signature: malformed JWS compact serialization "
        "(expected three unpadded base64url segments)"
    )


@pytest.mark.parametrize("token", [None, 5, b"a.b.c", ["a", "b", "c"]])
def test_non_string_tokens_are_refused(token: object) -> None:
    assert reason(token) == "signature: must be a JWS compact serialization string"


def test_header_that_is_not_an_object_is_refused() -> None:
    token = f"{b64json([1])}.{b64json({})}.{b64url_encode(b'x' * 64)}"

    assert reason(token) == "signature: malformed JWS header: must be a JSON object"


def test_header_that_is_not_json_is_refused() -> None:
    token = f"{b64url_encode(b'{nope')}.{b64json({})}.{b64url_encode(b'x' * 64)}"

    assert reason(token).startswith("signature: malformed JWS header: not valid JSON")


# --- manifests ----------------------------------------------------------------------

HOME_THUMBPRINT = jwk_thumbprint(HOME_JWK)


def manifest(**overrides: Any) -> Manifest:
    values: dict[str, Any] = {
        "request_id": "wpd-2026-0412",
        "publisher_id": "wolcott-pd",
        "camera": "camera.front_door",
        "window": Window(
            datetime(2026, 11, 20, 14, tzinfo=UTC),
            datetime(2026, 11, 20, 14, 30, tzinfo=UTC),
        ),
        "sha256": hashlib.sha256(b"clip").hexdigest(),
        "bytes": 4,
        "exported_at": datetime(2026, 11, 20, 16, 1, tzinfo=UTC),
        "exporter_version": "0.1.0",
        "home_key_id": HOME_THUMBPRINT,
    }
    values.update(overrides)
    return Manifest(**values)


def test_manifest_sign_and_verify() -> None:
    signed = sign_manifest(manifest(), HOME_KEY)

    assert verify_manifest(signed, {HOME_THUMBPRINT: HOME_KEY.public_key()}) == (
        manifest()
    )
    assert verify_self_signed_manifest(signed) == manifest()


def test_manifest_header_carries_the_home_public_key() -> None:
    header = json.loads(
        b64url_decode(sign_manifest(manifest(), HOME_KEY).split(".")[0])
    )

    assert header == {
        "alg": "EdDSA",
        "kid": HOME_THUMBPRINT,
        "jwk": {k: v for k, v in HOME_JWK.items() if k != "kid"},
    }


def test_manifest_home_key_id_must_be_the_thumbprint() -> None:
    with pytest.raises(ProtocolError) as err:
        sign_manifest(manifest(home_key_id=HOME_KID), HOME_KEY)

    assert str(err.value) == (
        "home_key_id: must be the RFC 7638 thumbprint of the signing key "
        f"({HOME_THUMBPRINT})"
    )


def test_manifest_kid_must_match_home_key_id() -> None:
    payload = json.loads(
        b64url_decode(sign_manifest(manifest(), HOME_KEY).split(".")[1])
    )
    signed = sign_json(payload, HOME_KEY, "home-key-2")

    with pytest.raises(ProtocolError) as err:
        verify_manifest(signed, {"home-key-2": HOME_KEY.public_key()})

    assert str(err.value) == (
        f'home_key_id: "{HOME_THUMBPRINT}" does not match signing kid "home-key-2"'
    )


def test_manifest_from_another_key_is_refused() -> None:
    header, payload, _ = sign_manifest(manifest(), HOME_KEY).split(".")
    forged_signature = b64url_encode(OTHER_KEY.sign(f"{header}.{payload}".encode()))

    with pytest.raises(ProtocolError, match="does not verify"):
        verify_self_signed_manifest(f"{header}.{payload}.{forged_signature}")


def test_manifest_with_bad_content_is_refused() -> None:
    signed = sign_json({"crf_manifest": "1"}, HOME_KEY, HOME_KID)

    with pytest.raises(ProtocolError) as err:
        verify_manifest(signed, trusted_keys(HOME_JWK))

    assert "request_id: is required" in [str(p) for p in err.value.problems]


def self_signed_reason(token: object) -> list[str]:
    with pytest.raises(ProtocolError) as err:
        verify_self_signed_manifest(token)
    return [str(p) for p in err.value.problems]


def test_self_signed_manifest_needs_a_jwk_header() -> None:
    signed = sign_json(manifest_to_dict(manifest()), HOME_KEY, HOME_THUMBPRINT)

    assert self_signed_reason(signed) == [
        "signature.jwk: must be a JWK object, not null"
    ]


def test_self_signed_manifest_kid_must_be_the_thumbprint() -> None:
    jwk = {k: v for k, v in HOME_JWK.items() if k != "kid"}
    signed = sign_json(
        manifest_to_dict(manifest()), HOME_KEY, "home-1", extra_headers={"jwk": jwk}
    )

    assert self_signed_reason(signed) == [
        "signature: kid must be the RFC 7638 thumbprint of the jwk header"
    ]


def test_self_signed_manifest_rejects_non_ed25519_jwk() -> None:
    signed = sign_json(
        manifest_to_dict(manifest()),
        HOME_KEY,
        HOME_THUMBPRINT,
        extra_headers={"jwk": {"kty": "RSA", "n": "x", "e": "AQAB"}},
    )

    assert 'signature.jwk.kty: must be "OKP" (Ed25519), not "RSA"' in (
        self_signed_reason(signed)
    )


@pytest.mark.parametrize("token", [None, "a.b", "a.b.c.d"])
def test_self_signed_manifest_malformed(token: object) -> None:
    assert self_signed_reason(token) == [
        "signature: malformed JWS compact serialization (expected three segments)"
    ]


def test_other_jwk_fixture_differs() -> None:
    assert jwk_thumbprint(OTHER_JWK) != jwk_thumbprint(TEST_JWK)
