"""Snapshots: the whole state of a backend as a versioned, JSON-serialisable dict, and back.

``take(backend)`` writes down every account and region (clusters with all their children, EKS
Anywhere subscriptions, idempotency records, per-family extras), the pending lifecycle transitions
(``lifecycle.Step`` data), the mock's clock offset, the pending faults (``m.faults``, rate faults with
their random generator's position) and the moto link's record of what EKS made in moto (moto's own
state is moto's: not included); ``restore(snapshot)`` builds a new ``Backend`` from one.

Records are dataclasses that reference each other (a pending step holds the record and collection it
acts on; an idempotency record holds the result it answered), so the encoding is an object graph:
every record (an instance of a registered kind, ``mock_eks.state.kinds``: the dataclasses of the
store, the lifecycle and the families, and ``store.Collection``) is written once in ``objects`` as
``{"$kind": name, ...}`` and referenced as ``{"$ref": n}``. Values JSON cannot hold are tagged: ``{"$tuple": [...]}``, ``{"$bytes": base64}``,
``{"$set": [...]}``, ``{"$float": "inf"}``, and ``{"$dict": [[key, value], ...]}`` for dicts whose
keys are not plain strings. Only registered kinds are written and restored.

Compatibility: ``VERSION`` is the format's version. A snapshot of an older version is upgraded by
``MIGRATIONS`` (one function per version step); a record field added since is filled with its
default and a field since removed is dropped. A snapshot of a newer version is refused.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import glob
import json
import math
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mock_eks import model
from mock_eks.model import accounts
from mock_eks.state import kinds, schemas, tenants
from mock_eks.state.lifecycle import Step
from mock_eks.state.store import Backend, Collection, MotoEntry

FORMAT = "mock_eks.snapshot"
VERSION = 3
# MIGRATIONS[n] upgrades a version-n snapshot to version n + 1


def _v1_to_v2(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added the pending faults and the moto link's record: a version-1 snapshot had neither."""
    return {**snapshot, "version": 2, "faults": {"calls": [], "lifecycle": {}}, "moto_link": []}


# Versions 1 and 2 named each object's class by its module path (mock_eks 0.1.0's layout): the kind
# each of those classes is now. Fixed for ever: these are the paths old snapshots hold.
V2_CLASSES = {
    "mock_eks.store:Collection": "Collection",
    "mock_eks.lifecycle:Step": "Step",
    "mock_eks.resources.access:AccessEntry": "AccessEntry",
    "mock_eks.resources.addons:Addon": "Addon",
    "mock_eks.resources.capabilities:Capability": "Capability",
    "mock_eks.resources.certificate_authorities:CertificateAuthority": "CertificateAuthority",
    "mock_eks.resources.clusters:Cluster": "Cluster",
    "mock_eks.resources.fargate:FargateProfile": "FargateProfile",
    "mock_eks.resources.identity_providers:OidcConfig": "OidcConfig",
    "mock_eks.resources.insights:Insight": "Insight",
    "mock_eks.resources.insights:Refresh": "InsightsRefresh",
    "mock_eks.resources.insights:Found": "InsightFinding",
    "mock_eks.resources.insights:Outcome": "InsightOutcome",
    "mock_eks.resources.nodegroups:Nodegroup": "Nodegroup",
    "mock_eks.resources.pod_identity:PodIdentityAssociation": "PodIdentityAssociation",
    "mock_eks.resources.subscriptions:Subscription": "Subscription",
    "mock_eks.resources.updates:Update": "Update",
}


