"""The model's reading of many documents in one batch, in the run's parent process.

A Ningbo notice sends the model one or two candidate clauses (the cascade, combine.Auto), and
e5 reads a clause alone at about half the speed it reads it among 256 others sorted by length:
the 401 distinct candidates of the 2,000 notices took 22-26 s a notice at a time and 12 s in
batches of 256. So in a run with the embedding service, a worker that meets a candidate clause
the cache lacks does not ask the model: it sends its document back with the rules' findings and
what the model must read (combine.Pending, ``Options.defer_model``), and goes on to the next file.
Here the parent holds those documents until their new clauses make a batch (or the run ends),
has the service embed the batch on a thread of its own while the workers keep reading, finishes
each document exactly as the worker would have (Auto.finish), and hands it to the writer.

The model therefore also loads while the workers work, instead of holding the first worker that
needs it. A task's records stay together and in order (an archive's record after its members).
Findings are those of the worker's path: the same clauses, predictions and merge.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analyzer.classify.combine import Auto
    from analyzer.store import DocumentRecord

MIN_NEW_TEXTS = 256  # clauses the model has not read this run that make a batch worth its wait
MAX_HELD_CLAUSES = 100_000  # clauses of held documents before a batch goes whatever its size (memory)


@dataclass
class _Task:
    """One worker task's records held for the model, with what they need of it worked out once."""

    records: list[DocumentRecord]
    texts: list[str]  # the distinct clause texts the model must read for them
    clauses: int  # clauses held in memory for them


class Batcher:
    """Holds documents whose model reading is pending and finishes them in batches.

    ``add`` takes one task's records and returns the records ready to write (in the order they
    became ready); ``close`` finishes what is left and returns the rest. Failures of the model's
    reading mark the documents of that batch failed, with the reason, and the run goes on.
    """

    def __init__(self, db_path: str | None, classifier: Auto | None = None) -> None:
        self.db_path = db_path
        self.classifier = classifier  # the Auto to finish with; None: the run's own, built on first need
        self.cond = threading.Condition()
        self.held: list[_Task] = []  # tasks waiting, each its records in order
        self.ready: list[DocumentRecord] = []
        self.asked: set[str] = set()  # texts sent to the model this run (the service remembers them)
        self.new: set[str] = set()  # held texts not yet sent
        self.held_clauses = 0
        self.in_flight = 0  # clauses of the batch being finished
        self.closing = False
        self.stopped = False  # the thread has ended
        self.thread: threading.Thread | None = None

    def add(self, records: list[DocumentRecord]) -> list[DocumentRecord]:
        """Take a task's records; return every record now ready to write."""
        with self.cond:
            if any(r.pending is not None for r in records):
                task = _Task(records, list(dict.fromkeys(t for r in records for t in _texts(r))),
                             sum(len(r.clauses) for r in records))
                self.held.append(task)
                self.held_clauses += task.clauses
                self.new.update(t for t in task.texts if t not in self.asked)
                if self.thread is None:
                    self.thread = threading.Thread(target=self._run, name="analyzer-model-batch", daemon=True)
                    self.thread.start()
                self.cond.notify_all()
                # Back-pressure: never much more than one batch held beside the one being finished.
                self.cond.wait_for(lambda: self.held_clauses + self.in_flight < 2 * MAX_HELD_CLAUSES or self.stopped)
            else:
                self.ready.extend(records)
            out, self.ready = self.ready, []
            return out

    def close(self) -> list[DocumentRecord]:
        """Finish every held document; return the records not yet handed out."""
        with self.cond:
            self.closing = True
            self.cond.notify_all()
            thread = self.thread
        if thread is not None:
            thread.join()
        with self.cond:
            for task in self.held:  # only when the thread ended early
                for r in task.records:
                    if r.pending is not None:
                        _failed(r, "the model's reading did not finish")
                self.ready.extend(task.records)
            self.held = []
            out, self.ready = self.ready, []
            return out

    # -- the thread ------------------------------------------------------------------------------

    def _whole(self) -> bool:
        """Whether every held task goes now: a batch's worth of new clauses, memory, or the run's end."""
        return self.closing or len(self.new) >= MIN_NEW_TEXTS or self.held_clauses >= MAX_HELD_CLAUSES

    def _asked_only(self, task: _Task) -> bool:
        """A task whose clauses the model has all been asked for already (the service remembers them)."""
        return all(t in self.asked for t in task.texts)

    def _take(self) -> tuple[list[_Task], list[str]]:
        """The tasks to finish now and their distinct texts; called with the lock held."""
        if self._whole():
            batch, self.held = self.held, []
        else:
            batch = [t for t in self.held if self._asked_only(t)]
            self.held = [t for t in self.held if not self._asked_only(t)]
        moved = sum(task.clauses for task in batch)
        self.held_clauses -= moved
        self.in_flight = moved
        texts = list(dict.fromkeys(t for task in batch for t in task.texts))
        self.asked.update(texts)
        self.new.difference_update(texts)
        return batch, texts

    def _run(self) -> None:
        try:
            self._loop()
        finally:  # a bug here must not hang the run or lose documents: close() fails what is left
            with self.cond:
                self.stopped = True
                self.cond.notify_all()

    def _loop(self) -> None:
        auto = self.classifier
        while True:
            with self.cond:
                self.cond.wait_for(lambda: self.closing or self._whole()
                                   or any(self._asked_only(t) for t in self.held))
                if not self.held:
                    return  # closing, nothing left
                batch, texts = self._take()
            try:
                if auto is None:
                    auto = _auto(self.db_path)
                _finish(auto, batch, texts)
            except Exception as ex:  # the model could not read them: each document says so
                for task in batch:
                    for r in task.records:
                        if r.pending is not None:
                            _failed(r, f"the model's reading failed: {type(ex).__name__}: {ex}")
            with self.cond:
                self.ready.extend(r for task in batch for r in task.records)
                self.in_flight = 0
                self.cond.notify_all()


def _texts(rec: DocumentRecord) -> list[str]:
    """The texts of the clauses a pending record's model reading needs."""
    return [c.text for c in rec.pending.chosen_clauses(rec.clauses)] if rec.pending is not None else []


def _auto(db_path: str | None) -> Auto:
    """This thread's auto classifier: the worker's, reading the run's database for cached vectors."""
    from analyzer.classify.combine import Auto, _embedding_cache

    return Auto(_embedding_cache(db_path))


def _finish(auto: Auto, batch: list[_Task], texts: list[str]) -> None:
    """Embed the batch's texts at once, then finish each pending record as its worker would have."""
    predictions = dict(zip(texts, auto.model.predict_texts(texts), strict=True))
    first = None
    for task in batch:
        for rec in task.records:
            pending = rec.pending
            if pending is None:
                continue
            first = first or rec
            rec.findings = auto.finish(rec.clauses, pending, [predictions[t] for t in _texts(rec)])
            unflagged = set(pending.boxed) - {o for o, _ in rec.findings}
            for c in rec.clauses:
                if c.ordinal in unflagged:
                    c.bbox = None
            rec.pending = None
    take = getattr(auto.cache, "take", None)
    if first is not None and take is not None:  # the batch's new vectors, for the writer's cache (once)
        first.embeddings.update(take())


def _failed(rec: DocumentRecord, why: str) -> None:
    from analyzer.records import Status

    rec.status, rec.error = Status.FAILED, f"{rec.name}: {why}"
    rec.findings, rec.pending = [], None
