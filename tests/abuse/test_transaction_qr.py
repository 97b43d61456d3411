"""The transaction's QR payload also comes as a QR code, so a page can show it as is."""

import segno

from tests.api.setup import enrolled
from tests.conftest import Api
from tests.transactions.setup import ocra_user, started


async def test_an_ocra_app_transaction_comes_with_its_qr_code_as_svg(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    expected = segno.make(tx["qr_payload"], error="m").svg_inline(scale=4)
    assert tx["qr_svg"].startswith("<svg") and tx["qr_svg"] == expected


async def test_a_transaction_without_a_payload_has_no_qr_code(api: Api) -> None:
    totp = await enrolled(api, kind="totp")
    plain = await started(api, totp)
    assert plain["qr_payload"] is None and plain["qr_svg"] is None