def _v2_to_v3(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Version 3 names records by kind (``$kind``), not by module path (``$class``)."""
    objects = []
    for entry in snapshot.get("objects", []):
        if isinstance(entry, dict) and "$class" in entry:
            path = entry["$class"]
            if path not in V2_CLASSES:
                raise SnapshotError(f"{path} is not a mock_eks record class")
            entry = {"$kind": V2_CLASSES[path], **{k: v for k, v in entry.items() if k != "$class"}}
        objects.append(entry)
    return {**snapshot, "version": 3, "objects": objects}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}


class SnapshotError(ValueError):
    """A snapshot this version of mock_eks cannot load (the message says why)."""


# -- writing ---------------------------------------------------------------------------------------------


Where = tuple[Any, ...]  # (parent, part): a value's path, spelled out only for an error message


def _spell(where: Where | str) -> str:
    parts: list[str] = []
    while isinstance(where, tuple):
        where, part = where
        parts.append(part if isinstance(part, str) and part.startswith(".") else f"[{part!r}]")
    return str(where) + "".join(reversed(parts))


@functools.cache
def _field_names(cls: type, rows: bool = True) -> tuple[str, ...]:
    """A record class's fields (without ``rows``: those its kind keeps a row per part of left out)."""
    left_out = () if rows else kinds.ROWS.get(cls, {})
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in left_out)


_SCALARS = (bool, int, str, type(None))


class Writer:
    """Encodes records as ``objects`` entries, each once, referenced as ``{"$ref": n}``.

    A fresh writer numbers every object it meets from 0 (a snapshot's ``objects`` list). A write-through
    store keeps its numbering across writes (``numbers``, ``kept``; ``first``: the next free number) and
    passes ``again``, the records its requests reached: an object numbered before is written again only
    if it was reached, or if a record being written holds it directly (not through a collection); any
    other numbered object is only referenced (``state.reach``). Without ``rows``, a record's fields its
    kind keeps a row per part of (``kinds.ROWS``) are left out of its entry: the store writes those parts.
    """

    def __init__(
        self,
        numbers: dict[int, int] | None = None,
        kept: dict[int, Any] | None = None,
        first: int = 0,
        again: dict[int, Any] | None = None,
        rows: bool = True,
    ) -> None:
        self.objects: dict[int, Any] = {}  # number -> entry, of the objects this writer wrote
        self.numbers = {} if numbers is None else numbers  # id(object) -> number
        self.kept = {} if kept is None else kept  # number -> object: keeps each id() unique while numbered
        self.next = first
        self.again = again
        self.rows = rows
        self._in_record = False

    def ref(self, obj: Any, where: Where | str) -> dict[str, int]:
        index = self.numbers.get(id(obj))
        if index is not None:
            again = self.again
            if (
                index in self.objects
                or again is None
                or not (id(obj) in again or (self._in_record and not isinstance(obj, Collection)))
            ):
                return {"$ref": index}
        else:
            index = self.numbers[id(obj)] = self.next
            self.next += 1
            self.kept[index] = obj
        self.objects[index] = None  # reserved: nested objects get later numbers
        entry: dict[str, Any] = {"$kind": kinds.kind_of(type(obj))}
        value = self.value
        outer = self._in_record
        if isinstance(obj, Collection):
            self._in_record = False
            entry["items"] = [
                [key, obj._seq_of[key], value(item, (where, key))] for key, item in obj._items.items()
            ]
            entry["next"] = obj._next
        else:
            self._in_record = True
            record_class: type = type(obj)
            entry["fields"] = {
                name: value(getattr(obj, name), (where, "." + name))
                for name in _field_names(record_class, self.rows)
            }
        self._in_record = outer
        self.objects[index] = entry
        return {"$ref": index}

    def value(self, value: Any, where: Where | str) -> Any:
        if isinstance(value, _SCALARS):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"$float": repr(value)}
        if isinstance(value, list):
            return [self.value(item, (where, i)) for i, item in enumerate(value)]
        if isinstance(value, tuple):
            return {"$tuple": [self.value(item, (where, i)) for i, item in enumerate(value)]}
        if isinstance(value, dict):
            if all(type(key) is str and not key.startswith("$") for key in value):
                return {
                    key: item if type(item) is str else self.value(item, (where, key))
                    for key, item in value.items()
                }
            return {"$dict": [[self.value(k, where), self.value(v, (where, k))] for k, v in value.items()]}
        if isinstance(value, (bytes, bytearray)):
            return {"$bytes": base64.b64encode(bytes(value)).decode()}
        if isinstance(value, (set, frozenset)):
            return {"$set": [self.value(item, where) for item in value]}
        if kinds.kind_of(type(value)) is not None:
            return self.ref(value, where)
        raise TypeError(f"cannot snapshot a {type(value).__name__} at {_spell(where)}")


