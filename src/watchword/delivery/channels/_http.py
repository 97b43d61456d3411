"""The transport half of the error boundary shared by the HTTP adapters."""

from typing import Any

import httpx

from watchword.delivery.channels.base import TransientError


async def post(client: httpx.AsyncClient, url: str, **kwargs: Any) -> httpx.Response:
    """POST, turning network failures into TransientError (platform errors are the caller's)."""
    try:
        return await client.post(url, **kwargs)
    except httpx.TimeoutException as e:
        raise TransientError(f"timeout: {type(e).__name__}", raw_status="timeout") from e
    except httpx.TransportError as e:
        raise TransientError(f"connection failed: {type(e).__name__}", raw_status="network") from e


def json_object(response: httpx.Response) -> dict[str, Any] | None:
    """The body as a JSON object, or None if it is not one (an HTML error page, say)."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def retry_after_header(response: httpx.Response) -> float | None:
    """Seconds from a numeric ``Retry-After`` header, if any."""
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
