"""``evaluate(policy, ctx) -> Decision``: the one call a service makes per request.

Rules run in this fixed order, and the first denial is the decision:

1. membership  -> not_member       the login is not in the resource
2. kind        -> kind_denied      token kind or origin not allowed
3. ip_present  -> ip_required      ip or geo rules, but the request has no ip
4. ip          -> ip_denied        deny networks win over allow networks
5. geo         -> geo_denied       country denied, not allowed, or unknown
6. schedule    -> schedule_denied  outside every window (resource's time zone)

Cheap, definitive facts come first; the country lookup runs only if 1-4 pass.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from watchword.policy import rules
from watchword.policy.compiled import CompiledPolicy, compile_policy
from watchword.policy.context import IPAddress, RequestContext
from watchword.policy.model import Policy

CountryOf = Callable[[IPAddress], str | None]


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str | None  # a verify reason (DESIGN.md), None when allowed
    rule: str | None  # the rule that denied, None when allowed
    country: str | None  # the country judged (for the audit), if known


def evaluate(
    policy: Policy | CompiledPolicy,
    ctx: RequestContext,
    country_of: CountryOf | None = None,
) -> Decision:
    """Judge one request. Pass a ``CompiledPolicy`` on hot paths.

    ``country_of`` (e.g. a ``geo.MmdbCountryLookup``) is called only when the
    policy has a geo rule, the context has an ip and no country yet.
    """
    compiled = policy if isinstance(policy, CompiledPolicy) else compile_policy(policy)
    result = rules.check_membership(ctx)
    if not result.allowed:
        return _deny(result, ctx)
    result = rules.check_kind(compiled, ctx)
    if not result.allowed:
        return _deny(result, ctx)
    result = rules.check_ip_present(compiled.needs_ip, ctx)
    if not result.allowed:
        return _deny(result, ctx)
    if compiled.ip is not None:
        result = rules.check_ip(compiled.ip, ctx)
        if not result.allowed:
            return _deny(result, ctx)
    country = ctx.country
    if compiled.geo is not None:
        if country is None and ctx.ip is not None and country_of is not None:
            country = country_of(ctx.ip)
        result = rules.check_country(compiled.geo, country)
        if not result.allowed:
            return Decision(False, result.reason, result.rule, country)
    if compiled.schedule is not None:
        result = rules.check_schedule(compiled.schedule, ctx)
        if not result.allowed:
            return Decision(False, result.reason, result.rule, country)
    return Decision(True, None, None, country)


def _deny(result: rules.RuleResult, ctx: RequestContext) -> Decision:
    return Decision(False, result.reason, result.rule, ctx.country)


class PolicyCache:
    """A bounded LRU of compiled policies, owned by whoever builds the service.

    Key it on something that changes with the policy, e.g. (resource id,
    version); a stale key simply ages out.
    """

    def __init__(self, max_entries: int = 4096) -> None:
        self._max = max_entries
        self._entries: OrderedDict[Hashable, CompiledPolicy] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], Policy]) -> CompiledPolicy:
        """The compiled policy for ``key``; ``make`` parses it only on a miss."""
        compiled = self._entries.get(key)
        if compiled is None:
            compiled = compile_policy(make())
            self._entries[key] = compiled
            if len(self._entries) > self._max:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return compiled

    def __len__(self) -> int:
        return len(self._entries)
