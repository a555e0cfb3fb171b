"""Seeds: a YAML or JSON list of ``{operation, params}`` items replayed through the normal pipeline.

Each item is one boto3 call: ``operation`` is the operation's name in boto3's form (``create_cluster``)
or the API's (``CreateCluster``), ``params`` its boto3 keyword arguments. An item may also name
``region`` and ``account`` (a 12-digit account id; the call is signed with it as the access key id,
which the mock reads as the account). The calls go through a real botocore client, so a seed checks and
serialises its parameters exactly as a test's own calls would. The first failing item stops the replay
with a ``SeedError`` that names it and the error.

    - operation: create_cluster
      params: {name: demo, roleArn: "arn:aws:iam::123456789012:role/eks", resourcesVpcConfig: {subnetIds: [subnet-1, subnet-2]}}
    - operation: CreateNodegroup
      region: eu-west-1
      params: {...}
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mock_eks.model import accounts
from mock_eks.model.sessions import fresh_botocore_session
from mock_eks.model.spec import OPERATIONS

_ITEM_KEYS = {"operation", "params", "region", "account"}
MAX_BYTES = 16 * 1024 * 1024  # a seed file larger than this is refused before it is parsed
_MAX_MESSAGE = 300  # characters of a parser's or a call's error quoted in a SeedError


def _short(text: object) -> str:
    """``text`` cut to a bounded length: an error about a large input does not repeat the input."""
    text = str(text)
    return text if len(text) <= _MAX_MESSAGE else f"{text[:_MAX_MESSAGE]}... ({len(text)} characters)"


def _yaml_loader() -> type:
    """PyYAML's safe loader without aliases: a few hundred bytes of nested aliases expand to gigabytes
    (the "billion laughs" shape), and a list of API calls has no need to repeat a node by reference."""
    import yaml

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not accepted in a seed", event.start_mark
                )
            return super().compose_node(parent, index)

    return NoAliases


class SeedError(ValueError):
    """A seed that cannot be read, or an item of it that failed (the message names which)."""


def read(source: str | os.PathLike[str] | list[Any]) -> list[dict[str, Any]]:
    """The items of a seed given as a list, or as the path of a YAML or JSON file."""
    if isinstance(source, list):
        items = source
    elif not isinstance(source, (str, os.PathLike)):
        raise SeedError(
            "a seed is a list of {operation, params} items, or the path of a YAML or JSON file of one"
        )
    else:
        path = Path(source)
        try:
            with path.open("rb") as file:
                data = file.read(MAX_BYTES + 1)
        except OSError as error:
            raise SeedError(f"cannot read the seed {path}: {error.strerror or error}") from None
        if len(data) > MAX_BYTES:
            raise SeedError(f"the seed {path} is larger than {MAX_BYTES} bytes")
        try:
            text = data.decode()
            if path.suffix.lower() == ".json":
                items = json.loads(text)
            else:
                import yaml

                # YAML is a superset of JSON: any other name is read as YAML
                items = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
        except (ValueError, RecursionError) as error:  # yaml.YAMLError is not a ValueError: caught below
            raise SeedError(f"the seed {path} is not valid JSON: {_short(error)}") from None
        except Exception as error:  # noqa: BLE001 - yaml.YAMLError and its subclasses
            raise SeedError(f"the seed {path} is not valid YAML: {_short(error)}") from None
    if not isinstance(items, list):
        raise SeedError("a seed is a list of {operation, params} items")
    return items


def _operation(name: Any, index: int) -> tuple[str, str]:
    """(service, boto3 method name) of an item's operation, given in either naming."""
    from botocore import xform_name

    if isinstance(name, str):
        for service in ("eks", "eks-auth"):
            for operation in OPERATIONS[service]:
                if name in (operation, xform_name(operation)):
                    return service, xform_name(operation)
    raise SeedError(f"seed item {index}: {_short(repr(name))} is not an EKS or EKS Auth operation")


def replay(
    items: list[Any], client_for: Callable[[str, str, str | None], Any], default_region: str | None = None
) -> int:
    """Call each item with ``client_for(service, region, account)``'s client; the number of calls made."""
    region_default = default_region or os.environ.get("AWS_DEFAULT_REGION") or accounts.DEFAULT_REGION
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise SeedError(
                f"seed item {index} is not an {{operation, params}} mapping: {_short(repr(item))}"
            )
        unknown = sorted(str(key) for key in set(item) - _ITEM_KEYS)
        if unknown:
            raise SeedError(
                f"seed item {index}: unknown key(s) {_short(', '.join(unknown))}; "
                f"an item has {sorted(_ITEM_KEYS)}"
            )
        service, method = _operation(item.get("operation"), index)
        params = item.get("params") or {}
        if not isinstance(params, dict):
            raise SeedError(f"seed item {index} ({item['operation']}): params must be a mapping")
        region = item.get("region") or region_default
        account = item.get("account")
        if account is not None and not (isinstance(account, str) and accounts.is_account(account)):
            raise SeedError(f"seed item {index} ({item['operation']}): account must be a 12-digit string")
        client = client_for(service, str(region), account)
        try:
            getattr(client, method)(**params)
        except Exception as error:  # noqa: BLE001 - any failure stops the replay, named
            raise SeedError(f"seed item {index} ({item['operation']}) failed: {_short(error)}") from None
    return len(items)


def clients(endpoint_url: str | None = None) -> Callable[[str, str, str | None], Any]:
    """A ``client_for`` that makes (and reuses) botocore clients, pointed at ``endpoint_url`` if given."""
    from botocore.config import Config

    made: dict[tuple[str, str, str | None], Any] = {}

    def client_for(service: str, region: str, account: str | None) -> Any:
        key = (service, region, account)
        if key not in made:
            # the access key id is what the mock reads the account from: the account's, else the one
            # the caller's own clients use, so unnamed accounts are the same as in the caller's calls
            access_key = account or os.environ.get("AWS_ACCESS_KEY_ID") or "AKIAMOCKEKSSEED00000"
            made[key] = fresh_botocore_session().create_client(  # one shared model loader
                service,
                region_name=region,
                endpoint_url=endpoint_url,
                aws_access_key_id=access_key,
                aws_secret_access_key="mock-eks-seed",
                config=Config(retries={"max_attempts": 1}),
            )
        return made[key]

    return client_for
