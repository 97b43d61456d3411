"""Resource rules on the verify path: a staff resource and an end-user resource."""

from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from tests.conftest import Api, Clock
from watchword.policy.events import TokenLocked
from watchword.policy.geo import MmdbCountryLookup
from watchword.services.events import ListSink

OFFICE = "81.30.10.0/24"  # UA in the test database
STAFF_POLICY = {
    "allowed_kinds": ["hotp", "totp"],
    "allowed_origins": ["hardware", "programmed"],
    "ip": {"allow": [OFFICE, "2a01:110:1::/48"], "deny": ["81.30.10.66/32"]},
    "geo": {"allow": ["UA", "PL"], "unknown": "deny"},
    "schedule": {"timezone": "Europe/Kyiv",
                 "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "20:00"}]},
    "lockout": {"max_failures": 3, "duration_s": 600},
}
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Monday 2026-11-30 10:00 in Kyiv (UTC+2 in winter).
MONDAY_10_KYIV = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def geo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="Test-Country")
    writer.insert_network(IPSet(["81.30.0.0/16", "2a01:110::/32"]), {"country": {"iso_code": "UA"}})
    writer.insert_network(IPSet(["5.172.0.0/15"]), {"country": {"iso_code": "PL"}})
    writer.insert_network(IPSet(["91.200.0.0/16"]), {"country": {"iso_code": "RU"}})
    path = tmp_path_factory.mktemp("geo") / "country.mmdb"
    writer.to_db_file(str(path))
    return path


class World:
    def __init__(self, api: Api, staff: str, public: str, hard: str, app: str) -> None:
        self.api, self.staff, self.public, self.hard_token, self.app_token = api, staff, public, hard, app
        self.counter = 0

    async def verify(self, resource: str, ip: str | None = "81.30.10.5", token: str | None = None) -> dict:
        code = pyotp.HOTP(SEED).at(self.counter)
        body = {"resource_id": resource, "login": "olena", "otp": code, "token_id": token}
        if ip is not None:
            body["ip"] = ip
        out = (await self.api.post("/auth/verify", body)).json()
        if out["result"] == "accepted":
            self.counter += 1
        return dict(out)


@pytest.fixture
async def world(api: Api, geo_db: Path, clock: Clock) -> World:
    api.env.country_of = MmdbCountryLookup(geo_db)
    clock.now = MONDAY_10_KYIV
    staff = (await api.post("/resources", {"name": "Staff", "policy": STAFF_POLICY})).json()["id"]
    public = (await api.post("/resources", {"name": "Customers"})).json()["id"]
    uid = (await api.post("/users", {"login": "olena"})).json()["id"]
    for rid in (staff, public):
        await api.put(f"/resources/{rid}/users/{uid}")
    hard = (await api.post("/tokens", {"kind": "hotp", "user_id": uid, "secret_b32": SEED})).json()
    app = (await api.post("/tokens", {"kind": "totp", "user_id": uid})).json()
    return World(api, staff, public, hard["token"]["id"], app["token"]["id"])


async def test_staff_login_from_the_office_in_hours_is_accepted(world: World) -> None:
    assert (await world.verify(world.staff))["result"] == "accepted"


async def test_staff_refuses_an_app_token(world: World) -> None:
    assert (await world.verify(world.staff, token=world.app_token))["reason"] == "kind_denied"


async def test_staff_refuses_an_address_outside_the_office(world: World) -> None:
    assert (await world.verify(world.staff, ip="5.172.1.1"))["reason"] == "ip_denied"


async def test_deny_list_beats_allow_list(world: World) -> None:
    assert (await world.verify(world.staff, ip="81.30.10.66"))["reason"] == "ip_denied"


async def test_staff_accepts_the_office_ipv6_network(world: World) -> None:
    assert (await world.verify(world.staff, ip="2a01:110:1::7"))["result"] == "accepted"


async def test_staff_without_ip_is_ip_required(world: World) -> None:
    assert (await world.verify(world.staff, ip=None))["reason"] == "ip_required"


