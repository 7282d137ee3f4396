"""The storage module's guarantees, function by function: a password is never shown, journal
lines are read exactly (torn end, corrupted line, not a journal), one writer at a time,
checkpoints on time, and a lost race to create a database's tables is retried."""
import json
import re
from types import SimpleNamespace

import pytest

from codesign.search import storage
from codesign.search.storage import (CheckpointedJournalBackend, JournalError, Store,
                                     _is_creation_race, database_reason, read_journal, redact)
from cost_models import InputError

LOGS = [{"op_code": 0, "worker_id": "w", "study_name": "a"}, {"op_code": 5, "worker_id": "w"}]


def journal(path, *lines: bytes):
    path.write_bytes(b"".join(lines))
    return path


def line(log: dict) -> bytes:
    return json.dumps(log, separators=(",", ":")).encode() + b"\n"


@pytest.mark.parametrize("url, shown", [
    ("postgresql://alice:s3cret@db:5432/pfm", "postgresql://alice:***@db:5432/pfm"),
    ("postgresql+psycopg://alice:s3cret@db/pfm", "postgresql+psycopg://alice:***@db/pfm"),
    ("postgresql://:s3cret@db/pfm", "postgresql://:***@db/pfm"),
    ("postgresql://alice@db:5432/pfm", "postgresql://alice@db:5432/pfm"),
    ("sqlite:///x.db", "sqlite:///x.db"),
    ("s.journal", "s.journal"),
])
def test_redact_hides_the_password_and_nothing_else(url, shown):
    assert redact(url) == shown


def test_a_database_error_is_its_first_line_without_the_password():
    url = "postgresql://alice:s3cret@db/pfm"
    cause = RuntimeError("FATAL: password s3cret rejected for alice\nDETAIL: more")
    error = ValueError("wrapper")
    error.__cause__ = cause
    assert database_reason(error, url) == "FATAL: password *** rejected for alice"
    assert database_reason(RuntimeError("x" * 300), url) == "x" * 200
    assert database_reason(RuntimeError(""), url) == "RuntimeError"
    assert database_reason(RuntimeError("no password s3cret"), "sqlite:///x.db") \
        == "no password s3cret"


@pytest.mark.parametrize("text", ["psycopg.errors.UniqueViolation: duplicate key",
                                  "UNIQUE constraint failed: studies.study_name",
                                  'relation "studies" already exists',
                                  "(sqlite3.IntegrityError) constraint failed"])
def test_a_lost_table_creation_race_is_recognised(text):
    assert _is_creation_race(RuntimeError(text))


def test_other_database_errors_are_no_creation_race():
    assert not _is_creation_race(RuntimeError("connection refused"))


def test_a_journal_is_read_line_by_line_up_to_a_torn_end(tmp_path):
    path = journal(tmp_path / "j", line(LOGS[0]), line(LOGS[1]), b'{"op_code":5,"wor')
    assert read_journal(path) == (LOGS, len(line(LOGS[0]) + line(LOGS[1])), True)
    journal(path, line(LOGS[0]), line(LOGS[1]))
    assert read_journal(path) == (LOGS, path.stat().st_size, False)
    assert read_journal(journal(path)) == ([], 0, False)


@pytest.mark.parametrize("bad", [b"#garbage#", b'{"op_code":"5","worker_id":"w"}',
                                 b'{"op_code":5,"worker_id":7}', b'{"op_code":5}', b"[5]"])
def test_a_corrupted_line_is_named_and_can_be_read_up_to(tmp_path, bad):
    path = journal(tmp_path / "j", line(LOGS[0]), bad + b"\n", line(LOGS[1]))
    with pytest.raises(JournalError, match=r"j: line 2 is corrupted; the 1 entries before it "
                                           r"can be kept with 'pfm-codesign recover"):
        read_journal(path)
    assert read_journal(path, upto_corruption=True) == ([LOGS[0]], len(line(LOGS[0])), True)


def test_a_file_that_is_not_a_journal_is_refused(tmp_path):
    with pytest.raises(JournalError, match="is not an Optuna journal"):
        read_journal(journal(tmp_path / "j", b"op_code\n"))
    with pytest.raises(JournalError, match="cannot read"):
        read_journal(tmp_path)
    with pytest.raises(InputError, match="cannot open the journal"):
        CheckpointedJournalBackend(tmp_path, writer=True)


@pytest.mark.parametrize("url, message", [
    ("journal:{tmp}", "is a folder, not a journal file"), ("{tmp}/no/s.journal", "does not exist"),
    ("{tmp}/s.journal", "no journal file"), ("{tmp}/s.db", "neither a .journal file nor"),
    ("sqlite:///{tmp}/s.db", "no database file {tmp}/s.db "),
])
def test_a_reader_names_what_is_wrong_with_the_storage(tmp_path, url, message):
    with pytest.raises(InputError, match=re.escape(message.format(tmp=tmp_path))):
        storage.open_storage(url.format(tmp=tmp_path))


