"""Request and response bodies of the public API v1 (names from DESIGN.md)."""

from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from watchword.store.records import AuditEntry, Resource, Token, User

T = TypeVar("T")
TokenKindName = Literal[
    "hotp", "totp", "ocra", "sms", "email", "telegram", "viber", "messenger", "console"
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResourceIn(Body):
    name: str = Field(min_length=1, max_length=200)
    policy: dict[str, Any] | None = None


class ResourcePatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    policy: dict[str, Any] | None = None


class ResourceOut(BaseModel):
    id: str
    name: str
    policy: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, r: Resource) -> "ResourceOut":
        return cls(
            id=r.id,
            name=r.name,
            policy=r.policy,
            version=r.version,
            created_at=r.created_at,
            updated_at=r.updated_at,
        )


Login = Annotated[str, Field(min_length=1, max_length=255)]
DisplayName = Annotated[str, Field(max_length=255)]
Email = Annotated[str, Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
Phone = Annotated[str, Field(pattern=r"^\+[1-9][0-9]{6,14}$", description="E.164")]
Locale = Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]


class UserIn(Body):
    login: Login
    display_name: DisplayName | None = None
    email: Email | None = None
    phone: Phone | None = None
    locale: Locale | None = None


class UserPatch(Body):
    login: Login | None = None
    display_name: DisplayName | None = None
    email: Email | None = None
    phone: Phone | None = None
    locale: Locale | None = None


class UserOut(BaseModel):
    id: str
    login: str
    display_name: str | None
    email: str | None
    phone: str | None
    locale: str | None
    created_at: datetime

    @classmethod
    def of(cls, u: User) -> "UserOut":
        return cls(
            id=u.id,
            login=u.login,
            display_name=u.display_name,
            email=u.email,
            phone=u.phone,
            locale=u.locale,
            created_at=u.created_at,
        )


class TokenIn(Body):
    kind: TokenKindName
    user_id: str | None = None
    label: str | None = Field(default=None, max_length=200)
    digits: int = 6
    period: int = 30
    algorithm: Literal["SHA1", "SHA256", "SHA512"] = "SHA1"
    ocra_suite: str | None = Field(default=None, max_length=64)
    ocra_pin: str | None = Field(default=None, max_length=16, description="for OCRA suites with P")
    destination: str | None = Field(default=None, max_length=320)
    secret_b32: str | None = Field(
        default=None, max_length=256, description="for programmable tokens: the seed to burn"
    )
    resource_id: str | None = Field(
        default=None, description="resource whose name is the issuer in the otpauth URI"
    )


class TokenPatch(Body):
    label: str | None = Field(default=None, max_length=200)
    enabled: bool | None = None


class TokenOut(BaseModel):
    id: str
    kind: str
    serial: str
    label: str | None
    user_id: str | None
    origin: str
    enabled: bool
    digits: int
    algorithm: str
    period: int | None
    ocra_suite: str | None
    destination: str | None
    fail_count: int
    locked_until: datetime | None
    batch_id: str | None
    model: str | None
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, t: Token) -> "TokenOut":
        return cls(
            id=t.id,
            kind=t.kind,
            serial=t.serial,
            label=t.label,
            user_id=t.user_id,
            origin=t.origin,
            enabled=t.enabled,
            digits=t.digits,
            algorithm=t.algorithm,
            period=t.period if t.kind == "totp" else None,
            ocra_suite=t.ocra_suite,
            destination=t.destination,
            fail_count=t.fail_count,
            locked_until=t.locked_until,
            batch_id=t.batch_id,
            model=t.model,
            created_at=t.created_at,
            last_used_at=t.last_used_at,
        )


class EnrollmentOut(BaseModel):
    secret_b32: str
    otpauth_uri: str
    qr_svg: str


class TokenCreated(BaseModel):
    token: TokenOut
    enrollment: EnrollmentOut | None = None


class AssignIn(Body):
    user_id: str


class ResyncIn(Body):
    otp1: str = Field(min_length=4, max_length=10)
    otp2: str = Field(min_length=4, max_length=10)


class VerifyIn(Body):
    resource_id: str = Field(max_length=64)
    login: str = Field(min_length=1, max_length=255)
    otp: str = Field(min_length=1, max_length=64)
    token_id: str | None = Field(default=None, max_length=64)
    challenge_id: str | None = Field(default=None, max_length=64)
    ip: str | None = Field(default=None, max_length=64)


class VerifyOut(BaseModel):
    result: Literal["accepted", "rejected"]
    reason: str | None = None
    token_id: str | None = None


class AuditOut(BaseModel):
    id: str
    at: datetime
    actor: str | None
    action: str
    target_type: str | None
    target_id: str | None
    login: str | None
    result: str | None
    reason: str | None
    ip: str | None
    detail: dict[str, Any] | None

    @classmethod
    def of(cls, a: AuditEntry) -> "AuditOut":
        return cls(
            id=a.id,
            at=a.at,
            actor=a.actor,
            action=a.action,
            target_type=a.target_type,
            target_id=a.target_id,
            login=a.login,
            result=a.result,
            reason=a.reason,
            ip=a.ip,
            detail=a.detail,
        )


class ListOut(BaseModel, Generic[T]):
    items: list[T]
    next: str | None
