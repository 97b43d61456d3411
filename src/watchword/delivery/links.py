"""Deep links that open a bot with a one-time link code, and their QR codes (pure)."""

import re
from urllib.parse import quote, urlencode

import segno

_TELEGRAM_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_MESSENGER_REF = re.compile(r"[A-Za-z0-9+\-./:=_]{1,149}")
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,128}")


def telegram_link(bot_username: str, code: str) -> str:
    """``https://t.me/<bot>?start=<code>``; Telegram allows 1-64 of ``A-Za-z0-9_-``."""
    if not _TELEGRAM_PAYLOAD.fullmatch(code):
        raise ValueError("a Telegram start payload is 1-64 characters of A-Za-z0-9_-")
    bot = bot_username.lstrip("@")
    if not _NAME.fullmatch(bot):
        raise ValueError(f"not a bot username: {bot_username!r}")
    return f"https://t.me/{bot}?start={code}"


def viber_link(chat_uri: str, code: str, prefill: str | None = None) -> str:
    """``viber://pa?chatURI=<uri>&context=<code>``; the tap fires conversation_started."""
    if not _NAME.fullmatch(chat_uri) or not code:
        raise ValueError("chat URI and code are required")
    params = {"chatURI": chat_uri, "context": code}
    if prefill:
        params["text"] = prefill
    return "viber://pa?" + urlencode(params, quote_via=quote)


def messenger_link(page: str, code: str) -> str:
    """``https://m.me/<page>?ref=<code>``; the ref comes back as a referral."""
    if not _MESSENGER_REF.fullmatch(code):
        raise ValueError("a Messenger ref is short ASCII of A-Za-z0-9+-./:=_")
    if not _NAME.fullmatch(page):
        raise ValueError(f"not a page name or id: {page!r}")
    return f"https://m.me/{page}?ref={quote(code, safe='')}"


def qr_svg(url: str, scale: int = 4) -> str:
    """An inline SVG QR code (error correction M) for showing a link on a desktop page."""
    return str(segno.make(url, error="m").svg_inline(scale=scale))