def test_the_default_store_memory_and_a_journal_open_under_their_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for url in (None, ""):
        with storage.open_storage(url, writer=True) as store:
            assert store.name == storage.DEFAULT_STORE and not store.shared
    memory = storage.open_storage("memory")
    assert memory.name == "memory" and memory.storage.get_all_studies() == []
    with storage.open_storage(f"journal:{tmp_path}/j.journal", writer=True) as store:
        assert store.name == f"{tmp_path}/j.journal"
    assert (tmp_path / "j.journal").exists()


def test_recover_refuses_what_it_cannot_or_need_not_recover(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="no such journal file"):
        storage.recover_journal(tmp_path / "none.journal")
    torn = journal(tmp_path / "t.journal", line(LOGS[0]), b'{"op_code":5,"wor')
    with pytest.raises(InputError, match="nothing to recover"):
        storage.recover_journal(torn)
    assert torn.read_bytes() == line(LOGS[0]) + b'{"op_code":5,"wor'
    moment = storage.dt.datetime(2026, 1, 2, 3, 4, 5)
    monkeypatch.setattr(storage, "dt", SimpleNamespace(datetime=SimpleNamespace(
        now=lambda: moment)))
    bad = journal(tmp_path / "b.journal", line(LOGS[0]), b"#\n")
    (tmp_path / "b.journal.corrupt-20260102T030405").write_text("an earlier one")
    with pytest.raises(InputError, match="b.journal.corrupt-20260102T030405 exists"):
        storage.recover_journal(bad)


def test_one_writer_at_a_time_and_readers_never_write(tmp_path):
    path = journal(tmp_path / "j", line(LOGS[0]), b'{"op_code":5,"wor')
    reader = CheckpointedJournalBackend(path, writer=False)
    assert path.read_bytes().endswith(b"wor")  # a reader leaves a torn end alone
    writer = CheckpointedJournalBackend(path, writer=True)
    assert path.read_bytes() == line(LOGS[0])  # the writer drops it first
    with pytest.raises(InputError, match="being written by another pfm-codesign process"):
        CheckpointedJournalBackend(path, writer=True)
    with pytest.raises(RuntimeError, match="opened for reading"):
        reader.append_logs([LOGS[1]])
    writer.close()
    writer.close()  # closing twice is harmless
    CheckpointedJournalBackend(path, writer=True).close()  # the lock went with the writer


def test_a_flush_appends_each_pending_operation_once(tmp_path):
    path = tmp_path / "j"
    backend = CheckpointedJournalBackend(path)
    backend.append_logs(LOGS[:1])
    backend.flush()
    backend.append_logs(LOGS[1:])
    assert list(backend.read_logs(1)) == LOGS[1:]
    backend.flush()
    backend.flush()
    backend.close()
    assert path.read_bytes() == line(LOGS[0]) + line(LOGS[1])


def test_a_store_checkpoints_when_the_interval_has_passed(tmp_path, monkeypatch):
    clock = [10.0]
    monkeypatch.setattr(storage.time, "monotonic", lambda: clock[0])
    path = tmp_path / "j"
    store = Store(None, str(path), CheckpointedJournalBackend(path))
    store.checkpoint(force=True)  # nothing pending: the interval starts now
    store.backend.append_logs(LOGS[:1])
    clock[0] += storage.CHECKPOINT_SECONDS - 0.5
    store.checkpoint()
    assert path.read_bytes() == b""
    clock[0] += 0.5
    store.checkpoint()
    assert path.read_bytes() == line(LOGS[0])
    store.backend.append_logs(LOGS[1:])
    store.checkpoint(force=True)
    assert path.read_bytes() == line(LOGS[0]) + line(LOGS[1])
    store.close()


@pytest.mark.parametrize("failures, error, attempts", [
    (["UniqueViolation"], None, 2),
    (["UniqueViolation"] * storage.DATABASE_ATTEMPTS, "cannot open", storage.DATABASE_ATTEMPTS),
    (["connection refused"], "connection refused", 1),
])
def test_opening_a_database_retries_a_lost_creation_race_only(monkeypatch, failures, error,
                                                               attempts):
    calls, pauses = [], []

    def rdb_storage(url, **kwargs):
        calls.append(kwargs)
        if len(calls) <= len(failures):
            raise RuntimeError(failures[len(calls) - 1])
        return "opened"

    monkeypatch.setattr(storage.optuna.storages, "RDBStorage", rdb_storage)
    monkeypatch.setattr(storage.time, "sleep", pauses.append)
    url = "postgresql://alice:s3cret@db/pfm"
    if error is None:
        store = storage.open_storage(url, writer=True)
        assert store.storage == "opened" and store.shared and store.name == redact(url)
        assert calls[-1]["engine_kwargs"]["connect_args"]["connect_timeout"] == 5
        assert not calls[-1]["skip_table_creation"]  # a writer creates Optuna's tables
    else:
        with pytest.raises(InputError, match=error) as caught:
            storage.open_storage(url, writer=True)
        assert "s3cret" not in str(caught.value)
    assert len(calls) == attempts and pauses == [0.5 * n for n in range(1, attempts)]
