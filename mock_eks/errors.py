"""The error hierarchy: one class per error shape of each model.

Codes, HTTP statuses and the fields each error body may carry come from the
models' error shapes, so EKS's AccessDeniedException is 403 while EKS Auth's
is 400 without anyone writing either number down.

EKS classes are attributes of this module (``errors.ResourceNotFoundException``);
EKS Auth's live on ``errors.auth`` (``errors.auth.InvalidTokenException``).
"""

from __future__ import annotations

import json
from importlib import resources
from types import SimpleNamespace
from typing import Any

from mock_eks.spec import MODELS


class ServiceError(Exception):
    """An error the client sees as an AWS error response."""

    code: str = "ServiceError"
    status: int = 400
    service: str = "eks"
    fields: tuple[str, ...] = ("message",)

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = fields

    def body(self) -> dict[str, Any]:
        """The JSON body: ``message`` plus only the fields this error shape defines."""
        body: dict[str, Any] = {"message": self.message}
        for key, value in self.extra.items():
            if key in self.fields and value is not None:
                body[key] = value
        return body


def _error_classes(service: str) -> dict[str, type[ServiceError]]:
    classes: dict[str, type[ServiceError]] = {}
    for shape in MODELS[service].error_shapes:
        error = shape.metadata.get("error", {})
        classes[shape.name] = type(
            shape.name,
            (ServiceError,),
            {
                "code": error.get("code", shape.name),
                "status": error.get("httpStatusCode", 400),
                "service": service,
                "fields": tuple(shape.members),
                "__module__": __name__,
                "__qualname__": shape.name if service == "eks" else f"auth.{shape.name}",
            },
        )
    return classes


EKS_ERRORS = _error_classes("eks")
AUTH_ERRORS = _error_classes("eks-auth")
globals().update(EKS_ERRORS)
auth = SimpleNamespace(**AUTH_ERRORS)
BY_SERVICE = {"eks": EKS_ERRORS, "eks-auth": AUTH_ERRORS}


def _common_error_classes() -> dict[str, type[ServiceError]]:
    """The Reference's "Common Errors" (any action may return them), from data/common_errors.json."""
    table = json.loads(resources.files("mock_eks.data").joinpath("common_errors.json").read_text())
    return {
        code: type(
            code,
            (ServiceError,),
            {
                "code": code,
                "status": entry["status"],
                "__module__": __name__,
                "__qualname__": f"common.{code}",
            },
        )
        for code, entry in table["errors"].items()
    }


COMMON_ERRORS = _common_error_classes()
common = SimpleNamespace(**COMMON_ERRORS)
# No operation of either model answers this method and path (a wrong method included): the common error.
UnknownOperationError = COMMON_ERRORS["UnknownOperationException"]


def error_class(service: str, code: str) -> type[ServiceError] | None:
    """The class for ``code``: the service model's error shape if it has one, else the Reference's common error."""
    return BY_SERVICE[service].get(code) or COMMON_ERRORS.get(code)


def allowed_codes(service: str, error_codes: frozenset[str]) -> frozenset[str]:
    """Every code an operation may answer with: its own modelled errors plus the common errors."""
    return error_codes | frozenset(COMMON_ERRORS)


# The error the mock raises for input that breaks the model, by preference.
_PARAMETER_ERRORS = (
    "InvalidParameterException",
    "InvalidRequestException",
    "BadRequestException",
    "ClientException",
)


def parameter_error(service: str, error_codes: frozenset[str]) -> type[ServiceError]:
    """The class for 'this input is invalid', as the operation's own error list names it.

    An operation that models none of them (ListAccessPolicies models only ServerException) answers the
    Reference's common ``ValidationError`` (400), never a code its model does not list.
    """
    classes = BY_SERVICE[service]
    for code in _PARAMETER_ERRORS:
        if code in error_codes and code in classes:
            return classes[code]
    return COMMON_ERRORS["ValidationError"]


def request_error(service: str, error_codes: frozenset[str]) -> type[ServiceError]:
    """The class for 'this request cannot be served now' (state conflicts, unimplemented).

    Falls back to the common ``ValidationError`` like ``parameter_error``.
    """
    classes = BY_SERVICE[service]
    for code in (
        "InvalidRequestException",
        "BadRequestException",
        "InvalidParameterException",
        "ClientException",
    ):
        if code in error_codes and code in classes:
            return classes[code]
    return COMMON_ERRORS["ValidationError"]


def __getattr__(name: str) -> type[ServiceError]:  # pragma: no cover - typing aid only
    raise AttributeError(name)
