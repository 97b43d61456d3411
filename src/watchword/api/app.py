"""The FastAPI application, built from an already wired environment."""

from fastapi import FastAPI

from watchword import __version__
from watchword.api import errors, metrics
from watchword.api.routes import (
    audit,
    auth,
    delivery,
    hardware,
    hooks,
    orders,
    payments,
    resend,
    resources,
    tokens,
    transactions,
    users,
)
from watchword.services.env import Env

API_PREFIX = "/api/v1"


def create_app(env: Env, *, max_body_bytes: int = 1024 * 1024) -> FastAPI:
    app = FastAPI(
        title="Watchword",
        version=__version__,
        description="Two-factor authentication server: tokens, OTP delivery, CWYS signing.",
        # No per-request OpenTelemetry spans on the hot path; Watchword exports its own
        # Prometheus metrics.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.env = env
    errors.install(app)
    # Routes are matched in order: the login path first; hardware before tokens, so
    # /tokens/import is not taken for /tokens/{token_id}.
    for module in (
        auth,
        delivery,
        resend,
        transactions,
        resources,
        users,
        hardware,
        tokens,
        audit,
        orders,
        payments,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(hooks.router)
    app.include_router(metrics.router)

    app.include_router(payments.hooks)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        async with env.db.uow() as uow:
            await uow.connection.exec_driver_sql("SELECT 1")
        return {"status": "ok", "database": env.db.dialect}

    app.add_middleware(
        errors.BodyLimit,
        max_bytes=max_body_bytes,
        per_path={API_PREFIX + hardware.IMPORT_PATH: hardware.IMPORT_BODY_LIMIT},
    )
    app.add_middleware(metrics.Timing)
    return app
