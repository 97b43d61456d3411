"""Which address a request comes from, and whether a source network may call.

Pure: the HTTP edge passes the peer address and the X-Forwarded-For header.
"""

import ipaddress
from collections.abc import Iterable, Sequence

from watchword.policy.context import IPAddress
from watchword.policy.model import IPNetwork


def parse_ip(text: str) -> IPAddress:
    """Parse an address; an IPv4-mapped IPv6 address becomes its IPv4 address.

    Accepts the forms proxies write: ``[2001:db8::1]:443``, ``192.0.2.1:8080``.
    Raises ValueError for anything else.
    """
    value = text.strip()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            raise ValueError(f"{text!r} is not an IP address")
        value = value[1:end]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    addr = ipaddress.ip_address(value)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def _in_any(addr: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    # Comparing across versions is False, never an error, so v4 never matches v6.
    return any(addr in net for net in networks if net.version == addr.version)


def client_address(
    peer: str, forwarded_for: str | None, trusted_proxies: Sequence[IPNetwork]
) -> IPAddress:
    """The client's address: the rightmost untrusted hop of X-Forwarded-For.

    Only a trusted proxy's header is believed. Walking from the right skips our
    own proxies; the first hop that is not one of them is the client, since any
    hop left of it could have been written by the client itself. If every hop is
    a trusted proxy the leftmost one is returned; a malformed hop ends the walk
    at the last address that was believed.
    """
    addr = parse_ip(peer)
    if not forwarded_for or not _in_any(addr, trusted_proxies):
        return addr
    for hop in reversed(forwarded_for.split(",")):
        try:
            hop_addr = parse_ip(hop)
        except ValueError:
            return addr
        addr = hop_addr
        if not _in_any(addr, trusted_proxies):
            return addr
    return addr


def source_allowed(addr: IPAddress, networks: Sequence[IPNetwork]) -> bool:
    """For API keys bound to source networks: no networks means any source."""
    return not networks or _in_any(addr, networks)
