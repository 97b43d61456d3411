# ruff: noqa: RUF001 - Cyrillic text is meant to be Cyrillic
"""Short message texts per locale (en, uk, ru, pl), with no links in them.

A link in an OTP message teaches users to tap links in OTP messages; phishers
count on that. Values are substituted once (``format_map`` does not re-expand
them) and flattened to one line, so a payee name cannot forge extra lines.
"""

import re
from collections.abc import Mapping
from decimal import Decimal

DEFAULT_LOCALE = "en"

TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "login_code": {
        "en": "Your {issuer} code: {code}. Valid {minutes} min. Never share it.",
        "uk": "Ваш код {issuer}: {code}. Дійсний {minutes} хв. Нікому не повідомляйте його.",
        "ru": "Ваш код {issuer}: {code}. Действует {minutes} мин. Никому его не сообщайте.",
        "pl": "Twój kod {issuer}: {code}. Ważny {minutes} min. Nikomu go nie podawaj.",
    },
    "transaction": {
        "en": "{issuer}: confirm {amount} {currency} to {payee}. Code: {code}. "
        "Enter it only if these details are yours.",
        "uk": "{issuer}: підтвердіть {amount} {currency} на користь {payee}. Код: {code}. "
        "Вводьте його, лише якщо ці дані ваші.",
        "ru": "{issuer}: подтвердите {amount} {currency} получателю {payee}. Код: {code}. "
        "Вводите его, только если это ваши данные.",
        "pl": "{issuer}: potwierdź {amount} {currency} dla {payee}. Kod: {code}. "
        "Wpisz go tylko, jeśli te dane są Twoje.",
    },
    "token_locked": {
        "en": "{issuer}: your token {serial} was locked after too many wrong codes. "
        "If this was not you, contact support.",
        "uk": "{issuer}: ваш токен {serial} заблоковано після забагатьох невірних кодів. "
        "Якщо це були не ви, зверніться до підтримки.",
        "ru": "{issuer}: ваш токен {serial} заблокирован после слишком многих неверных кодов. "
        "Если это были не вы, обратитесь в поддержку.",
        "pl": "{issuer}: Twój token {serial} został zablokowany po zbyt wielu błędnych kodach. "
        "Jeśli to nie Ty, skontaktuj się z pomocą.",
    },
    "token_shipped": {
        "en": "{issuer}: your token {serial} has been shipped. Tracking number: {tracking}.",
        "uk": "{issuer}: ваш токен {serial} відправлено. Номер відстеження: {tracking}.",
        "ru": "{issuer}: ваш токен {serial} отправлен. Номер отслеживания: {tracking}.",
        "pl": "{issuer}: Twój token {serial} został wysłany. Numer przesyłki: {tracking}.",
    },
}

BUTTONS: Mapping[str, tuple[str, str]] = {
    "en": ("Confirm", "Decline"),
    "uk": ("Підтвердити", "Відхилити"),
    "ru": ("Подтвердить", "Отклонить"),
    "pl": ("Potwierdź", "Odrzuć"),
}

_COMMA_DECIMAL = {"uk", "ru", "pl"}
_LINE_BREAKS = re.compile(r"[\s\x00-\x1f\x7f\u2028\u2029]+")
MAX_VALUE = 64


def pick_locale(locale: str) -> str:
    """ "uk-UA" -> "uk"; anything unknown -> "en"."""
    base = locale.replace("_", "-").split("-")[0].lower()
    return base if base in BUTTONS else DEFAULT_LOCALE


def format_amount(amount: Decimal, locale: str) -> str:
    """Two decimals, with the locale's decimal mark (no grouping: unambiguous)."""
    text = f"{amount.quantize(Decimal('0.01')):f}"
    return text.replace(".", ",") if pick_locale(locale) in _COMMA_DECIMAL else text


def render(template_name: str, locale: str, **values: object) -> str:
    """The text of ``template_name`` in ``locale`` (falling back to English).

    Raises KeyError for an unknown template or a missing value.
    """
    variants = TEMPLATES[template_name]
    text = variants.get(pick_locale(locale)) or variants[DEFAULT_LOCALE]
    loc = pick_locale(locale)
    clean = {
        k: _one_line(format_amount(v, loc) if isinstance(v, Decimal) else v)
        for k, v in values.items()
    }
    return text.format_map(clean)


def button_labels(locale: str) -> tuple[str, str]:
    """(Confirm, Decline) in ``locale``."""
    return BUTTONS[pick_locale(locale)]


def _one_line(value: object) -> str:
    text = _LINE_BREAKS.sub(" ", str(value)).strip()
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"
