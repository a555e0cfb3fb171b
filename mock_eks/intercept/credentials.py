"""Fake AWS credentials while a mock is active: in the environment, in boto3's default session, and in
the signature of every EKS and EKS Auth request.

Environment: the default credential chain finds the fake keys first (the environment provider comes
first, and without a profile variable nothing reads shared files, SSO, containers or IMDS). They come
off on the last stop, and the environment ends exactly as it was before, in every order of start and
stop beside moto's ``mock_aws`` (which saves what it finds and puts it back at its own stop):

- moto stops while mock_eks is active: moto puts back what it found (the user's keys, or ours); ours go
  back in place and what moto restored is what mock_eks puts back later;
- mock_eks stops while moto's keys sit over ours: moto saved ours and will put them back at its stop,
  so mock_eks settles then, replacing its own values with what they stood for.

Both are done by wrapping ``MockAWS.stop`` while mock_eks is active or owes a value; nothing else of
moto is touched. boto3's default session follows the same rules.

Signing: a client made with an explicit profile (``boto3.Session(profile_name=...)``) or explicit keys
does not use the environment. For an EKS or EKS Auth host, ``sign_as_mock`` gives botocore's signer
per-request credentials (``request.context["signing"]["request_credentials"]``, honoured by botocore
and aiobotocore), so the client's own credentials are never read, refreshed or used: a fake secret,
no session token, and the fake access key id, unless the key id is an account choice rather than a
key (12 digits, mock_eks's account rule) or one moto issued (moto's account rule while linked).
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from typing import Any

from mock_eks.model.accounts import FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, is_account
from mock_eks.model.sessions import fresh_botocore_session

_FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_ACCESS_KEY,
    "AWS_EC2_METADATA_DISABLED": "true",
}
_CLEARED_ENVIRONMENT = (
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
)
_UNSET: Any = object()


def _set(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


# -- boto3's default session -----------------------------------------------------------------------


class FreshDefaultSession:
    """boto3's default session while a mock is active: a new one (credentials resolved inside the mock),
    made on first use so that an activation costs nothing when boto3's default session is not used."""

    made: Any = None  # the boto3.Session this stands for, once made

    def __getattr__(self, name: str) -> Any:
        import boto3

        real = self.made
        if real is None:
            real = boto3.Session(botocore_session=fresh_botocore_session())
            paths = real._loader.search_paths  # boto3 appends its data path to the shared loader each time
            paths[:] = list(dict.fromkeys(paths))
            self.made = real
        if boto3.DEFAULT_SESSION is self:
            boto3.DEFAULT_SESSION = real
        return getattr(real, name)

    def is_current(self, session: Any) -> bool:
        return session is self or (self.made is not None and session is self.made)


# -- the environment and the default session -------------------------------------------------------


