"""A write-through state in SQLite (``--state x.db`` / ``mock_eks(state="x.db")``), shared by processes.

Layout: the snapshot format (``state.snapshot``) cut into rows. ``mock_eks_objects`` holds each record
(a cluster, a node group, a collection, a pending step ...) as its snapshot entry under a number that
stays the record's for as long as it is stored (references between records are ``{"$ref": number}``);
``mock_eks_idempotency`` holds each region's idempotency records, one row each; ``mock_eks_parts``
holds the parts of the fields a record kind keeps a row per part of (``kinds.ROWS``: a cluster's
Kubernetes objects, a row per object, and its watch event log, a row per change, as many as the log
holds: 20,000 a cluster), left out of the record's own row; ``mock_eks_root`` holds the rest of the
snapshot (regions, pending transitions, faults, clock, the moto link's record) and a generation number.
``PRAGMA user_version`` is the layout's version (3; a file of the first layout, one snapshot in one row of
``mock_eks_state``, or of the second, a cluster's Kubernetes objects inside its one record, is migrated
when opened).

The watch event log is stored, not rebuilt: a process that loads another's write serves watches from the
same history (a watch resumed from a resourceVersion gets the changes since, or 410 Gone past the log's
start), as after a restart. Kept out of the file, every process would start a fresh log at each reload,
so a client resuming a watch would get 410 and list again after every write of another process, and
``GET /_mock_eks/state`` would differ between processes holding one state.

Every request (EKS, control, and in server mode the Kubernetes API's through the CONNECT tunnel) runs
inside one SQLite write transaction (``BEGIN IMMEDIATE``, so requests of every process on the file take
turns): at its start the process reloads the whole state if the generation moved since it last saw it
(another process wrote), the request runs against it, and a request that changed something writes the
records it may have changed, the root and the next generation before ``COMMIT``. Which records: those the
request reached (``state.reach``: handed out by a collection, or a due step's arguments) and the new ones
they hold, so a write costs what the request touched, not the size of the state; of a record kept a
row per part, its own row and the parts it named changed (a Kubernetes write: the object and its log
entry; a new record: all its parts). A request that replaced the state (reset, restore) or dropped a
region (per-account reset or restore) rewrites every row. The answer goes out after the commit, so an acknowledged change is on disk (WAL journal;
``synchronous=NORMAL`` survives the process being killed at any point, which is what a mock needs, not a
power cut). Loading goes through ``snapshot.restore``, so a bad value in a hand-edited file is refused with
a ``SnapshotError`` naming it.

Requests that cannot change anything are not written: GET and HEAD (EKS's Describe and List operations,
and the control plane's reads) unless a pending transition came due or a call fault fired during them.
A due transition that is not written is not lost: it is still pending in the written state, and the next
process to load it applies it at the same due time. What such a request reached is written with the next
write of this process.

A change made between turns (a watch's stream applies due transitions and runs the controllers between
its reads) is written with this process's next write (``reach.OUTSIDE``), as a whole-state write would
have. Records no longer reachable (a removed node group no idempotency record answers with, a step that
ran, a deleted cluster's Kubernetes objects) keep their rows until the next full rewrite or the next
start (``load`` deletes them).
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mock_eks.state import kinds, snapshot
from mock_eks.state.reach import OUTSIDE, REACHED
from mock_eks.state.store import Backend, RegionStore

SUFFIXES = (".db", ".sqlite", ".sqlite3")
# PRAGMA user_version of this layout; 0 with a mock_eks_state table is the first (one snapshot); 2 held a
# record's parts (a cluster's Kubernetes objects) in its own row
LAYOUT = 3
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS mock_eks_root"
    " (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL, root TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS mock_eks_objects (number INTEGER PRIMARY KEY, entry TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS mock_eks_idempotency"
    " (seq INTEGER PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, entry TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS mock_eks_parts (owner INTEGER NOT NULL, field TEXT NOT NULL,"
    " key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (owner, field, key))",
)
_GONE = object()  # a part no longer there
_BUSY_MS = 60_000  # how long a request waits for the other processes' transactions


def is_database(path: Any) -> bool:
    """Whether a ``state`` path names a SQLite store (by its suffix) rather than a JSON snapshot file."""
    return isinstance(path, (str, os.PathLike)) and os.fspath(path).lower().endswith(SUFFIXES)


class Transaction:
    """One request's turn: ``backend`` is the current state; replace it (reset, restore) and it is written."""

    def __init__(self, backend: Backend, read_only: bool) -> None:
        self.backend = backend
        self.read_only = read_only
        self._loaded = backend
        self._pending = backend.lifecycle.pending()
        self._faults = _faults_of(backend)

    def changed(self) -> bool:
        backend = self.backend
        if backend is not self._loaded or not self.read_only:
            return True
        return backend.lifecycle.pending() != self._pending or _faults_of(backend) != self._faults


