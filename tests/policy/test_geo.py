"""Country lookups: a .mmdb written here (known answers) and the embedded default."""

from ipaddress import ip_address
from pathlib import Path
from typing import Any

import maxminddb
import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from watchword.policy.geo import (
    EmbeddedCountryLookup,
    MmdbCountryLookup,
    country_lookup,
    country_of_record,
)

RECORDS: list[tuple[list[str], dict[str, Any]]] = [
    (["192.0.2.0/24"], {"country": {"iso_code": "UA"}}),  # documentation range: not global
    (["81.30.0.0/16"], {"country": {"iso_code": "UA"}}),
    (["5.172.0.0/15", "2a01:110::/32"], {"country": {"iso_code": "PL"}}),
    (["62.0.0.0/16"], {"registered_country": {"iso_code": "DE"}}),
    (["63.0.0.0/16"], {"country_code": "FR"}),
    (["64.0.0.0/16"], {"country": {"iso_code": "None"}}),
    (["10.0.0.0/8"], {"country": {"iso_code": "US"}}),  # private: must never be asked
]


@pytest.fixture(scope="module")
def mmdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="Test-Country")
    for networks, record in RECORDS:
        writer.insert_network(IPSet(networks), record)
    path = tmp_path_factory.mktemp("geo") / "test-country.mmdb"
    writer.to_db_file(str(path))
    return path


@pytest.fixture
def lookup(mmdb: Path) -> MmdbCountryLookup:
    return MmdbCountryLookup(mmdb)


@pytest.mark.parametrize(
    ("address", "country"),
    [
        ("81.30.1.1", "UA"),
        ("5.173.255.255", "PL"),
        ("2a01:110::1", "PL"),
        ("::ffff:81.30.1.1", "UA"),
        ("62.0.0.1", "DE"),
        ("63.0.0.1", "FR"),
        ("8.8.4.4", None),
    ],
)
def test_countries_come_from_the_database(
    lookup: MmdbCountryLookup, address: str, country: str | None
) -> None:
    assert lookup(ip_address(address)) == country


def test_placeholder_codes_are_unknown(lookup: MmdbCountryLookup) -> None:
    assert lookup(ip_address("64.0.0.1")) is None


@pytest.mark.parametrize(
    "address", ["10.1.2.3", "192.0.2.1", "127.0.0.1", "::1", "fe80::1", "169.254.0.1", "fc00::1"]
)
def test_non_global_addresses_are_unknown_without_a_lookup(mmdb: Path, address: str) -> None:
    class Recording(MmdbCountryLookup):
        asked: list[object] = []

        def _lookup(self, addr):  # type: ignore[no-untyped-def]
            self.asked.append(addr)
            return super()._lookup(addr)

    lookup = Recording(mmdb)
    assert lookup(ip_address(address)) is None
    assert lookup.asked == []


def test_repeated_lookups_are_served_from_the_cache(lookup: MmdbCountryLookup) -> None:
    for _ in range(3):
        lookup(ip_address("81.30.1.1"))
    info = lookup._cached.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_same_path_shares_one_reader(mmdb: Path) -> None:
    assert country_lookup(str(mmdb)) is country_lookup(str(mmdb))


def test_missing_database_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        country_lookup(str(tmp_path / "absent.mmdb"))


def test_file_that_is_not_an_mmdb_is_an_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.mmdb"
    bogus.write_bytes(b"not a database" * 100)
    with pytest.raises(maxminddb.InvalidDatabaseError):
        MmdbCountryLookup(bogus)


def test_closed_reader_refuses_lookups(mmdb: Path) -> None:
    lookup = MmdbCountryLookup(mmdb)
    lookup.close()
    with pytest.raises(ValueError):
        lookup(ip_address("81.30.1.1"))


@pytest.mark.parametrize("record", [None, "UA", {"country": "UA"}, {"country": {}}])
def test_records_without_a_country_give_none(record: object) -> None:
    assert country_of_record(record) is None


def test_embedded_default_resolves_a_well_known_public_address() -> None:
    default = country_lookup(None)
    assert isinstance(default, EmbeddedCountryLookup)
    assert default(ip_address("8.8.8.8")) == "US"
    assert default(ip_address("10.0.0.1")) is None


def test_empty_path_means_the_embedded_default() -> None:
    assert isinstance(country_lookup(""), EmbeddedCountryLookup)
