"""The composition root: settings -> engine -> key ring -> environment -> app.

Nothing here runs at import time; every process (API worker, CLI, worker) calls
these functions once.
"""

from fastapi import FastAPI

from watchword.api.app import create_app
from watchword.config import Settings
from watchword.policy.geo import country_lookup
from watchword.services.env import Env
from watchword.store.db import create_engine
from watchword.store.keyring import KeyRing, load_or_create_key_file, parse_keys
from watchword.store.uow import Database


def build_keyring(settings: Settings) -> KeyRing:
    if settings.master_key:
        return KeyRing(parse_keys(settings.master_key))
    return KeyRing(load_or_create_key_file(settings.key_file))


def build_env(settings: Settings) -> Env:
    engine = create_engine(settings.database_url)
    return Env(
        db=Database(engine),
        keyring=build_keyring(settings),
        country_of=country_lookup(str(settings.geoip_db) if settings.geoip_db else None),
        trusted_proxies=settings.trusted_proxies,
    )


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    env = build_env(settings)
    app = create_app(env, max_body_bytes=settings.max_body_bytes)
    app.router.add_event_handler("shutdown", env.db.dispose)
    return app
