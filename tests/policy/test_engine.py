"""evaluate(): fixed rule order, first denial wins, lazy country lookup, speed."""

import time
from datetime import UTC, datetime
from ipaddress import ip_address
from typing import Any

import pytest

from watchword.policy.context import IPAddress, RequestContext
from watchword.policy.engine import Decision, PolicyCache, evaluate
from watchword.policy.model import Policy

from .helpers import compiled, ctx

STRICT: dict[str, Any] = {
    "allowed_kinds": ["hotp", "totp"],
    "allowed_origins": ["hardware"],
    "ip": {"allow": ["198.51.100.0/24"], "deny": ["198.51.100.128/25"]},
    "geo": {"allow": ["UA", "PL"], "unknown": "deny"},
    "schedule": {
        "timezone": "Europe/Kyiv",
        "windows": [
            {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "20:00"}
        ],
    },
}
OK = {"token_origin": "hardware", "ip": "198.51.100.7", "country": "UA"}


def run(**overrides: Any) -> Decision:
    return evaluate(compiled(STRICT), ctx(**{**OK, **overrides}))


def test_empty_policy_allows_and_reports_the_country() -> None:
    assert evaluate(Policy(), ctx(ip=None, country="PL")) == Decision(True, None, None, "PL")


def test_request_meeting_every_rule_is_allowed() -> None:
    assert run().allowed


@pytest.mark.parametrize(
    ("overrides", "reason", "rule"),
    [
        ({"is_member": False}, "not_member", "membership"),
        ({"token_kind": "sms"}, "kind_denied", "kind"),
        ({"token_origin": "generated"}, "kind_denied", "kind"),
        ({"ip": None}, "ip_required", "ip_present"),
        ({"ip": "203.0.113.1"}, "ip_denied", "ip"),
        ({"ip": "198.51.100.200"}, "ip_denied", "ip"),
        ({"country": "RU"}, "geo_denied", "geo"),
        ({"country": None}, "geo_denied", "geo"),
        ({"now": datetime(2026, 6, 10, 18, 0, tzinfo=UTC)}, "schedule_denied", "schedule"),
        ({"now": datetime(2026, 6, 13, 9, 0, tzinfo=UTC)}, "schedule_denied", "schedule"),
    ],
)
def test_each_rule_denies_with_its_reason(
    overrides: dict[str, Any], reason: str, rule: str
) -> None:
    decision = run(**overrides)
    assert (decision.allowed, decision.reason, decision.rule) == (False, reason, rule)


def test_first_denial_wins_in_the_documented_order() -> None:
    everything_wrong = {
        "is_member": False,
        "token_kind": "sms",
        "ip": "203.0.113.1",
        "country": "RU",
        "now": datetime(2026, 6, 13, 3, 0, tzinfo=UTC),
    }
    order = ["is_member", "token_kind", "ip", "country", "now"]
    reasons = []
    for i in range(len(order)):
        wrong = {k: everything_wrong[k] for k in order[i:]}
        reasons.append(run(**wrong).reason)
    assert reasons == ["not_member", "kind_denied", "ip_denied", "geo_denied", "schedule_denied"]


def test_geo_rule_alone_also_requires_an_ip() -> None:
    policy = compiled({"geo": {"deny": ["RU"]}})
    assert evaluate(policy, ctx(ip=None, country=None)).reason == "ip_required"


def test_rule_that_restricts_nothing_does_not_require_an_ip() -> None:
    policy = compiled({"ip": {"allow": [], "deny": []}, "geo": {"unknown": "allow"}})
    assert evaluate(policy, ctx(ip=None)).allowed


def test_country_is_looked_up_only_when_a_geo_rule_needs_it() -> None:
    asked: list[IPAddress] = []

    def country_of(addr: IPAddress) -> str | None:
        asked.append(addr)
        return "PL"

    decision = evaluate(compiled(STRICT), ctx(**{**OK, "country": None}), country_of)
    assert decision == Decision(True, None, None, "PL")
    assert asked == [ip_address("198.51.100.7")]
    evaluate(compiled({"ip": {"allow": ["198.51.100.0/24"]}}), ctx(country=None), country_of)
    evaluate(compiled(STRICT), ctx(**{**OK, "ip": "203.0.113.1", "country": None}), country_of)
    assert len(asked) == 1  # no geo rule; and a request denied by ip is not looked up


def test_denial_reports_the_looked_up_country() -> None:
    decision = evaluate(compiled(STRICT), ctx(**{**OK, "country": None}), lambda _: "RU")
    assert (decision.reason, decision.country) == ("geo_denied", "RU")


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ctx(now=datetime(2026, 6, 10, 12, 0))


def test_cache_compiles_once_per_key_and_evicts_the_oldest() -> None:
    cache = PolicyCache(max_entries=2)
    policy = Policy.model_validate(STRICT)
    first = cache.get(("r1", 1), lambda: policy)
    assert cache.get(("r1", 1), lambda: policy) is first
    cache.get(("r2", 1), lambda: policy)
    cache.get(("r1", 1), lambda: policy)  # r1 is now the most recent
    cache.get(("r3", 1), lambda: policy)
    assert len(cache) == 2
    assert cache.get(("r1", 1), lambda: policy) is first
    assert cache.get(("r2", 1), lambda: policy) is not first


def test_full_evaluation_takes_well_under_50_microseconds() -> None:
    policy = compiled(STRICT)
    request: RequestContext = ctx(**OK)
    assert evaluate(policy, request).allowed
    rounds = 20_000
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(rounds):
            evaluate(policy, request)
        best = min(best, (time.perf_counter() - started) / rounds)
    print(f"\nfull policy evaluation: {best * 1e6:.2f} us")
    assert best < 50e-6
