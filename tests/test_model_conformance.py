"""The installed botocore model is the contract: every member it has is served, none crashes the mock.

A botocore release can add input members the day it ships (1.44.18 added ``workloadIdentityConfig`` to
the pod identity association operations). Two checks keep that from reaching users:

- every operation answers a request with every input member set, nested ones included, to a
  model-valid value, with no 5xx and an answer that validates against the output shape;
- every input member is taken by its handler (a named keyword, or declared ``passthrough`` by a handler
  that stores members as they come): a member a new release adds fails here, naming itself.
"""

from __future__ import annotations

import inspect
from typing import Any

import botocore
import pytest
import requests
from botocore.model import Shape

from mock_eks import mock_eks
from mock_eks.engine.dispatch import HANDLERS, accepts
from mock_eks.model.spec import OPERATIONS
from tests import fuzzing

ROLE_LIKE = ("Arn", "arn")


def _model_valid(name: str, shape: Shape, depth: int = 0) -> Any:
    """One value of ``shape`` that keeps every constraint the model states, every member set."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "string":
        if getattr(shape, "enum", None):
            return shape.enum[0]
        if shape.name == "JwtToken":
            return "a.b.c"
        if name.endswith(ROLE_LIKE):
            return fuzzing.ROLE
        return "c1"[: meta.get("max", 2)] or "c"
    if kind in ("integer", "long"):
        return max(meta.get("min", 1), min(1, meta.get("max", 1)))
    if kind in ("double", "float"):
        return 1.0
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1_700_000_000
    if kind == "blob":
        return "YQ=="
    if depth > 4:
        return None
    if kind == "list":
        item = _model_valid(name, shape.member, depth + 1)
        return [] if item is None else [item] * max(1, meta.get("min", 1))
    if kind == "map":
        value = _model_valid(name, shape.value, depth + 1)
        return {} if value is None else {"k1": value}
    if kind == "structure":
        members = {key: _model_valid(key, member, depth + 1) for key, member in shape.members.items()}
        return {key: value for key, value in members.items() if value is not None}
    return None


@pytest.mark.parametrize(
    "operation", fuzzing.OPERATION_NAMES, ids=[name for _, name in fuzzing.OPERATION_NAMES]
)
def test_every_member_set_gets_a_modelled_answer(operation: tuple[str, str]) -> None:
    service, name = operation
    op = OPERATIONS[service][name]
    shape = op.model.input_shape
    params = {} if shape is None else _model_valid("", shape)
    for member, spec in op.members.items():
        if spec.location == "uri":
            params[member] = "c1"
    call = fuzzing.build_call(op, params)
    with mock_eks(), requests.Session() as session:
        fuzzing.seed(session)
        problem = fuzzing.send(session, call)
    assert problem is None, f"{name} with every member set ({call.body[:300]!r}): {problem}"


def test_every_input_member_is_taken_by_its_handler() -> None:
    unhandled = []
    for service, operations in sorted(OPERATIONS.items()):
        for name in sorted(operations):
            handler = HANDLERS.get((service, name))
            if handler is None:
                continue  # tests/test_operation_coverage.py names operations with no handler
            takes = accepts(handler)
            for member, spec in operations[name].members.items():
                if not takes.accounts_for(spec.arg, member):
                    unhandled.append(f"{service}:{name}.{member}")
    assert not unhandled, (
        f"botocore {botocore.__version__} has input members no handler takes: {', '.join(unhandled)}. "
        "The mock answers them (they are logged and echoed where the output has them), but a handler "
        "should validate and store each: add a keyword, or list it in @operation(passthrough=...) if the "
        "handler's **others stores it as it comes."
    )


def test_a_member_the_handler_does_not_know_is_echoed_not_a_500(eks_mock, eks_client, monkeypatch) -> None:
    """The 1.44.18 defect, made general: a handler whose signature lacks a member the model has (here
    CreateCluster without its ``**others``) is called with what it declares; the member is kept on the
    record where the output shape has it, and the call succeeds."""
    real = HANDLERS[("eks", "CreateCluster")]
    signature = inspect.signature(real)
    declared = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    received: dict[str, Any] = {}

    def narrow(ctx, **kwargs):
        received.update(kwargs)
        return real(ctx, **kwargs)

    narrow.__signature__ = signature.replace(parameters=declared)  # type: ignore[attr-defined]
    monkeypatch.setitem(HANDLERS, ("eks", "CreateCluster"), narrow)
    network = {"remoteNodeNetworks": [{"cidrs": ["10.80.0.0/16"]}]}
    created = eks_client.create_cluster(
        name="echo",
        roleArn=fuzzing.ROLE,
        resourcesVpcConfig={"subnetIds": fuzzing.SUBNETS},
        remoteNetworkConfig=network,
    )["cluster"]
    assert "remote_network_config" not in received
    assert created["remoteNetworkConfig"] == network
    assert eks_client.describe_cluster(name="echo")["cluster"]["remoteNetworkConfig"] == network
