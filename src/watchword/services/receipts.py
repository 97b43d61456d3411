"""Delivery receipts: a provider's later word on a sent message moves its ledger row.

Twilio posts status callbacks to ``POST /hooks/twilio/{tenant_id}``, signed
(``X-Twilio-Signature``) over the exact URL it was given. Behind a proxy the URL the
server sees is not that one, so the signature is checked against the tenant's
configured ``status_callback_url`` (the same URL the SMS channel hands to Twilio).
"""

from collections.abc import Sequence
from datetime import timedelta

from watchword.delivery.message import DeliveryReport
from watchword.delivery.registry import open_credentials
from watchword.delivery.webhooks import parse_twilio_status, verify_twilio
from watchword.services.env import Env
from watchword.services.errors import Forbidden, NotFound

# Receipts come within minutes (Twilio retries for hours at most); older rows stay.
REPORT_WINDOW = timedelta(days=3)


async def twilio_status(
    env: Env, tenant_id: str, form: Sequence[tuple[str, str]], signature: str | None
) -> int:
    """Check the signature, then apply the report; returns 1 if a row changed."""
    async with env.db.uow() as uow:
        cfg = await uow.channels.get(tenant_id, "sms")
    url = str(cfg.settings.get("status_callback_url") or "") if cfg else ""
    token = open_credentials(env.keyring, cfg).get("auth_token", "") if cfg else ""
    if not url or not token:
        raise NotFound("status callbacks are not configured for this tenant")
    if not verify_twilio(url, form, signature, token):
        raise Forbidden("webhook signature does not match", "bad_signature")
    report = parse_twilio_status(dict(form))
    if report is None:  # queued, sending, sent: still in flight
        return 0
    return int(await apply_report(env, tenant_id, "sms", report))


async def apply_report(env: Env, tenant_id: str, channel: str, report: DeliveryReport) -> bool:
    """``sent`` -> ``delivered`` or ``failed`` (with the provider's status), at most once."""
    if report.state == "unknown":
        return False
    delivered = report.state == "delivered"
    error = None if delivered else f"{report.state}: {report.raw_status} {report.error_code}"
    async with env.db.uow() as uow:
        return await uow.outbox.report(
            tenant_id,
            channel,
            report.provider_message_id,
            "delivered" if delivered else "failed",
            since=env.clock() - REPORT_WINDOW,
            last_error=error.strip()[:255] if error else None,
        )
