"""Per-process cache of compiled resource policies, keyed on (resource id, version).

The version column changes on every update, on whichever process made it, so a
cached entry can never be stale: no timer, no invalidation message.
"""

import json
from typing import Any

from pydantic import ValidationError

from watchword.policy.compiled import CompiledPolicy
from watchword.policy.engine import PolicyCache as _LRU
from watchword.policy.model import Policy
from watchword.services.errors import InvalidInput


class PolicyCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self._lru = _LRU(max_entries)

    def get(self, resource_id: str, version: int, document: dict[str, Any] | str) -> CompiledPolicy:
        """The compiled policy; ``document`` (a dict or its JSON text) is parsed on a miss."""

        def parse() -> Policy:
            doc = json.loads(document) if isinstance(document, str) else document
            return Policy.model_validate(doc)

        return self._lru.get((resource_id, version), parse)


def parse_policy(document: dict[str, Any] | None) -> Policy:
    try:
        return Policy.model_validate(document or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"policy.{where}: {first['msg']}", "invalid_policy") from None
