"""The hardware-token order state machine.

    awaiting_payment --pay--> paid --pick--> picked --ship--> shipped
        --deliver--> delivered --activate--> activated
    cancel: from awaiting_payment, paid, picked        -> cancelled
    return: from shipped, delivered                    -> returned

``activated``, ``cancelled`` and ``returned`` are final. Each step raises one
event (``order.<new state>``) so services can tell the user; the table below
is the only source of both, and the tests are generated from it.
"""

from dataclasses import dataclass
from enum import StrEnum


class OrderState(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    PICKED = "picked"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    ACTIVATED = "activated"
    CANCELLED = "cancelled"
    RETURNED = "returned"


class OrderAction(StrEnum):
    PAY = "pay"
    PICK = "pick"
    SHIP = "ship"
    DELIVER = "deliver"
    ACTIVATE = "activate"
    CANCEL = "cancel"
    RETURN = "return"


S, A = OrderState, OrderAction

TRANSITIONS: dict[tuple[OrderState, OrderAction], OrderState] = {
    (S.AWAITING_PAYMENT, A.PAY): S.PAID,
    (S.PAID, A.PICK): S.PICKED,
    (S.PICKED, A.SHIP): S.SHIPPED,
    (S.SHIPPED, A.DELIVER): S.DELIVERED,
    (S.DELIVERED, A.ACTIVATE): S.ACTIVATED,
    (S.AWAITING_PAYMENT, A.CANCEL): S.CANCELLED,
    (S.PAID, A.CANCEL): S.CANCELLED,
    (S.PICKED, A.CANCEL): S.CANCELLED,
    (S.SHIPPED, A.RETURN): S.RETURNED,
    (S.DELIVERED, A.RETURN): S.RETURNED,
}

# The event each action raises, named after the state it reaches.
EVENTS: dict[OrderAction, str] = {
    A.PAY: "order.paid",
    A.PICK: "order.picked",
    A.SHIP: "order.shipped",
    A.DELIVER: "order.delivered",
    A.ACTIVATE: "order.activated",
    A.CANCEL: "order.cancelled",
    A.RETURN: "order.returned",
}

TERMINAL: frozenset[OrderState] = frozenset(OrderState) - {s for s, _ in TRANSITIONS}


class IllegalTransition(ValueError):
    """``action`` is not allowed in state ``current``; ``code`` is for the API error body."""

    code = "illegal_transition"

    def __init__(self, current: str, action: str) -> None:
        self.current = current
        self.action = action
        super().__init__(f"cannot {action!r} an order that is {current!r}")


@dataclass(frozen=True, slots=True)
class Step:
    """The outcome of one legal transition: the new state and the event to publish."""

    state: OrderState
    event: str


def _parse(current: OrderState | str, action: OrderAction | str) -> tuple[OrderState, OrderAction]:
    try:
        return OrderState(current), OrderAction(action)
    except ValueError:
        # An unknown name (from a request or a stale row) is just another illegal pair.
        raise IllegalTransition(str(current), str(action)) from None


def transition(current: OrderState | str, action: OrderAction | str) -> OrderState:
    """The state ``action`` leads to from ``current``, or ``IllegalTransition``."""
    state, act = _parse(current, action)
    try:
        return TRANSITIONS[(state, act)]
    except KeyError:
        raise IllegalTransition(state, act) from None


def event_for(action: OrderAction | str) -> str:
    """The event name a (legal) ``action`` raises, e.g. ``order.shipped``."""
    return EVENTS[OrderAction(action)]


def step(current: OrderState | str, action: OrderAction | str) -> Step:
    """``transition`` plus its event, for services that persist both together."""
    new_state = transition(current, action)
    return Step(new_state, EVENTS[OrderAction(action)])


def allowed_actions(current: OrderState | str) -> frozenset[OrderAction]:
    """What may be done next from ``current`` (empty for a final state)."""
    state = OrderState(current)
    return frozenset(act for s, act in TRANSITIONS if s == state)
