"""POST /auth/challenge/{challenge_id}/resend: the same code once more."""

from dataclasses import asdict

from fastapi import APIRouter

from watchword.api.deps import CallerDep, EnvDep
from watchword.api.schemas_resend import ResendIn, ResendOut
from watchword.services.challenge_resend import resend_challenge

router = APIRouter(tags=["delivery"])


@router.post("/auth/challenge/{challenge_id}/resend", response_model=ResendOut)
async def resend(
    challenge_id: str, env: EnvDep, caller: CallerDep, body: ResendIn | None = None
) -> ResendOut:
    """Queue the challenge's SAME code again (never a new one). 429 ``send_limit`` after
    5 sends, 429 ``sms_rate_limited`` when only SMS is left and its limits are reached,
    409 ``challenge_closed`` / ``challenge_expired`` / ``no_channel_left``."""
    nxt = body.next_channel if body is not None else False
    return ResendOut(**asdict(await resend_challenge(env, caller, challenge_id, next_channel=nxt)))
