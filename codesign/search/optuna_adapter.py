"""The one place that reaches past Optuna's public API (written against Optuna 5.0).

Everything else in pfm-codesign uses public Optuna only. Each function here says what
Optuna lacks; ``tests/codesign/test_optuna_adapter.py`` fails loudly when any of it changes
underneath (run it first after upgrading Optuna).

- :func:`generation_key`: the system attribute in which NSGA-II/III record a trial's
  generation. A genetic search hands the sampler a population it did not ask for (reference
  designs, the elite of the previous generation) and Optuna has no public way to do that.
- :class:`TrialTable`: a whole generation of trials claimed, heartbeaten and finished in one
  database transaction each. Optuna's public ask/tell costs several round trips per trial on
  a relational storage and cannot claim "at most N trials in all" atomically across workers.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence

import optuna
from optuna.distributions import BaseDistribution, distribution_to_json
from optuna.samplers._ga import BaseGASampler
from optuna.storages import RDBStorage
from optuna.storages._rdb import models
from optuna.study._constrained_optimization import _CONSTRAINTS_KEY
from optuna.trial import TrialState
import sqlalchemy as sa

STREAMS_ATTR = "pfm_codesign:streams"  # study system attribute: seed streams handed out
_TRIALS = models.TrialModel.__table__
_PARAMS = models.TrialParamModel.__table__
_VALUES = models.TrialValueModel.__table__
_USER_ATTRS = models.TrialUserAttributeModel.__table__
_SYSTEM_ATTRS = models.TrialSystemAttributeModel.__table__
_HEARTBEATS = models.TrialHeartbeatModel.__table__


def generation_key(sampler: optuna.samplers.BaseSampler) -> str | None:
    """The trial system attribute holding a genetic sampler's generation number (None for
    samplers without generations)."""
    if isinstance(sampler, BaseGASampler):
        return type(sampler)._get_generation_key()
    return None


class TrialTable:
    """Bulk access to one study's trials in Optuna's relational schema."""

    def __init__(self, storage: RDBStorage, study_id: int):
        self.storage = storage
        self.study_id = study_id

    def _session(self):
        return self.storage.scoped_session()

    def _lock_study(self, session) -> None:
        """Serialise with every other writer of this study (Optuna's own trial creation takes
        the same row lock, so trial numbers stay unique and dense)."""
        models.StudyModel.find_or_raise_by_id(self.study_id, session, for_update=True)

    def next_stream(self) -> int:
        """A seed-stream number no other worker of this study has had."""
        with _transaction(self._session()) as session:
            self._lock_study(session)
            row = session.query(models.StudySystemAttributeModel).filter_by(
                study_id=self.study_id, key=STREAMS_ATTR).one_or_none()
            if row is None:
                row = models.StudySystemAttributeModel(study_id=self.study_id, key=STREAMS_ATTR,
                                                       value_json="0")
                session.add(row)
            stream = json.loads(row.value_json)
            row.value_json = json.dumps(stream + 1)
        return stream

    def counts(self) -> dict[TrialState, int]:
        with _transaction(self._session()) as session:
            return self._counts(session)

    def _counts(self, session) -> dict[TrialState, int]:
        rows = session.execute(sa.select(_TRIALS.c.state, sa.func.count()).where(
            _TRIALS.c.study_id == self.study_id).group_by(_TRIALS.c.state))
        return {state: count for state, count in rows}

    def claim(self, params: Sequence[Mapping[str, object]],
              distributions: Mapping[str, BaseDistribution], limit: int,
              user_attrs: Mapping[str, object]) -> list[int]:
        """Create RUNNING trials for the first of ``params`` while the study holds fewer than
        ``limit`` running or complete trials, with a heartbeat each; their ids."""
        with _transaction(self._session()) as session:
            self._lock_study(session)
            counts = self._counts(session)
            taken = counts.get(TrialState.RUNNING, 0) + counts.get(TrialState.COMPLETE, 0)
            room = max(0, min(len(params), limit - taken))
            if not room:
                return []
            number = sum(counts.values())
            now = _utc_now()
            ids = list(session.execute(
                sa.insert(_TRIALS).returning(_TRIALS.c.trial_id, sort_by_parameter_order=True),
                [{"number": number + i, "study_id": self.study_id, "state": TrialState.RUNNING,
                  "datetime_start": now} for i in range(room)]).scalars())
            encoded = {k: distribution_to_json(d) for k, d in distributions.items()}
            session.execute(sa.insert(_PARAMS), [
                {"trial_id": i, "param_name": k, "distribution_json": encoded[k],
                 "param_value": distributions[k].to_internal_repr(v)}
                for i, values in zip(ids, params) for k, v in values.items()])
            if user_attrs:
                session.execute(sa.insert(_USER_ATTRS), [
                    {"trial_id": i, "key": k, "value_json": json.dumps(v)}
                    for i in ids for k, v in user_attrs.items()])
            session.execute(sa.insert(_HEARTBEATS).from_select(
                ["trial_id", "heartbeat"],
                sa.select(_TRIALS.c.trial_id, sa.func.now()).where(_TRIALS.c.trial_id.in_(ids))))
            return ids

    def heartbeat(self, trial_ids: Sequence[int]) -> None:
        """Mark the claimed trials alive (one statement)."""
        if not trial_ids:
            return
        with _transaction(self._session()) as session:
            session.execute(sa.update(_HEARTBEATS).where(
                _HEARTBEATS.c.trial_id.in_(list(trial_ids))).values(heartbeat=sa.func.now()))

    def finish(self, trial_ids: Sequence[int], values: Sequence[Sequence[float] | None],
               user_attrs: Sequence[Mapping[str, object]],
               constraints: Sequence[Mapping[str, float]]) -> int:
        """Complete the claimed trials (FAIL where ``values`` is None) in one transaction;
        trials another worker already failed as stale are left alone. Returns the number
        completed."""
        with _transaction(self._session()) as session:
            now = _utc_now()
            failed = [i for i, v in zip(trial_ids, values) if v is None]
            if failed:
                session.execute(sa.update(_TRIALS).where(
                    _TRIALS.c.trial_id.in_(failed), _TRIALS.c.state == TrialState.RUNNING).values(
                    state=TrialState.FAIL, datetime_complete=now))
            good = [i for i, v in zip(trial_ids, values) if v is not None]
            if not good:
                return 0
            mine = set(session.execute(sa.update(_TRIALS).where(
                _TRIALS.c.trial_id.in_(good), _TRIALS.c.state == TrialState.RUNNING).values(
                state=TrialState.COMPLETE, datetime_complete=now).returning(
                _TRIALS.c.trial_id)).scalars())
            if not mine:
                return 0
            rows = [(i, v, a, c) for i, v, a, c in zip(trial_ids, values, user_attrs, constraints)
                    if i in mine]
            session.execute(sa.insert(_VALUES), [
                dict(zip(("trial_id", "objective", "value", "value_type"),
                         (i, k, *models.TrialValueModel.value_to_stored_repr(x))))
                for i, v, _, _ in rows for k, x in enumerate(v)])
            attrs = [{"trial_id": i, "key": k, "value_json": json.dumps(x)}
                     for i, _, a, _ in rows for k, x in a.items()]
            if attrs:
                session.execute(sa.insert(_USER_ATTRS), attrs)
            margins = [{"trial_id": i, "key": f"{_CONSTRAINTS_KEY}:{k}", "value_json": json.dumps(x)}
                       for i, _, _, c in rows for k, x in c.items()]
            if margins:
                session.execute(sa.insert(_SYSTEM_ATTRS), margins)
        return len(mine)


def _utc_now() -> dt.datetime:
    """Naive UTC, as Optuna's schema stores trial times."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class _transaction:
    """Commit on success, roll back (and re-raise) on any error, always close."""

    def __init__(self, session):
        self.session = session

    def __enter__(self):
        return self.session

    def __exit__(self, kind, error, tb):
        try:
            if kind is None:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
        return False