def _faults_of(backend: Backend) -> Any:
    return backend.faults.to_data() if backend.faults._calls else None


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _every_part(record: Any, rows: dict[str, int]) -> Iterator[tuple[str, list[Any], Any]]:
    """Every part of ``record``'s fields kept a row per part: (field, keys, value)."""
    for field, levels in rows.items():
        value = getattr(record, field)
        if not levels:
            for item in value:
                yield field, [item[0]], item
        else:
            yield from ((field, keys, part) for keys, part in _leaves(value, levels, []))


def _leaves(value: Any, levels: int, keys: list[Any]) -> Iterator[tuple[list[Any], Any]]:
    if not levels:
        yield keys, value
        return
    for key, inner in value.items():
        yield from _leaves(inner, levels - 1, [*keys, key])


def _part(record: Any, rows: dict[str, int], part: tuple[Any, ...]) -> Any:
    """The value of one part of ``record`` (``(field, *keys)``), or ``_GONE``."""
    field, *keys = part
    value = getattr(record, field)
    if not rows[field]:
        index = bisect.bisect_left(value, keys[0], key=_first)
        return value[index] if index < len(value) and value[index][0] == keys[0] else _GONE
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return _GONE
        value = value[key]
    return value


def _first(item: Any) -> Any:
    return item[0]


def _joined(parts: list[tuple[Any, Any]], levels: int, where: str) -> Any:
    """A field's snapshot value from its parts' rows ((keys, encoded value), in the order written)."""
    if not levels:
        if not all(isinstance(keys, list) and len(keys) == 1 and type(keys[0]) is int for keys, _ in parts):
            raise snapshot.SnapshotError(f"{where}: a log's part is keyed by [an integer]")
        return [value for _, value in sorted(parts, key=lambda part: part[0][0])]
    tree: dict[str, Any] = {}
    for keys, value in parts:
        if not (isinstance(keys, list) and len(keys) == levels and all(isinstance(k, str) for k in keys)):
            raise snapshot.SnapshotError(f"{where}: a part is keyed by {levels} strings, not {keys!r}"[:300])
        node = tree
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value

    def encoded(node: Any, level: int) -> Any:
        if level == levels:
            return node
        return {"$dict": [[key, encoded(inner, level + 1)] for key, inner in node.items()]}

    return encoded(tree, 0)