def take(backend: Backend, tenant: str | None = None) -> dict[str, Any]:
    """The state of ``backend`` as a JSON-serialisable dict (call it under ``backend.lock``); with
    ``tenant`` (an account id) only that account's regions, pending transitions and faults."""
    writer = Writer()
    snapshot = encode(backend, writer, tenant)
    snapshot["objects"] = list(writer.objects.values())
    return snapshot


def encode(
    backend: Backend, writer: Writer, tenant: str | None = None, idempotency: bool = True
) -> dict[str, Any]:
    """A snapshot of ``backend`` but its ``objects`` (in ``writer.objects``); without ``idempotency``,
    the regions' idempotency records are left out (a write-through store keeps them in rows of their own)."""
    regions = []
    for (account, region), store in backend.regions.items():
        if tenant is not None and account != tenant:
            continue
        where = f"{account}/{region}"
        encoded = {
            "account": account,
            "region": region,
            "partition": store.partition,
            "clusters": writer.value(store.clusters, f"{where}.clusters"),
            "subscriptions": writer.value(store.subscriptions, f"{where}.subscriptions"),
            "extras": writer.value(store.extras, f"{where}.extras"),
        }
        if idempotency:
            encoded["idempotency"] = writer.value(store.idempotency, f"{where}.idempotency")
        regions.append(encoded)
    entries = backend.lifecycle.entries()
    if tenant is not None:
        entries = [(due, item) for due, item in entries if tenants.in_scope(item, (tenant, None))]
    pending = [[due, writer.value(item, "lifecycle")] for due, item in entries]
    faults = backend.faults.to_data()
    if tenant is not None:
        scoped = Backend()
        scoped.faults.add(faults, tenant)
        faults = scoped.faults.to_data()

    return {
        "format": FORMAT,
        "version": VERSION,
        "mock_eks": model.VERSION,
        "clock_offset": backend.clock_offset,
        "pagination_key": base64.b64encode(backend.token_key).decode(),
        "regions": regions,
        "lifecycle": pending,
        "objects": [],
        "faults": faults,
        # what the moto link made in moto (moto's own state is moto's: not included)
        "moto_link": [list(entry) for entry in backend.moto_created if tenant in (None, entry[1])],
    }


# -- reading ---------------------------------------------------------------------------------------------


def _class(entry: dict[str, Any]) -> type:
    kind = entry.get("$kind")
    cls = kinds.KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        named = entry.get("$class", kind)  # a module path here is a foreign object, not an old snapshot
        raise SnapshotError(
            f"{named} is not a mock_eks record class (kinds: {', '.join(sorted(kinds.KINDS))})"
        )
    return cls


