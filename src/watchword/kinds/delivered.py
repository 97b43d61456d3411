"""Delivered kinds: the server makes a one-time code per challenge and sends it.

These tokens hold no seed. The code lives (hashed) on the challenge row; the
kind only says where it goes. ``check`` never matches: services/challenge.py
compares the code with the challenge, not with the token.
"""

from typing import ClassVar

from watchword.kinds.base import NO_MATCH, CodeCheck, TokenState, register


class DeliveredKind:
    name: ClassVar[str] = ""
    has_seed: ClassVar[bool] = False
    delivered: ClassVar[bool] = True
    # The channel the code travels on (the outbox row's channel).
    channel: ClassVar[str] = ""
    # Bot kinds get their destination (chat id) by linking, the others are given one.
    bot: ClassVar[bool] = False

    def check(self, state: TokenState, secret: bytes, otp: str, unix_time: float) -> CodeCheck:
        return NO_MATCH

    def resync(
        self, state: TokenState, secret: bytes, otp1: str, otp2: str, unix_time: float
    ) -> CodeCheck:
        return NO_MATCH


class SMSKind(DeliveredKind):
    name = "sms"
    channel = "sms"


class EmailKind(DeliveredKind):
    name = "email"
    channel = "email"


class ConsoleKind(DeliveredKind):
    name = "console"
    channel = "console"


class TelegramKind(DeliveredKind):
    name = "telegram"
    channel = "telegram"
    bot = True


class ViberKind(DeliveredKind):
    name = "viber"
    channel = "viber"
    bot = True


class MessengerKind(DeliveredKind):
    name = "messenger"
    channel = "messenger"
    bot = True


DELIVERED_KINDS: dict[str, DeliveredKind] = {}
for _kind in (SMSKind(), EmailKind(), ConsoleKind(), TelegramKind(), ViberKind(), MessengerKind()):
    register(_kind)
    DELIVERED_KINDS[_kind.name] = _kind
