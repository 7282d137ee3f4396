"""Where studies live: an embedded journal file by default, or any Optuna storage URL.

The default store is an Optuna journal file in the working directory
(:data:`DEFAULT_STORE`), readable by Optuna and optuna-dashboard. It is written through
:class:`CheckpointedJournalBackend`, which keeps the journal in memory and appends it to the
file in bulk (one lock and one fsync per checkpoint instead of per operation): a study runs
near in-memory speed and an interrupted run loses at most the operations since the last
checkpoint. That backend assumes one writing process per file; to share a study between
workers, use a database URL (``postgresql://…``, which needs ``pip install "psycopg[binary]"``,
or ``sqlite:///…``): searches then run on the database directly, so workers see each other's
trials.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import optuna
from optuna.storages import BaseStorage, JournalStorage
from optuna.storages.journal import BaseJournalBackend, JournalFileOpenLock

from cost_models import InputError

DEFAULT_STORE = "pfm-codesign.journal"
CHECKPOINT_SECONDS = 1.0
DATABASE_ATTEMPTS = 4


class CheckpointedJournalBackend(BaseJournalBackend):
    """An Optuna journal kept in memory and appended to ``path`` at checkpoints."""

    def __init__(self, path: str | os.PathLike, checkpoint_seconds: float = CHECKPOINT_SECONDS):
        self.path = Path(path)
        self.checkpoint_seconds = checkpoint_seconds
        self._logs: list[dict[str, Any]] = []
        self._pending: list[dict[str, Any]] = []
        self._last_flush = time.monotonic()
        self.path.touch(exist_ok=True)
        self._known_size = self._load()

    def _load(self) -> int:
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]  # a torn last line from a crash is dropped
        if len(complete) != len(data):
            with open(self.path, "r+b") as f:
                f.truncate(len(complete))
        for line in complete.splitlines():
            if line.strip():
                self._logs.append(json.loads(line))
        return len(complete)

    def read_logs(self, log_number_from: int):
        yield from self._logs[log_number_from:]

    def append_logs(self, logs: list[dict[str, Any]]) -> None:
        self._logs.extend(logs)
        self._pending.extend(logs)
        if time.monotonic() - self._last_flush >= self.checkpoint_seconds:
            self.flush()

    def flush(self) -> None:
        """Append every pending operation to the file (one lock, one fsync)."""
        self._last_flush = time.monotonic()
        if not self._pending:
            return
        text = "".join(json.dumps(log, separators=(",", ":")) + "\n" for log in self._pending)
        lock = JournalFileOpenLock(str(self.path))
        lock.acquire()
        try:
            if self.path.stat().st_size != self._known_size:
                raise RuntimeError(f"{self.path} was changed by another process; the embedded "
                                   f"journal supports one writer (use a database URL to share)")
            with open(self.path, "ab") as f:
                f.write(text.encode("utf-8"))
                f.flush()
                os.fsync(f.fileno())
            self._known_size = self.path.stat().st_size
        finally:
            lock.release()
        self._pending.clear()


@dataclass
class Store:
    """An opened Optuna storage, its display name, and its checkpointing backend if any."""

    storage: BaseStorage
    name: str
    backend: CheckpointedJournalBackend | None = None
    #: a database that several workers may share: searches run on it directly
    shared: bool = False

    def flush(self) -> None:
        if self.backend is not None:
            self.backend.flush()


def open_storage(url: str | None, create: bool = True) -> Store:
    """The storage for ``url``.

    ``None`` → the embedded journal file in the working directory; a path ending in
    ``.journal`` (or ``journal:PATH``) → that journal file; ``memory`` → nothing persisted;
    anything else → an Optuna database URL (``sqlite:///x.db``, ``postgresql://…``).
    ``create=False`` (readers: listing, export, the app's Studies page) refuses a journal or
    SQLite file that does not exist instead of creating an empty one on a typo.
    """
    if url is None or url == "":
        url = DEFAULT_STORE
    if url == "memory":
        return Store(optuna.storages.InMemoryStorage(), "memory")
    if url.startswith("journal:") or url.endswith(".journal"):
        path = Path(url.removeprefix("journal:"))
        if not path.parent.exists() and str(path.parent) not in ("", "."):
            raise InputError(f"--storage: folder {path.parent} does not exist")
        if not create and not path.exists():
            raise InputError(f"--storage: no journal file {path} (nothing is stored there yet; "
                             f"check the name)")
        try:
            backend = CheckpointedJournalBackend(path)
            return Store(JournalStorage(backend), str(path), backend)
        except (OSError, ValueError) as exc:
            raise InputError(f"--storage: cannot open journal {path}: {exc}") from None
    if "://" not in url:
        raise InputError(f"--storage: {url!r} is neither a .journal file nor a database URL "
                         f"(sqlite:///file.db, postgresql://user@host/db)")
    database = url.removeprefix("sqlite:///")
    if not create and url.startswith("sqlite:///") and not Path(database).exists():
        raise InputError(f"--storage: no database file {database} (nothing is stored there "
                         f"yet; check the name)")
    for attempt in range(DATABASE_ATTEMPTS):
        try:
            storage = optuna.storages.RDBStorage(url, engine_kwargs=_engine_kwargs(url))
            return Store(storage, _redact(url), shared=True)
        except Exception as exc:  # SQLAlchemy raises many kinds; all mean "cannot use this URL"
            # Workers starting together on a fresh database race to create Optuna's tables;
            # the loser sees a unique violation and succeeds on the next attempt.
            if attempt + 1 == DATABASE_ATTEMPTS or not _is_creation_race(exc):
                reason = str(exc).splitlines()[0][:200]
                raise InputError(f"--storage: cannot open {_redact(url)}: {reason}") from None
            time.sleep(0.5 * (attempt + 1))


def _engine_kwargs(url: str) -> dict:
    if url.startswith("postgresql"):
        return {"connect_args": {"connect_timeout": 5}}
    return {}


def _redact(url: str) -> str:
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
