"""Resources, users, membership, token administration and paging."""

from tests.api.setup import enrolled
from tests.conftest import Api


async def test_resource_round_trip(api: Api) -> None:
    r = await api.post("/resources", {"name": "Staff", "policy": {"allowed_kinds": ["hotp"]}})
    body = r.json()
    assert r.status_code == 201 and body["policy"] == {"allowed_kinds": ["hotp"]}
    assert (await api.get(f"/resources/{body['id']}")).json()["name"] == "Staff"


async def test_policy_change_bumps_version(api: Api) -> None:
    rid = (await api.post("/resources", {"name": "Staff"})).json()["id"]
    patched = (await api.patch(f"/resources/{rid}", {"policy": {"cwys_required": True}})).json()
    assert patched["version"] == 2 and patched["policy"] == {"cwys_required": True}


async def test_users_filter_by_login(api: Api) -> None:
    for login in ("alice", "bob"):
        await api.post("/users", {"login": login})
    items = (await api.get("/users", login="bob")).json()["items"]
    assert [u["login"] for u in items] == ["bob"]


async def test_lists_page_with_cursor(api: Api) -> None:
    for i in range(5):
        await api.post("/users", {"login": f"user{i}"})
    first = (await api.get("/users", limit=2)).json()
    second = (await api.get("/users", limit=2, cursor=first["next"])).json()
    third = (await api.get("/users", limit=2, cursor=second["next"])).json()
    logins = [u["login"] for page in (first, second, third) for u in page["items"]]
    assert logins == [f"user{i}" for i in range(5)] and third["next"] is None


async def test_enrolment_returns_uri_and_qr_once(api: Api) -> None:
    e = await enrolled(api)
    enrollment = e.body["enrollment"]
    assert enrollment["otpauth_uri"].startswith("otpauth://totp/Acme%20Pay:alice?")
    assert enrollment["qr_svg"].startswith("<svg")
    assert e.body["token"]["origin"] == "generated"


async def test_issuer_is_the_resource_name_when_given(api: Api) -> None:
    rid = (await api.post("/resources", {"name": "Staff VPN"})).json()["id"]
    body = (await api.post("/tokens", {"kind": "totp", "resource_id": rid})).json()
    assert "Staff%20VPN" in body["enrollment"]["otpauth_uri"]


async def test_programmable_token_keeps_the_given_seed(api: Api) -> None:
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    body = (await api.post("/tokens", {"kind": "totp", "secret_b32": secret})).json()
    assert body["token"]["origin"] == "programmed" and body["enrollment"]["secret_b32"] == secret


async def test_short_programmed_seed_is_refused(api: Api) -> None:
    assert (await api.post("/tokens", {"kind": "totp", "secret_b32": "JBSWY3DP"})).status_code == 422


async def test_assign_and_unassign(api: Api) -> None:
    uid = (await api.post("/users", {"login": "carol"})).json()["id"]
    tid = (await api.post("/tokens", {"kind": "hotp"})).json()["token"]["id"]
    assert (await api.post(f"/tokens/{tid}/assign", {"user_id": uid})).json()["user_id"] == uid
    assert (await api.get("/tokens", user_id=uid)).json()["items"][0]["id"] == tid
    assert (await api.post(f"/tokens/{tid}/unassign")).json()["user_id"] is None


async def test_assigning_a_token_held_by_another_user_is_409(api: Api) -> None:
    e = await enrolled(api)
    other = (await api.post("/users", {"login": "dave"})).json()["id"]
    assert (await api.post(f"/tokens/{e.token_id}/assign", {"user_id": other})).status_code == 409


async def test_openapi_lists_every_endpoint(api: Api) -> None:
    spec = (await api.client.get("/openapi.json")).json()
    for path in ("/api/v1/auth/verify", "/api/v1/tokens/{token_id}/resync", "/api/v1/audit",
                 "/api/v1/resources/{resource_id}/users/{user_id}"):
        assert path in spec["paths"]


async def test_healthz_answers_ok(api: Api) -> None:
    assert (await api.client.get("/healthz")).json()["status"] == "ok"
