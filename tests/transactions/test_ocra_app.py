"""OCRA app tokens sign a challenge derived from the data; codes from ``oath``."""

import hashlib

import rfc8785

from tests.conftest import Api
from tests.transactions.setup import PAYMENT, oath_response, ocra_user, seed_of, sign, started
from watchword.otp.cwys import parse_qr_payload

SUITE = "OCRA-1:HOTP-SHA1-6:QN08"


async def test_a_response_computed_by_an_independent_ocra_is_accepted(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    assert tx["kind"] == "ocra" and tx["bound"] is True and tx["token_id"] == e.token_id
    otp = oath_response(SUITE, seed_of(e), tx["challenge"])
    assert await sign(api, tx, otp) == {"result": "accepted", "reason": None}


async def test_the_challenge_fits_the_suite_question_format(api: Api) -> None:
    e = await ocra_user(api, suite="OCRA-1:HOTP-SHA256-8:QA10")
    tx = await started(api, e)
    assert len(tx["challenge"]) == 10 and tx["challenge"].isalnum()
    otp = oath_response("OCRA-1:HOTP-SHA256-8:QA10", seed_of(e), tx["challenge"])
    assert (await sign(api, tx, otp))["result"] == "accepted"


async def test_the_qr_payload_carries_the_data_and_the_challenge(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    payload = parse_qr_payload(tx["qr_payload"])
    assert payload.data == PAYMENT
    assert payload.challenge == tx["challenge"]
    assert payload.transaction_id == tx["transaction_id"]


async def test_one_cent_more_is_a_data_mismatch(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    otp = oath_response(SUITE, seed_of(e), tx["challenge"])
    changed = {**PAYMENT, "amount": "100.51"}
    assert await sign(api, tx, otp, changed) == {"result": "rejected", "reason": "data_mismatch"}


async def test_one_character_of_payee_changed_is_a_data_mismatch(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    otp = oath_response(SUITE, seed_of(e), tx["challenge"])
    changed = {**PAYMENT, "payee": PAYMENT["payee"][:-1] + "2"}
    assert (await sign(api, tx, otp, changed))["reason"] == "data_mismatch"


async def test_a_missing_field_is_a_data_mismatch(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    otp = oath_response(SUITE, seed_of(e), tx["challenge"])
    missing = {k: v for k, v in PAYMENT.items() if k != "currency"}
    assert (await sign(api, tx, otp, missing))["reason"] == "data_mismatch"


async def test_an_extra_field_is_a_data_mismatch(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    otp = oath_response(SUITE, seed_of(e), tx["challenge"])
    assert (await sign(api, tx, otp, {**PAYMENT, "note": "rent"}))["reason"] == "data_mismatch"


async def test_key_order_of_the_data_does_not_matter(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    otp = oath_response(SUITE, seed_of(e), tx["challenge"])
    reordered = dict(reversed(list(PAYMENT.items())))
    assert (await sign(api, tx, otp, reordered))["result"] == "accepted"


async def test_the_right_data_still_signs_after_a_mismatch(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    otp = oath_response(SUITE, seed_of(e), tx["challenge"])
    await sign(api, tx, otp, {**PAYMENT, "amount": "1000.50"})
    assert (await sign(api, tx, otp))["result"] == "accepted"


async def test_a_signed_transaction_cannot_be_signed_again(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    otp = oath_response(SUITE, seed_of(e), tx["challenge"])
    assert (await sign(api, tx, otp))["result"] == "accepted"
    assert await sign(api, tx, otp) == {"result": "rejected", "reason": "replayed"}


async def test_two_transactions_with_the_same_data_get_different_challenges(api: Api) -> None:
    e = await ocra_user(api, suite="OCRA-1:HOTP-SHA1-6:QH40")
    first, second = await started(api, e), await started(api, e)
    assert first["transaction_id"] != second["transaction_id"]
    assert first["challenge"] != second["challenge"]


async def test_a_code_for_one_transaction_does_not_sign_another(api: Api) -> None:
    e = await ocra_user(api, suite="OCRA-1:HOTP-SHA1-8:QH40")
    first, second = await started(api, e), await started(api, e)
    otp = oath_response("OCRA-1:HOTP-SHA1-8:QH40", seed_of(e), first["challenge"])
    assert (await sign(api, second, otp))["reason"] == "invalid_otp"
    assert (await sign(api, first, otp))["result"] == "accepted"


async def test_a_wrong_response_is_invalid_otp(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    right = oath_response(SUITE, seed_of(e), tx["challenge"])
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    assert await sign(api, tx, wrong) == {"result": "rejected", "reason": "invalid_otp"}


async def test_the_challenge_is_derived_from_the_data_hash(api: Api) -> None:
    # The audit row keeps the hash; it is SHA-256 of the RFC 8785 form of the data.
    e = await ocra_user(api)
    tx = await started(api, e)
    view = (await api.get(f"/transactions/{tx['transaction_id']}")).json()
    assert view["data_hash"] == hashlib.sha256(rfc8785.dumps(PAYMENT)).hexdigest()
