"""Where studies live: an embedded journal file by default, or any Optuna storage URL.

The default store is an Optuna journal file in the working directory (:data:`DEFAULT_STORE`),
readable by Optuna and optuna-dashboard. A search writes it through
:class:`CheckpointedJournalBackend`: the journal is kept in memory and appended to the file
in whole generations every :data:`CHECKPOINT_SECONDS` (one write and one fsync each), so a
study runs near in-memory speed and an interrupted run loses at most one checkpoint. One
process writes a journal at a time: the writer holds an exclusive ``flock`` on the file for
as long as the store is open (released by the kernel if the process dies, so nothing is left
behind), a second writer is refused with one line, and readers (``studies``, ``export``, the
app) read the complete lines already written, a consistent snapshot. A file that is not an
Optuna journal is refused, never truncated; a corrupted line is reported with the way to
recover the entries before it (:func:`recover_journal`).

To share studies between workers or machines, use a database URL (``postgresql://…``, which
needs ``pip install "psycopg[binary]"``, or ``sqlite:///…``): each worker claims, evaluates
and finishes a whole generation per round trip (:mod:`codesign.search.optuna_adapter`), with
Optuna's heartbeat so that the trials of a worker that died are marked failed.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import optuna
from optuna.storages import BaseStorage, JournalStorage
from optuna.storages.journal import BaseJournalBackend

from cost_models import InputError

DEFAULT_STORE = "pfm-codesign.journal"
CHECKPOINT_SECONDS = 2.0
HEARTBEAT_SECONDS = 2  # Optuna's heartbeat on databases; a worker silent for 3× is stale
DATABASE_ATTEMPTS = 4
JOURNAL_START = b'{"op_code":'  # every Optuna journal line starts so


class JournalError(InputError):
    """A journal file that cannot be used as it is."""


class CheckpointedJournalBackend(BaseJournalBackend):
    """An Optuna journal kept in memory and appended to ``path`` at :meth:`flush`.

    ``writer=True`` takes the file's exclusive lock for the backend's lifetime (until
    :meth:`close`); ``writer=False`` reads the complete lines present when opened, never
    creates nor changes the file, and refuses to append.
    """

    def __init__(self, path: str | os.PathLike, writer: bool = True):
        self.path = Path(path)
        self.writer = writer
        self._logs: list[dict[str, Any]] = []
        self._pending: list[dict[str, Any]] = []
        self._file = None
        if writer:
            self._file = _open_locked(self.path)
        try:
            if self.path.exists():
                self._logs, good, torn = read_journal(self.path)
                if writer and torn:  # the torn end of a crashed write: drop it first
                    self._file.truncate(good)
        except BaseException:
            self.close()
            raise

    def read_logs(self, log_number_from: int):
        yield from self._logs[log_number_from:]

    def append_logs(self, logs: list[dict[str, Any]]) -> None:
        if not self.writer:
            raise RuntimeError(f"{self.path} was opened for reading")
        self._logs.extend(logs)
        self._pending.extend(logs)

    def flush(self) -> None:
        """Append every pending operation to the file (one write, one fsync)."""
        if not self._pending:
            return
        text = "".join(json.dumps(log, separators=(",", ":")) + "\n" for log in self._pending)
        try:
            self._file.seek(0, os.SEEK_END)
            self._file.write(text.encode("utf-8"))
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as exc:
            raise InputError(f"cannot write the journal {self.path}: {exc.strerror or exc}; "
                             f"everything before the last checkpoint is kept") from None
        self._pending.clear()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()  # releases the lock
            self._file = None


def _open_locked(path: Path):
    try:
        handle = open(path, "a+b")
    except OSError as exc:
        raise InputError(f"cannot open the journal {path}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise InputError(f"{path} is being written by another pfm-codesign process; a journal "
                         f"has one writer at a time (wait for it, or share a database URL such "
                         f"as postgresql://… between workers)") from None
    return handle


def read_journal(path: Path, upto_corruption: bool = False) -> tuple[list[dict], int, bool]:
    """The operations of journal ``path``, the byte length of the lines they come from, and
    whether more bytes follow (a torn last line, or with ``upto_corruption`` the first
    corrupted line and everything after it). :class:`JournalError` if ``path`` is not an
    Optuna journal, or (unless ``upto_corruption``) a complete line in it is corrupted."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {exc.strerror or exc}",
                           field="storage") from None
    if data and not data.startswith(JOURNAL_START):
        raise JournalError(f"{path} is not an Optuna journal (it does not start with "
                           f"{JOURNAL_START.decode()}…); refusing to use it as a store",
                           field="storage")
    logs, good = [], 0
    for number, line in enumerate(data.split(b"\n")[:-1], start=1):  # complete lines
        try:
            log = json.loads(line)
            if not isinstance(log, dict) or not isinstance(log.get("op_code"), int) \
                    or not isinstance(log.get("worker_id"), str):
                raise ValueError
        except ValueError:
            if upto_corruption:
                break
            raise JournalError(f"{path}: line {number} is corrupted; the {len(logs)} entries "
                               f"before it can be kept with 'pfm-codesign recover {path}'",
                               field="storage") from None
        logs.append(log)
        good += len(line) + 1
    return logs, good, good < len(data)


