"""The worker runs inside the app (embedded default) and as `watchword worker`."""

import asyncio
import base64
import secrets
from pathlib import Path

import httpx
import pytest

from watchword.bootstrap import build_app
from watchword.cli.main import main
from watchword.config import Settings
from watchword.services.env import Env
from watchword.services.tenants import create_tenant
from watchword.store.db import upgrade

PHONE = "+48500100200"


async def enrol_console_user(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    rid = (await client.post("/api/v1/resources", json={"name": "Bank"}, headers=headers)).json()[
        "id"
    ]
    uid = (await client.post("/api/v1/users", json={"login": "ann"}, headers=headers)).json()["id"]
    await client.put(f"/api/v1/resources/{rid}/users/{uid}", headers=headers)
    tok = await client.post(
        "/api/v1/tokens",
        json={"kind": "console", "user_id": uid, "destination": PHONE},
        headers=headers,
    )
    assert tok.status_code == 201, tok.text
    r = await client.post(
        "/api/v1/auth/challenge", json={"resource_id": rid, "login": "ann"}, headers=headers
    )
    assert r.status_code == 200, r.text
    return rid


async def test_the_in_process_worker_sends_while_the_app_runs(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'ww.db'}"
    await upgrade(url)
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    app = build_app(Settings(data_dir=tmp_path, database_url=url, master_key=key))
    env: Env = app.state.env
    async with app.router.lifespan_context(app):
        _, issued = await create_tenant(env, "Acme")
        headers = {"Authorization": f"Bearer {issued.secret}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            await enrol_console_user(client, headers)
            for _ in range(50):
                found = (await client.get("/api/v1/console/messages", headers=headers)).json()["items"]
                if found and found[0]["state"] == "sent":
                    break
                await asyncio.sleep(0.1)
            assert found[0]["state"] == "sent"


async def test_watchword_worker_once_sends_what_is_due(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'ww.db'}"
    await upgrade(url)
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    settings = Settings(data_dir=tmp_path, database_url=url, master_key=key, inprocess_worker=False)
    app = build_app(settings)
    env: Env = app.state.env
    _, issued = await create_tenant(env, "Acme")
    headers = {"Authorization": f"Bearer {issued.secret}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await enrol_console_user(client, headers)
        monkeypatch.setenv("WATCHWORD_DATABASE_URL", url)
        monkeypatch.setenv("WATCHWORD_MASTER_KEY", key)
        monkeypatch.setenv("WATCHWORD_DATA_DIR", str(tmp_path))
        code = await asyncio.to_thread(main, ["worker", "--once"])
        assert code == 0
        assert "1" in capsys.readouterr().out
        found = (await client.get("/api/v1/console/messages", headers=headers)).json()["items"]
        assert found[0]["state"] == "sent"
    await env.db.dispose()
