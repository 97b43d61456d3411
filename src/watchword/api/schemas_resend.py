"""Body and answer of POST /auth/challenge/{id}/resend."""

from datetime import datetime

from pydantic import BaseModel, Field

from watchword.api.schemas import Body


class ResendIn(Body):
    next_channel: bool = Field(
        default=False,
        description="false: the channel the code went to last; true: the next one of the route",
    )


class ResendOut(BaseModel):
    challenge_id: str
    token_id: str
    kind: str
    channel: str
    sends: int
    expires_at: datetime
