"""Facts that policy decisions produce, for services to publish (no sending here)."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TokenLocked:
    """A token reached the lockout limit; PSD2 wants the user alerted."""

    token_id: str
    user_id: str | None
    resource_id: str
    locked_until: datetime | None  # None: until an admin unlocks it
    failures: int
    tenant_id: str | None = None