def recover_journal(path: str | os.PathLike) -> tuple[int, Path]:
    """Keep the entries of a corrupted journal that precede its first bad line: the original
    is kept as ``PATH.corrupt-<time>`` and ``PATH`` rewritten with the good entries (under
    the writer's lock). Returns their number and the name of the kept original."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such journal file")
    handle = _open_locked(path)
    try:
        logs, good, rest = read_journal(path, upto_corruption=True)
        if not rest or b"\n" not in path.read_bytes()[good:]:
            raise InputError(f"{path} is a readable journal; nothing to recover")
        original = path.with_name(f"{path.name}.corrupt-{dt.datetime.now():%Y%m%dT%H%M%S}")
        if original.exists():
            raise InputError(f"{original} exists; move it away and retry")
        os.link(path, original)
        tmp = path.with_name(f".{path.name}.recovering")
        with open(tmp, "wb") as f:
            f.write(path.read_bytes()[:good])
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        handle.close()
    return len(logs), original


@dataclass
class Store:
    """An opened Optuna storage and its display name (never showing a password)."""

    storage: BaseStorage
    name: str
    backend: CheckpointedJournalBackend | None = None
    #: a database that several workers may share: each claims its trials there
    shared: bool = False
    #: trials of stopped workers this process marked failed (Optuna's stale-trial callback)
    stale_failed: list[int] = field(default_factory=list)
    _last_checkpoint: float = field(default_factory=time.monotonic)

    def checkpoint(self, force: bool = False) -> None:
        """Write the journal's pending operations if :data:`CHECKPOINT_SECONDS` have passed
        since the last checkpoint (or ``force``)."""
        if self.backend is None:
            return
        if force or time.monotonic() - self._last_checkpoint >= CHECKPOINT_SECONDS:
            self.backend.flush()
            self._last_checkpoint = time.monotonic()

    def close(self) -> None:
        if self.backend is not None:
            try:
                self.checkpoint(force=True)
            finally:
                self.backend.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def is_journal(url: str) -> bool:
    return url.startswith("journal:") or url.endswith(".journal")


def check_storage(url: str) -> None:
    """Fail before anything is created if ``url`` is neither ``memory``, a journal file (not a
    folder) nor a database URL; whether it opens is :func:`open_storage`'s to find out."""
    if url == "memory":
        return
    if is_journal(url):
        path = Path(url.removeprefix("journal:"))
        if path.is_dir():
            raise InputError(f"{path} is a folder, not a journal file", field="storage")
    elif "://" not in url:
        raise InputError(f"{url!r} is neither a .journal file nor a database URL "
                         f"(sqlite:///file.db, postgresql://user@host/db)", field="storage")


