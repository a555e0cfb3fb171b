"""The error hierarchy: one class per error shape of each model.

Codes, HTTP statuses and the fields each error body may carry come from the
models' error shapes, so EKS's AccessDeniedException is 403 while EKS Auth's
is 400 without anyone writing either number down.

EKS classes are attributes of this module (``errors.ResourceNotFoundException``);
EKS Auth's live on ``errors.auth`` (``errors.auth.InvalidTokenException``).
They are made the first time any of them is asked for (module ``__getattr__``
and lazy mappings), so importing this module loads no model.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from types import SimpleNamespace
from typing import Any

from mock_eks.model import messages
from mock_eks.model.messages import Message
from mock_eks.model.spec import MODELS, SERVICE_NAMES, LazyMapping


class ServiceError(Exception):
    """An error the client sees as an AWS error response."""

    code: str = "ServiceError"
    status: int = 400
    service: str = "eks"
    fields: tuple[str, ...] = ("message",)

    def __init__(self, message: Message, /, **fields: Any) -> None:
        # the one error path checks the wording came from data/messages.json (mock_eks.messages)
        if not isinstance(message, Message):
            raise TypeError(f"{type(self).__name__} message {message!r} is not from data/messages.json")
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


BY_SERVICE: LazyMapping[dict[str, type[ServiceError]]] = LazyMapping(lambda: SERVICE_NAMES, _error_classes)


class _ServiceErrors:
    """``errors.auth``: one service's error classes as attributes, made on first access."""

    def __init__(self, service: str) -> None:
        self._service = service

    def __getattr__(self, name: str) -> type[ServiceError]:
        try:
            return BY_SERVICE[self._service][name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self) -> list[str]:
        return list(BY_SERVICE[self._service])


auth = _ServiceErrors("eks-auth")


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


@functools.cache  # asked for every error a handler raises (dispatch.Context.error): one answer per operation
def allowed_codes(service: str, error_codes: frozenset[str], operation: str | None = None) -> frozenset[str]:
    """Every code an operation may answer with: its modelled errors, the common errors, and the codes
    real EKS is recorded answering from it although its model omits them (data/messages.json)."""
    recorded = messages.recorded_codes(operation) if operation else frozenset()
    return error_codes | frozenset(COMMON_ERRORS) | recorded


# The error the mock raises for input that breaks the model, by preference.
_PARAMETER_ERRORS = (
    "InvalidParameterException",
    "InvalidRequestException",
    "BadRequestException",
    "ClientException",
)


@functools.cache  # asked on every request (the dispatcher's parse step): one answer per operation
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


def __getattr__(name: str) -> Any:
    """``errors.ResourceNotFoundException`` and friends (EKS's model), ``EKS_ERRORS``, ``AUTH_ERRORS``."""
    if name == "EKS_ERRORS":
        return BY_SERVICE["eks"]
    if name == "AUTH_ERRORS":
        return BY_SERVICE["eks-auth"]
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return BY_SERVICE["eks"][name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
