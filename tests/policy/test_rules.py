"""Each rule alone: (compiled rule part, context) -> RuleResult."""

from datetime import UTC, datetime

import pytest

from watchword.policy import rules
from watchword.policy.compiled import CompiledGeo, CompiledIp, CompiledSchedule
from watchword.policy.model import GeoRule, IpRule, Schedule

from .helpers import compiled, ctx


def ip_rule(allow: list[str] | None = None, deny: list[str] | None = None) -> CompiledIp:
    return CompiledIp.of(IpRule.model_validate({"allow": allow or [], "deny": deny or []}))


def geo_rule(
    allow: tuple[str, ...] = (), deny: tuple[str, ...] = (), unknown: str = "allow"
) -> CompiledGeo:
    return CompiledGeo.of(
        GeoRule.model_validate({"allow": allow, "deny": deny, "unknown": unknown})
    )


def schedule(*windows: tuple[list[str], str, str], tz: str = "UTC") -> CompiledSchedule:
    doc = {"timezone": tz, "windows": [{"days": d, "start": s, "end": e} for d, s, e in windows]}
    return CompiledSchedule.of(Schedule.model_validate(doc))


def test_member_passes_membership() -> None:
    assert rules.check_membership(ctx()) == rules.RuleResult(True, None, "membership")


def test_non_member_is_not_member() -> None:
    result = rules.check_membership(ctx(is_member=False))
    assert (result.allowed, result.reason, result.rule) == (False, "not_member", "membership")


def test_kind_outside_allowed_kinds_is_kind_denied() -> None:
    policy = compiled({"allowed_kinds": ["hotp"]})
    assert rules.check_kind(policy, ctx(token_kind="sms")).reason == "kind_denied"
    assert rules.check_kind(policy, ctx(token_kind="hotp")).allowed


def test_origin_outside_allowed_origins_is_kind_denied() -> None:
    policy = compiled({"allowed_origins": ["hardware"]})
    assert rules.check_kind(policy, ctx(token_origin="generated")).reason == "kind_denied"
    assert rules.check_kind(policy, ctx(token_origin=None)).reason == "kind_denied"
    assert rules.check_kind(policy, ctx(token_origin="hardware")).allowed


def test_kind_rule_passes_while_no_token_is_chosen() -> None:
    policy = compiled({"allowed_kinds": ["hotp"], "allowed_origins": ["hardware"]})
    assert rules.check_kind(policy, ctx(token_kind=None, token_origin=None)).allowed


def test_token_allowed_filters_candidate_tokens() -> None:
    policy = compiled({"allowed_kinds": ["hotp", "totp"], "allowed_origins": ["hardware"]})
    assert policy.token_allowed("totp", "hardware")
    assert not policy.token_allowed("totp", "generated")
    assert not policy.token_allowed("sms", "hardware")


def test_missing_ip_is_ip_required_when_the_resource_filters_addresses() -> None:
    assert rules.check_ip_present(True, ctx(ip=None)).reason == "ip_required"
    assert rules.check_ip_present(True, ctx()).allowed
    assert rules.check_ip_present(False, ctx(ip=None)).allowed


def test_ip_in_allow_list_passes_and_outside_is_ip_denied() -> None:
    rule = ip_rule(allow=["198.51.100.0/24"])
    assert rules.check_ip(rule, ctx(ip="198.51.100.200")).allowed
    assert rules.check_ip(rule, ctx(ip="198.51.101.1")).reason == "ip_denied"


def test_ip_deny_wins_over_allow() -> None:
    rule = ip_rule(allow=["10.0.0.0/8"], deny=["10.0.5.0/24"])
    assert rules.check_ip(rule, ctx(ip="10.0.5.9")).reason == "ip_denied"
    assert rules.check_ip(rule, ctx(ip="10.0.6.9")).allowed


def test_deny_only_ip_rule_allows_the_rest() -> None:
    rule = ip_rule(deny=["203.0.113.0/24"])
    assert rules.check_ip(rule, ctx(ip="203.0.113.1")).reason == "ip_denied"
    assert rules.check_ip(rule, ctx(ip="192.0.2.1")).allowed


def test_ipv6_client_is_judged_against_ipv6_networks() -> None:
    rule = ip_rule(allow=["2001:db8:100::/48"])
    assert rules.check_ip(rule, ctx(ip="2001:db8:100::1")).allowed
    assert rules.check_ip(rule, ctx(ip="2001:db8:101::1")).reason == "ip_denied"
    assert rules.check_ip(rule, ctx(ip="198.51.100.7")).reason == "ip_denied"


