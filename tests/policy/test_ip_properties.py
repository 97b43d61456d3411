"""Properties of CIDR membership at the edges of networks."""

import ipaddress

from hypothesis import assume, given
from hypothesis import strategies as st

from watchword.policy.compiled import AddressSet, CompiledIp
from watchword.policy.model import IPNetwork, IpRule
from watchword.policy.rules import check_ip

from .helpers import ctx


@st.composite
def networks(draw: st.DrawFn, version: int | None = None) -> IPNetwork:
    v = draw(st.sampled_from([4, 6])) if version is None else version
    bits = 32 if v == 4 else 128
    prefix = draw(st.integers(min_value=1, max_value=bits))
    value = draw(st.integers(min_value=0, max_value=2**bits - 1))
    address = ipaddress.ip_address(value) if v == 4 else ipaddress.IPv6Address(value)
    return ipaddress.ip_network(f"{address}/{prefix}", strict=False)


def neighbour(net: IPNetwork, offset: int) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``offset`` away from the network's ends, if it exists."""
    bits = net.max_prefixlen
    value = int(net.network_address) - 1 if offset < 0 else int(net.broadcast_address) + 1
    if not 0 <= value < 2**bits:
        return None
    return ipaddress.IPv4Address(value) if bits == 32 else ipaddress.IPv6Address(value)


@given(networks())
def test_first_and_last_address_of_a_network_are_inside(net: IPNetwork) -> None:
    addresses = AddressSet.of([net])
    assert net.network_address in addresses
    assert net.broadcast_address in addresses


@given(networks())
def test_addresses_just_outside_a_network_are_outside(net: IPNetwork) -> None:
    addresses = AddressSet.of([net])
    for offset in (-1, 1):
        outside = neighbour(net, offset)
        if outside is not None:
            assert outside not in addresses


@given(st.lists(networks(), max_size=8), st.integers(min_value=0, max_value=2**128 - 1))
def test_membership_agrees_with_the_ipaddress_module(nets: list[IPNetwork], value: int) -> None:
    addresses = AddressSet.of(nets)
    for addr in (ipaddress.IPv4Address(value % 2**32), ipaddress.IPv6Address(value)):
        expected = any(addr.version == n.version and addr in n for n in nets)
        assert (addr in addresses) is expected


@given(networks(version=4))
def test_ipv4_address_never_matches_an_ipv6_network(v4net: IPNetwork) -> None:
    # ::a.b.c.d (IPv4-compatible) shares the integer value of a.b.c.d.
    v6net = ipaddress.IPv6Network(f"::{v4net.network_address}/{96 + v4net.prefixlen}")
    v4_only, v6_only = AddressSet.of([v4net]), AddressSet.of([v6net])
    assert v4net.network_address not in v6_only
    assert ipaddress.IPv6Address(int(v4net.network_address)) not in v4_only


@given(networks(), st.data())
def test_deny_beats_allow_for_every_address_in_both(net: IPNetwork, data: st.DataObject) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=net.num_addresses - 1))
    addr = net[offset]
    assume(not (addr.version == 6 and addr.ipv4_mapped))  # those are judged as IPv4
    rule = CompiledIp.of(IpRule(allow=(net,), deny=(net,)))
    assert check_ip(rule, ctx(ip=addr)).reason == "ip_denied"


@given(networks(), st.data())
def test_allowed_network_admits_every_address_in_it(net: IPNetwork, data: st.DataObject) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=net.num_addresses - 1))
    addr = net[offset]
    assume(not (addr.version == 6 and addr.ipv4_mapped))
    rule = CompiledIp.of(IpRule(allow=(net,)))
    assert check_ip(rule, ctx(ip=addr)).allowed