class _Reader:
    def __init__(self, entries: list[Any] | dict[int, Any]) -> None:
        # a snapshot's list, or a write-through store's rows by number (JSON keys are never integers)
        if isinstance(entries, list):
            entries = dict(enumerate(entries))
        elif not isinstance(entries, dict) or not all(type(number) is int for number in entries):
            raise SnapshotError("objects must be a list")
        self.objects: dict[int, Any] = {}
        for index, entry in entries.items():
            if not isinstance(entry, dict):
                raise SnapshotError("each object must be a JSON object")
            cls = _class(entry)
            self.objects[index] = Collection() if cls is Collection else object.__new__(cls)
        for index, entry in entries.items():
            self._fill(self.objects[index], entry, f"objects[{index}] ({entry['$kind']})")
        for index, entry in entries.items():
            try:  # once every object is filled: a record's check reads the collections it holds
                schemas.check_record(
                    self.objects[index], entry["$kind"], f"objects[{index}] ({entry['$kind']})"
                )
            except schemas.SchemaError as error:
                raise SnapshotError(f"bad value at {error}") from None

    def _fill(self, obj: Any, entry: dict[str, Any], where: str) -> None:
        if isinstance(obj, Collection):
            items = entry.get("items")
            if not isinstance(items, list):
                raise SnapshotError(f"{where}: a collection's items must be a list")
            for index, item in enumerate(items):
                if not (
                    isinstance(item, list)
                    and len(item) == 3
                    and isinstance(item[0], str)
                    and isinstance(item[1], int)
                    and not isinstance(item[1], bool)
                ):
                    raise SnapshotError(f"{where}.items[{index}]: an item is [key, sequence number, value]")
            next_seq = entry.get("next", 0)
            if isinstance(next_seq, bool) or not isinstance(next_seq, int):
                raise SnapshotError(f"{where}.next: expected an integer, not {next_seq!r}"[:300])
            for item in sorted(items, key=lambda item: item[1]):
                key, seq, value = item
                obj.add(key, self.value(value, f"{where}.items[{key!r}]"))
                # keep the sequence numbers pagination tokens were issued against
                obj._seq_of[key] = seq
                obj._seqs[-1] = seq
            obj._next = max(next_seq, obj._next)
            return
        fields = entry.get("fields")
        if not isinstance(fields, dict):
            raise SnapshotError(f"{where} has no fields")
        for f in dataclasses.fields(obj):
            if f.name in fields:
                value = self.value(fields[f.name], f"{where}.{f.name}")
            elif f.default is not dataclasses.MISSING:
                value = f.default
            elif f.default_factory is not dataclasses.MISSING:
                value = f.default_factory()
            else:
                raise SnapshotError(f"{entry['$kind']} has no value for its field {f.name}")
            object.__setattr__(obj, f.name, value)

    def value(self, value: Any, where: str, depth: int = 0) -> Any:
        if depth > schemas.MAX_DEPTH:
            raise SnapshotError(f"{where}: nested deeper than {schemas.MAX_DEPTH} levels")
        deeper = depth + 1
        if isinstance(value, list):
            return [self.value(item, f"{where}[{i}]", deeper) for i, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((tag, inner),) = value.items()
            if tag == "$ref":
                if isinstance(inner, bool) or not isinstance(inner, int) or inner not in self.objects:
                    raise SnapshotError(f"{where}: dangling object reference {inner!r}"[:300])
                return self.objects[inner]
            if tag in ("$tuple", "$set", "$dict") and not isinstance(inner, list):
                raise SnapshotError(f"{where}: {tag} holds a list, not {type(inner).__name__}")
            if tag == "$tuple":
                return tuple(self.value(item, f"{where}[{i}]", deeper) for i, item in enumerate(inner))
            if tag == "$dict":
                if not all(isinstance(pair, list) and len(pair) == 2 for pair in inner):
                    raise SnapshotError(f"{where}: $dict holds [key, value] pairs")
                return {
                    _hashable(self.value(k, where, deeper)): self.value(v, f"{where}[{k!r}]", deeper)
                    for k, v in inner
                }
            if tag == "$bytes":
                if not isinstance(inner, str):
                    raise SnapshotError(f"{where}: $bytes holds base64 text")
                return base64.b64decode(inner, validate=True)
            if tag == "$set":
                return {_hashable(self.value(item, where, deeper)) for item in inner}
            if tag == "$float":
                if inner not in ("inf", "-inf", "nan"):
                    raise SnapshotError(f"{where}: $float is 'inf', '-inf' or 'nan', not {inner!r}"[:300])
                return float(inner)
        return {key: self.value(item, f"{where}[{key!r}]", deeper) for key, item in value.items()}


def _hashable(value: Any) -> Any:
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


def _upgrade(snapshot: Any) -> dict[str, Any]:
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise SnapshotError(f'not a mock_eks snapshot (no "format": "{FORMAT}")')
    version = snapshot.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SnapshotError(f"the snapshot's version must be a positive integer, not {version!r}")
    if version > VERSION:
        raise SnapshotError(
            f"the snapshot is format version {version}, written by mock_eks {snapshot.get('mock_eks', '?')}; "
            f"this mock_eks reads versions up to {VERSION}: upgrade mock_eks to load it"
        )
    while version < VERSION:
        snapshot = MIGRATIONS[version](snapshot)
        version = snapshot["version"]
    return snapshot


def restore(snapshot: Any) -> Backend:
    """A new ``Backend`` holding the state of ``snapshot`` (SnapshotError if it cannot be loaded)."""
    return restore_numbered(snapshot)[0]


def restore_numbered(snapshot: Any) -> tuple[Backend, dict[int, Any]]:
    """``restore``, and the objects it made by their number in ``snapshot["objects"]`` (a list, or a
    mapping of numbers to entries: a write-through store's rows)."""
    snapshot = _upgrade(snapshot)
    # the families' record kinds and lifecycle actions are registered once the behaviour is loaded: the
    # composition root (mock_eks.mock, mock_eks.server) loads it before it restores
    try:
        reader = _Reader(snapshot.get("objects", []))
        backend = Backend()
        backend.clock_offset = _number(snapshot.get("clock_offset", 0.0), "clock_offset")
        if snapshot.get("pagination_key"):
            backend.token_key = base64.b64decode(snapshot["pagination_key"], validate=True)
        regions = snapshot.get("regions", [])
        if not isinstance(regions, list):
            raise SnapshotError("regions: expected a list")
        for index, region in enumerate(regions):
            where = f"regions[{index}]"
            if not isinstance(region, dict):
                raise SnapshotError(f"{where}: expected an object")
            _region_names(region, where)
            store = backend.region(region["account"], region["region"], region["partition"])
            store.clusters = _collection(region["clusters"], reader, f"{where}.clusters", "Cluster")
            store.subscriptions = _collection(
                region["subscriptions"], reader, f"{where}.subscriptions", "Subscription"
            )
            store.idempotency = reader.value(region.get("idempotency", {}), f"{where}.idempotency")
            if not isinstance(store.idempotency, dict) or not all(
                isinstance(key, tuple) and isinstance(seen, tuple) and len(seen) == 2
                for key, seen in store.idempotency.items()
            ):
                raise SnapshotError(
                    f"{where}.idempotency: expected (operation, token) -> (fingerprint, result)"
                )
            store.extras = reader.value(region.get("extras", {}), f"{where}.extras")
            if not isinstance(store.extras, dict):
                raise SnapshotError(f"{where}.extras: expected an object")
        pending = []
        lifecycle = snapshot.get("lifecycle", [])
        if not isinstance(lifecycle, list):
            raise SnapshotError("lifecycle: expected a list")
        for index, entry in enumerate(lifecycle):
            if not (isinstance(entry, list) and len(entry) == 2):
                raise SnapshotError(f"lifecycle[{index}]: an entry is [due time, step]")
            due, item = entry
            step = reader.value(item, f"lifecycle[{index}]")
            if not isinstance(step, Step):
                raise SnapshotError(f"lifecycle[{index}]: a pending lifecycle entry is not a step")
            pending.append((_number(due, f"lifecycle[{index}]"), step))
        backend.lifecycle.replace(pending)
        backend.faults.load(snapshot.get("faults", {}))
        backend.moto_created = _moto_record(snapshot.get("moto_link", []))
    except SnapshotError:
        raise
    except RecursionError:
        raise SnapshotError("the snapshot is nested too deeply") from None
    except Exception as error:  # noqa: BLE001 - whatever a malformed snapshot breaks, the caller gets why
        raise SnapshotError(f"the snapshot is malformed: {error!r}"[:500]) from None
    return backend, reader.objects


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SnapshotError(f"{where}: expected a finite number, not {value!r}"[:300])
    return float(value)


def _region_names(region: dict[str, Any], where: str) -> None:
    account, name, partition = region.get("account"), region.get("region"), region.get("partition")
    if not isinstance(account, str) or not accounts.is_account(account):
        raise SnapshotError(f"{where}.account: expected a 12-digit account id, not {account!r}"[:300])
    if not isinstance(name, str) or accounts.partition_for(name) != partition:
        raise SnapshotError(f"{where}: {name!r} is not a region of partition {partition!r}"[:300])


def _collection(value: Any, reader: _Reader, where: str, kind: str) -> Collection[Any]:
    collection = reader.value(value, where)
    try:
        schemas.check_items(collection, kinds.KINDS[kind], where)
    except schemas.SchemaError as error:
        raise SnapshotError(f"bad value at {error}") from None
    return collection  # type: ignore[no-any-return]


def _moto_record(record: Any) -> list[MotoEntry]:
    """What the moto link made in moto, from a snapshot (ValueError if malformed). moto's own state is not
    in a snapshot: the record lets the restored backend change and remove what it made (when its node
    groups scale or go, when its activation ends) if moto still has it."""
    if not isinstance(record, list) or not all(
        isinstance(entry, list) and len(entry) == 5 and all(isinstance(part, str) for part in entry)
        for entry in record
    ):
        raise ValueError("moto_link must be a list of [kind, account, region, resource id, owner ARN]")
    return [(kind, account, region, resource, owner) for kind, account, region, resource, owner in record]


def load(source: dict[str, Any] | str | os.PathLike[str]) -> Backend:
    """A backend from a snapshot dict or the path of a JSON file holding one."""
    if not isinstance(source, (str, os.PathLike)):
        return restore(source)  # a dict, or something that is not a snapshot (refused there)
    try:
        document = json.loads(Path(source).read_text())
    except OSError as error:
        raise SnapshotError(f"cannot read the snapshot {source}: {error.strerror or error}") from None
    except (ValueError, RecursionError) as error:
        raise SnapshotError(f"the snapshot {source} is not JSON: {error}"[:500]) from None
    return restore(document)


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}."


