"""Hardware inventory: import a vendor seed file as unassigned tokens; stock counts.

One import is one batch and one transaction: either every importable record
becomes a token (seed re-sealed under our key ring) or nothing does. A serial
the tenant already has is skipped, never overwritten.
"""

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError

from watchword.seedfile import FileRejected, ParsedBatch, SeedRecord, Skipped, parse_seed_file
from watchword.services.env import Caller, Env
from watchword.services.errors import Conflict, InvalidInput, TooLarge
from watchword.services.seeds import seal_seed
from watchword.store.types import new_id

# Uploads up to this size are parsed (the API's body limit for the route is a bit larger).
MAX_FILE_BYTES = 20 * 1024 * 1024
# RFC 4226 section 4 (R6): shared secrets of at least 128 bits. Shorter vendor
# seeds (RFC 6030 figure 2 carries 32 bits) are skipped, not imported.
MIN_SECRET_BYTES = 16
# tokens.serial is String(64).
MAX_SERIAL = 64


@dataclass(frozen=True)
class ImportRequest:
    data: bytes
    filename: str | None = None
    key_hex: str | None = None
    password: str | None = None
    vendor: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class ImportResult:
    batch_id: str
    serials: list[str]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return len(self.serials)


def rejected(exc: FileRejected) -> InvalidInput | TooLarge:
    """The service error a refused file becomes: its code is the parser's code."""
    message = str(exc)
    if exc.code == "too_large":
        return TooLarge(message, exc.code)
    return InvalidInput(message, exc.code)


async def parse_upload(req: ImportRequest, max_bytes: int = MAX_FILE_BYTES) -> ParsedBatch:
    """Parse off the event loop: PBKDF2 and XML parsing are CPU-bound."""
    try:
        return await asyncio.to_thread(
            parse_seed_file,
            req.data,
            req.filename,
            key_hex=req.key_hex,
            password=req.password,
            max_bytes=max_bytes,
        )
    except FileRejected as exc:
        raise rejected(exc) from None


def usable(record: SeedRecord) -> str | None:
    """Why a parsed record is still refused, or None."""
    if len(record.secret) < MIN_SECRET_BYTES:
        return "secret_too_short"
    if len(record.serial) > MAX_SERIAL:
        return "serial_too_long"
    return None


async def import_tokens(env: Env, caller: Caller, req: ImportRequest) -> ImportResult:
    parsed = await parse_upload(req)
    now = env.clock()
    batch_id = new_id()
    skipped = list(parsed.skipped)
    async with env.db.uow() as uow:
        taken = await uow.batches.existing_serials(caller.tenant_id, parsed.serials)
        rows: list[dict[str, Any]] = []
        for record in parsed.records:
            reason = "serial_exists" if record.serial in taken else usable(record)
            if reason is not None:
                skipped.append(Skipped(record.serial, reason))
                continue
            rows.append(token_row(env, caller.tenant_id, batch_id, record, req.model, now))
        await uow.batches.add(
            id=batch_id,
            tenant_id=caller.tenant_id,
            vendor=req.vendor or parsed.vendor,
            model=req.model or parsed.model,
            filename=(req.filename or "")[:255] or None,
            count=len(rows),
            created_at=now,
        )
        try:
            await uow.batches.add_tokens(rows)
        except IntegrityError:
            # A concurrent import added one of these serials after we looked.
            raise Conflict(
                "a serial of this file was imported meanwhile", "serial_exists"
            ) from None
        await uow.audit.add(
            caller.tenant_id,
            "token.import",
            now,
            actor=caller.key_id,
            target_type="batch",
            target_id=batch_id,
            detail={"imported": len(rows), "skipped": len(skipped), "filename": req.filename},
        )
    return ImportResult(batch_id, [r["serial"] for r in rows], skipped)


def token_row(
    env: Env, tenant_id: str, batch_id: str, record: SeedRecord, model: str | None, now: Any
) -> dict[str, Any]:
    token_id = new_id()
    sealed = seal_seed(env.keyring, token_id, record.secret)
    return dict(
        id=token_id,
        tenant_id=tenant_id,
        user_id=None,
        kind=record.kind,
        serial=record.serial,
        label=None,
        origin="hardware",
        enabled=True,
        digits=record.digits,
        algorithm=record.algorithm,
        period=record.period or 30,
        ocra_suite=record.ocra_suite,
        destination=None,
        counter=record.counter,
        drift=0,
        fail_count=0,
        locked_until=None,
        secret=sealed.blob,
        secret_key_id=sealed.key_id,
        batch_id=batch_id,
        model=model or record.model,
        created_at=now,
        last_used_at=None,
    )


async def stock(env: Env, caller: Caller) -> dict[str, int]:
    async with env.db.uow() as uow:
        return await uow.batches.stock(caller.tenant_id)
