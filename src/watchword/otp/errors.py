"""Errors raised by the pure OTP algorithms.

OTPError
 +-- ParameterError   a digits/algorithm/period/suite value out of range (at construction)
"""


class OTPError(ValueError):
    """Base of every error raised by ``watchword.otp``."""


class ParameterError(OTPError):
    """An OTP parameter (digits, algorithm, period, suite ...) is not supported."""
