"""Builders for hardware-token tests: upload a seed file, make users, run an order."""

from pathlib import Path
from typing import Any

import httpx

from tests.conftest import Api

PSKC = Path(__file__).parent.parent / "fixtures" / "pskc"
RFC_SECRET = b"12345678901234567890"
FIG6_KEY = "12345678901234567890123456789012"
FIG7_PASSWORD = "qwerty"
ADDRESS = {
    "name": "Alice Example",
    "line1": "1 Main Street",
    "city": "Springfield",
    "postcode": "12345",
    "country": "US",
}


async def upload(
    api: Api, data: bytes, filename: str = "seeds.pskcxml", api_key: str | None = None, **form: str
) -> httpx.Response:
    return await api.client.post(
        "/api/v1/tokens/import",
        files={"file": (filename, data, "application/octet-stream")},
        data=form,
        headers=api.headers(api_key),
    )


async def upload_fixture(api: Api, name: str, **form: str) -> httpx.Response:
    path = PSKC / name
    return await upload(api, path.read_bytes(), path.name, **form)


async def user(api: Api, login: str = "alice") -> str:
    r = await api.post("/users", {"login": login, "email": f"{login}@example.com"})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def member(api: Api, login: str = "alice") -> tuple[str, str]:
    """A resource with a new user in it: (resource_id, user_id)."""
    res = await api.post("/resources", {"name": "Web banking", "policy": {}})
    assert res.status_code == 201, res.text
    uid = await user(api, login)
    assert (await api.put(f"/resources/{res.json()['id']}/users/{uid}")).status_code == 204
    return str(res.json()["id"]), uid


async def token_count(api: Api, **params: Any) -> int:
    r = await api.get("/tokens", **params)
    assert r.status_code == 200, r.text
    return len(r.json()["items"])


def csv_file(rows: list[tuple[str, str]], kind: str = "hotp") -> bytes:
    lines = ["serial,secret,kind,digits"] + [f"{s},{secret},{kind},6" for s, secret in rows]
    return ("\n".join(lines) + "\n").encode()


async def order(api: Api, login: str = "alice", model: str = "C200", key: str = "k1") -> Any:
    r = await api.post(
        "/orders",
        {"login": login, "model": model, "shipping_address": ADDRESS, "idempotency_key": key},
    )
    assert r.status_code == 201, r.text
    return r.json()
