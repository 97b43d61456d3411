"""A policy turned into lookup structures once, so each verify costs microseconds.

``compile_policy`` is pure and deterministic; callers cache its result (see
``engine.PolicyCache``) keyed on the resource and its policy version.
"""

import ipaddress
import zoneinfo
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from watchword.policy.context import IPAddress
from watchword.policy.model import DAYS, GeoRule, IPNetwork, IpRule, Policy, Schedule

_DAY_S = 24 * 3600


@dataclass(frozen=True, slots=True)
class AddressSet:
    """Networks of one or both IP versions as merged, sorted integer ranges."""

    v4_starts: tuple[int, ...]
    v4_ends: tuple[int, ...]
    v6_starts: tuple[int, ...]
    v6_ends: tuple[int, ...]

    @classmethod
    def of(cls, networks: Iterable[IPNetwork]) -> "AddressSet":
        nets = list(networks)
        v4 = ipaddress.collapse_addresses(n for n in nets if isinstance(n, ipaddress.IPv4Network))
        v6 = ipaddress.collapse_addresses(n for n in nets if isinstance(n, ipaddress.IPv6Network))
        r4 = [(int(n.network_address), int(n.broadcast_address)) for n in v4]
        r6 = [(int(n.network_address), int(n.broadcast_address)) for n in v6]
        return cls(
            tuple(s for s, _ in r4),
            tuple(e for _, e in r4),
            tuple(s for s, _ in r6),
            tuple(e for _, e in r6),
        )

    def __bool__(self) -> bool:
        return bool(self.v4_starts or self.v6_starts)

    def __contains__(self, addr: IPAddress) -> bool:
        if addr.version == 4:
            starts, ends = self.v4_starts, self.v4_ends
        else:
            starts, ends = self.v6_starts, self.v6_ends
        value = int(addr)
        # Collapsed ranges do not overlap: only the last range starting at or
        # before the address can hold it.
        i = bisect_right(starts, value) - 1
        return i >= 0 and value <= ends[i]


@dataclass(frozen=True, slots=True)
class CompiledIp:
    allow: AddressSet
    deny: AddressSet

    @classmethod
    def of(cls, rule: IpRule) -> "CompiledIp":
        return cls(AddressSet.of(rule.allow), AddressSet.of(rule.deny))


@dataclass(frozen=True, slots=True)
class CompiledGeo:
    allow: frozenset[str]
    deny: frozenset[str]
    unknown_allowed: bool

    @classmethod
    def of(cls, rule: GeoRule) -> "CompiledGeo":
        return cls(frozenset(rule.allow), frozenset(rule.deny), rule.unknown == "allow")


@dataclass(frozen=True, slots=True)
class CompiledSchedule:
    """Per local weekday (0 = Monday), the [start, end) seconds allowed."""

    zone: zoneinfo.ZoneInfo
    by_weekday: tuple[tuple[tuple[int, int], ...], ...]

    @classmethod
    def of(cls, schedule: Schedule) -> "CompiledSchedule":
        days: list[list[tuple[int, int]]] = [[] for _ in DAYS]
        for window in schedule.windows:
            start, end = window.start_minute * 60, window.end_minute * 60
            for day in window.days:
                d = DAYS.index(day)
                if start < end:
                    days[d].append((start, end))
                else:
                    # Crossing midnight: the part after midnight belongs to the
                    # window of the day before (the day it starts).
                    days[d].append((start, _DAY_S))
                    if end:
                        days[(d + 1) % 7].append((0, end))
        return cls(
            zoneinfo.ZoneInfo(schedule.timezone),
            tuple(tuple(sorted(intervals)) for intervals in days),
        )


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    policy: Policy
    kinds: frozenset[str] | None
    origins: frozenset[str] | None
    ip: CompiledIp | None
    geo: CompiledGeo | None
    schedule: CompiledSchedule | None

    @property
    def needs_ip(self) -> bool:
        return self.ip is not None or self.geo is not None

    def token_allowed(self, kind: str, origin: str | None) -> bool:
        """Whether a token of this kind and origin may be used here at all."""
        if self.kinds is not None and kind not in self.kinds:
            return False
        return self.origins is None or origin in self.origins


def compile_policy(policy: Policy) -> CompiledPolicy:
    """Build the lookup structures; rules that restrict nothing are dropped."""
    ip = policy.ip
    geo = policy.geo
    return CompiledPolicy(
        policy=policy,
        kinds=None if policy.allowed_kinds is None else frozenset(policy.allowed_kinds),
        origins=None if policy.allowed_origins is None else frozenset(policy.allowed_origins),
        ip=CompiledIp.of(ip) if ip is not None and ip.active else None,
        geo=CompiledGeo.of(geo) if geo is not None and geo.active else None,
        schedule=None if policy.schedule is None else CompiledSchedule.of(policy.schedule),
    )
