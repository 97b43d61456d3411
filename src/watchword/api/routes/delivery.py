"""Delivered codes: /auth/challenge, /channels, /console/messages, /reports/delivery."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from watchword.api.deps import AdminDep, CallerDep, EnvDep
from watchword.api.metrics import count_decision
from watchword.api.schemas import ListOut
from watchword.api.schemas_delivery import (
    ChallengeIn,
    ChallengeOut,
    ChannelIn,
    ChannelOut,
    ChannelUsageOut,
    ConsoleMessageOut,
    DeliveryReportOut,
    LinkIn,
    LinkOut,
)
from watchword.services import channels, linking
from watchword.services.challenge import ChallengeRequest, issue_challenge
from watchword.services.errors import InvalidInput

router = APIRouter(tags=["delivery"])


@router.post("/auth/challenge", response_model=ChallengeOut)
async def challenge(body: ChallengeIn, env: EnvDep, caller: CallerDep) -> ChallengeOut:
    """Send a fresh code. Refusals are 403 with the reason as error code
    (unknown_user, ip_denied, locked, no_token, ...)."""
    issued = await issue_challenge(
        env, caller, ChallengeRequest(body.resource_id, body.login, body.token_id, body.ip)
    )
    count_decision("challenge", "issued", issued.kind)
    return ChallengeOut(**asdict(issued))


@router.put("/channels/{channel}", response_model=ChannelOut)
async def put_channel(channel: str, body: ChannelIn, env: EnvDep, caller: AdminDep) -> ChannelOut:
    view = await channels.put_channel(env, caller, channel, body.settings, body.credentials)
    return ChannelOut(**asdict(view))


@router.get("/channels", response_model=list[ChannelOut])
async def list_channels(env: EnvDep, caller: AdminDep) -> list[ChannelOut]:
    return [ChannelOut(**asdict(v)) for v in await channels.list_channels(env, caller)]


@router.get("/console/messages", response_model=ListOut[ConsoleMessageOut])
async def console_messages(
    env: EnvDep, caller: AdminDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> ListOut[ConsoleMessageOut]:
    """The newest console messages first (one page: the console is for trying things out)."""
    found = await channels.console_messages(env, caller, limit)
    return ListOut[ConsoleMessageOut](
        items=[ConsoleMessageOut(**asdict(m)) for m in found], next=None
    )


@router.get("/reports/delivery", response_model=DeliveryReportOut, response_model_by_alias=True)
async def delivery_report(
    env: EnvDep,
    caller: AdminDep,
    from_: Annotated[datetime, Query(alias="from")],
    to: Annotated[datetime, Query()],
) -> DeliveryReportOut:
    if from_.tzinfo is None or to.tzinfo is None:
        raise InvalidInput("'from' and 'to' need a time zone (e.g. 2026-01-01T00:00:00Z)")
    r = await channels.delivery_report(env, caller, from_, to)
    return DeliveryReportOut(
        from_=r.start,
        to=r.end,
        currency=r.currency,
        channels=[ChannelUsageOut(**asdict(c)) for c in r.channels],
        total_cost=r.total_cost,
        all_sms_cost=r.all_sms_cost,
        unpriced=r.unpriced,
    )


@router.post("/users/{user_id}/links", status_code=201, response_model=LinkOut)
async def create_link(user_id: str, body: LinkIn, env: EnvDep, caller: AdminDep) -> LinkOut:
    """A one-time deep link (and QR) that binds the chat that opens it to this user."""
    return LinkOut(**asdict(await linking.create_link(env, caller, user_id, body.channel)))
