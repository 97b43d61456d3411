"""Time policy evaluation and country lookups: python scripts/bench_policy.py."""

import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from ipaddress import IPv4Network, ip_address
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from watchword.policy.compiled import compile_policy
from watchword.policy.context import RequestContext
from watchword.policy.engine import evaluate
from watchword.policy.geo import EmbeddedCountryLookup
from watchword.policy.model import Policy


def per_call_us(fn: Callable[[], object], rounds: int = 50_000) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(rounds):
            fn()
        best = min(best, (time.perf_counter() - started) / rounds)
    return best * 1e6


def main() -> None:
    office = [str(IPv4Network((0x0A000000 + i * 256, 24))) for i in range(1000)]
    policy = Policy.model_validate(
        {
            "allowed_kinds": ["hotp", "totp"],
            "allowed_origins": ["hardware"],
            "ip": {"allow": office, "deny": ["10.0.5.0/24"]},
            "geo": {"allow": ["UA", "PL"], "unknown": "allow"},
            "schedule": {
                "timezone": "Europe/Kyiv",
                "windows": [
                    {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "20:00"}
                ],
            },
        }
    )
    started = time.perf_counter()
    compiled = compile_policy(policy)
    print(f"compile (1000 networks):        {(time.perf_counter() - started) * 1e3:8.2f} ms")
    ctx = RequestContext(
        tenant_id="t",
        resource_id="r",
        login="alice",
        is_member=True,
        now=datetime(2026, 6, 10, 9, 0, tzinfo=UTC),
        token_kind="totp",  # noqa: S106 (a kind name, not a secret)
        token_origin="hardware",  # noqa: S106
        ip=ip_address("10.0.200.7"),
        country="UA",
    )
    assert evaluate(compiled, ctx).allowed
    print(f"evaluate, all rules pass:       {per_call_us(lambda: evaluate(compiled, ctx)):8.2f} us")
    lookup = EmbeddedCountryLookup()
    addr = ip_address("8.8.8.8")
    print(f"country, embedded, cached:      {per_call_us(lambda: lookup(addr)):8.2f} us")
    uncached = EmbeddedCountryLookup._lookup
    print(f"country, embedded, uncached:    {per_call_us(lambda: uncached(addr)):8.2f} us")


if __name__ == "__main__":
    main()
