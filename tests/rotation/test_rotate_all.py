"""`keys rotate`: every sealed value moves to the new key; the old key can then go."""

import base64
import secrets

import httpx
import pytest

from tests.api.setup import verify
from tests.conftest import Api, Clock
from tests.delivery_flow.setup import verify as verify_delivered
from tests.fakes.telegram import FakeTelegram
from tests.hardware.test_payment_webhook import hook
from tests.rotation.setup import PIN, PIN_SUITE, everything
from tests.transactions.setup import oath_response, seed_of, sign, started
from watchword.delivery.worker import Worker
from watchword.services.rotation import RotationError, key_census, rotate_all
from watchword.store.keyring import KeyRing, key_id_of
from watchword.store.sealed import SEALED_COLUMNS

KINDS = {c.kind for c in SEALED_COLUMNS}
EVERY_KIND_ONCE = {
    "token_seed": 2,  # the HOTP and the OCRA token; the bot token has no seed
    "ocra_pin": 1,
    "payment_webhook_secret": 1,
    "order_address": 1,
    "channel_credentials": 1,
    "outbox_payload": 1,
}


def rotate_to_new_key(api: Api, master_key: str) -> bytes:
    new = secrets.token_bytes(32)
    api.env.keyring = KeyRing([new, base64.b64decode(master_key)])
    return new


async def test_every_kind_is_resealed_and_works_without_the_old_key(
    api: Api, master_key: str, fake_telegram: FakeTelegram, http: httpx.AsyncClient, frozen: Clock
) -> None:
    made = await everything(api, fake_telegram)
    new = rotate_to_new_key(api, master_key)

    assert await rotate_all(api.env) == EVERY_KIND_ONCE
    api.env.keyring = KeyRing([new])  # the old key is gone

    assert (await verify(api, made.hotp, made.hotp.hotp().at(0)))["result"] == "accepted"
    tx = await started(api, made.ocra)
    otp = oath_response(PIN_SUITE, seed_of(made.ocra), tx["challenge"], pin=PIN)
    assert (await sign(api, tx, otp))["result"] == "accepted"
    got = (await api.get(f"/orders/{made.order_id}")).json()
    assert got["shipping_address"]["city"] == "Springfield"
    paid = await hook(api, {"event_id": "ev1", "order_id": made.order_id})
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    worker = Worker(api.env.db, api.env.keyring, api.env.clock, http)
    assert await worker.run_once() == 1  # the queued payload and the bot token both open
    out = await verify_delivered(
        api, made.bot, fake_telegram.last_code(), challenge_id=made.challenge["challenge_id"]
    )
    assert out["result"] == "accepted"


async def test_status_counts_values_per_kind_under_each_key(
    api: Api, master_key: str, fake_telegram: FakeTelegram, frozen: Clock
) -> None:
    await everything(api, fake_telegram)
    old_id = key_id_of(base64.b64decode(master_key))
    before = await key_census(api.env)
    assert before == {k: {old_id: n} for k, n in EVERY_KIND_ONCE.items()}

    new = rotate_to_new_key(api, master_key)
    await rotate_all(api.env)

    after = await key_census(api.env)
    assert after == {k: {key_id_of(new): n} for k, n in EVERY_KIND_ONCE.items()}


async def test_a_second_rotation_has_nothing_to_do(
    api: Api, master_key: str, fake_telegram: FakeTelegram, frozen: Clock
) -> None:
    await everything(api, fake_telegram)
    rotate_to_new_key(api, master_key)
    await rotate_all(api.env)
    assert await rotate_all(api.env) == dict.fromkeys(KINDS, 0)


async def test_rotation_works_in_batches(
    api: Api, master_key: str, fake_telegram: FakeTelegram, frozen: Clock
) -> None:
    await everything(api, fake_telegram)
    rotate_to_new_key(api, master_key)
    assert await rotate_all(api.env, batch=1) == EVERY_KIND_ONCE


async def test_a_value_under_a_missing_key_stops_rotation_and_names_it(
    api: Api, fake_telegram: FakeTelegram, frozen: Clock
) -> None:
    await everything(api, fake_telegram)
    api.env.keyring = KeyRing([secrets.token_bytes(32)])  # the old key was lost
    with pytest.raises(RotationError, match="token_seed"):
        await rotate_all(api.env)


async def test_reseal_changes_nothing_when_the_row_moved_on(
    api: Api, master_key: str, fake_telegram: FakeTelegram, frozen: Clock
) -> None:
    await everything(api, fake_telegram)
    rotate_to_new_key(api, master_key)
    col = next(c for c in SEALED_COLUMNS if c.kind == "order_address")
    async with api.env.db.uow() as uow:
        (row,) = await uow.sealed.stale(col, api.env.keyring.current_id, 10)
        fresh = api.env.keyring.seal(b"{}", col.aad_for(row.ids))
        assert not await uow.sealed.reseal(col, row.ids, "not-the-old-id", fresh)
    assert await rotate_all(api.env) == EVERY_KIND_ONCE
