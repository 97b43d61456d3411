"""/tokens/import, /tokens/activate and /inventory: hardware tokens from vendor files.

Included before the tokens router so ``/tokens/{token_id}`` cannot shadow these.
"""

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from watchword.api.deps import AdminDep, CallerDep, EnvDep
from watchword.api.schemas import VerifyOut
from watchword.api.schemas_hardware import ActivateIn, ImportOut, SkippedOut, StockOut
from watchword.services import inventory
from watchword.services.activation import activate
from watchword.services.errors import TooLarge

router = APIRouter(tags=["hardware"])

IMPORT_PATH = "/tokens/import"
# The HTTP body may carry a little multipart framing around the largest file.
IMPORT_BODY_LIMIT = inventory.MAX_FILE_BYTES + 64 * 1024


@router.post(IMPORT_PATH, status_code=201, response_model=ImportOut)
async def import_(
    env: EnvDep,
    caller: AdminDep,
    file: Annotated[UploadFile, File(description="PSKC (RFC 6030) or CSV seed file")],
    key: Annotated[str | None, Form(max_length=128)] = None,
    password: Annotated[str | None, Form(max_length=256)] = None,
    vendor: Annotated[str | None, Form(max_length=100)] = None,
    model: Annotated[str | None, Form(max_length=100)] = None,
) -> ImportOut:
    data = await file.read(inventory.MAX_FILE_BYTES + 1)
    if len(data) > inventory.MAX_FILE_BYTES:
        raise TooLarge(f"the file exceeds {inventory.MAX_FILE_BYTES} bytes", "too_large")
    req = inventory.ImportRequest(
        data=data,
        filename=file.filename,
        key_hex=key or None,
        password=password or None,
        vendor=vendor,
        model=model,
    )
    result = await inventory.import_tokens(env, caller, req)
    return ImportOut(
        batch_id=result.batch_id,
        imported=result.imported,
        serials=result.serials,
        skipped=[SkippedOut(serial=s.serial, reason=s.reason) for s in result.skipped],
    )


@router.post("/tokens/activate", response_model=VerifyOut)
async def activate_(body: ActivateIn, env: EnvDep, caller: CallerDep) -> VerifyOut:
    outcome = await activate(env, caller, body.login, body.serial, body.otp)
    return VerifyOut(result=outcome.result, reason=outcome.reason, token_id=outcome.token_id)


@router.get("/inventory/stock", response_model=StockOut)
async def stock(env: EnvDep, caller: AdminDep) -> StockOut:
    return StockOut(models=await inventory.stock(env, caller))
