"""`watchword keys rotate` and `keys status` on the embedded default (key file)."""

import json
from pathlib import Path

from tests.cli.test_cli import cli
from tests.hardware.setup import csv_file

SECRET_HEX = "3132333435363738393031323334353637383930"


def run_json(tmp_path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    out = cli(tmp_path, *args, "--json")
    assert out.returncode == 0, out.stderr
    return dict(json.loads(out.stdout))


def test_rotate_reports_per_kind_and_status_shows_the_old_key_unused(tmp_path: Path) -> None:
    tenant = run_json(tmp_path, "tenant", "create", "Acme")["tenant"]
    seeds = tmp_path / "seeds.csv"
    seeds.write_bytes(csv_file([("HW0001", SECRET_HEX)]))
    run_json(tmp_path, "tokens", "import", str(seeds), "--tenant", tenant["id"])
    before = run_json(tmp_path, "keys", "status")
    old = before["current_key_id"]
    assert before["by_kind"]["token_seed"] == {old: 1} and before["unused_key_ids"] == []

    rotated = run_json(tmp_path, "keys", "rotate")
    new = rotated["current_key_id"]
    assert new != old and rotated["reencrypted"] == 1 and rotated["by_kind"]["token_seed"] == 1

    after = run_json(tmp_path, "keys", "status")
    assert after["by_kind"]["token_seed"] == {new: 1}
    assert after["configured_key_ids"] == [new, old] and after["unused_key_ids"] == [old]


def test_status_without_json_prints_one_line_per_field(tmp_path: Path) -> None:
    cli(tmp_path, "db", "upgrade")
    out = cli(tmp_path, "keys", "status")
    assert out.returncode == 0, out.stderr
    assert "by_kind:" in out.stdout and "current_key_id:" in out.stdout
