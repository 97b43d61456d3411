"""A decision and its audit row, written as one atomic step.

On PostgreSQL (``fast``: the verify path's autocommit unit of work) the
compare-and-set UPDATE and the audit INSERT are one statement, a data-modifying CTE
(pg_fast.py): two round trips per verify instead of five. Elsewhere the two
statements run in the unit of work's transaction.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store import pg_fast
from watchword.store.audit import AuditRepository
from watchword.store.pg_fast import PgFast
from watchword.store.tokens import FailureOutcome, TokenRepository
from watchword.store.types import new_id


@dataclass
class AuditDraft:
    """The audit row of a decision, less what the decision itself settles."""

    tenant_id: str
    action: str
    actor: str | None = None
    login: str | None = None
    ip: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    # Set once a decision has written the row, so the caller does not write it again.
    written: bool = False


_AUDIT_COLUMNS = (
    "id, tenant_id, at, actor, action, target_type, target_id, login, result, reason, ip, detail"
)


class DecisionRepository:
    def __init__(
        self,
        conn: AsyncConnection,
        tokens: TokenRepository,
        audit: AuditRepository,
        fast: PgFast | None = None,
    ):
        self.conn = conn
        self.tokens = tokens
        self.audit = audit
        self.fast = fast

    async def accept(
        self, token_id: str, counter: int, drift: int, now: datetime, draft: AuditDraft
    ) -> bool:
        """Accept the code at ``counter`` and audit the outcome (accepted or replayed)."""
        if self.fast is not None:
            result = await self.fast.fetchval(
                pg_fast.ACCEPT,
                token_id,
                counter,
                drift,
                pg_fast.naive(now),
                new_id(),
                draft.tenant_id,
                draft.actor,
                draft.action,
                draft.login,
                draft.ip,
                json.dumps(draft.detail) if draft.detail else None,
            )
            draft.written = True
            return bool(result == "accepted")
        accepted = await self.tokens.accept(token_id, counter, drift, now)
        await self._write(
            draft,
            now,
            token_id,
            "accepted" if accepted else "rejected",
            None if accepted else "replayed",
            draft.detail,
        )
        return accepted

    async def fail(
        self,
        token_ids: list[str],
        max_failures: int,
        until: datetime,
        now: datetime,
        draft: AuditDraft,
        target_id: str | None,
    ) -> list[FailureOutcome]:
        """Count a failure on each token and audit it (invalid_otp, or locked if none counted)."""
        if self.fast is not None:
            fast_rows = await self.fast.fetch(
                pg_fast.FAIL,
                token_ids,
                max_failures,
                pg_fast.naive(until),
                pg_fast.naive(now),
                new_id(),
                draft.tenant_id,
                draft.actor,
                draft.action,
                target_id,
                draft.login,
                draft.ip,
                json.dumps(draft.detail),
            )
            draft.written = True
            return [_outcome(r[0], r[1], pg_fast.aware(r[2]), now) for r in fast_rows]
        outcomes = await self.tokens.record_failures(token_ids, max_failures, until, now)
        detail = (
            {**draft.detail, "fail_count": max(o.fail_count for o in outcomes)}
            if outcomes
            else draft.detail
        )
        await self._write(
            draft, now, target_id, "rejected", "invalid_otp" if outcomes else "locked", detail
        )
        return outcomes

    async def _write(
        self,
        draft: AuditDraft,
        now: datetime,
        target_id: str | None,
        result: str,
        reason: str | None,
        detail: dict[str, Any],
    ) -> None:
        await self.audit.add(
            draft.tenant_id,
            draft.action,
            now,
            actor=draft.actor,
            target_type="token",
            target_id=target_id,
            login=draft.login,
            result=result,
            reason=reason,
            ip=draft.ip,
            detail=detail or None,
        )
        draft.written = True


def _outcome(token_id: str, count: int, until: datetime | None, now: datetime) -> FailureOutcome:
    return FailureOutcome(token_id, count, until, until is not None and until > now)
