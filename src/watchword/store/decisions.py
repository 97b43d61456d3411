"""A decision and its audit row, written as one atomic step.

On PostgreSQL the compare-and-set UPDATE and the audit INSERT are one statement (a
data-modifying CTE), so the verify path can run in autocommit: two round trips per
verify instead of five. On SQLite the two statements run in the unit of work's
transaction, which SQLite serialises anyway.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.audit import AuditRepository
from watchword.store.tokens import FailureOutcome, TokenRepository
from watchword.store.types import JSONText, UTCDateTime, new_id


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

_PG_ACCEPT = text(
    """
WITH acc AS (
    UPDATE tokens SET counter = :next, drift = :drift, fail_count = 0, locked_until = NULL,
           last_used_at = :now
    WHERE id = :token_id AND counter <= :counter AND enabled
      AND (locked_until IS NULL OR locked_until <= :now)
    RETURNING id
)
INSERT INTO audit (id, tenant_id, at, actor, action, target_type, target_id, login,
                   result, reason, ip, detail)
SELECT :audit_id, :tenant_id, :now, :actor, :action, 'token', :token_id, :login,
       CASE WHEN EXISTS (SELECT 1 FROM acc) THEN 'accepted' ELSE 'rejected' END,
       CASE WHEN EXISTS (SELECT 1 FROM acc) THEN NULL ELSE 'replayed' END,
       :ip, :detail
RETURNING result
"""
).bindparams(bindparam("now", type_=UTCDateTime()), bindparam("detail", type_=JSONText()))

_PG_FAIL = text(
    """
WITH f AS (
    UPDATE tokens SET
        fail_count = CASE WHEN locked_until IS NOT NULL AND locked_until <= :now THEN 1
                          ELSE fail_count + 1 END,
        locked_until = CASE
            WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= :now THEN 1
                       ELSE fail_count + 1 END) >= :max_failures THEN :until
            WHEN locked_until IS NOT NULL AND locked_until <= :now THEN NULL
            ELSE locked_until END
    WHERE id = ANY(CAST(:ids AS varchar[])) AND (locked_until IS NULL OR locked_until <= :now)
    RETURNING id, fail_count, locked_until
), a AS (
    INSERT INTO audit (id, tenant_id, at, actor, action, target_type, target_id, login,
                   result, reason, ip, detail)
    SELECT :audit_id, :tenant_id, :now, :actor, :action, 'token', :target_id, :login, 'rejected',
           CASE WHEN EXISTS (SELECT 1 FROM f) THEN 'invalid_otp' ELSE 'locked' END, :ip,
           CASE WHEN EXISTS (SELECT 1 FROM f)
                THEN jsonb_set(CAST(:detail AS jsonb), '{fail_count}',
                               to_jsonb((SELECT max(fail_count) FROM f)))::text
                ELSE :detail END
)
SELECT id, fail_count, locked_until FROM f
"""
).bindparams(
    bindparam("now", type_=UTCDateTime()),
    bindparam("until", type_=UTCDateTime()),
    bindparam("detail", type_=JSONText()),
)


class DecisionRepository:
    def __init__(self, conn: AsyncConnection, tokens: TokenRepository, audit: AuditRepository):
        self.conn = conn
        self.tokens = tokens
        self.audit = audit
        self.one_statement = conn.dialect.name == "postgresql"

    async def accept(
        self, token_id: str, counter: int, drift: int, now: datetime, draft: AuditDraft
    ) -> bool:
        """Accept the code at ``counter`` and audit the outcome (accepted or replayed)."""
        if self.one_statement:
            params = {
                "token_id": token_id,
                "counter": counter,
                "next": counter + 1,
                "drift": drift,
                "now": now,
                "audit_id": new_id(),
                "tenant_id": draft.tenant_id,
                "actor": draft.actor,
                "action": draft.action,
                "login": draft.login,
                "ip": draft.ip,
                "detail": draft.detail or None,
            }
            result = (await self.conn.execute(_PG_ACCEPT, params)).scalar_one()
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
        if self.one_statement:
            params = {
                "ids": token_ids,
                "max_failures": max_failures,
                "until": until,
                "now": now,
                "audit_id": new_id(),
                "tenant_id": draft.tenant_id,
                "actor": draft.actor,
                "action": draft.action,
                "target_id": target_id,
                "login": draft.login,
                "ip": draft.ip,
                "detail": draft.detail,
            }
            rows = (await self.conn.execute(_PG_FAIL, params)).all()
            draft.written = True
            return [_outcome(r.id, r.fail_count, _aware(r.locked_until), now) for r in rows]
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


def _aware(value: datetime | None) -> datetime | None:
    from datetime import UTC

    return None if value is None else value.replace(tzinfo=UTC)


def _outcome(token_id: str, count: int, until: datetime | None, now: datetime) -> FailureOutcome:
    return FailureOutcome(token_id, count, until, until is not None and until > now)