class FakeEnvironment:
    """Fake credentials in the environment and a fresh boto3 default session while active."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.active = False
        self.saved: dict[str, str | None] = {}  # name -> the value ours replaced
        self.placed: dict[str, str | None] = {}  # name -> ours (None: unset)
        self.owed: dict[str, tuple[str | None, str | None]] = {}  # name -> (ours, what it stood for)
        self.default_session: Any = _UNSET  # what our default session replaced
        self.fresh: FreshDefaultSession | None = None
        self.owed_session: tuple[FreshDefaultSession, Any] | None = None

    def place(self) -> None:
        with self.lock:
            env = os.environ
            wanted: dict[str, str | None] = dict.fromkeys(_CLEARED_ENVIRONMENT)
            wanted.update(_FAKE_ENVIRONMENT)
            key = env.get("AWS_ACCESS_KEY_ID", "")
            if is_account(key) and env.get("AWS_SECRET_ACCESS_KEY"):
                # a 12-digit key id is no real key, only the documented way to choose the account: keep it
                wanted.pop("AWS_ACCESS_KEY_ID")
                wanted.pop("AWS_SECRET_ACCESS_KEY")
            for name, value in wanted.items():
                current = env.get(name)
                owed = self.owed.get(name)
                if owed is not None and current == owed[0]:
                    # ours from an earlier activation, still standing for what it replaced then
                    del self.owed[name]
                    self.saved[name] = owed[1]
                else:  # (a debt stays: moto still holds ours, to put back at its stop)
                    self.saved[name] = current
                _set(name, value)
            self.placed = wanted
            self.active = True
            boto3 = sys.modules.get("boto3")
            if boto3 is not None:
                pending, current = self.owed_session, boto3.DEFAULT_SESSION
                if pending is not None and pending[0].is_current(current):
                    self.default_session, self.owed_session = pending[1], None
                else:
                    self.default_session = current
                self.fresh = FreshDefaultSession()
                boto3.DEFAULT_SESSION = self.fresh  # type: ignore[attr-defined]  # untyped in boto3
            _watch_moto(self)

    def restore(self) -> None:
        with self.lock:
            moto_holds = _moto_active()
            for name, value in self.saved.items():
                ours = self.placed.get(name)
                if os.environ.get(name) == ours:
                    _set(name, value)
                elif moto_holds:
                    self.owed[name] = (ours, value)  # moto saved ours: settled when moto stops
                # else: changed by someone else since (a test): theirs now
            self.saved, self.placed = {}, {}
            boto3 = sys.modules.get("boto3")
            fresh, self.fresh = self.fresh, None
            if boto3 is not None and fresh is not None and self.default_session is not _UNSET:
                if moto_holds and not fresh.is_current(boto3.DEFAULT_SESSION):
                    self.owed_session = (fresh, self.default_session)  # moto's now; it will put ours back
                else:  # ours, or one made inside the mock (with the fake keys): the one from before returns
                    boto3.DEFAULT_SESSION = self.default_session  # type: ignore[attr-defined]
            self.default_session = _UNSET
            self.active = False
            if self.owed or self.owed_session is not None:
                _watch_moto(self)  # moto may have been imported since this activation started
            else:
                _unwatch_moto()

    def after_moto_stop(self, names: list[str]) -> None:
        """moto's ``stop`` has put back the ``names`` it saved (and its default session, if last)."""
        with self.lock:
            boto3 = sys.modules.get("boto3")
            if self.active:
                for name in names:
                    ours = self.placed.get(name, _UNSET)
                    if ours is _UNSET:
                        continue
                    current = os.environ.get(name)
                    owed = self.owed.pop(name, None)
                    if owed is not None and current == owed[0]:
                        self.saved[name] = owed[1]  # moto put back ours of an earlier activation
                    elif current != ours:
                        self.saved[name] = current  # what moto found before it: ours to restore later
                    _set(name, ours)
                fresh = self.fresh
                if boto3 is not None and fresh is not None and not _moto_active():
                    # moto's last stop put back the default session it found
                    current, pending = boto3.DEFAULT_SESSION, self.owed_session
                    if pending is not None and pending[0].is_current(current):
                        self.default_session, self.owed_session = pending[1], None
                    elif not fresh.is_current(current):
                        self.default_session = current
                    boto3.DEFAULT_SESSION = fresh  # type: ignore[attr-defined]
                return
            for name, (ours, before) in list(self.owed.items()):
                if os.environ.get(name) == ours:
                    _set(name, before)
                    del self.owed[name]
            pending = self.owed_session
            if boto3 is not None and pending is not None and pending[0].is_current(boto3.DEFAULT_SESSION):
                boto3.DEFAULT_SESSION = pending[1]  # type: ignore[attr-defined]
                self.owed_session = None
            if not _moto_active():  # moto is gone: nothing more will be put back
                self.owed.clear()
                self.owed_session = None
            if not self.owed and self.owed_session is None:
                _unwatch_moto()


# -- moto's mock_aws -------------------------------------------------------------------------------

_watching: FakeEnvironment | None = None
_original_stop: Any = None


def _moto_class() -> Any:
    models = sys.modules.get("moto.core.models")
    return getattr(models, "MockAWS", None) if models is not None else None


def _moto_active() -> bool:
    """Any ``mock_aws`` active, server and proxy modes included (they count on their own classes and
    also put fake keys in the environment)."""
    root = _moto_class()
    pending = [root] if root is not None else []
    while pending:
        cls = pending.pop()
        if vars(cls).get("_nested_count"):
            return True
        pending.extend(cls.__subclasses__())
    return False


