"""The policy document of a resource (DESIGN.md, "Policy of a resource").

Every part is optional; an empty policy allows everything and keeps the
defaults (lockout after 5 failures for 900 s, OTP lifetime 300 s). Models are
frozen and refuse unknown fields, so a typo in a rule is an error, never a
silently ignored rule. Lists are stored as tuples: a validated policy is an
immutable, hashable value.
"""

import ipaddress
import re
import zoneinfo
from datetime import time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from watchword.policy.countries import COUNTRY_CODES
from watchword.policy.cwys import Cwys

TokenKindName = Literal[
    "hotp", "totp", "ocra", "sms", "email", "telegram", "viber", "messenger", "console"
]
# Where a token's seed came from: made by the server (app enrolment), pre-installed
# by a vendor and imported (hardware), or written into a programmable device.
TokenOrigin = Literal["generated", "hardware", "programmed"]
Channel = Literal["telegram", "viber", "messenger", "sms", "email", "console"]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_MAX_ITEMS = 1024  # bounds the work one verify can cost
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_DATA_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _unique(items: tuple[Any, ...]) -> tuple[Any, ...]:
    seen = set()
    for item in items:
        if item in seen:
            raise ValueError(f"{item!s} is listed twice")
        seen.add(item)
    return items


def _some(items: tuple[Any, ...]) -> tuple[Any, ...]:
    # Checked after the items, so a bad item does not also report "too short".
    if not items:
        raise ValueError("needs at least one item")
    return items


def _network(value: object) -> object:
    if isinstance(value, ipaddress.IPv4Network | ipaddress.IPv6Network):
        return _unmapped(value)
    if not isinstance(value, str):
        # pydantic would read 5 as 0.0.0.5/32: a policy names networks as text.
        raise ValueError(f"{value!r} is not an IPv4 or IPv6 network (CIDR text)")
    try:
        return _unmapped(ipaddress.ip_network(value.strip(), strict=True))
    except ValueError:
        pass
    try:
        loose = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 or IPv6 network (CIDR)") from None
    # Silently widening 10.1.2.3/8 could open far more than the admin meant.
    raise ValueError(f"{value!r} has host bits set; did you mean {loose}?")


def _unmapped(net: IPNetwork) -> IPNetwork:
    # Clients arrive unmapped (::ffff:192.0.2.1 is judged as 192.0.2.1), so a
    # network written in the mapped form must become IPv4 to ever match.
    if isinstance(net, ipaddress.IPv6Network) and net.prefixlen >= 96:
        v4 = net.network_address.ipv4_mapped
        if v4 is not None:
            return ipaddress.IPv4Network((v4, net.prefixlen - 96))
    return net


def _country(value: object) -> object:
    if isinstance(value, str):
        code = value.strip().upper()
        if code not in COUNTRY_CODES:
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return code
    return value


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Kyiv)") from None
    return value


def _hhmm(value: object) -> object:
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        # pydantic would read 800 as 00:13:20: a policy names times as text.
        raise ValueError(f"{value!r} is not a time of day HH:MM (00:00 to 23:59)")
    if value == "24:00":
        return value  # end of day; only an end may say it (checked by the window)
    match = _HHMM.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not a time of day HH:MM (00:00 to 23:59)")
    return time(int(match[1]), int(match[2]))


