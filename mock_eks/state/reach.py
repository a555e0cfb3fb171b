"""What the requests of a write-through turn reached: the records they may have changed.

A SQLite state (``state.sqlite_store``) writes only the records a request may have changed, not the whole
state. A record is changed only by code holding it, and code gets a stored record only from a
``store.Collection`` (``get``, iteration, pages) or as a pending lifecycle step's argument, so those
hand each record they give out to ``REACHED`` while a turn records (``objects`` is a dict then), and a
collection whose members change is reached itself. What a reached record holds directly (not through a
collection) is written with it. Outside a turn ``objects`` is None and nothing is kept. Per thread: a
turn runs in one thread, and another thread's reads (or another store's turn) are not this turn's.

A read (GET) is not written, unless it changed something: a collection's members, a value made on first
read (a cluster's CA, its issuer key), a Kubernetes object a controller made. Those call ``changed``, so
every process on the file serves the value the first one made.
"""

from __future__ import annotations

import threading
from typing import Any


class Reached(threading.local):
    def __init__(self) -> None:
        # id(record) -> record (kept alive, so an id stays unique) while a turn records; None otherwise
        self.objects: dict[int, Any] | None = None
        self.changes = False  # whether a turn's request changed something (see ``changed``)

    def add(self, record: Any) -> None:
        objects = self.objects
        if objects is not None:
            objects[id(record)] = record

    def changed(self, record: Any) -> None:
        """``record`` changed: the turn is written, even a read's."""
        objects = self.objects
        if objects is not None:
            objects[id(record)] = record
            self.changes = True


REACHED = Reached()
