"""The command line: tenant and key creation print the contract's JSON."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def cli(tmp_path: Path, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WATCHWORD_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": str(Path(__file__).parents[2] / "src"), **(extra_env or {})}
    env.pop("WATCHWORD_DATABASE_URL", None)
    env.pop("WATCHWORD_MASTER_KEY", None)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "watchword.cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_tenant_create_prints_tenant_and_admin_key(tmp_path: Path) -> None:
    out = cli(tmp_path, "tenant", "create", "Acme", "--json")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["tenant"]["name"] == "Acme" and body["api_key"].startswith("ww_")


def test_embedded_default_makes_a_private_key_file(tmp_path: Path) -> None:
    cli(tmp_path, "tenant", "create", "Acme", "--json")
    key_file = tmp_path / "data" / "master.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert (tmp_path / "data" / "watchword.db").exists()


def test_apikey_create_prints_id_scope_and_key(tmp_path: Path) -> None:
    tenant = json.loads(cli(tmp_path, "tenant", "create", "Acme", "--json").stdout)["tenant"]
    out = cli(tmp_path, "apikey", "create", "--tenant", tenant["id"], "--scope", "auth", "--json")
    body = json.loads(out.stdout)
    assert body["scope"] == "auth" and body["api_key"].startswith("ww_") and body["id"]


def test_apikey_for_unknown_tenant_fails_clearly(tmp_path: Path) -> None:
    cli(tmp_path, "db", "upgrade")
    out = cli(tmp_path, "apikey", "create", "--tenant", "nope", "--scope", "auth")
    assert out.returncode == 2 and "no such tenant" in out.stderr


def test_bad_database_url_fails_clearly(tmp_path: Path) -> None:
    out = cli(tmp_path, "db", "upgrade", extra_env={"WATCHWORD_DATABASE_URL": "mysql://x"})
    assert out.returncode == 2 and "WATCHWORD_DATABASE_URL" in out.stderr


@pytest.mark.parametrize("scope", ["root", ""])
def test_unknown_scope_is_refused(tmp_path: Path, scope: str) -> None:
    out = cli(tmp_path, "apikey", "create", "--tenant", "x", "--scope", scope)
    assert out.returncode != 0
