"""What a message costs: a flat price per channel, per country prefix for SMS (pure)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

SMS_CHANNEL = "sms"


@dataclass(frozen=True)
class PriceTable:
    """``sms`` maps E.164 prefixes without "+" ("48", "380", "1") to a price per segment;
    the longest matching prefix wins, ``sms_default`` if none does. Other channels have
    one price each in ``channels``; a channel not listed is unpriced (None)."""

    channels: Mapping[str, Decimal] = field(default_factory=dict)
    sms: Mapping[str, Decimal] = field(default_factory=dict)
    sms_default: Decimal | None = None
    currency: str = "USD"

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> "PriceTable":
        """From settings-style data with prices as strings: ``{"channels": {"telegram": "0"},
        "sms": {"48": "0.04"}, "sms_default": "0.10", "currency": "EUR"}``."""
        channels = config.get("channels") or {}
        sms = config.get("sms") or {}
        default = config.get("sms_default")
        assert isinstance(channels, Mapping) and isinstance(sms, Mapping)
        return cls(
            channels={str(k): Decimal(str(v)) for k, v in channels.items()},
            sms={str(k).lstrip("+"): Decimal(str(v)) for k, v in sms.items()},
            sms_default=Decimal(str(default)) if default is not None else None,
            currency=str(config.get("currency", "USD")),
        )

    def price(self, channel: str, destination: str, segments: int = 1) -> Decimal | None:
        if channel != SMS_CHANNEL:
            return self.channels.get(channel)
        digits = destination.strip().lstrip("+")
        for length in range(min(len(digits), 7), 0, -1):  # E.164 prefixes are short
            found = self.sms.get(digits[:length])
            if found is not None:
                return found * segments
        return self.sms_default * segments if self.sms_default is not None else None
