"""Which network addresses a home may connect to on a publisher's behalf.

A home sits in a private network full of routers, NAS boxes and cloud metadata
endpoints; a feed must not be able to point it at any of them. Only public
addresses are reachable, unless the owner said the publisher runs on the home's
own network, and even then link-local, multicast, reserved and address forms
that smuggle an IPv4 address inside IPv6 stay out of reach. The check runs on the
address actually connected to (`requests/publisher_session.py`), so a name that
resolves to a private address, now or after a DNS change, is refused just the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
import socket

LOCALHOST = "localhost"
# Names that by definition or convention only exist on the local network: plain
# http to them is tolerated when the owner allows a local publisher.
LOCAL_SUFFIXES = (".localhost", ".local", ".home.arpa", ".internal", ".lan")

_LAN: tuple[tuple[IPv4Network | IPv6Network, str, str], ...] = (
    (IPv4Network("10.0.0.0/8"), "is on a private network", "private"),
    (IPv4Network("172.16.0.0/12"), "is on a private network", "private"),
    (IPv4Network("192.168.0.0/16"), "is on a private network", "private"),
    (
        IPv4Network("100.64.0.0/10"),
        "is in the shared address range 100.64.0.0/10 (carrier-grade NAT)",
        "shared",
    ),
    (
        IPv6Network("fc00::/7"),
        "is on a private network (IPv6 unique local)",
        "private",
    ),
)
_NAT64 = (IPv6Network("64:ff9b::/96"), IPv6Network("64:ff9b:1::/48"))
_SITE_LOCAL = IPv6Network("fec0::/10")
_IPV4_COMPATIBLE = IPv6Network("::/96")


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an address is out of reach; `lan` when a local publisher may use it.

    `reason` is English for logs and the audit log; `kind` names the same for
    people (a `selector.address_kinds` option).
    """

    address: str
    reason: str
    lan: bool = False
    kind: str = "reserved"

    def __str__(self) -> str:
        return f"{self.address} {self.reason}"


def refusal(address: IPv4Address | IPv6Address | str) -> Refusal | None:
    """Why a home must not connect to `address` by default; None for a public one."""
    ip = ip_address(address) if isinstance(address, str) else address
    shown = str(ip)
    if ip.is_unspecified:
        return Refusal(shown, "is unspecified", kind="unspecified")
    # First: Python answers is_loopback and friends for the IPv4 address inside.
    if isinstance(ip, IPv6Address) and (embedded := _ipv6_refusal(ip)) is not None:
        return embedded
    if ip.is_multicast:
        return Refusal(shown, "is a multicast address", kind="multicast")
    if ip.is_loopback:
        return Refusal(
            shown, "is on this computer (loopback)", lan=True, kind="loopback"
        )
    if ip.is_link_local:
        return Refusal(
            shown,
            "is link-local (where cloud metadata services answer)",
            kind="link_local",
        )
    for network, reason, kind in _LAN:
        if ip.version == network.version and ip in network:
            return Refusal(shown, reason, lan=True, kind=kind)
    if not ip.is_global:
        return Refusal(shown, "is reserved, not a public address")
    return None


def _ipv6_refusal(ip: IPv6Address) -> Refusal | None:
    """IPv6 forms that carry an IPv4 address, and other never-public ones."""
    shown = str(ip)
    if ip.ipv4_mapped is not None:
        return Refusal(
            shown,
            f"is an IPv4-mapped IPv6 address (of {ip.ipv4_mapped})",
            kind="ipv4_in_ipv6",
        )
    if ip in _IPV4_COMPATIBLE and not ip.is_loopback:
        return Refusal(shown, "is an IPv4-compatible IPv6 address", kind="ipv4_in_ipv6")
    if ip in _SITE_LOCAL:
        return Refusal(
            shown, "is site-local (a deprecated private range)", kind="private"
        )
    if any(ip in network for network in _NAT64):
        inner = IPv4Address(int(ip) & 0xFFFFFFFF)
        found = refusal(inner)
        if found is not None:
            return Refusal(
                shown, f"is NAT64 for {inner}, which {found.reason}", kind=found.kind
            )
    return None


def allowed(
    address: IPv4Address | IPv6Address | str, *, allow_lan: bool
) -> Refusal | None:
    """`refusal`, except what a local publisher may use once the owner allowed it."""
    found = refusal(address)
    if found is None or (found.lan and allow_lan):
        return None
    return found


def host_refusal(host: str) -> Refusal | None:
    """What can be told from a URL's host alone, before any name is resolved.

    IP literals are judged as addresses; `localhost` is this computer; legacy
    numeric forms (`127.1`, `2130706433`) are refused outright, since resolvers
    read them as addresses a check on the text would miss.
    """
    name = host.lower().rstrip(".")
    if name == LOCALHOST or name.endswith(".localhost"):
        return Refusal(name, "is this computer (localhost)", lan=True, kind="loopback")
    try:
        return refusal(name.removeprefix("[").removesuffix("]"))
    except ValueError:
        pass
    try:
        legacy = IPv4Address(socket.inet_aton(name))
    except OSError, ValueError:
        return None
    return Refusal(
        name, f"is a non-canonical spelling of {legacy}", kind="non_canonical"
    )


def is_local_name(host: str) -> bool:
    """A name or literal that can only mean the home's own network."""
    name = host.lower().rstrip(".")
    if name == LOCALHOST or name.endswith(LOCAL_SUFFIXES):
        return True
    found = host_refusal(name)
    return found is not None and found.lan


def is_this_computer(host: str) -> bool:
    """Loopback or unspecified, in any spelling a resolver reads (`127.1`, `[::1]`)."""
    name = host.lower().rstrip(".")
    if name == LOCALHOST or name.endswith(".localhost"):
        return True
    literal = name.removeprefix("[").removesuffix("]")
    ip: IPv4Address | IPv6Address
    try:
        ip = ip_address(literal)
    except ValueError:
        try:
            ip = IPv4Address(socket.inet_aton(literal))
        except OSError, ValueError:
            return False
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified
