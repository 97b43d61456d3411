"""client_address (X-Forwarded-For behind trusted proxies) and source_allowed."""

from ipaddress import ip_address, ip_network

import pytest

from watchword.policy.network import client_address, parse_ip, source_allowed

PROXIES = [ip_network("10.0.0.0/8"), ip_network("2001:db8:ff::/48")]


def test_peer_that_is_not_a_trusted_proxy_is_the_client() -> None:
    assert client_address("203.0.113.9", "198.51.100.1", PROXIES) == ip_address("203.0.113.9")


def test_trusted_proxy_without_header_is_the_client() -> None:
    assert client_address("10.0.0.2", None, PROXIES) == ip_address("10.0.0.2")


def test_rightmost_untrusted_hop_is_the_client() -> None:
    header = "192.0.2.66, 198.51.100.1, 10.0.0.7"
    # 192.0.2.66 may have been written by the client itself: it is not believed.
    assert client_address("10.0.0.2", header, PROXIES) == ip_address("198.51.100.1")


def test_ipv6_proxies_and_hops() -> None:
    header = "2001:db8:1::5, 2001:db8:ff::9"
    assert client_address("2001:db8:ff::1", header, PROXIES) == ip_address("2001:db8:1::5")


def test_hops_with_ports_and_brackets_are_understood() -> None:
    header = "[2001:db8:1::5]:443, 198.51.100.1:8080"
    assert client_address("10.0.0.2", header, PROXIES) == ip_address("198.51.100.1")
    assert client_address("10.0.0.2", "[2001:db8:1::5]:443", PROXIES) == ip_address("2001:db8:1::5")


def test_all_hops_trusted_gives_the_leftmost() -> None:
    assert client_address("10.0.0.2", "10.9.9.9, 10.0.0.7", PROXIES) == ip_address("10.9.9.9")


def test_malformed_hop_stops_at_the_last_believed_address() -> None:
    assert client_address("10.0.0.2", "198.51.100.1, unknown", PROXIES) == ip_address("10.0.0.2")
    header = "garbage, 10.0.0.7"
    assert client_address("10.0.0.2", header, PROXIES) == ip_address("10.0.0.7")


def test_ipv4_mapped_peer_is_judged_as_ipv4() -> None:
    assert client_address("::ffff:10.0.0.2", "198.51.100.1", PROXIES) == ip_address("198.51.100.1")


@pytest.mark.parametrize("text", ["", "nope", "[2001:db8::1", "300.1.1.1"])
def test_parse_ip_refuses_what_is_not_an_address(text: str) -> None:
    with pytest.raises(ValueError):
        parse_ip(text)


def test_source_allowed_inside_and_outside_the_networks() -> None:
    nets = [ip_network("198.51.100.0/24"), ip_network("2001:db8::/32")]
    assert source_allowed(ip_address("198.51.100.255"), nets)
    assert source_allowed(ip_address("2001:db8::1"), nets)
    assert not source_allowed(ip_address("198.51.101.0"), nets)
    assert not source_allowed(ip_address("::ffff:c633:6401"), nets[1:])


def test_key_without_networks_may_call_from_anywhere() -> None:
    assert source_allowed(ip_address("203.0.113.1"), [])
