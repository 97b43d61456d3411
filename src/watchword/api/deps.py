"""Dependencies shared by the routes: the environment and the calling key."""

from typing import Annotated

from fastapi import Depends, Request

from watchword.policy.network import client_address, source_allowed
from watchword.services.env import Caller, Env
from watchword.services.errors import Forbidden
from watchword.services.tenants import authenticate


async def get_env(request: Request) -> Env:
    env: Env = request.app.state.env
    return env


async def get_caller(request: Request) -> Caller:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    key = token.strip() if scheme.lower() == "bearer" else None
    env: Env = request.app.state.env
    caller, networks = await authenticate(env, key)
    if networks:
        peer = request.client.host if request.client else ""
        try:
            source = client_address(
                peer, request.headers.get("x-forwarded-for"), env.trusted_proxies
            )
        except ValueError:
            source = None
        if source is None or not source_allowed(source, networks):
            raise Forbidden("this API key may not be used from this address", "source_denied")
    return caller


async def get_admin(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    if caller.scope != "admin":
        raise Forbidden("this API key has scope 'auth': it may only authenticate", "scope")
    return caller


EnvDep = Annotated[Env, Depends(get_env)]
CallerDep = Annotated[Caller, Depends(get_caller)]
AdminDep = Annotated[Caller, Depends(get_admin)]
