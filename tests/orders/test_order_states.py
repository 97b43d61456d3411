"""The order state machine, checked pair by pair against its own table."""

import itertools

import pytest

from watchword.orders import (
    EVENTS,
    TERMINAL,
    TRANSITIONS,
    IllegalTransition,
    OrderAction,
    OrderState,
    allowed_actions,
    event_for,
    step,
    transition,
)

S, A = OrderState, OrderAction
ALL_PAIRS = list(itertools.product(OrderState, OrderAction))
LEGAL = sorted(TRANSITIONS.items())
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in TRANSITIONS]

EXPECTED = {
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


def test_table_is_the_specified_one():
    assert TRANSITIONS == EXPECTED
    assert len(ILLEGAL) == len(ALL_PAIRS) - 10


@pytest.mark.parametrize(("pair", "target"), LEGAL, ids=lambda v: str(v))
def test_legal_transition(pair, target):
    current, action = pair
    assert transition(current, action) is target
    assert transition(current.value, action.value) is target


@pytest.mark.parametrize(("current", "action"), ILLEGAL, ids=str)
def test_illegal_transition_raises(current, action):
    with pytest.raises(IllegalTransition) as caught:
        transition(current, action)
    assert (caught.value.current, caught.value.action) == (current, action)
    assert caught.value.code == "illegal_transition"


@pytest.mark.parametrize(("pair", "target"), LEGAL, ids=lambda v: str(v))
def test_each_step_raises_the_event_named_for_its_new_state(pair, target):
    current, action = pair
    result = step(current, action)
    assert result.state is target
    assert result.event == f"order.{target.value}" == event_for(action)


def test_every_action_has_an_event():
    assert set(EVENTS) == set(OrderAction)


def test_final_states_allow_nothing():
    assert TERMINAL == {S.ACTIVATED, S.CANCELLED, S.RETURNED}
    for state in TERMINAL:
        assert allowed_actions(state) == frozenset()


def test_allowed_actions_match_the_table():
    assert allowed_actions(S.PAID) == {A.PICK, A.CANCEL}
    assert allowed_actions("shipped") == {A.DELIVER, A.RETURN}


@pytest.mark.parametrize(("current", "action"), [("paid", "refund"), ("lost", "pay")])
def test_unknown_names_are_illegal_transitions(current, action):
    with pytest.raises(IllegalTransition) as caught:
        transition(current, action)
    assert (caught.value.current, caught.value.action) == (current, action)


def test_happy_path_reaches_activated():
    state = S.AWAITING_PAYMENT
    for action in (A.PAY, A.PICK, A.SHIP, A.DELIVER, A.ACTIVATE):
        state = transition(state, action)
    assert state is S.ACTIVATED
