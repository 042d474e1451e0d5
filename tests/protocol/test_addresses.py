"""Which addresses a home may connect to: every range named with its rule."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

from hypothesis import given, strategies as st
import pytest

from custom_components.neighborhood_requests.protocol.addresses import (
    allowed,
    host_refusal,
    is_local_name,
    is_this_computer,
    refusal,
)


@pytest.mark.parametrize(
    ("address", "reason", "lan"),
    [
        ("127.0.0.1", "is on this computer (loopback)", True),
        ("::1", "is on this computer (loopback)", True),
        ("10.0.0.5", "is on a private network", True),
        ("172.31.255.255", "is on a private network", True),
        ("192.168.1.1", "is on a private network", True),
        ("100.64.0.1", "is in the shared address range 100.64.0.0/10 "
         "(carrier-grade NAT)", True),
        ("fd00::1", "is on a private network (IPv6 unique local)", True),
        ("169.254.169.254", "is link-local (where cloud metadata services answer)",
         False),
        ("fe80::1", "is link-local (where cloud metadata services answer)", False),
        ("224.0.0.251", "is a multicast address", False),
        ("ff02::1", "is a multicast address", False),
        ("0.0.0.0", "is unspecified", False),
        ("::", "is unspecified", False),
        ("::ffff:169.254.169.254", "is an IPv4-mapped IPv6 address "
         "(of 169.254.169.254)", False),
        ("::ffff:8.8.8.8", "is an IPv4-mapped IPv6 address (of 8.8.8.8)", False),
        ("::a00:5", "is an IPv4-compatible IPv6 address", False),
        ("fec0::1", "is site-local (a deprecated private range)", False),
        ("64:ff9b::a9fe:a9fe", "is NAT64 for 169.254.169.254, which is link-local "
         "(where cloud metadata services answer)", False),
        ("192.0.2.7", "is reserved, not a public address", False),
        ("240.0.0.1", "is reserved, not a public address", False),
        ("2001:db8::1", "is reserved, not a public address", False),
        ("2002:a00:5::1", "is reserved, not a public address", False),
    ],
)  # fmt: skip
def test_each_range_is_refused_with_its_rule(
    address: str, reason: str, lan: bool
) -> None:
    found = refusal(address)

    assert found is not None
    assert (found.reason, found.lan) == (reason, lan)
    assert (
        str(found) == f"{IPv6Address(address) if ':' in address else address} {reason}"
    )


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "1.1.1.1"]
)
def test_public_addresses_are_reachable(address: str) -> None:
    assert refusal(address) is None
    assert allowed(address, allow_lan=False) is None


def test_nat64_of_a_public_address_is_public() -> None:
    """IPv6-only homes reach IPv4 sites through NAT64; that must keep working."""
    assert refusal("64:ff9b::5db8:d70e") is None


def test_a_lan_allowance_opens_only_the_lan_ranges() -> None:
    assert allowed("10.0.0.5", allow_lan=True) is None
    assert allowed("127.0.0.1", allow_lan=True) is None
    assert allowed("fd12:3456::1", allow_lan=True) is None
    for address in ("169.254.169.254", "::ffff:10.0.0.5", "224.0.0.1", "0.0.0.0"):
        assert allowed(address, allow_lan=True) is not None, address


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", "localhost is this computer (localhost)"),
        ("LOCALHOST.", "localhost is this computer (localhost)"),
        ("printer.localhost", "printer.localhost is this computer (localhost)"),
        ("[::1]", "::1 is on this computer (loopback)"),
        ("127.1", "127.1 is a non-canonical spelling of 127.0.0.1"),
        ("0x7f.1", "0x7f.1 is a non-canonical spelling of 127.0.0.1"),
        ("2130706433", "2130706433 is a non-canonical spelling of 127.0.0.1"),
        ("167772165", "167772165 is a non-canonical spelling of 10.0.0.5"),
        ("feeds.example.org", None),
        ("10.0.0.5.nip.io", None),
    ],
)
def test_what_a_url_host_alone_tells(host: str, expected: str | None) -> None:
    found = host_refusal(host)
    assert (str(found) if found else None) == expected


def test_local_names() -> None:
    for name in ("nas.local", "inbox.home.arpa", "feed.internal", "pi.lan", "10.0.0.5"):
        assert is_local_name(name), name
    for name in ("feeds.example.org", "local.example.org", "169.254.169.254"):
        assert not is_local_name(name), name


def test_this_computer() -> None:
    for host in ("localhost", "127.0.0.1", "127.1", "[::1]", "::ffff:127.0.0.1", "0"):
        assert is_this_computer(host), host
    assert not is_this_computer("10.0.0.5")
    assert not is_this_computer("example.org")


@given(st.integers(0, 2**32 - 1))
def test_every_ipv4_address_is_judged_the_same_when_mapped(number: int) -> None:
    """No IPv4 address becomes reachable by writing it inside IPv6."""
    mapped = IPv6Address(f"::ffff:{IPv4Address(number)}")

    found = refusal(mapped)

    assert found is not None
    assert found.lan is False


@given(st.integers(0, 2**24 - 1))
def test_all_of_ten_slash_eight_is_private(offset: int) -> None:
    found = refusal(IPv4Address(int(IPv4Address("10.0.0.0")) + offset))

    assert found is not None
    assert found.reason == "is on a private network"
