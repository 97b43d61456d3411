"""/users."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from watchword.api.deps import AdminDep, EnvDep
from watchword.api.routes.paging import Cursor, Limit
from watchword.api.schemas import ListOut, UserIn, UserOut, UserPatch
from watchword.services import directory

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", status_code=201, response_model=UserOut)
async def create(body: UserIn, env: EnvDep, caller: AdminDep) -> UserOut:
    fields = body.model_dump(exclude={"login"})
    return UserOut.of(await directory.create_user(env, caller, body.login, **fields))


@router.get("", response_model=ListOut[UserOut])
async def list_(
    env: EnvDep,
    caller: AdminDep,
    login: Annotated[str | None, Query(max_length=255)] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> ListOut[UserOut]:
    page = await directory.list_users(env, caller, limit, cursor, login)
    return ListOut[UserOut](items=[UserOut.of(u) for u in page.items], next=page.next)


@router.get("/{user_id}", response_model=UserOut)
async def get(user_id: str, env: EnvDep, caller: AdminDep) -> UserOut:
    return UserOut.of(await directory.get_user(env, caller, user_id))


@router.patch("/{user_id}", response_model=UserOut)
async def patch(user_id: str, body: UserPatch, env: EnvDep, caller: AdminDep) -> UserOut:
    changes = body.model_dump(exclude_unset=True)
    return UserOut.of(await directory.update_user(env, caller, user_id, changes))


@router.delete("/{user_id}", status_code=204)
async def delete(user_id: str, env: EnvDep, caller: AdminDep) -> Response:
    await directory.delete_user(env, caller, user_id)
    return Response(status_code=204)