async def test_staff_outside_business_hours_is_schedule_denied(world: World, clock: Clock) -> None:
    clock.now = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)  # Saturday
    assert (await world.verify(world.staff))["reason"] == "schedule_denied"


async def test_country_outside_the_allow_list_is_geo_denied(world: World, api: Api) -> None:
    policy = {**STAFF_POLICY, "ip": {"allow": ["91.200.0.0/16"]}}
    await api.patch(f"/resources/{world.staff}", {"policy": policy})
    out = await world.verify(world.staff, ip="91.200.3.4")
    assert out["reason"] == "geo_denied"
    audit = (await api.get("/audit", action="auth.verify")).json()["items"][-1]
    assert audit["detail"] == {"rule": "geo", "country": "RU"}


async def test_customers_resource_allows_everything(world: World) -> None:
    assert (await world.verify(world.public, ip="91.200.3.4"))["result"] == "accepted"
    assert (await world.verify(world.public, ip=None))["result"] == "accepted"


async def test_user_outside_the_resource_is_not_member(world: World, api: Api) -> None:
    other = (await api.post("/users", {"login": "taras"})).json()["id"]
    r = await api.post("/auth/verify", {"resource_id": world.staff, "login": "taras", "otp": "123456", "ip": "81.30.10.5"})
    assert other and r.json()["reason"] == "not_member"


async def test_denial_does_not_count_as_a_failure(world: World, api: Api) -> None:
    for _ in range(5):
        await world.verify(world.staff, ip="5.172.1.1")
    assert (await api.get(f"/tokens/{world.hard_token}")).json()["fail_count"] == 0


async def test_locking_publishes_an_alert(world: World, api: Api) -> None:
    sink = ListSink()
    api.env.events = sink
    body = {"resource_id": world.staff, "login": "olena", "otp": "000000", "token_id": world.hard_token, "ip": "81.30.10.5"}
    for _ in range(3):
        await api.post("/auth/verify", body)
    assert [type(e) for e in sink.events] == [TokenLocked]
    assert sink.events[0].token_id == world.hard_token and sink.events[0].failures == 3


async def test_policy_change_is_seen_on_the_next_request(world: World, api: Api) -> None:
    assert (await world.verify(world.staff, ip="5.172.1.1"))["reason"] == "ip_denied"
    await api.patch(f"/resources/{world.staff}", {"policy": {}})
    assert (await world.verify(world.staff, ip="5.172.1.1"))["result"] == "accepted"


async def test_malformed_ip_is_422(world: World, api: Api) -> None:
    r = await api.post("/auth/verify", {"resource_id": world.staff, "login": "olena", "otp": "1", "ip": "not-an-ip"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_ip"


@pytest.mark.parametrize("policy", [
    {"ip": {"allow": ["300.1.1.0/24"]}},
    {"geo": {"allow": ["XX"]}},
    {"schedule": {"timezone": "Mars/Olympus", "windows": []}},
    {"schedule": {"timezone": "Europe/Kyiv", "windows": [{"days": ["mon"], "start": "10:00", "end": "10:00"}]}},
    {"lockout": {"max_failures": 101}},
    {"allowed_kinds": ["carrier-pigeon"]},
])
async def test_bad_policy_is_422_with_a_clear_message(api: Api, policy: dict) -> None:
    r = await api.post("/resources", {"name": "x", "policy": policy})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_policy"
    assert (await api.get("/resources")).json()["items"] == []


async def test_api_key_limited_to_a_network_refuses_other_sources(api: Api) -> None:
    from watchword.services.tenants import create_api_key

    far = await create_api_key(api.env, api.tenant_id, "admin", allowed_networks=["10.9.0.0/16"])
    near = await create_api_key(api.env, api.tenant_id, "admin", allowed_networks=["127.0.0.0/8"])
    r = await api.get("/users", key=far.secret)
    assert r.status_code == 403 and r.json()["error"]["code"] == "source_denied"
    assert (await api.get("/users", key=near.secret)).status_code == 200
