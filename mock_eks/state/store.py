"""In-memory state: one RegionStore per (account, region), inside one Backend per activation."""

from __future__ import annotations

import secrets
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from mock_eks.state.faults import Faults
from mock_eks.state.lifecycle import Lifecycle
from mock_eks.state.reach import REACHED

T = TypeVar("T")
# one thing the moto link made in moto: (kind, account, region, resource id, owner ARN)
MotoEntry = tuple[str, str, str, str, str]


class Collection(Generic[T]):
    """Records by key, in insertion order, resumable from a position in O(log n + page).

    Each insertion gets a sequence number; pagination tokens carry the sequence
    number of the last record served, so a page costs the same whatever the
    collection's size, and deletions between pages do not skip or repeat records.
    """

    __slots__ = ("_items", "_seq_of", "_keys", "_seqs", "_next", "_dead", "_sorted")

    def __init__(self) -> None:
        self._items: dict[str, T] = {}
        self._seq_of: dict[str, int] = {}
        self._keys: list[str] = []
        self._seqs: list[int] = []
        self._next = 0
        self._dead = 0
        # the keys in sorted order, built on the first by-key page after a change (not part of snapshots)
        self._sorted: list[str] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        items = list(self._items.values())
        if REACHED.objects is not None:
            for item in items:
                REACHED.add(item)
        return iter(items)

    def get(self, key: str) -> T | None:
        item = self._items.get(key)
        if item is not None and REACHED.objects is not None:
            REACHED.add(item)
        return item

    def keys(self) -> list[str]:
        return list(self._items)

    def add(self, key: str, item: T) -> T:
        if key in self._items:
            self.remove(key)
        REACHED.changed(self)
        REACHED.add(item)
        self._sorted = None
        seq = self._next
        self._next += 1
        self._items[key] = item
        self._seq_of[key] = seq
        self._keys.append(key)
        self._seqs.append(seq)
        return item

    def remove(self, key: str) -> T | None:
        item = self._items.pop(key, None)
        if item is None:
            return None
        REACHED.changed(self)
        self._sorted = None
        del self._seq_of[key]
        self._dead += 1
        if self._dead > 32 and self._dead * 2 > len(self._keys):
            self._compact()
        return item

    def _compact(self) -> None:
        pairs = [(k, s) for k, s in zip(self._keys, self._seqs, strict=True) if self._seq_of.get(k) == s]
        self._keys = [k for k, _ in pairs]
        self._seqs = [s for _, s in pairs]
        self._dead = 0

    def page(
        self, after: int | None, limit: int, predicate: Callable[[T], bool] | None = None
    ) -> tuple[list[T], int | None]:
        """Up to ``limit`` records after sequence number ``after``, and the position to resume from."""
        start = 0 if after is None else bisect_right(self._seqs, after)
        out: list[T] = []
        keys, seqs, seq_of, items = self._keys, self._seqs, self._seq_of, self._items
        last = None
        for index in range(start, len(keys)):
            key = keys[index]
            seq = seqs[index]
            if seq_of.get(key) != seq:
                continue
            item = items[key]
            if predicate is not None and not predicate(item):
                continue
            if len(out) == limit:
                return _reached(out), last
            out.append(item)
            last = seq
        return _reached(out), None

    def page_by_key(
        self, after: str | None, limit: int, predicate: Callable[[T], bool] | None = None
    ) -> tuple[list[T], str | None]:
        """Up to ``limit`` records in key order after key ``after``, and the key to resume after.

        For the List operations real EKS answers in name order (see tests/recordings: ListAddons,
        ListAccessEntries, ListClusters). Resuming after a key neither skips nor repeats records when
        others are added or removed between pages.
        """
        if self._sorted is None:
            self._sorted = sorted(self._items)
        keys, items = self._sorted, self._items
        start = 0 if after is None else bisect_right(keys, after)
        out: list[T] = []
        last = None
        for index in range(start, len(keys)):
            item = items[keys[index]]
            if predicate is not None and not predicate(item):
                continue
            if len(out) == limit:
                return _reached(out), last
            out.append(item)
            last = keys[index]
        return _reached(out), None


def _reached(items: list[T]) -> list[T]:
    if REACHED.objects is not None:
        for item in items:
            REACHED.add(item)
    return items


class RegionStore:
    """Everything one account holds in one region."""

    def __init__(self, account: str, region: str, partition: str) -> None:
        self.account = account
        self.region = region
        self.partition = partition
        self.clusters: Collection[Any] = Collection()
        self.subscriptions: Collection[Any] = Collection()
        # (operation, clientRequestToken) -> (parameter fingerprint, result)
        self.idempotency: dict[tuple[str, str], tuple[int, Any]] = {}
        # per-family state that is not a child of a cluster, keyed by family
        self.extras: dict[str, Any] = {}


class Backend:
    """The whole state of one outermost activation of the mock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.regions: dict[tuple[str, str], RegionStore] = {}
        self.lifecycle = Lifecycle(self)
        # signs pagination tokens: a token is valid only in the activation (or server) that issued it
        self.token_key = secrets.token_bytes(16)
        self.faults = Faults(self)
        # seconds the mock's clock runs ahead of time.time() (m.advance); freezegun moves time.time() itself
        self.clock_offset = 0.0
        # the link to moto's in-process backends: "link", "strict" or "off" (mock_eks.moto_link)
        self.moto = "link"
        # server mode: moto's requests carry mock_eks's account, so the server's account rule holds
        self.moto_server = False
        # what the moto link made in moto for this backend, oldest first (removed when the backend ends)
        self.moto_created: list[MotoEntry] = []

    def now(self) -> float:
        """The mock's clock: ``time.time()`` (which freezegun drives) plus what ``advance`` added."""
        return time.time() + self.clock_offset

    def region(self, account: str, region: str, partition: str) -> RegionStore:
        store = self.regions.get((account, region))
        if store is None:
            store = self.regions[(account, region)] = RegionStore(account, region, partition)
        return store
