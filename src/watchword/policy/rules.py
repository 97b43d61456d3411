"""One pure function per rule: (compiled rule part, context) -> RuleResult.

No rule reads a clock, a database or a global; the engine runs them in order.
"""

from dataclasses import dataclass
from datetime import datetime

from watchword.policy.compiled import CompiledGeo, CompiledIp, CompiledPolicy, CompiledSchedule
from watchword.policy.context import RequestContext


@dataclass(frozen=True, slots=True)
class RuleResult:
    allowed: bool
    reason: str | None
    rule: str


MEMBERSHIP, KIND, IP_PRESENT, IP, GEO, SCHEDULE = (
    "membership",
    "kind",
    "ip_present",
    "ip",
    "geo",
    "schedule",
)


def _pass(rule: str) -> RuleResult:
    return RuleResult(True, None, rule)


# Results are values: reuse them instead of allocating on every verify.
_OK = {name: _pass(name) for name in (MEMBERSHIP, KIND, IP_PRESENT, IP, GEO, SCHEDULE)}
NOT_MEMBER = RuleResult(False, "not_member", MEMBERSHIP)
KIND_DENIED = RuleResult(False, "kind_denied", KIND)
IP_REQUIRED = RuleResult(False, "ip_required", IP_PRESENT)
IP_DENIED = RuleResult(False, "ip_denied", IP)
GEO_DENIED = RuleResult(False, "geo_denied", GEO)
SCHEDULE_DENIED = RuleResult(False, "schedule_denied", SCHEDULE)


def check_membership(ctx: RequestContext) -> RuleResult:
    return _OK[MEMBERSHIP] if ctx.is_member else NOT_MEMBER


def check_kind(policy: CompiledPolicy, ctx: RequestContext) -> RuleResult:
    """Token kind and origin (e.g. hardware only); passes while no token is chosen."""
    if ctx.token_kind is None:
        return _OK[KIND]
    if policy.token_allowed(ctx.token_kind, ctx.token_origin):
        return _OK[KIND]
    return KIND_DENIED


def check_ip_present(needs_ip: bool, ctx: RequestContext) -> RuleResult:
    """A resource with ip or geo rules refuses requests that bring no address."""
    return IP_REQUIRED if needs_ip and ctx.ip is None else _OK[IP_PRESENT]


def check_ip(rule: CompiledIp, ctx: RequestContext) -> RuleResult:
    """Deny wins over allow; an empty allow list allows what is not denied."""
    addr = ctx.ip
    if addr is None:
        return _OK[IP]  # check_ip_present has already judged a missing address
    if rule.deny and addr in rule.deny:
        return IP_DENIED
    if rule.allow and addr not in rule.allow:
        return IP_DENIED
    return _OK[IP]


def check_geo(rule: CompiledGeo, ctx: RequestContext) -> RuleResult:
    return check_country(rule, ctx.country)


def check_country(rule: CompiledGeo, country: str | None) -> RuleResult:
    """The geo rule on a resolved country (None: unknown)."""
    if country is None:
        return _OK[GEO] if rule.unknown_allowed else GEO_DENIED
    if country in rule.deny:
        return GEO_DENIED
    if rule.allow and country not in rule.allow:
        return GEO_DENIED
    return _OK[GEO]


def in_schedule(rule: CompiledSchedule, now: datetime) -> bool:
    """Whether the wall-clock time at ``now`` in the rule's zone is in a window.

    Wall-clock: on a DST change day a 02:00-03:00 window may last 0 or 2 hours.
    """
    local = now.astimezone(rule.zone)
    second = local.hour * 3600 + local.minute * 60 + local.second
    return any(start <= second < end for start, end in rule.by_weekday[local.weekday()])


def check_schedule(rule: CompiledSchedule, ctx: RequestContext) -> RuleResult:
    return _OK[SCHEDULE] if in_schedule(rule, ctx.now) else SCHEDULE_DENIED
