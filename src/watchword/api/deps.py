"""Dependencies shared by the routes: the environment and the calling key."""

from typing import Annotated

from fastapi import Depends, Request

from watchword.services.env import Caller, Env
from watchword.services.errors import Forbidden
from watchword.services.tenants import authenticate


def get_env(request: Request) -> Env:
    env: Env = request.app.state.env
    return env


async def get_caller(request: Request) -> Caller:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    key = token.strip() if scheme.lower() == "bearer" else None
    return await authenticate(get_env(request), key)


async def get_admin(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    if caller.scope != "admin":
        raise Forbidden("this API key has scope 'auth': it may only authenticate", "scope")
    return caller


EnvDep = Annotated[Env, Depends(get_env)]
CallerDep = Annotated[Caller, Depends(get_caller)]
AdminDep = Annotated[Caller, Depends(get_admin)]
