"""Builders shared by the policy tests."""

from datetime import UTC, datetime
from ipaddress import ip_address
from typing import Any

from watchword.policy.compiled import CompiledPolicy, compile_policy
from watchword.policy.context import RequestContext
from watchword.policy.model import Policy

NOON = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)  # a Wednesday


def ctx(**overrides: Any) -> RequestContext:
    fields: dict[str, Any] = {
        "tenant_id": "t1",
        "resource_id": "r1",
        "login": "alice",
        "is_member": True,
        "now": NOON,
        "token_kind": "totp",
        "token_origin": "generated",
        "ip": ip_address("198.51.100.7"),
        "country": "UA",
    }
    fields.update(overrides)
    if isinstance(fields["ip"], str):
        fields["ip"] = ip_address(fields["ip"])
    return RequestContext(**fields)


def compiled(doc: dict[str, Any]) -> CompiledPolicy:
    return compile_policy(Policy.model_validate(doc))
