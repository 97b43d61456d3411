"""Prometheus metrics: decisions by outcome, request latency, at GET /metrics.

With several server processes each writes its samples to files in
PROMETHEUS_MULTIPROC_DIR (set by `watchword serve --workers N`), and a scrape of
any process reports the sum over all of them.
"""

import os
import time

from fastapi import APIRouter, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DECISIONS = Counter(
    "watchword_decisions_total",
    "Authentication decisions by action, result and reason",
    ["action", "result", "reason"],
)
LATENCY = Histogram(
    "watchword_request_duration_seconds",
    "Time to answer an API request, by route",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)

router = APIRouter(tags=["ops"])


def count_decision(action: str, result: str, reason: str | None) -> None:
    DECISIONS.labels(action, result, reason or "").inc()


@router.get("/metrics", include_in_schema=True, response_class=Response)
async def metrics() -> Response:
    """Prometheus text exposition of this server's counters."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return Response(body, media_type=CONTENT_TYPE_LATEST)


class Timing:
    """Observe each request's duration under its route template (never its raw path)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                route = scope.get("route")
                name = getattr(route, "path", "unmatched")
                LATENCY.labels(name).observe(time.perf_counter() - start)
            await send(message)

        await self.app(scope, receive, timed_send)
