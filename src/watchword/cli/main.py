"""Entry point of the `watchword` command."""

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from watchword.cli import admin, hardware
from watchword.config import ConfigError, Settings
from watchword.services.errors import ServiceError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="watchword", description="Watchword 2FA server")
    sub = p.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database maintenance").add_subparsers(
        dest="action", required=True
    )
    db.add_parser("upgrade", help="apply migrations")

    tenant = sub.add_parser("tenant", help="tenants").add_subparsers(dest="action", required=True)
    tc = tenant.add_parser("create", help="create a tenant and its first admin key")
    tc.add_argument("name")
    tc.add_argument("--json", action="store_true")

    apikey = sub.add_parser("apikey", help="API keys").add_subparsers(dest="action", required=True)
    ac = apikey.add_parser("create", help="create an API key (shown once)")
    ac.add_argument("--tenant", required=True)
    ac.add_argument("--scope", choices=["admin", "auth"], required=True)
    ac.add_argument("--label")
    ac.add_argument(
        "--allow-network",
        action="append",
        default=None,
        help="source network allowed to use the key (repeatable)",
    )
    ac.add_argument("--json", action="store_true")
    ar = apikey.add_parser("revoke", help="revoke an API key")
    ar.add_argument("key_id")

    keys = sub.add_parser("keys", help="master keys").add_subparsers(dest="action", required=True)
    kr = keys.add_parser("rotate", help="re-encrypt every sealed value under the current key")
    kr.add_argument("--json", action="store_true")
    ks = keys.add_parser("status", help="how many sealed values each master key id holds")
    ks.add_argument("--json", action="store_true")

    toks = sub.add_parser("tokens", help="hardware tokens").add_subparsers(
        dest="action", required=True
    )
    ti = toks.add_parser("import", help="import a vendor seed file (PSKC or CSV)")
    ti.add_argument("file", type=Path)
    ti.add_argument("--tenant", required=True)
    secret = ti.add_mutually_exclusive_group()
    secret.add_argument("--key", help="hex pre-shared key of an encrypted PSKC file")
    secret.add_argument("--password", help="password of a PBKDF2-protected PSKC file")
    ti.add_argument("--vendor")
    ti.add_argument("--model")
    ti.add_argument("--json", action="store_true")
    worker = sub.add_parser("worker", help="run the delivery worker (outbox sender)")
    worker.add_argument("--once", action="store_true", help="send what is due, then exit")
    worker.set_defaults(action="run")

    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--demo",
        action="store_true",
        help="create a demo tenant on first run and print its admin key",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.command == "serve":
            return admin.serve(settings, args.host, args.port, args.workers, args.demo)
        result = asyncio.run(dispatch(settings, args))
    except (ConfigError, ServiceError) as exc:
        print(f"watchword: {exc}", file=sys.stderr)
        return 2
    if result is not None:
        if getattr(args, "json", False):
            print(json.dumps(result))
        else:
            print(admin.human(result))
    return 0


async def dispatch(settings: Settings, args: argparse.Namespace) -> Any:
    key = (args.command, args.action)
    if key == ("db", "upgrade"):
        await admin.upgrade(settings)
        return {"status": "database is up to date"}
    if key == ("tenant", "create"):
        return await admin.create_tenant(settings, args.name)
    if key == ("apikey", "create"):
        return await admin.create_api_key(
            settings, args.tenant, args.scope, args.label, args.allow_network
        )
    if key == ("apikey", "revoke"):
        await admin.revoke_api_key(settings, args.key_id)
        return {"revoked": args.key_id}
    if key == ("tokens", "import"):
        return await hardware.import_file(
            settings, args.tenant, args.file, args.key, args.password, args.vendor, args.model
        )
    if key == ("worker", "run"):
        from watchword.bootstrap import run_worker

        return {"sent": await run_worker(settings, args.once)}
    if key == ("keys", "rotate"):
        return await admin.rotate_keys(settings)
    if key == ("keys", "status"):
        return await admin.key_status(settings)
    raise SystemExit(f"unknown command {key}")


if __name__ == "__main__":
    raise SystemExit(main())