def open_storage(url: str | None, writer: bool = False) -> Store:
    """The storage for ``url``; ``writer`` for a search (locks an embedded journal).

    ``None`` → the embedded journal file in the working directory; a path ending in
    ``.journal`` (or ``journal:PATH``) → that journal file; ``memory`` → nothing persisted;
    anything else → an Optuna database URL (``sqlite:///x.db``, ``postgresql://…``).
    Readers (``writer=False``: listing, export, the app's Studies page) refuse a journal or
    SQLite file that does not exist instead of creating an empty one on a typo, and never
    create Optuna's tables.
    """
    if url is None or url == "":
        url = DEFAULT_STORE
    check_storage(url)
    if url == "memory":
        return Store(optuna.storages.InMemoryStorage(), "memory")
    if is_journal(url):
        path = Path(url.removeprefix("journal:"))
        if not path.parent.exists():
            raise InputError(f"folder {path.parent} does not exist", field="storage")
        if not writer and not path.exists():
            raise InputError(f"no journal file {path} (nothing is stored there yet; check the "
                             f"name)", field="storage")
        backend = CheckpointedJournalBackend(path, writer=writer)
        try:
            storage = JournalStorage(backend)
        except Exception as exc:  # lines that parse but do not replay
            backend.close()
            raise JournalError(f"{path} is not a usable Optuna journal "
                               f"({type(exc).__name__}: {exc})", field="storage") from None
        return Store(storage, str(path), backend)
    database = url.removeprefix("sqlite:///")
    if not writer and url.startswith("sqlite:///") and not Path(database).is_file():
        raise InputError(f"no database file {database} (nothing is stored there yet; check "
                         f"the name)", field="storage")
    store = Store(None, redact(url), shared=True)
    for attempt in range(DATABASE_ATTEMPTS):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                store.storage = optuna.storages.RDBStorage(
                    url, engine_kwargs=_engine_kwargs(url), heartbeat_interval=HEARTBEAT_SECONDS,
                    grace_period=3 * HEARTBEAT_SECONDS, skip_table_creation=not writer,
                    heartbeat_stale_trial_callback=lambda study, trial: store.stale_failed.append(
                        trial.number))
            return store
        except Exception as exc:  # SQLAlchemy raises many kinds; all mean "cannot use this URL"
            # Workers starting together on a fresh database race to create Optuna's tables;
            # the loser sees a unique violation and succeeds on the next attempt.
            if attempt + 1 == DATABASE_ATTEMPTS or not _is_creation_race(exc):
                raise InputError(f"cannot open {redact(url)}: {database_reason(exc, url)}",
                                 field="storage") from None
            time.sleep(0.5 * (attempt + 1))


def database_reason(exc: BaseException, url: str) -> str:
    """The first line of a database error, without the URL's password."""
    cause = exc.__cause__ or exc
    text = (str(cause).strip().splitlines() or [type(cause).__name__])[0][:200]
    password = _password(url)
    return text.replace(password, "***") if password else text


def _engine_kwargs(url: str) -> dict:
    if url.startswith("postgresql"):
        return {"connect_args": {"connect_timeout": 5}, "pool_pre_ping": True}
    return {}


def _password(url: str) -> str | None:
    scheme, sep, rest = url.partition("://")
    userinfo = rest.split("@", 1)[0] if "@" in rest else ""
    return userinfo.split(":", 1)[1] if ":" in userinfo else None


def redact(url: str) -> str:
    """The URL without its password."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest and ":" in rest.split("@", 1)[0]:
        user = rest.split("@", 1)[0].split(":", 1)[0]
        rest = f"{user}:***@{rest.split('@', 1)[1]}"
    return f"{scheme}{sep}{rest}"


def _is_creation_race(exc: Exception) -> bool:
    text = str(exc)
    return any(marker in text for marker in ("UniqueViolation", "UNIQUE constraint",
                                             "already exists", "IntegrityError"))


@contextlib.contextmanager
def database_errors(store: Store, stored: callable):
    """Turn a database failure during a search into one line saying what is kept."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:
        if not store.shared or not _is_database_error(exc):
            raise
        raise InputError(f"lost the database {store.name} during the search "
                         f"({database_reason(exc, '')}); the {stored()} trials stored before are "
                         f"kept: rerun the same command to continue") from None


def _is_database_error(exc: BaseException) -> bool:
    import sqlalchemy.exc

    return isinstance(exc, (sqlalchemy.exc.SQLAlchemyError, optuna.exceptions.StorageInternalError))
