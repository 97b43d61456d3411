"""/tokens: enrolment and administration."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from watchword.api.deps import AdminDep, EnvDep
from watchword.api.routes.paging import Cursor, Limit
from watchword.api.schemas import (
    AssignIn,
    EnrollmentOut,
    ListOut,
    ResyncIn,
    TokenCreated,
    TokenIn,
    TokenOut,
    TokenPatch,
)
from watchword.kinds import DELIVERED_KINDS
from watchword.services import tokens
from watchword.services.delivered_enrol import enrol_delivered_token
from watchword.services.enrol import TokenRequest, enrol_seed_token
from watchword.services.enrol_ocra import DEFAULT_SUITE, OCRATokenRequest, enrol_ocra_token
from watchword.services.errors import InvalidInput

router = APIRouter(prefix="/tokens", tags=["tokens"])


@router.post("", status_code=201, response_model=TokenCreated)
async def create(body: TokenIn, env: EnvDep, caller: AdminDep) -> TokenCreated:
    if body.kind == "ocra":
        token, enrollment = await enrol_ocra_token(env, caller, ocra_request(body))
        return TokenCreated(
            token=TokenOut.of(token),
            enrollment=EnrollmentOut(
                secret_b32=enrollment.secret_b32,
                otpauth_uri=enrollment.otpauth_uri,
                qr_svg=enrollment.qr_svg,
            ),
        )
    if body.kind in DELIVERED_KINDS:
        token = await enrol_delivered_token(
            env, caller, body.kind, body.user_id, body.destination, body.label
        )
        return TokenCreated(token=TokenOut.of(token))
    if body.kind not in ("hotp", "totp"):
        raise InvalidInput(
            f"kind {body.kind!r} is not available on this server", "unsupported_kind"
        )
    req = TokenRequest(
        kind=body.kind,
        user_id=body.user_id,
        label=body.label,
        digits=body.digits,
        period=body.period,
        algorithm=body.algorithm,
        secret_b32=body.secret_b32,
        resource_id=body.resource_id,
    )
    token, enrollment = await enrol_seed_token(env, caller, req)
    return TokenCreated(
        token=TokenOut.of(token),
        enrollment=EnrollmentOut(
            secret_b32=enrollment.secret_b32,
            otpauth_uri=enrollment.otpauth_uri,
            qr_svg=enrollment.qr_svg,
        ),
    )


def ocra_request(body: TokenIn) -> OCRATokenRequest:
    return OCRATokenRequest(
        suite=body.ocra_suite or DEFAULT_SUITE,
        user_id=body.user_id,
        label=body.label,
        secret_b32=body.secret_b32,
        pin=body.ocra_pin,
        resource_id=body.resource_id,
    )


@router.get("", response_model=ListOut[TokenOut])
async def list_(
    env: EnvDep,
    caller: AdminDep,
    user_id: Annotated[str | None, Query(max_length=64)] = None,
    serial: Annotated[str | None, Query(max_length=64)] = None,
    kind: Annotated[str | None, Query(max_length=16)] = None,
    assigned: bool | None = None,
    batch_id: Annotated[str | None, Query(max_length=64)] = None,
    model: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> ListOut[TokenOut]:
    page = await tokens.list_tokens(
        env,
        caller,
        limit,
        cursor,
        user_id=user_id,
        serial=serial,
        kind=kind,
        assigned=assigned,
        batch_id=batch_id,
        model=model,
    )
    return ListOut[TokenOut](items=[TokenOut.of(t) for t in page.items], next=page.next)


@router.get("/{token_id}", response_model=TokenOut)
async def get(token_id: str, env: EnvDep, caller: AdminDep) -> TokenOut:
    return TokenOut.of(await tokens.get_token(env, caller, token_id))


@router.patch("/{token_id}", response_model=TokenOut)
async def patch(token_id: str, body: TokenPatch, env: EnvDep, caller: AdminDep) -> TokenOut:
    changes = body.model_dump(exclude_unset=True)
    return TokenOut.of(await tokens.update_token(env, caller, token_id, changes))


@router.delete("/{token_id}", status_code=204)
async def delete(token_id: str, env: EnvDep, caller: AdminDep) -> Response:
    await tokens.delete_token(env, caller, token_id)
    return Response(status_code=204)


@router.post("/{token_id}/assign", response_model=TokenOut)
async def assign(token_id: str, body: AssignIn, env: EnvDep, caller: AdminDep) -> TokenOut:
    return TokenOut.of(await tokens.assign(env, caller, token_id, body.user_id))


@router.post("/{token_id}/unassign", response_model=TokenOut)
async def unassign(token_id: str, env: EnvDep, caller: AdminDep) -> TokenOut:
    return TokenOut.of(await tokens.unassign(env, caller, token_id))


@router.post("/{token_id}/resync", response_model=TokenOut)
async def resync(token_id: str, body: ResyncIn, env: EnvDep, caller: AdminDep) -> TokenOut:
    return TokenOut.of(await tokens.resync(env, caller, token_id, body.otp1, body.otp2))


@router.post("/{token_id}/unlock", response_model=TokenOut)
async def unlock(token_id: str, env: EnvDep, caller: AdminDep) -> TokenOut:
    return TokenOut.of(await tokens.unlock(env, caller, token_id))
