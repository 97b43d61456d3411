"""Bodies and answers of the delivery endpoints (challenge, channels, reports)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from watchword.api.schemas import Body


class ChallengeIn(Body):
    resource_id: str = Field(max_length=64)
    login: str = Field(min_length=1, max_length=255)
    token_id: str | None = Field(default=None, max_length=64)
    ip: str | None = Field(default=None, max_length=64)


class ChallengeOut(BaseModel):
    challenge_id: str
    token_id: str
    kind: str
    expires_at: datetime
    challenge: str | None = None  # OCRA tokens: the question to answer


class ChannelIn(Body):
    settings: dict[str, Any] = Field(
        default_factory=dict,
        description="api_base_url, price, sms_prices {prefix: price}, currency, sender fields",
    )
    credentials: dict[str, str] = Field(
        default_factory=dict, description="stored encrypted; never shown again"
    )


class ChannelOut(BaseModel):
    channel: str
    settings: dict[str, Any]
    credentials_set: list[str]
    updated_at: datetime | None


class ConsoleMessageOut(BaseModel):
    id: str
    at: datetime
    destination: str
    text: str
    state: str


class ChannelUsageOut(BaseModel):
    channel: str
    messages: int
    by_state: dict[str, int]
    cost: Decimal


class DeliveryReportOut(BaseModel):
    from_: datetime = Field(serialization_alias="from")
    to: datetime
    currency: str
    channels: list[ChannelUsageOut]
    total_cost: Decimal
    all_sms_cost: Decimal
    unpriced: int


class LinkIn(Body):
    channel: str = Field(max_length=16)


class LinkOut(BaseModel):
    channel: str
    code: str
    url: str
    qr_svg: str
    expires_at: datetime
