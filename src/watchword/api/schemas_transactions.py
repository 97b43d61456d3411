"""Bodies of /transactions (CWYS signing)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from watchword.api.schemas import Body
from watchword.store.transactions import Transaction

# The values are checked by otp.cwys.validate_data (422 ``invalid_data`` naming the field).
Data = dict[str, Any]


class TransactionIn(Body):
    resource_id: str = Field(max_length=64)
    login: str = Field(min_length=1, max_length=255)
    data: Data = Field(description="flat object of strings and integers; amounts as strings")
    token_id: str | None = Field(default=None, max_length=64)
    ip: str | None = Field(default=None, max_length=64)


class TransactionCreated(BaseModel):
    transaction_id: str
    token_id: str
    kind: str
    challenge: str | None = Field(
        default=None, description="OCRA: the question the user enters into or scans with the token"
    )
    expires_at: datetime
    bound: bool = Field(description="false for HOTP/TOTP: the code does not depend on the data")
    qr_payload: str | None = Field(
        default=None, description="OCRA app tokens: what the app scans (docs/cwys.md)"
    )
    qr_svg: str | None = Field(default=None, description="qr_payload as a QR code (inline SVG)")


class TransactionVerifyIn(Body):
    # Untruncated OCRA responses are the whole HMAC in hex (up to 128 digits).
    otp: str = Field(min_length=1, max_length=160)
    data: Data
    ip: str | None = Field(default=None, max_length=64)


class TransactionVerifyOut(BaseModel):
    result: Literal["accepted", "rejected"]
    reason: str | None = None


class TransactionOut(BaseModel):
    """What an admin sees of a transaction: its state and data, never a code."""

    id: str
    resource_id: str
    login: str
    user_id: str
    token_id: str
    kind: str
    mode: str
    bound: bool
    state: Literal["pending", "accepted", "declined", "expired"]
    data: Data
    data_hash: str
    challenge: str | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    ip: str | None
    verify_ip: str | None

    @classmethod
    def of(cls, tx: Transaction, now: datetime) -> "TransactionOut":
        return cls(
            id=tx.id,
            resource_id=tx.resource_id,
            login=tx.login,
            user_id=tx.user_id,
            token_id=tx.token_id,
            kind=tx.kind,
            mode=tx.mode,
            bound=tx.bound,
            state=tx.state_at(now),  # type: ignore[arg-type]
            data=tx.data,
            data_hash=tx.data_hash.hex(),
            challenge=tx.challenge,
            created_at=tx.created_at,
            expires_at=tx.expires_at,
            decided_at=tx.decided_at,
            ip=tx.ip,
            verify_ip=tx.verify_ip,
        )