def _stop_then_settle(self: Any, *args: Any, **kwargs: Any) -> Any:
    original = _original_stop
    try:
        return original(self, *args, **kwargs)
    finally:
        watching = _watching
        if watching is not None:
            watching.after_moto_stop(list(getattr(self, "_orig_creds", None) or ()))


def _watch_moto(environment: FakeEnvironment) -> None:
    """Hear about every ``mock_aws`` stop (moto imported: it may be active, or start later)."""
    global _watching, _original_stop
    _watching = environment
    mock_class = _moto_class()
    if mock_class is None or vars(mock_class).get("stop") is _stop_then_settle:
        return
    _original_stop = mock_class.stop
    mock_class.stop = _stop_then_settle


def _unwatch_moto() -> None:
    global _watching
    _watching = None
    mock_class = _moto_class()
    if mock_class is not None and vars(mock_class).get("stop") is _stop_then_settle:
        mock_class.stop = _original_stop
    # else: someone wrapped ours since: it stays below theirs, inert without an environment to watch


# -- signing EKS requests --------------------------------------------------------------------------


def _known_access_key(credentials: Any) -> str | None:
    """The access key id ``credentials`` already hold, without resolving or refreshing anything."""
    if credentials is None:
        return None
    held = vars(credentials) if hasattr(credentials, "__dict__") else {}
    key = held.get("access_key") or held.get("_access_key")
    return key if isinstance(key, str) else None


def _issued_by_moto(key: str) -> bool:
    if key == FAKE_ACCESS_KEY_ID or not _moto_active():
        return False
    models = sys.modules.get("moto.iam.models")  # not imported: moto has issued no key yet
    iam_backends = getattr(models, "iam_backends", None)
    if iam_backends is None:
        return False
    for account in list(dict.values(iam_backends)):
        for partition in list(dict.values(account)):
            if key in getattr(partition, "access_keys", {}):
                return True
    return False


def signing_access_key(credentials: Any) -> str:
    """The access key id an EKS request signed by the mock carries (see the module docstring)."""
    key = _known_access_key(credentials)
    if key and (is_account(key) or _issued_by_moto(key)):
        return key
    return FAKE_ACCESS_KEY_ID


def sign_as_mock(request: Any, signer: Any, asynchronous: bool) -> None:
    """Have botocore's signer sign ``request`` with the mock's credentials (an EKS host, mock active)."""
    context = getattr(request, "context", None)
    if context is None:
        return
    signing = context.get("signing") or {}
    current = signing.get("request_credentials") or getattr(signer, "_credentials", None)
    if not asynchronous and _plain_fake(current):
        return  # the usual case under the mock: a client made from its own environment keys
    fake = _fake_credentials(signing_access_key(current), asynchronous)
    context["signing"] = {**signing, "request_credentials": fake}


@functools.cache
def _static_credentials_class() -> Any:
    # imported once, on the first signed call (an import statement per call would cost about 1 µs)
    from botocore.credentials import Credentials

    return Credentials


def _plain_fake(credentials: Any) -> bool:
    # static botocore credentials already holding the mock's keys sign the same; refreshable ones are
    # still swapped, since signing with them could refresh (and so call out)
    if type(credentials) is not _static_credentials_class():
        return False
    return (
        credentials.access_key == FAKE_ACCESS_KEY_ID
        and credentials.secret_key == FAKE_SECRET_ACCESS_KEY
        and not credentials.token
    )


_FAKE_CREDENTIALS: dict[tuple[str, bool], Any] = {}


def _fake_credentials(key: str, asynchronous: bool) -> Any:
    # static, never refreshed: one object per key id spares every signed call a construction
    fake = _FAKE_CREDENTIALS.get((key, asynchronous))
    if fake is None:
        if asynchronous:
            from aiobotocore.credentials import AioCredentials

            fake = AioCredentials(key, FAKE_SECRET_ACCESS_KEY)
        else:
            fake = _static_credentials_class()(key, FAKE_SECRET_ACCESS_KEY)
        if len(_FAKE_CREDENTIALS) >= 1024:  # keys come from whatever clients a test makes: bounded
            _FAKE_CREDENTIALS.clear()
        _FAKE_CREDENTIALS[(key, asynchronous)] = fake
    return fake
