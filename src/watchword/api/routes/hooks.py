"""/hooks: the bots' webhooks (no API key: the platform signs the raw body)."""

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from watchword.api.deps import EnvDep
from watchword.services import linking, receipts

router = APIRouter(prefix="/hooks", tags=["webhooks"])


async def _hook(request: Request, env: EnvDep, tenant_id: str, channel: str) -> dict[str, int]:
    raw = await request.body()
    changed = await linking.handle_webhook(env, tenant_id, channel, raw, request.headers)
    return {"applied": changed}


@router.post("/telegram/{tenant_id}")
async def telegram(request: Request, env: EnvDep, tenant_id: str) -> dict[str, int]:
    return await _hook(request, env, tenant_id, "telegram")


@router.post("/viber/{tenant_id}")
async def viber(request: Request, env: EnvDep, tenant_id: str) -> dict[str, int]:
    return await _hook(request, env, tenant_id, "viber")


@router.post("/messenger/{tenant_id}")
async def messenger(request: Request, env: EnvDep, tenant_id: str) -> dict[str, int]:
    return await _hook(request, env, tenant_id, "messenger")


@router.get("/messenger/{tenant_id}", response_class=PlainTextResponse)
async def messenger_handshake(request: Request, env: EnvDep, tenant_id: str) -> str:
    return await linking.handshake(env, tenant_id, dict(request.query_params))


@router.post("/twilio/{tenant_id}")
async def twilio_status(request: Request, env: EnvDep, tenant_id: str) -> dict[str, int]:
    """Twilio's SMS status callback (form-encoded, X-Twilio-Signature)."""
    form = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    signature = request.headers.get("x-twilio-signature")
    return {"applied": await receipts.twilio_status(env, tenant_id, form, signature)}
