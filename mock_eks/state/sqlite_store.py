"""A write-through state in SQLite (``--state x.db`` / ``mock_eks(state="x.db")``), shared by processes.

Granularity: the whole state, as one snapshot (``snapshot.take``) in one row, with a generation number.
Every request (EKS, control, and in server mode the Kubernetes API's through the CONNECT tunnel) runs
inside one SQLite write transaction (``BEGIN IMMEDIATE``, so requests of every process on the file take
turns): at its start the process reloads the state if the generation moved since it last
saw it (another process wrote), the request runs against it, and a request that changed something writes
the new snapshot and the next generation before ``COMMIT``. The answer goes out after the commit, so an
acknowledged change is on disk (WAL journal; ``synchronous=NORMAL`` survives the process being killed at
any point, which is what a mock needs, not a power cut). Cost: one snapshot per changing request, so
throughput falls as the state grows; CI-sized states (tens of clusters) stay well within the benchmark's
goal (``benchmarks/bench_calls.py --sqlite``).

Requests that cannot change anything are not written: GET and HEAD (EKS's Describe and List operations,
and the control plane's reads) unless a pending transition came due or a call fault fired during them.
A due transition that is not written is not lost: it is still pending in the written state, and the next
process to load it applies it at the same due time.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mock_eks.state.store import Backend

SUFFIXES = (".db", ".sqlite", ".sqlite3")
_SCHEMA = "CREATE TABLE IF NOT EXISTS mock_eks_state (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL, snapshot TEXT NOT NULL)"
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
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute(_SCHEMA)
        self._generation: int | None = None
        self.backend: Backend | None = None

    def load(self) -> Backend | None:
        """The stored state (None for a fresh store, which nothing has written yet)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._refresh()
            finally:
                self._db.execute("COMMIT")
            return self.backend

    def _refresh(self) -> None:
        row = self._db.execute("SELECT generation FROM mock_eks_state WHERE id = 1").fetchone()
        if row is None or row[0] == self._generation:
            return
        from mock_eks.state import snapshot

        (text,) = self._db.execute("SELECT snapshot FROM mock_eks_state WHERE id = 1").fetchone()
        self.backend = snapshot.restore(json.loads(text))
        self._generation = row[0]

    @contextmanager
    def transaction(self, backend: Backend, read_only: bool = False) -> Iterator[Transaction]:
        """One request's turn on the state; ``backend`` is this process's copy (replaced when stale)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if self.backend is None:
                    self.backend = backend
                self._refresh()
                turn = Transaction(self.backend, read_only)
                yield turn
                if turn.changed():
                    self._write(turn.backend)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                self._generation = None  # what ran may have changed this copy: read it again
                self.backend = None
                raise

    def save(self, backend: Backend) -> None:
        """Write ``backend`` as the state now (a restore or reset made outside a request)."""
        with self.transaction(backend) as turn:
            turn.backend = backend

    def _write(self, backend: Backend) -> None:
        from mock_eks.state import snapshot

        with backend.lock:
            text = json.dumps(snapshot.take(backend), separators=(",", ":"))
        generation = (self._generation or 0) + 1
        self._db.execute(
            "INSERT INTO mock_eks_state (id, generation, snapshot) VALUES (1, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, snapshot = excluded.snapshot",
            (generation, text),
        )
        self._generation = generation
        self.backend = backend

    def close(self) -> None:
        with self._lock:
            self._db.close()