def write(snapshot: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write ``snapshot`` to ``path`` atomically: a complete file or the previous one, never half of one.

    A symbolic link is written through (its target is replaced, the link stays) and an existing file keeps
    its mode; a new one gets the mode ``open()`` would give it (0666 less the umask).
    """
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w") as file:
            os.fchmod(file.fileno(), mode)
            json.dump(snapshot, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_path(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be a state file (its directory missing or not writable, the file not readable),
    or None. A state file's temporaries left by a killed writer are removed here."""
    target = Path(os.path.realpath(path))
    directory = target.parent
    if not directory.is_dir():
        return f"the directory {directory} does not exist"
    if target.exists() and (not target.is_file() or not os.access(target, os.R_OK)):
        return f"{path} is not a readable file"
    try:  # what a write will do (os.access says yes to root on a read-only file system)
        handle, probe = tempfile.mkstemp(prefix=".mock_eks-probe.", dir=directory)
    except OSError as error:
        return f"the directory {directory} is not writable ({error.strerror or error})"
    os.close(handle)
    Path(probe).unlink(missing_ok=True)
    for stale in directory.glob(f"{glob.escape(_temporary_prefix(target))}*.tmp"):
        stale.unlink(missing_ok=True)
    return None


def replace_tenant(live: Backend, restored: Backend, tenant: str) -> None:
    """``live`` takes ``tenant``'s regions, pending transitions and faults from ``restored`` (which may
    hold no other account: SnapshotError); the other tenants, the clock and pagination keys stay."""
    others = sorted({account for account, _ in restored.regions if account != tenant})
    if others:
        raise SnapshotError(
            f"the snapshot holds account(s) {', '.join(others)[:200]}; ?account={tenant} replaces only {tenant}"
        )
    with live.lock:
        tenants.forget(live, (tenant, None))
        live.regions.update(restored.regions)
        for due, item in restored.lifecycle.entries():
            if tenants.in_scope(item, (tenant, None)):
                live.lifecycle.schedule(due, item)
        live.faults.add(restored.faults.to_data(), tenant)
