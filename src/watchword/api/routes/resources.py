"""/resources and their members."""

from fastapi import APIRouter, Response

from watchword.api.deps import AdminDep, EnvDep
from watchword.api.routes.paging import Cursor, Limit
from watchword.api.schemas import ListOut, ResourceIn, ResourceOut, ResourcePatch
from watchword.services import directory

router = APIRouter(prefix="/resources", tags=["resources"])


@router.post("", status_code=201, response_model=ResourceOut)
async def create(body: ResourceIn, env: EnvDep, caller: AdminDep) -> ResourceOut:
    return ResourceOut.of(await directory.create_resource(env, caller, body.name, body.policy))


@router.get("", response_model=ListOut[ResourceOut])
async def list_(
    env: EnvDep, caller: AdminDep, limit: Limit = 100, cursor: Cursor = None
) -> ListOut[ResourceOut]:
    page = await directory.list_resources(env, caller, limit, cursor)
    return ListOut[ResourceOut](items=[ResourceOut.of(r) for r in page.items], next=page.next)


@router.get("/{resource_id}", response_model=ResourceOut)
async def get(resource_id: str, env: EnvDep, caller: AdminDep) -> ResourceOut:
    return ResourceOut.of(await directory.get_resource(env, caller, resource_id))


@router.patch("/{resource_id}", response_model=ResourceOut)
async def patch(
    resource_id: str, body: ResourcePatch, env: EnvDep, caller: AdminDep
) -> ResourceOut:
    changes = body.model_dump(exclude_unset=True)
    return ResourceOut.of(await directory.update_resource(env, caller, resource_id, changes))


@router.delete("/{resource_id}", status_code=204)
async def delete(resource_id: str, env: EnvDep, caller: AdminDep) -> Response:
    await directory.delete_resource(env, caller, resource_id)
    return Response(status_code=204)


@router.put("/{resource_id}/users/{user_id}", status_code=204)
async def add_member(resource_id: str, user_id: str, env: EnvDep, caller: AdminDep) -> Response:
    await directory.set_membership(env, caller, resource_id, user_id, True)
    return Response(status_code=204)


@router.delete("/{resource_id}/users/{user_id}", status_code=204)
async def remove_member(resource_id: str, user_id: str, env: EnvDep, caller: AdminDep) -> Response:
    await directory.set_membership(env, caller, resource_id, user_id, False)
    return Response(status_code=204)
