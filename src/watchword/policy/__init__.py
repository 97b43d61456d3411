"""A resource's rules: the policy document and its pure evaluation.

Country lookups (``watchword.policy.geo``) and client addresses
(``watchword.policy.network``) are imported from their modules.
"""

from watchword.policy.compiled import CompiledPolicy, compile_policy
from watchword.policy.context import RequestContext
from watchword.policy.engine import Decision, PolicyCache, evaluate
from watchword.policy.events import TokenLocked
from watchword.policy.lockout import Lock, lock_after
from watchword.policy.model import Policy

__all__ = [
    "CompiledPolicy",
    "Decision",
    "Lock",
    "Policy",
    "PolicyCache",
    "RequestContext",
    "TokenLocked",
    "compile_policy",
    "evaluate",
    "lock_after",
]
