"""`watchword tokens import FILE --tenant ID`: the CLI twin of POST /tokens/import."""

import json
from pathlib import Path

from tests.cli.test_cli import cli
from tests.hardware.setup import FIG7_PASSWORD, PSKC


def tenant(tmp_path: Path) -> str:
    out = cli(tmp_path, "tenant", "create", "Acme", "--json")
    return str(json.loads(out.stdout)["tenant"]["id"])


def test_the_cli_imports_a_password_protected_file(tmp_path: Path) -> None:
    tid = tenant(tmp_path)
    out = cli(
        tmp_path,
        "tokens",
        "import",
        str(PSKC / "rfc6030/figure7.pskcxml"),
        "--password",
        FIG7_PASSWORD,
        "--tenant",
        tid,
        "--json",
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["serials"] == ["987654321"]


def test_the_cli_reports_a_refused_file_and_fails(tmp_path: Path) -> None:
    tid = tenant(tmp_path)
    out = cli(
        tmp_path,
        "tokens",
        "import",
        str(PSKC / "invalid/billion-laughs.pskcxml"),
        "--tenant",
        tid,
    )
    assert out.returncode == 2 and "entity_declaration" in out.stderr


def test_the_cli_refuses_an_unknown_tenant(tmp_path: Path) -> None:
    cli(tmp_path, "db", "upgrade")
    out = cli(
        tmp_path, "tokens", "import", str(PSKC / "rfc6030/figure3.pskcxml"), "--tenant", "nope"
    )
    assert out.returncode == 2 and "no such tenant" in out.stderr