def _use_wal(db: Any) -> None:
    """Put the file in WAL mode (kept in the file, so once is enough). The switch needs the file to
    itself, and while another connection holds a write transaction on a file not yet in WAL, SQLite
    answers "database is locked" at once, without waiting (two servers starting on one new file): retry
    for as long as a request would wait."""
    import sqlite3
    import time

    deadline = time.monotonic() + _BUSY_MS / 1000
    while True:
        try:
            if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class SQLiteStore:
    """The state in the SQLite file ``path`` (created if missing); one connection per process."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import sqlite3  # here, not at import: the pytest plugin imports this module's importers

        self.path = os.fspath(path)
        self._lock = threading.RLock()  # this process's requests take turns before asking SQLite
        self._db = sqlite3.connect(
            self.path, timeout=_BUSY_MS / 1000, isolation_level=None, check_same_thread=False
        )
        self._db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        _use_wal(self._db)
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._generation: int | None = None
        self.backend: Backend | None = None
        self._forget()
        self._depth = 0  # turns open in this process (a change made inside a turn joins it)
        self._joined = False
        self._open()
        OUTSIDE.opened()

    def _forget(self) -> None:
        """Know nothing of the file: the next turn reads the whole state again."""
        self._generation = None
        self.backend = None
        self._numbered: Backend | None = None  # the backend whose records the numbers below are of
        self._numbers: dict[int, int] = {}  # id(record) -> its row's number
        self._kept: dict[int, Any] = {}  # number -> record (keeps each id() unique while numbered)
        self._next = 0
        # (account, region) -> (the RegionStore and how many of its idempotency records are written)
        self._idempotency: dict[tuple[str, str], tuple[RegionStore, int]] = {}
        self._reached: dict[int, Any] = {}  # what this process's turns reached and has not written yet
        self._parts: dict[int, set[Any]] = {}  # id(record) -> its parts changed and not written yet

    def _open(self) -> None:
        """Create the tables, or check the layout of an existing file (migrating the first one)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                (layout,) = self._db.execute("PRAGMA user_version").fetchone()
                if layout > LAYOUT:
                    raise snapshot.SnapshotError(
                        f"{self.path} is a mock_eks state of layout {layout}, written by a newer mock_eks; "
                        f"this one reads layout {LAYOUT}: upgrade mock_eks to use it"
                    )
                for statement in _SCHEMA:
                    self._db.execute(statement)
                first = self._db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'mock_eks_state'"
                ).fetchone()
                if first is not None:
                    self._migrate_first_layout()
                elif layout == 2:
                    self._migrate_parts()
                self._db.execute(f"PRAGMA user_version = {LAYOUT}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _migrate_first_layout(self) -> None:
        row = self._db.execute("SELECT snapshot FROM mock_eks_state WHERE id = 1").fetchone()
        if row is not None:
            backend = snapshot.restore(self._json(row[0], "mock_eks_state"))
            self._write(backend, full=True)
        self._db.execute("DROP TABLE mock_eks_state")
        self._forget()

    def _migrate_parts(self) -> None:
        """Layout 2 kept a record's parts in the record's row: written again, a row per part."""
        self._refresh()
        if self.backend is not None:
            self._write(self.backend, full=True)
        self._forget()

    def _json(self, text: Any, where: str) -> Any:
        try:
            return json.loads(text)
        except (TypeError, ValueError, RecursionError) as error:
            raise snapshot.SnapshotError(f"{self.path}: {where} is not JSON: {error}"[:500]) from None

    def load(self) -> Backend | None:
        """The stored state (None for a fresh store, which nothing has written yet); the rows of records it
        no longer refers to are deleted."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._refresh()
                if self.backend is not None:
                    self._collect(self.backend)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                self._forget()
                raise
            return self.backend

    def _collect(self, backend: Backend) -> None:
        """Delete the rows of records ``backend`` (as just loaded) no longer refers to: steps that ran,
        records removed that no idempotency record answers with."""
        walk = snapshot.Writer(rows=False)
        with backend.lock:
            snapshot.encode(backend, walk)
        referred = {self._numbers[key] for key in walk.numbers if key in self._numbers}
        garbage = [number for number in self._kept if number not in referred]
        if not garbage:
            return
        self._db.executemany("DELETE FROM mock_eks_objects WHERE number = ?", [(n,) for n in garbage])
        self._db.executemany("DELETE FROM mock_eks_parts WHERE owner = ?", [(n,) for n in garbage])
        for number in garbage:
            del self._numbers[id(self._kept.pop(number))]
        # the others' numbering still names the deleted rows: they load again before they write
        self._db.execute("UPDATE mock_eks_root SET generation = generation + 1")
        self._generation = (self._generation or 0) + 1

    def _refresh(self) -> None:
        row = self._db.execute("SELECT generation, root FROM mock_eks_root WHERE id = 1").fetchone()
        if row is None or row[0] == self._generation:
            return
        generation, root = row[0], self._json(row[1], "the root row")
        objects = {
            number: self._json(entry, f"object {number}")
            for number, entry in self._db.execute("SELECT number, entry FROM mock_eks_objects")
        }
        parts: dict[int, dict[str, list[tuple[Any, Any]]]] = {}
        for owner, field, key, value in self._db.execute(
            "SELECT owner, field, key, value FROM mock_eks_parts ORDER BY rowid"
        ):
            where = f"part {key} of object {owner}"
            found = (self._json(key, where), self._json(value, where))
            parts.setdefault(owner, {}).setdefault(field, []).append(found)
        self._join_parts(objects, parts)
        idempotency: dict[tuple[Any, Any], list[Any]] = {}
        for account, region, entry in self._db.execute(
            "SELECT account, region, entry FROM mock_eks_idempotency ORDER BY seq"
        ):
            idempotency.setdefault((account, region), []).append(self._json(entry, "an idempotency row"))
        if isinstance(root, dict):
            root["objects"] = objects
            regions = root.get("regions")
            for region in regions if isinstance(regions, list) else ():
                if isinstance(region, dict):
                    key = (region.get("account"), region.get("region"))
                    region["idempotency"] = {"$dict": idempotency.get(key, [])}
        self._forget()
        backend, numbered = snapshot.restore_numbered(root)
        self.backend = self._numbered = backend
        self._generation = generation
        self._kept = numbered
        self._numbers = {id(record): number for number, record in numbered.items()}
        self._next = max(numbered, default=-1) + 1
        self._idempotency = {key: (store, len(store.idempotency)) for key, store in backend.regions.items()}

    def _join_parts(
        self, objects: dict[int, Any], parts: dict[int, dict[str, list[tuple[Any, Any]]]]
    ) -> None:
        """Put each record's parts back into its fields (as a snapshot holds them)."""
        for owner, fields in parts.items():
            entry = objects.get(owner)
            kind = entry.get("$kind") if isinstance(entry, dict) else None
            cls = kinds.KINDS.get(kind) if isinstance(kind, str) else None
            rows = kinds.ROWS.get(cls, {}) if cls is not None else {}
            where = f"{self.path}: the parts of object {owner}"
            if not rows or not isinstance(entry, dict) or not isinstance(entry.get("fields"), dict):
                raise snapshot.SnapshotError(f"{where}: no record there keeps parts ({kind!r})"[:300])
            for field, found in fields.items():
                if field not in rows:
                    raise snapshot.SnapshotError(f"{where}: {kind} keeps no parts of {field!r}"[:300])
                entry["fields"][field] = _joined(found, rows[field], f"{where}.{field}")

    @contextmanager
    def transaction(self, backend: Backend, read_only: bool = False) -> Iterator[Transaction]:
        """One request's turn on the state; ``backend`` is this process's copy (replaced when stale)."""
        with self._lock:
            if self._depth:  # inside a turn of this process (a fault added by a handler): part of it
                self._joined = self._joined or not read_only
                yield Transaction(self.backend or backend, read_only)
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                if self.backend is None:
                    self.backend = backend
                self._refresh()
                turn = Transaction(self.backend, read_only)
                REACHED.objects, REACHED.parts, REACHED.changes = self._reached, self._parts, False
                try:
                    yield turn
                finally:
                    REACHED.objects = None
                if turn.changed() or REACHED.changes or self._joined:
                    self._write(turn.backend)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                self._forget()  # what ran may have changed this copy: read it again
                raise
            finally:
                self._depth -= 1
                self._joined = False

    def save(self, backend: Backend) -> None:
        """Write ``backend`` as the state now (a restore or reset made outside a request)."""
        with self.transaction(backend) as turn:
            turn.backend = backend

    def _write(self, backend: Backend, full: bool = False) -> None:
        """Write what changed in ``backend`` (every row if it is not the backend already written)."""
        with backend.lock:
            outside = OUTSIDE.take()
            full = full or outside is None or self._generation is None or self._regions_replaced(backend)
            if full:
                self._db.execute("DELETE FROM mock_eks_objects")
                self._db.execute("DELETE FROM mock_eks_idempotency")
                self._db.execute("DELETE FROM mock_eks_parts")
                self._numbers, self._kept, self._next, self._idempotency = {}, {}, 0, {}
            first_new = self._next
            writer = snapshot.Writer(
                self._numbers, self._kept, self._next, None if full else self._reached, rows=False
            )
            root = snapshot.encode(backend, writer, idempotency=False)
            rows = []
            for (account, region), store in backend.regions.items():
                known = self._idempotency.get((account, region))
                new = len(store.idempotency) - (known[1] if known else 0)
                added = list(itertools.islice(reversed(store.idempotency.items()), new))
                for key, seen in reversed(added):
                    where = f"{account}/{region}.idempotency"
                    entry = [writer.value(key, where), writer.value(seen, (where, key))]
                    rows.append((account, region, _dumps(entry)))
                self._idempotency[(account, region)] = (store, len(store.idempotency))
            if not full and outside is not None:
                records, parts = outside
                for record in records:
                    self._reached[id(record)] = record
                for key, changed in parts.items():
                    self._parts.setdefault(key, set()).update(changed)
            if not full:
                for record in list(self._reached.values()):
                    if id(record) in self._numbers:
                        writer.ref(record, "a record a request reached")
            self._db.executemany(
                "INSERT OR REPLACE INTO mock_eks_objects (number, entry) VALUES (?, ?)",
                [(number, _dumps(entry)) for number, entry in writer.objects.items()],
            )
            self._db.executemany(
                "INSERT INTO mock_eks_idempotency (account, region, entry) VALUES (?, ?, ?)", rows
            )
            self._write_parts(writer, first_new)
        generation = (self._generation or 0) + 1
        self._db.execute(
            "INSERT INTO mock_eks_root (id, generation, root) VALUES (1, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, root = excluded.root",
            (generation, _dumps(root)),
        )
        self._next = writer.next
        self._generation = generation
        self.backend = self._numbered = backend
        self._reached.clear()

    def _write_parts(self, writer: snapshot.Writer, first_new: int) -> None:
        """The rows of the parts changed of the records ``writer`` wrote (every part of a new record)."""
        written, gone = [], []
        for number in writer.objects:
            record = self._kept[number]
            rows = kinds.ROWS.get(type(record))
            if not rows:
                continue
            if number >= first_new:
                self._db.execute("DELETE FROM mock_eks_parts WHERE owner = ?", (number,))
                changes = list(_every_part(record, rows))
            else:
                changed = self._parts.get(id(record), ())
                changes = [(part[0], list(part[1:]), _part(record, rows, part)) for part in changed]
            for field, keys, value in changes:
                key = _dumps(keys)
                if value is _GONE:
                    gone.append((number, field, key))
                else:
                    encoded = writer.value(value, (f"objects[{number}].{field}", key))
                    written.append((number, field, key, _dumps(encoded)))
        self._db.executemany("DELETE FROM mock_eks_parts WHERE owner = ? AND field = ? AND key = ?", gone)
        self._db.executemany(
            "INSERT OR REPLACE INTO mock_eks_parts (owner, field, key, value) VALUES (?, ?, ?, ?)", written
        )
        self._parts.clear()

    def _regions_replaced(self, backend: Backend) -> bool:
        """Whether the rows cannot be patched: another backend, or a region (its idempotency records)
        gone or replaced since the last write."""
        if backend is not self._numbered:
            return True
        regions = backend.regions
        for key, (store, written) in self._idempotency.items():
            if regions.get(key) is not store or len(store.idempotency) < written:
                return True
        return False

    def close(self) -> None:
        with self._lock:
            OUTSIDE.closed()
            self._db.close()
