"""botocore sessions that share one model loader (a new session's own loader reads the JSON models again)."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _shared_model_loader() -> Any:
    import botocore.session  # lazy: botocore costs ~0.1 s and the plugin may never need it

    return botocore.session.get_session().get_component("data_loader")


def fresh_botocore_session() -> Any:
    """A new botocore session (its own credentials, resolved now) sharing one model loader with every
    other one made here: a new session's own loader reads botocore's JSON models again (~0.1 s)."""
    import botocore.session  # lazy: see _shared_model_loader

    session = botocore.session.get_session()
    session.register_component("data_loader", _shared_model_loader())
    return session