Network = Annotated[IPNetwork, BeforeValidator(_network)]
Country = Annotated[str, BeforeValidator(_country)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lockout(_Strict):
    max_failures: int = Field(default=5, ge=1, le=100)
    # None: locked until an admin unlocks the token.
    duration_s: int | None = Field(default=900, ge=1)


class OtpSettings(_Strict):
    digits: int = Field(default=6, ge=6, le=10)
    ttl_s: int = Field(default=300, ge=10, le=3600)


class IpRule(_Strict):
    """Networks a request's address must (allow) or must not (deny) be in.

    An empty allow list allows every address not denied. Deny wins over allow.
    """

    allow: Annotated[tuple[Network, ...], AfterValidator(_unique)] = Field(
        default=(), max_length=_MAX_ITEMS
    )
    deny: Annotated[tuple[Network, ...], AfterValidator(_unique)] = Field(
        default=(), max_length=_MAX_ITEMS
    )

    @property
    def active(self) -> bool:
        return bool(self.allow or self.deny)


class GeoRule(_Strict):
    """Countries (ISO 3166-1 alpha-2) a request may come from.

    ``unknown`` judges addresses with no country: private, reserved, loopback,
    or absent from the database.
    """

    allow: Annotated[tuple[Country, ...], AfterValidator(_unique)] = Field(
        default=(), max_length=300
    )
    deny: Annotated[tuple[Country, ...], AfterValidator(_unique)] = Field(
        default=(), max_length=300
    )
    unknown: Literal["allow", "deny"] = "allow"

    @property
    def active(self) -> bool:
        return bool(self.allow or self.deny or self.unknown == "deny")


TimeOfDay = Annotated[
    time | Literal["24:00"],
    BeforeValidator(_hhmm),
    PlainSerializer(lambda v: _text(v), return_type=str),
]


class Window(_Strict):
    """Local times on given days; [start, end) to the minute.

    end < start crosses midnight: the window belongs to the day it starts, so
    ``fri 22:00-02:00`` covers Friday 22:00 to Saturday 02:00. end "24:00"
    means the end of the day.
    """

    days: Annotated[tuple[Day, ...], AfterValidator(_unique), AfterValidator(_some)]
    start: TimeOfDay
    end: TimeOfDay

    @field_validator("start")
    @classmethod
    def _start_is_a_time(cls, value: time | str) -> time | str:
        if value == "24:00":
            raise ValueError("start must be 00:00 to 23:59; 24:00 is only an end")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> "Window":
        if self.start == self.end:
            raise ValueError(
                f"start and end are both {_text(self.start)}: an empty window; "
                "for a whole day use 00:00 to 24:00"
            )
        return self

    @property
    def start_minute(self) -> int:
        return _minute(self.start)

    @property
    def end_minute(self) -> int:
        return _minute(self.end)


def _minute(value: time | str) -> int:
    return 24 * 60 if isinstance(value, str) else value.hour * 60 + value.minute


def _text(value: time | str) -> str:
    return value if isinstance(value, str) else value.strftime("%H:%M")


class Schedule(_Strict):
    """When logins are allowed, in the resource's own time zone (wall clock)."""

    timezone: Annotated[str, AfterValidator(_timezone)] = "UTC"
    windows: Annotated[tuple[Window, ...], AfterValidator(_some)] = Field(max_length=_MAX_ITEMS)


class Delivery(_Strict):
    """Channel preference for delivered OTPs; next channel after fallback_after_s."""

    order: Annotated[tuple[Channel, ...], AfterValidator(_unique), AfterValidator(_some)] = (
        "telegram",
        "viber",
        "messenger",
        "sms",
        "email",
    )
    fallback_after_s: int = Field(default=30, ge=5, le=3600)


def _data_key(value: str) -> str:
    if not _DATA_KEY.match(value):
        raise ValueError(f"{value!r} is not a data key (1-64 of A-Z a-z 0-9 _ . -)")
    return value


class Policy(_Strict):
    allowed_kinds: Annotated[tuple[TokenKindName, ...], AfterValidator(_unique)] | None = None
    allowed_origins: Annotated[tuple[TokenOrigin, ...], AfterValidator(_unique)] | None = None
    ip: IpRule | None = None
    geo: GeoRule | None = None
    schedule: Schedule | None = None
    lockout: Lockout = Lockout()
    cwys_required: bool = False
    # Transaction data fields that CWYS signing insists on (services/sign checks them).
    required_data_keys: Annotated[
        tuple[Annotated[str, AfterValidator(_data_key)], ...], AfterValidator(_unique)
    ] = Field(default=("amount", "currency", "payee"), max_length=64)
    cwys: Cwys = Cwys()
    otp: OtpSettings = OtpSettings()
    delivery: Delivery = Delivery()
