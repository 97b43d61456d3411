"""`keys rotate`: every seed re-encrypted under the new key, codes still verify."""

import base64
import secrets

from tests.api.setup import enrolled, verify
from tests.conftest import Api
from watchword.services.rotation import rotate_seeds
from watchword.store.keyring import KeyRing


async def test_rotation_reencrypts_and_tokens_still_verify(api: Api, master_key: str) -> None:
    e = await enrolled(api, kind="hotp")
    new = secrets.token_bytes(32)
    api.env.keyring = KeyRing([new, base64.b64decode(master_key)])
    assert await rotate_seeds(api.env) == 1
    api.env.keyring = KeyRing([new])  # the old key is gone now
    assert (await verify(api, e, e.hotp().at(0)))["result"] == "accepted"
    assert await rotate_seeds(api.env) == 0
