"""Country of an IP address: a MaxMind-format .mmdb, or the embedded default.

The caller (bootstrap) reads WATCHWORD_GEOIP_DB and calls ``country_lookup``
once; the lookup object is then passed to ``engine.evaluate`` as ``country_of``.
Addresses that are not globally routable (private, loopback, link-local,
reserved, documentation ...) have no country and are never looked up.
"""

import functools
from ipaddress import IPv6Address
from pathlib import Path
from typing import Any, Protocol

import iptocc
import maxminddb

from watchword.policy.context import IPAddress
from watchword.policy.countries import COUNTRY_CODES

_CACHE_SIZE = 65536


class CountryLookup(Protocol):
    def __call__(self, addr: IPAddress) -> str | None: ...


def _routable(addr: IPAddress) -> IPAddress | None:
    if isinstance(addr, IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr if addr.is_global else None


def _code(value: object) -> str | None:
    # Some databases write placeholders ("None", "EU", "ZZ"): only real codes count.
    return value if isinstance(value, str) and value in COUNTRY_CODES else None


def country_of_record(record: object) -> str | None:
    """The country code in a record of the usual .mmdb layouts.

    MaxMind/DB-IP: ``country.iso_code``, else ``registered_country.iso_code``;
    ip-location-db: ``country_code``.
    """
    if not isinstance(record, dict):
        return None
    for key in ("country", "registered_country"):
        part: Any = record.get(key)
        if isinstance(part, dict):
            code = _code(part.get("iso_code"))
            if code is not None:
                return code
    return _code(record.get("country_code"))


class _CachedLookup:
    """One LRU over the whole answer, the "is it routable" test included: that test
    walks the reserved ranges and costs more than the lookup itself."""

    def __init__(self, cache_size: int) -> None:
        self._cached = functools.lru_cache(maxsize=cache_size)(self._resolve)

    def _resolve(self, addr: IPAddress) -> str | None:
        routable = _routable(addr)
        return None if routable is None else self._lookup(routable)

    def _lookup(self, addr: IPAddress) -> str | None:
        raise NotImplementedError

    def __call__(self, addr: IPAddress) -> str | None:
        return self._cached(addr)


class MmdbCountryLookup(_CachedLookup):
    """Country lookups in one .mmdb file, opened once (memory-mapped), LRU-cached."""

    def __init__(self, path: str | Path, cache_size: int = _CACHE_SIZE) -> None:
        super().__init__(cache_size)
        self.path = Path(path)
        self._reader = maxminddb.open_database(str(self.path))

    def _lookup(self, addr: IPAddress) -> str | None:
        return country_of_record(self._reader.get(addr))

    def close(self) -> None:
        self._reader.close()


class EmbeddedCountryLookup(_CachedLookup):
    """The default: RIR allocation data shipped in the ``iptocc`` package.

    Countries are where the registries assigned each block (about 95 % agree
    with commercial databases for IPv4); see docs/geoip.md.
    """

    def __init__(self, cache_size: int = _CACHE_SIZE) -> None:
        super().__init__(cache_size)

    def _lookup(self, addr: IPAddress) -> str | None:
        return _code(iptocc.country_code(str(addr)))


@functools.lru_cache(maxsize=8)
def country_lookup(path: str | None) -> MmdbCountryLookup | EmbeddedCountryLookup:
    """The lookup for ``path`` (an .mmdb), or the embedded default for None/"".

    Memoised, so every caller with the same path shares one open reader.
    Raises FileNotFoundError or maxminddb.InvalidDatabaseError for a bad file:
    a configured database that cannot be read must stop the start-up, not
    silently turn every country into "unknown".
    """
    if not path:
        return EmbeddedCountryLookup()
    return MmdbCountryLookup(path)
