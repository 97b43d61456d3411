"""Hardware-token orders: the pure lifecycle of an order, from payment to activation.

No storage here: services load an order, call ``transition`` and persist the
new state with the event it raises, in one unit of work.
"""

from watchword.orders.states import (
    EVENTS,
    TERMINAL,
    TRANSITIONS,
    IllegalTransition,
    OrderAction,
    OrderState,
    Step,
    allowed_actions,
    event_for,
    step,
    transition,
)

__all__ = [
    "EVENTS",
    "TERMINAL",
    "TRANSITIONS",
    "IllegalTransition",
    "OrderAction",
    "OrderState",
    "Step",
    "allowed_actions",
    "event_for",
    "step",
    "transition",
]
