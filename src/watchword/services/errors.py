"""Errors the use cases raise; the API maps each to one status code (api/errors.py).

    ServiceError(code, message)
     +-- InvalidInput      422  the request is well-formed but its values are not acceptable
     +-- NotFound          404  no such id for this tenant (other tenants' ids included)
     +-- Conflict          409  unique value taken, or a state that forbids the change
     +-- Forbidden         403  the key's scope or source network does not allow this
     +-- TooLarge          413
     +-- Unauthenticated   401
     +-- RateLimited       429

An authentication *decision* (rejected code) is a result, never an error.
"""


class ServiceError(Exception):
    status = 400
    default_code = "bad_request"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code


class InvalidInput(ServiceError):
    status = 422
    default_code = "invalid_input"


class NotFound(ServiceError):
    status = 404
    default_code = "not_found"


class Conflict(ServiceError):
    status = 409
    default_code = "conflict"


class Forbidden(ServiceError):
    status = 403
    default_code = "forbidden"


class TooLarge(ServiceError):
    status = 413
    default_code = "too_large"


class Unauthenticated(ServiceError):
    status = 401
    default_code = "unauthenticated"


class RateLimited(ServiceError):
    status = 429
    default_code = "rate_limited"
