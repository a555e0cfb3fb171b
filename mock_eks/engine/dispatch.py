"""The one pipeline every entry point uses: resolve, route, parse, validate, handle, serialize."""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from random import getrandbits
from typing import Any

from mock_eks import moto_link
from mock_eks.model import VERSION, accounts, errors, messages
from mock_eks.model.protocol import (
    JSON_HEADERS,
    MAX_BODY_BYTES,
    ParseError,
    Request,
    Response,
    error_headers,
    parse_request,
    serialize_output,
)
from mock_eks.model.spec import OPERATIONS, ROUTES, Operation
from mock_eks.model.validation import compile_shape, validation_message
from mock_eks.state import lifecycle
from mock_eks.state.lifecycle import Timing
from mock_eks.state.store import Backend, RegionStore

log = logging.getLogger("mock_eks")
Handler = Callable[..., Any]
_REGISTERED: dict[tuple[str, str], Handler] = {}  # every @operation seen, modelled or not


class _Handlers(MutableMapping[tuple[str, str], Handler]):
    """``HANDLERS``: (service, operation) -> handler, for the operations the installed models have.

    Filled on first use: the loader the composition root handed over (``use``) imports the behaviour
    modules then (they register their handlers), and handlers for operations the installed botocore
    lacks are left out, so a newer or older botocore never fails an import and nothing loads a model
    at import time. The engine never names the behaviour modules itself.
    """

    def __init__(self) -> None:
        self._table: dict[tuple[str, str], Handler] | None = None
        self._lock = threading.RLock()
        self._loader: Callable[[], None] | None = None

    def use(self, loader: Callable[[], None]) -> None:
        """Load the behaviour (the handlers, and the record kinds they define) with ``loader`` on first use."""
        self._loader = loader
        if self._table is not None:  # built before: what the loader registers joins the table
            loader()

    def load(self) -> None:
        """Make sure the behaviour is loaded (its handlers registered)."""
        self.table()

    def table(self) -> dict[tuple[str, str], Handler]:
        table = self._table
        if table is None:
            with self._lock:
                if self._table is None:
                    if self._loader is not None:
                        self._loader()
                    self._table = {key: h for key, h in _REGISTERED.items() if _modelled(*key)}
                table = self._table
        return table

    def register(self, key: tuple[str, str], handler: Handler) -> None:
        _REGISTERED[key] = handler
        if self._table is not None and _modelled(*key):
            self._table[key] = handler

    def __getitem__(self, key: tuple[str, str]) -> Handler:
        return self.table()[key]

    def __setitem__(self, key: tuple[str, str], handler: Handler) -> None:
        self.table()[key] = handler

    def __delitem__(self, key: tuple[str, str]) -> None:
        del self.table()[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.table())

    def __len__(self) -> int:
        return len(self.table())


def _modelled(service: str, name: str) -> bool:
    return service in OPERATIONS and name in OPERATIONS[service]


@dataclass(frozen=True, slots=True)
class Accepts:
    """What a handler takes: its named keywords, whether ``**others`` takes the rest, and the members it
    knowingly receives through ``**others`` (``@operation(..., passthrough=...)``)."""

    named: frozenset[str]
    rest: bool
    passthrough: frozenset[str]

    def accounts_for(self, arg: str, member: str) -> bool:
        return arg in self.named or member in self.passthrough


ACCEPTS: dict[Handler, Accepts] = {}


def accepts(handler: Handler) -> Accepts:
    """The keywords ``handler`` takes (read once from its signature)."""
    known = ACCEPTS.get(handler)
    if known is None:
        parameters = list(inspect.signature(handler).parameters.values())[1:]  # after ctx
        known = ACCEPTS[handler] = Accepts(
            frozenset(p.name for p in parameters if p.kind is not p.VAR_KEYWORD),
            any(p.kind is p.VAR_KEYWORD for p in parameters),
            frozenset(),
        )
    return known


HANDLERS = _Handlers()


