"""A key of tenant B sees nothing of tenant A: every id answers 404."""

import pytest

from tests.api.setup import enrolled
from tests.conftest import Api


@pytest.fixture
async def a_world(api: Api):  # type: ignore[no-untyped-def]
    return await enrolled(api)


CALLS = [
    ("get", "/resources/{rid}", None),
    ("patch", "/resources/{rid}", {"name": "stolen"}),
    ("delete", "/resources/{rid}", None),
    ("put", "/resources/{rid}/users/{uid}", None),
    ("get", "/users/{uid}", None),
    ("patch", "/users/{uid}", {"display_name": "x"}),
    ("delete", "/users/{uid}", None),
    ("get", "/tokens/{tid}", None),
    ("patch", "/tokens/{tid}", {"label": "x"}),
    ("delete", "/tokens/{tid}", None),
    ("post", "/tokens/{tid}/unassign", None),
    ("post", "/tokens/{tid}/unlock", None),
    ("post", "/tokens/{tid}/resync", {"otp1": "123456", "otp2": "234567"}),
    ("post", "/auth/verify", {"resource_id": "{rid}", "login": "alice", "otp": "123456"}),
]


@pytest.mark.parametrize(("method", "path", "body"), CALLS)
async def test_other_tenant_gets_404(api: Api, other_tenant: Api, a_world, method, path, body) -> None:  # type: ignore[no-untyped-def]
    ids = {"rid": a_world.resource_id, "uid": a_world.user_id, "tid": a_world.token_id}
    url = path.format(**ids)
    if body is not None:
        body = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}
    call = getattr(other_tenant, method)
    r = await (call(url, body) if method in ("post", "patch") else call(url))
    assert r.status_code == 404, r.text
    assert r.json()["error"]["code"] == "not_found"


async def test_other_tenant_assign_to_foreign_user_is_404(api: Api, other_tenant: Api, a_world) -> None:  # type: ignore[no-untyped-def]
    mine = (await other_tenant.post("/tokens", {"kind": "totp"})).json()["token"]["id"]
    r = await other_tenant.post(f"/tokens/{mine}/assign", {"user_id": a_world.user_id})
    assert r.status_code == 404


async def test_lists_show_only_own_tenant(api: Api, other_tenant: Api, a_world) -> None:  # type: ignore[no-untyped-def]
    for path in ("/resources", "/users", "/tokens", "/audit"):
        assert (await other_tenant.get(path)).json()["items"] == [] or path == "/audit"
    audit = (await other_tenant.get("/audit")).json()["items"]
    assert all(item["target_id"] != a_world.token_id for item in audit)


async def test_data_of_a_is_unchanged_after_b_tried(api: Api, other_tenant: Api, a_world) -> None:  # type: ignore[no-untyped-def]
    await other_tenant.patch(f"/resources/{a_world.resource_id}", {"name": "stolen"})
    await other_tenant.delete(f"/tokens/{a_world.token_id}")
    assert (await api.get(f"/resources/{a_world.resource_id}")).json()["name"] == "Web banking"
    assert (await api.get(f"/tokens/{a_world.token_id}")).status_code == 200
