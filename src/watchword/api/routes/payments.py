"""The payment-provider webhook and the setting that holds its secret.

``hooks`` is mounted at the root (/hooks/payments/{tenant_id}): the provider
has no API key; the HMAC signature is its credential.
"""

from typing import Annotated

from fastapi import APIRouter, Header, Request

from watchword.api.deps import AdminDep, EnvDep
from watchword.api.schemas_hardware import HookOut, WebhookSecretIn, WebhookSecretOut
from watchword.services import payments

router = APIRouter(tags=["payments"])
hooks = APIRouter(tags=["payments"])


@router.put("/settings/payment-webhook", response_model=WebhookSecretOut)
async def set_secret(body: WebhookSecretIn, env: EnvDep, caller: AdminDep) -> WebhookSecretOut:
    return WebhookSecretOut(secret=await payments.set_secret(env, caller, body.secret))


@hooks.post("/hooks/payments/{tenant_id}", response_model=HookOut)
async def payment_hook(
    tenant_id: str,
    request: Request,
    env: EnvDep,
    x_watchword_timestamp: Annotated[str | None, Header()] = None,
    x_watchword_signature: Annotated[str | None, Header()] = None,
) -> HookOut:
    body = await request.body()
    result = await payments.handle(
        env, tenant_id, body, x_watchword_timestamp, x_watchword_signature
    )
    return HookOut(status=result.status, order_id=result.order_id)