def operation(
    name: str, service: str = "eks", *, passthrough: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    """Register the handler of one operation (ignored when the installed model lacks it).

    ``passthrough`` names the input members a handler with ``**others`` knowingly stores as they come
    (in a record's ``extra``), so ``tests/test_model_conformance.py`` counts them as handled.
    """

    def register(handler: Handler) -> Handler:
        found = accepts(handler)
        ACCEPTS[handler] = Accepts(found.named, found.rest, frozenset(passthrough))
        HANDLERS.register((service, name), handler)
        return handler

    return register


@dataclass(slots=True)
class Context:
    """What a handler knows about the request it serves."""

    backend: Backend
    store: RegionStore
    op: Operation
    account: str
    region: str
    partition: str
    now: float
    timing: Timing
    access_key: str | None = None
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def arn(self, resource: str) -> str:
        return f"arn:{self.partition}:eks:{self.region}:{self.account}:{resource}"

    def member_names(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Handler keywords back under their model member names, for records that echo them."""
        names = self.op.names_by_arg
        return {names.get(key, key): value for key, value in kwargs.items() if value is not None}

    def due(self, kind: str) -> float:
        return self.now + self.timing.seconds(kind)

    def schedule(self, kind: str, item: lifecycle.Step) -> float:
        """Run ``item`` (a ``lifecycle.Step``) at the start of the first request at or after the due time."""
        due = self.due(kind)
        self.backend.lifecycle.schedule(due, item)
        return due

    def settle_later(
        self,
        kind: str,
        record: Any,
        *,
        source: str = "CREATING",
        target: str = "ACTIVE",
        stamp: str | None = None,
    ) -> float:
        """At the due time, move ``record.status`` from ``source`` to ``target`` if it is still ``source``.

        ``stamp`` names an attribute (such as ``modified_at``) set to the due time when that happens.
        A pending lifecycle fault of ``kind`` (``backend.faults``) makes it the model's create-failure
        status with a health issue instead.
        """
        item = lifecycle.step("settle", kind=kind, record=record, source=source, target=target, stamp=stamp)
        return self.schedule(kind, item)

    def remove_later(self, kind: str, collection: Any, key: str, record: Any) -> float:
        """At the due time, take ``record`` out of ``collection`` (unless ``key`` names another record by then).

        A pending lifecycle fault of ``kind`` leaves the record in place, DELETE_FAILED.
        """
        item = lifecycle.step("remove", collection=collection, key=key, record=record, kind=kind)
        return self.schedule(kind, item)

    def error(self, code: str, message: messages.Message, /, **fields: Any) -> errors.ServiceError:
        """An error of this operation's service by its model code (handlers use ``messages.error``,
        which words it from data/messages.json; a plain string is refused by ``ServiceError``).

        A code the operation may not answer (see ``errors.allowed_codes``: its modelled errors, the
        common ones, and codes real EKS is recorded answering from it) becomes the operation's
        invalid-parameter error (its invalid-request error for a state conflict:
        ResourceInUseException, InvalidRequestException), same message.
        """
        op = self.op
        if code in errors.allowed_codes(op.service, op.error_codes, op.name):
            cls = errors.error_class(op.service, code)
            if cls is not None:
                return cls(message, **fields)
        if code in ("ResourceInUseException", "InvalidRequestException"):  # the state, not a bad value
            return errors.request_error(op.service, op.error_codes)(message, **fields)
        return errors.parameter_error(op.service, op.error_codes)(message, **fields)


def _error_response(error: errors.ServiceError, request_id: str) -> Response:
    headers = error_headers(error.code)
    headers["x-amzn-RequestId"] = request_id
    return Response(error.status, headers, json.dumps(error.body()).encode())


_ROUTES: dict[tuple[str | None, str, str], tuple[Operation, dict[str, str]] | errors.ServiceError] = {}
_CACHE_LIMIT = 4096


def _resolve(request: Request, service_hint: str | None) -> tuple[str | None, str, str | None, str]:
    """(service, region, access key, path with query) of a request."""
    url = request.url
    scheme_end = url.find("://")
    rest = url[scheme_end + 3 :] if scheme_end >= 0 else url
    slash = rest.find("/")
    host, path = (rest, "/") if slash < 0 else (rest[:slash], rest[slash:])
    access_key, scope_region, scope_service = accounts.credential_scope(request.headers.get("Authorization"))
    known = accounts.parse_host(host)
    if known is not None:
        return known.service, known.region, access_key, path
    service = service_hint or (scope_service if scope_service in OPERATIONS else None)
    return service, scope_region or accounts.DEFAULT_REGION, access_key, path


def _route(
    service: str | None, method: str, path: str
) -> tuple[Operation, dict[str, str]] | errors.ServiceError:
    key = (service, method, path)
    cached = _ROUTES.get(key)
    if cached is not None:
        return cached  # (op, labels): callers copy the labels, never change them
    services = (service,) if service else tuple(ROUTES)
    for name in services:
        found = ROUTES[name].match(method, path)
        if isinstance(found, tuple):
            if len(_ROUTES) >= _CACHE_LIMIT:
                _ROUTES.clear()
            _ROUTES[key] = found
            return found
    # A path another method serves is still no operation: the common 404, as no model has a 405.
    return messages.build(errors.UnknownOperationError, "request.no_operation", method=method, path=path)


def _request_id() -> str:
    text = f"{getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-{text[16:20]}-{text[20:]}"


def dispatch(backend: Backend, timing: Timing, request: Request, service_hint: str | None = None) -> Response:
    """Serve one HTTP request against ``backend``."""
    request_id = _request_id()
    service, region, access_key, target = _resolve(request, service_hint)
    path, _, query = target.partition("?")
    routed = _route(service, request.method.upper(), path)
    if isinstance(routed, errors.ServiceError):
        return _error_response(routed, request_id)
    op, labels = routed
    # injected call faults (m.faults.fail_calls) answer before anything runs, so they change no state
    failure = backend.faults.call_error(
        op.service, op.name, op.error_codes, lambda: _account_or_none(backend, request, access_key)
    )
    if failure is not None:
        return _error_response(failure, request_id)
    try:
        params = _parse(op, labels, query, request.body)
    except errors.ServiceError as error:
        return _error_response(error, request_id)

    handler = HANDLERS.table().get((op.service, op.name))
    if handler is None:
        # an operation a newer model has and this release does not: the common 501, never a parameter error
        missing = messages.build(
            errors.COMMON_ERRORS["NotImplemented"],
            "request.not_implemented",
            operation=op.name,
            service=op.service,
            version=VERSION,
        )
        return _error_response(missing, request_id)

    try:
        account = _account(backend, request, access_key)
    except accounts.AccountError as problem:
        refused = messages.build(
            errors.COMMON_ERRORS["UnrecognizedClientException"], "request.bad_account", problem=problem
        )
        return _error_response(refused, request_id)
    partition = accounts.partition_for(region)
    if partition is None:
        # botocore sends a region no partition knows to <region>.amazonaws.com; answer instead of resolving it
        unknown = messages.build(errors.common.ValidationError, "request.unknown_region", region=region)
        return _error_response(unknown, request_id)
    with backend.lock:
        now = backend.now()
        backend.lifecycle.apply_due(now)
        store = backend.region(account, region, partition)
        ctx = Context(backend, store, op, account, region, partition, now, timing, access_key, request_id)
        try:
            result = _call(ctx, handler, params)
            payload = serialize_output(op, result)
        except errors.ServiceError as error:
            return _error_response(error, request_id)
        except Exception:  # noqa: BLE001 - the client gets a ServerException, the log gets the traceback
            log.exception("mock_eks handler for %s failed", op.name)
            return _error_response(
                messages.build(_server_error(op), "request.internal_failure", operation=op.name), request_id
            )
    return Response(op.status, {**JSON_HEADERS, "x-amzn-RequestId": request_id}, payload)


def _account(backend: Backend, request: Request, access_key: str | None) -> str:
    """The account a request acts in (AccountError for a malformed access key id)."""
    account = accounts.account_for(access_key)
    if backend.moto != "off":  # linked to moto: the account moto gives the same request
        account = moto_link.account_for(backend, request.headers, access_key, account)
    return account


def _account_or_none(backend: Backend, request: Request, access_key: str | None) -> str | None:
    try:
        return _account(backend, request, access_key)
    except accounts.AccountError:
        return None


def _parse(op: Operation, labels: dict[str, str], query: str, body: bytes | str | None) -> dict[str, Any]:
    """The validated input members of a request, or the operation's invalid-parameter error."""
    invalid = errors.parameter_error(op.service, op.error_codes)
    for name, value in labels.items():
        if not value:  # a URI label is never empty (the path would name another resource or operation)
            problem = f"Value '' at '{name}' failed to satisfy constraint: Member must have length greater than or equal to 1"
            raise messages.build(invalid, "request.validation", **validation_message([problem]))
    try:
        raw = body or b""
        if len(raw) > MAX_BODY_BYTES:
            raise messages.build(
                errors.COMMON_ERRORS["RequestEntityTooLargeException"],
                "request.too_large",
                limit=MAX_BODY_BYTES,
            )
        params = parse_request(op, labels, query, raw if isinstance(raw, bytes) else raw.encode())
        problems: list[str] = []
        if op.model.input_shape is not None:
            compile_shape(op.model.input_shape)(params, "", problems)
    except ParseError as error:
        raise invalid(error.message) from None
    except (RecursionError, MemoryError, ValueError, TypeError, UnicodeError):
        # input the parser or validator could not take apart: the caller's fault, never a 500
        log.debug("mock_eks could not read a %s request", op.name, exc_info=True)
        raise messages.build(invalid, "request.unreadable", operation=op.name) from None
    if problems:
        raise messages.build(invalid, "request.validation", **validation_message(problems))
    return params


def _server_error(op: Operation) -> type[errors.ServiceError]:
    """The operation's own 500 if it models one, else the Reference's common InternalFailure."""
    for code in ("ServerException", "InternalServerException"):
        if code in op.error_codes:
            return errors.BY_SERVICE[op.service][code]
    return errors.COMMON_ERRORS["InternalFailure"]


def _invoke(ctx: Context, handler: Handler, params: dict[str, Any]) -> Any:
    """Call ``handler`` with the members it takes; a member it does not know (one a newer botocore added)
    never reaches it as an unexpected keyword: it is logged, and echoed where the answer's records keep
    members they were not written for (``extra``) and the output shape has it."""
    members = ctx.op.members
    takes = accepts(handler)
    kwargs: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    for name, value in params.items():
        arg = members[name].arg
        if takes.rest or arg in takes.named:
            kwargs[arg] = value
        else:
            unknown[name] = value
    result = handler(ctx, **kwargs)
    if unknown:
        log.debug(
            "mock_eks: %s does not handle %s yet; kept where the answer echoes it", ctx.op.name, unknown
        )
        _echo(ctx.op, result, unknown)
    return result


def _echo(op: Operation, result: Any, unknown: dict[str, Any]) -> None:
    output = op.model.output_shape
    if not isinstance(result, dict) or output is None:
        return
    for key, value in result.items():
        shape = output.members.get(key)
        extra = getattr(value, "extra", None)
        if shape is None or not isinstance(extra, dict) or shape.type_name != "structure":
            continue
        for name, member in unknown.items():
            if name in shape.members:
                extra[name] = member


def _call(ctx: Context, handler: Handler, params: dict[str, Any]) -> Any:
    members = ctx.op.members
    token = params.get("clientRequestToken")
    if token is None or "clientRequestToken" not in members:
        return _invoke(ctx, handler, params)
    # A repeat with the same token and parameters is the same request: answer it again.
    # a digest, not hash(): str hashes change between processes, and a restored snapshot keeps these
    fingerprint = int.from_bytes(
        hashlib.blake2b(
            json.dumps(
                {k: v for k, v in params.items() if k != "clientRequestToken"}, sort_keys=True
            ).encode(),
            digest_size=8,
        ).digest()
    )
    key = (ctx.op.name, token)
    seen = ctx.store.idempotency.get(key)
    if seen is not None:
        if seen[0] == fingerprint:
            return seen[1]
        raise messages.error(ctx, "request.token_reused", token=token)
    result = _invoke(ctx, handler, params)
    ctx.store.idempotency[key] = (fingerprint, result)
    return result
