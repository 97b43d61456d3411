"""What the policy judges: one request, as a frozen value passed explicitly."""

from dataclasses import dataclass
from datetime import datetime
from ipaddress import IPv4Address, IPv6Address
from typing import Literal

Action = Literal["verify", "challenge", "transaction"]
IPAddress = IPv4Address | IPv6Address


@dataclass(frozen=True, slots=True)
class RequestContext:
    """One authentication request as the service sees it.

    ``token_kind``/``token_origin`` are None while no token is chosen yet; the
    kind rule then passes, and the service picks only tokens that
    ``CompiledPolicy.token_allowed`` accepts. ``country`` may be left None for
    ``evaluate`` to look up through its ``country_of`` argument.
    """

    tenant_id: str
    resource_id: str
    login: str
    is_member: bool
    now: datetime
    action: Action = "verify"
    token_kind: str | None = None
    token_origin: str | None = None
    ip: IPAddress | None = None
    country: str | None = None

    def __post_init__(self) -> None:
        # A naive time would be read as the server's local time: refuse it.
        if self.now.utcoffset() is None:
            raise ValueError("RequestContext.now must be timezone-aware")
        if isinstance(self.ip, IPv6Address) and self.ip.ipv4_mapped is not None:
            object.__setattr__(self, "ip", self.ip.ipv4_mapped)
