"""The policy document of a resource (DESIGN.md, "Policy of a resource").

Every part is optional; an empty policy allows everything and keeps the
defaults (lockout after 5 failures for 900 s, OTP lifetime 300 s).
"""

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lockout(_Strict):
    max_failures: int = Field(default=5, ge=1, le=100)
    # None: locked until an admin unlocks the token.
    duration_s: int | None = Field(default=900, ge=1)


class OtpSettings(_Strict):
    digits: int = Field(default=6, ge=6, le=10)
    ttl_s: int = Field(default=300, ge=10, le=3600)


class Policy(_Strict):
    allowed_kinds: list[str] | None = None
    lockout: Lockout = Lockout()
    cwys_required: bool = False
    otp: OtpSettings = OtpSettings()
