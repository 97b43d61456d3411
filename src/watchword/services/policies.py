"""Per-process cache of parsed resource policies, keyed on (resource id, version).

The version column changes on every update, on whichever process made it, so a
cached entry can never be stale: no timer, no invalidation message.
"""

from typing import Any

from pydantic import ValidationError

from watchword.policy.model import Policy
from watchword.services.errors import InvalidInput


class PolicyCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[int, Policy]] = {}
        self._max = max_entries

    def get(self, resource_id: str, version: int, document: dict[str, Any]) -> Policy:
        hit = self._entries.get(resource_id)
        if hit is not None and hit[0] == version:
            return hit[1]
        policy = Policy.model_validate(document)
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[resource_id] = (version, policy)
        return policy


def parse_policy(document: dict[str, Any] | None) -> Policy:
    try:
        return Policy.model_validate(document or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"policy.{where}: {first['msg']}", "invalid_policy") from None
