"""What the requests of a write-through turn reached: the records they may have changed.

A SQLite state (``state.sqlite_store``) writes only the records a request may have changed, not the whole
state. A record is changed only by code holding it, and code gets a stored record only from a
``store.Collection`` (``get``, iteration, pages) or as a pending lifecycle step's argument, so those
hand each record they give out to ``REACHED`` while a turn records (``objects`` is a dict then), and a
collection whose members change is reached itself. What a reached record holds directly (not through a
collection) is written with it. Per thread: a turn runs in one thread, and another thread's reads (or
another store's turn) are not this turn's.

A record kind with fields stored a row per part (``kinds.ROWS``: a cluster's Kubernetes objects and
watch event log) names each part it changes (``changed(record, part)``), and only those parts are
written with it.

A read (GET) is not written, unless it changed something: a collection's members, a due transition, a
value made on first read (a cluster's CA, its issuer key), a Kubernetes object a controller made. Those
call ``changed``, so every process on the file serves the value the first one made.

A change made outside any turn while a store is open (a watch's stream applies due transitions and runs
the controllers between its reads; ``m.kubeconfig()`` makes a CA) is kept in ``OUTSIDE`` and written with
the store's next write, as it would have been in a whole-state write.
"""

from __future__ import annotations

import threading
from typing import Any


class Outside:
    """Records changed outside any turn, while a write-through store is open in this process."""

    LIMIT = 100_000  # past this many (an idle store beside a busy in-memory mock), the next write is whole

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stores = 0  # open stores: records are kept only while there is one to write them
        self._records: dict[int, Any] = {}
        self._parts: dict[int, set[Any]] = {}
        self._count = 0
        self._overflowed = False

    def add(self, record: Any, part: Any = None) -> None:
        if self._stores:
            with self._lock:
                if not self._stores or self._overflowed:
                    return
                self._records[id(record)] = record
                if part is not None:
                    self._parts.setdefault(id(record), set()).add(part)
                self._count += 1
                if self._count > self.LIMIT:
                    self._records.clear()
                    self._parts.clear()
                    self._overflowed = True

    def take(self) -> tuple[list[Any], dict[int, set[Any]]] | None:
        """The records changed outside a turn since the last ``take``, and the parts of them changed
        (``changed``), by id (None: too many were, write all)."""
        with self._lock:
            taken = None if self._overflowed else (list(self._records.values()), self._parts)
            self._records, self._parts = {}, {}
            self._count = 0
            self._overflowed = False
            return taken

    def opened(self) -> None:
        with self._lock:
            self._stores += 1

    def closed(self) -> None:
        with self._lock:
            self._stores -= 1
            if not self._stores:
                self._records.clear()
                self._parts.clear()
                self._count = 0


OUTSIDE = Outside()


class Reached(threading.local):
    def __init__(self) -> None:
        # id(record) -> record (kept alive, so an id stays unique) while a turn records; None otherwise
        self.objects: dict[int, Any] | None = None
        self.parts: dict[int, set[Any]] = {}  # id(record) -> the parts of it changed (``kinds.ROWS``)
        self.changes = False  # whether a turn's request changed something (see ``changed``)

    def add(self, record: Any) -> None:
        objects = self.objects
        if objects is not None:
            objects[id(record)] = record

    def changed(self, record: Any, part: Any = None) -> None:
        """``record`` changed (``part``: the part of it, ``(field, *keys)``, if its kind keeps that field a
        row per part): the turn is written, even a read's (outside a turn: with the next write)."""
        objects = self.objects
        if objects is not None:
            objects[id(record)] = record
            if part is not None:
                self.parts.setdefault(id(record), set()).add(part)
            self.changes = True
        else:
            OUTSIDE.add(record, part)


REACHED = Reached()