def test_ipv4_mapped_address_is_judged_as_ipv4() -> None:
    rule = ip_rule(allow=["198.51.100.0/24"])
    assert rules.check_ip(rule, ctx(ip="::ffff:198.51.100.7")).allowed


def test_geo_allow_list() -> None:
    rule = geo_rule(allow=("UA", "PL"))
    assert rules.check_geo(rule, ctx(country="PL")).allowed
    assert rules.check_geo(rule, ctx(country="RU")).reason == "geo_denied"


def test_geo_deny_wins_over_allow() -> None:
    rule = geo_rule(allow=("UA",), deny=("UA",))
    assert rules.check_geo(rule, ctx(country="UA")).reason == "geo_denied"


@pytest.mark.parametrize(("unknown", "allowed"), [("allow", True), ("deny", False)])
def test_unknown_country_follows_the_unknown_setting(unknown: str, allowed: bool) -> None:
    rule = geo_rule(allow=("UA",), unknown=unknown)
    assert rules.check_geo(rule, ctx(country=None)).allowed is allowed


def test_schedule_inside_and_outside_a_window() -> None:
    rule = schedule((["wed"], "08:00", "20:00"))
    assert rules.check_schedule(rule, ctx(now=datetime(2026, 6, 10, 8, 0, tzinfo=UTC))).allowed
    late = ctx(now=datetime(2026, 6, 10, 20, 0, tzinfo=UTC))
    assert rules.check_schedule(rule, late).reason == "schedule_denied"
    thursday = ctx(now=datetime(2026, 6, 11, 12, 0, tzinfo=UTC))
    assert rules.check_schedule(rule, thursday).reason == "schedule_denied"


def test_schedule_is_judged_in_the_resource_time_zone() -> None:
    rule = schedule((["wed"], "08:00", "20:00"), tz="Europe/Kyiv")  # UTC+3 in June
    assert rules.check_schedule(rule, ctx(now=datetime(2026, 6, 10, 5, 0, tzinfo=UTC))).allowed
    early = ctx(now=datetime(2026, 6, 10, 4, 59, tzinfo=UTC))
    assert not rules.check_schedule(rule, early).allowed


def test_crossing_window_belongs_to_the_day_it_starts() -> None:
    rule = schedule((["fri"], "22:00", "02:00"))
    saturday_1am = datetime(2026, 6, 13, 1, 0, tzinfo=UTC)
    friday_1am = datetime(2026, 6, 12, 1, 0, tzinfo=UTC)
    assert rules.in_schedule(rule, saturday_1am)
    assert not rules.in_schedule(rule, friday_1am)
    assert rules.in_schedule(rule, datetime(2026, 6, 12, 23, 59, 59, tzinfo=UTC))
    assert not rules.in_schedule(rule, datetime(2026, 6, 13, 2, 0, tzinfo=UTC))


def test_crossing_window_from_sunday_covers_monday_morning() -> None:
    rule = schedule((["sun"], "23:00", "01:00"))
    assert rules.in_schedule(rule, datetime(2026, 6, 15, 0, 30, tzinfo=UTC))  # Monday


def test_window_to_24_00_covers_the_last_second_of_the_day() -> None:
    rule = schedule((["wed"], "12:00", "24:00"))
    assert rules.in_schedule(rule, datetime(2026, 6, 10, 23, 59, 59, tzinfo=UTC))
    assert not rules.in_schedule(rule, datetime(2026, 6, 11, 0, 0, tzinfo=UTC))


def test_window_ending_at_00_00_ends_at_midnight() -> None:
    rule = schedule((["wed"], "12:00", "00:00"))
    assert rules.in_schedule(rule, datetime(2026, 6, 10, 23, 59, tzinfo=UTC))
    assert not rules.in_schedule(rule, datetime(2026, 6, 11, 0, 0, tzinfo=UTC))


def test_any_of_several_windows_allows() -> None:
    rule = schedule((["mon"], "08:00", "09:00"), (["wed"], "11:00", "13:00"))
    assert rules.in_schedule(rule, datetime(2026, 6, 10, 12, 0, tzinfo=UTC))
    assert not rules.in_schedule(rule, datetime(2026, 6, 10, 13, 0, tzinfo=UTC))


def test_ip_rule_leaves_a_missing_address_to_the_ip_present_rule() -> None:
    assert rules.check_ip(ip_rule(allow=["198.51.100.0/24"]), ctx(ip=None)).allowed
