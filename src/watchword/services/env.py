"""What every use case is given: storage, keys, clock, caches. Built by bootstrap."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from watchword.policy.engine import CountryOf
from watchword.policy.model import IPNetwork
from watchword.services.events import EventSink, NullSink
from watchword.services.keycache import TTLCache
from watchword.services.policies import PolicyCache
from watchword.services.transaction_codes import NoSender, TransactionCodeSender
from watchword.store.keyring import KeyRing
from watchword.store.uow import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Env:
    db: Database
    keyring: KeyRing
    clock: Callable[[], datetime] = utc_now
    policies: PolicyCache = field(default_factory=PolicyCache)
    events: EventSink = field(default_factory=NullSink)
    # Where codes bound to a transaction go (delivery's outbox); default: nowhere.
    transaction_codes: TransactionCodeSender = field(default_factory=NoSender)
    # Resolves an address to its ISO country code (policy geo rules).
    country_of: CountryOf | None = None
    # Proxies whose X-Forwarded-For is believed for API-key source checks.
    trusted_proxies: tuple[IPNetwork, ...] = ()
    # Key hash -> (caller, source networks) for a few seconds; see keycache.py.
    api_keys: TTLCache[tuple["Caller", list[IPNetwork]]] = field(default_factory=TTLCache)


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated API key making a request."""

    tenant_id: str
    key_id: str
    scope: str
    source_ip: str | None = None
