"""/transactions: CWYS signing (start and verify: auth or admin scope; read: admin)."""

from fastapi import APIRouter

from watchword.api.deps import AdminDep, CallerDep, EnvDep
from watchword.api.metrics import count_decision
from watchword.api.schemas_transactions import (
    TransactionCreated,
    TransactionIn,
    TransactionOut,
    TransactionVerifyIn,
    TransactionVerifyOut,
)
from watchword.services.enrol import qr_svg
from watchword.services.sign import SignRequest, verify_transaction
from watchword.services.transactions import (
    TransactionRequest,
    get_transaction,
    start_transaction,
)

router = APIRouter(prefix="/transactions", tags=["transactions"])


@router.post("", status_code=201, response_model=TransactionCreated)
async def create(body: TransactionIn, env: EnvDep, caller: CallerDep) -> TransactionCreated:
    started = await start_transaction(
        env,
        caller,
        TransactionRequest(
            resource_id=body.resource_id,
            login=body.login,
            data=body.data,
            token_id=body.token_id,
            ip=body.ip,
        ),
    )
    tx = started.transaction
    return TransactionCreated(
        transaction_id=tx.id,
        token_id=tx.token_id,
        kind=tx.kind,
        challenge=tx.challenge,
        expires_at=tx.expires_at,
        bound=tx.bound,
        qr_payload=started.qr_payload,
        qr_svg=qr_svg(started.qr_payload) if started.qr_payload else None,
    )


@router.post("/{transaction_id}/verify", response_model=TransactionVerifyOut)
async def verify(
    transaction_id: str, body: TransactionVerifyIn, env: EnvDep, caller: CallerDep
) -> TransactionVerifyOut:
    outcome = await verify_transaction(
        env, caller, transaction_id, SignRequest(otp=body.otp, data=body.data, ip=body.ip)
    )
    count_decision("transaction", outcome.result, outcome.reason)
    return TransactionVerifyOut(result=outcome.result, reason=outcome.reason)


@router.get("/{transaction_id}", response_model=TransactionOut)
async def get(transaction_id: str, env: EnvDep, caller: AdminDep) -> TransactionOut:
    return TransactionOut.of(await get_transaction(env, caller, transaction_id), env.clock())
