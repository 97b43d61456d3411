"""The policy document: defaults, normalisation, and clear validation errors."""

from datetime import time
from ipaddress import IPv4Network, IPv6Network
from typing import Any

import pytest
from pydantic import ValidationError

from watchword.policy.model import IpRule, Policy, Window

DESIGN_EXAMPLE: dict[str, Any] = {
    "allowed_kinds": ["hotp", "totp"],
    "ip": {"allow": ["198.51.100.0/24"], "deny": []},
    "geo": {"allow": ["UA", "PL"], "deny": [], "unknown": "deny"},
    "schedule": {
        "timezone": "Europe/Kyiv",
        "windows": [
            {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "20:00"}
        ],
    },
    "lockout": {"max_failures": 5, "duration_s": 900},
    "cwys_required": False,
    "otp": {"digits": 6, "ttl_s": 300},
    "delivery": {"order": ["telegram", "viber", "messenger", "sms"], "fallback_after_s": 30},
}


def error_text(doc: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        Policy.model_validate(doc)
    return str(caught.value)


def test_empty_policy_allows_everything_with_psd2_defaults() -> None:
    policy = Policy()
    assert policy.allowed_kinds is None
    assert policy.allowed_origins is None
    assert policy.ip is None and policy.geo is None and policy.schedule is None
    assert (policy.lockout.max_failures, policy.lockout.duration_s) == (5, 900)
    assert (policy.otp.digits, policy.otp.ttl_s) == (6, 300)
    assert policy.cwys_required is False
    assert policy.required_data_keys == ("amount", "currency", "payee")


def test_design_example_is_valid_and_survives_a_json_round_trip() -> None:
    policy = Policy.model_validate(DESIGN_EXAMPLE)
    again = Policy.model_validate(policy.model_dump(mode="json"))
    assert again == policy
    assert policy.model_dump(mode="json")["schedule"]["windows"][0]["start"] == "08:00"


def test_policy_is_frozen_and_hashable() -> None:
    policy = Policy.model_validate(DESIGN_EXAMPLE)
    with pytest.raises(ValidationError):
        policy.cwys_required = True
    assert hash(policy) == hash(Policy.model_validate(DESIGN_EXAMPLE))


def test_networks_are_stored_normalised_for_both_ip_versions() -> None:
    policy = Policy.model_validate({"ip": {"allow": ["2001:DB8:0::/32", "192.0.2.5"]}})
    assert policy.ip is not None
    assert policy.ip.allow == (IPv6Network("2001:db8::/32"), IPv4Network("192.0.2.5/32"))
    assert policy.model_dump(mode="json")["ip"]["allow"] == ["2001:db8::/32", "192.0.2.5/32"]


def test_ipv4_mapped_network_is_stored_as_ipv4() -> None:
    policy = Policy.model_validate({"ip": {"deny": ["::ffff:203.0.113.0/120"]}})
    assert policy.ip is not None and policy.ip.deny == (IPv4Network("203.0.113.0/24"),)


def test_hardware_tokens_only_is_expressible() -> None:
    policy = Policy.model_validate({"allowed_origins": ["hardware"]})
    assert policy.allowed_origins == ("hardware",)


def test_country_codes_are_upper_cased() -> None:
    policy = Policy.model_validate({"geo": {"allow": ["ua", " pl "]}})
    assert policy.geo is not None and policy.geo.allow == ("UA", "PL")


def test_window_may_end_at_24_00() -> None:
    doc = {"schedule": {"windows": [{"days": ["sun"], "start": "00:00", "end": "24:00"}]}}
    assert Policy.model_validate(doc).schedule is not None


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"ip": {"allow": ["198.51.100.0/33"]}}, "is not an IPv4 or IPv6 network"),
        ({"ip": {"deny": ["office"]}}, "is not an IPv4 or IPv6 network"),
        ({"ip": {"allow": ["10.1.2.3/8"]}}, "host bits set; did you mean 10.0.0.0/8?"),
        ({"ip": {"allow": ["10.0.0.0/8", "10.0.0.0/8"]}}, "listed twice"),
        ({"geo": {"allow": ["ZZ"]}}, "not an ISO 3166-1 alpha-2 country code"),
        ({"geo": {"deny": ["UKR"]}}, "not an ISO 3166-1 alpha-2 country code"),
        ({"geo": {"unknown": "maybe"}}, "'allow' or 'deny'"),
        (
            {"schedule": {"timezone": "Europe/Kiev2", "windows": []}},
            "is not an IANA time zone",
        ),
        (
            {"schedule": {"windows": [{"days": ["mon"], "start": "09:00", "end": "09:00"}]}},
            "start and end are both 09:00",
        ),
        (
            {"schedule": {"windows": [{"days": ["mun"], "start": "09:00", "end": "10:00"}]}},
            "Input should be 'mon', 'tue'",
        ),
        (
            {"schedule": {"windows": [{"days": [], "start": "09:00", "end": "10:00"}]}},
            "needs at least one item",
        ),
        (
            {"schedule": {"windows": [{"days": ["mon"], "start": "9:00", "end": "10:00"}]}},
            "is not a time of day HH:MM",
        ),
        (
            {"schedule": {"windows": [{"days": ["mon"], "start": "24:00", "end": "10:00"}]}},
            "24:00 is only an end",
        ),
        ({"schedule": {"windows": []}}, "needs at least one item"),
        ({"lockout": {"max_failures": 0}}, "greater than or equal to 1"),
        ({"lockout": {"max_failures": 101}}, "less than or equal to 100"),
        ({"allowed_kinds": ["yubikey"]}, "Input should be 'hotp', 'totp'"),
        ({"allowed_origins": ["stolen"]}, "'generated', 'hardware' or 'programmed'"),
        ({"delivery": {"order": ["pigeon"]}}, "Input should be 'telegram'"),
        ({"required_data_keys": ["amount", "bad key"]}, "is not a data key"),
        ({"ipp": {"allow": []}}, "Extra inputs are not permitted"),
        ({"ip": {"allow": [], "alow": []}}, "Extra inputs are not permitted"),
    ],
)
def test_bad_policy_is_refused_with_a_clear_message(doc: dict[str, Any], message: str) -> None:
    assert message in error_text(doc)


def test_a_bad_item_reports_one_error_not_also_too_short() -> None:
    text = error_text(
        {"schedule": {"windows": [{"days": ["mun"], "start": "08:00", "end": "09:00"}]}}
    )
    assert text.startswith("1 validation error")


@pytest.mark.parametrize(
    "doc",
    [
        {"ip": {"allow": [5]}},
        {"geo": {"allow": [5]}},
        {"schedule": {"windows": [{"days": ["mon"], "start": 800, "end": "09:00"}]}},
        {"schedule": {"timezone": "../../etc/passwd", "windows": []}},
    ],
)
def test_wrong_types_are_refused(doc: dict[str, Any]) -> None:
    error_text(doc)


def test_models_built_in_python_take_native_values() -> None:
    window = Window(days=("mon",), start=time(8, 0), end="24:00")
    rule = IpRule(allow=(IPv6Network("::ffff:192.0.2.0/120"),))
    assert (window.start_minute, window.end_minute) == (480, 1440)
    assert rule.allow == (IPv4Network("192.0.2.0/24"),)
