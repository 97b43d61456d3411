"""Bodies of the hardware-token API: import, activation, orders, payment webhook."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, model_validator

from watchword.api.schemas import Body
from watchword.store.hardware import Order


class SkippedOut(BaseModel):
    serial: str | None
    reason: str


class ImportOut(BaseModel):
    batch_id: str
    imported: int
    serials: list[str]
    skipped: list[SkippedOut]


class ActivateIn(Body):
    login: str = Field(min_length=1, max_length=255)
    serial: str = Field(min_length=1, max_length=64)
    otp: str = Field(min_length=1, max_length=64)


class StockOut(BaseModel):
    models: dict[str, int]


class Address(Body):
    name: str = Field(min_length=1, max_length=200)
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postcode: str = Field(min_length=1, max_length=20)
    country: str = Field(pattern=r"^[A-Z]{2}$")


class OrderIn(Body):
    login: str | None = Field(default=None, min_length=1, max_length=255)
    user_id: str | None = Field(default=None, max_length=64)
    model: str = Field(min_length=1, max_length=100)
    shipping_address: Address
    idempotency_key: str = Field(min_length=1, max_length=128)

    @model_validator(mode="after")
    def _one_user(self) -> "OrderIn":
        if (self.login is None) == (self.user_id is None):
            raise ValueError("give exactly one of login and user_id")
        return self


class ShipIn(Body):
    carrier: str = Field(min_length=1, max_length=100)
    tracking_number: str = Field(min_length=1, max_length=100)


class OrderOut(BaseModel):
    id: str
    user_id: str | None
    model: str
    state: str
    serial: str | None
    token_id: str | None
    carrier: str | None
    tracking_number: str | None
    shipping_address: dict[str, Any] | None = None
    stock: int | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(
        cls, o: Order, address: dict[str, Any] | None = None, stock: int | None = None
    ) -> "OrderOut":
        return cls(
            id=o.id,
            user_id=o.user_id,
            model=o.model,
            state=o.state,
            serial=o.serial,
            token_id=o.token_id,
            carrier=o.carrier,
            tracking_number=o.tracking_number,
            shipping_address=address,
            stock=stock,
            created_at=o.created_at,
            updated_at=o.updated_at,
        )


class WebhookSecretIn(Body):
    secret: str | None = Field(default=None, min_length=16, max_length=200)


class WebhookSecretOut(BaseModel):
    secret: str


class HookOut(BaseModel):
    status: str
    order_id: str
