"""Layer 3, the state: the store and its records' lifecycle, the mock clock, fault injection, snapshots,
seeds and the active backend."""
