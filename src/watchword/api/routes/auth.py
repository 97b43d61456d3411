"""/auth: the calls a customer's login flow makes (auth or admin scope)."""

from fastapi import APIRouter

from watchword.api.deps import CallerDep, EnvDep
from watchword.api.metrics import count_decision
from watchword.api.schemas import VerifyIn, VerifyOut
from watchword.services.verify import VerifyRequest, verify

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/verify", response_model=VerifyOut)
async def verify_(body: VerifyIn, env: EnvDep, caller: CallerDep) -> VerifyOut:
    outcome = await verify(
        env,
        caller,
        VerifyRequest(
            resource_id=body.resource_id,
            login=body.login,
            otp=body.otp,
            token_id=body.token_id,
            challenge_id=body.challenge_id,
            ip=body.ip,
        ),
    )
    count_decision("verify", outcome.result, outcome.reason)
    return VerifyOut(result=outcome.result, reason=outcome.reason, token_id=outcome.token_id)
