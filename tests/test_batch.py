"""The model's reading batched across documents (classify/batch.py), with a stand-in model.

A worker that meets clauses the model has not read sends its document back pending; the parent
finishes it in a batch. These tests pin that a finished document is exactly what the worker
would have made, that the model is asked once for a whole batch, and that nothing is lost when
the model fails. The two-worker run with the real model is in test_embed_service.py.
"""

from __future__ import annotations

import time

import pytest
from test_combine import TARGETED, UNMARKED, StandInModel, prediction

from analyzer.classify import batch
from analyzer.classify.combine import Auto, DocContext, Pending
from analyzer.classify.embed import MemoryCache
from analyzer.records import Clause, Status
from analyzer.store import DocumentRecord, Store

OTHER = "对重点人员的住宿登记信息进行比对预警。"  # rules: key persons and a capability
VISITORS = "游客可在大厅休息。"  # names people, so the model reads it; nothing flags it


class NothingCached(StandInModel):
    """A stand-in whose cache never holds a vector: every document with a candidate waits."""

    def predict_cached(self, texts: list[str], cache) -> None:
        return None


def model() -> NothingCached:
    return NothingCached({UNMARKED: prediction({"uyghur": 0.97, "ethnic_minority": 0.97})})


def clauses(*texts: str) -> list[Clause]:
    return [Clause(page=1, ordinal=i, text=t, bbox=None) for i, t in enumerate(texts)]


def pending_record(name: str, cl: list[Clause]) -> DocumentRecord:
    """A record as a worker sends it back: the rules' findings and what the model must read."""
    result = Auto(MemoryCache(), model(), floors={}).classify_or_defer(cl, DocContext())
    assert isinstance(result, Pending)
    return DocumentRecord(name, name, name, 1, "html", Status.OK, clauses=cl, findings=result.found, pending=result)


def keyed(findings) -> list[tuple]:
    return [(o, f.kind, f.label, f.method, f.score, f.reason) for o, f in findings]


def test_a_batch_finishes_documents_as_their_worker_would() -> None:
    docs = [("a", clauses(TARGETED, "本项目采购台式电脑。", UNMARKED)), ("b", clauses(UNMARKED, OTHER))]
    want = {n: keyed(Auto(MemoryCache(), model(), floors={}).classify_clauses(c, DocContext())) for n, c in docs}
    stand_in = model()
    batcher = batch.Batcher(None, Auto(MemoryCache(), stand_in, floors={}))
    out = []
    for name, cl in docs:
        out += batcher.add([pending_record(name, cl)])
    assert out == []  # two new clauses are no batch yet: both documents wait
    out += batcher.close()
    assert {r.name: keyed(r.findings) for r in out} == want
    assert any(f.method == "model" for r in out for _, f in r.findings)  # the model's own finding came through
    assert all(r.pending is None for r in out)
    assert len(stand_in.seen) == 1 and sorted(stand_in.seen[0]) == sorted({TARGETED, UNMARKED, OTHER})


def test_a_full_batch_goes_while_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "MIN_NEW_TEXTS", 2)
    stand_in = model()
    batcher = batch.Batcher(None, Auto(MemoryCache(), stand_in, floors={}))
    ready = batcher.add([pending_record("a", clauses(UNMARKED))])
    ready += batcher.add([pending_record("b", clauses(OTHER))])  # a second new clause: the batch is due
    deadline = time.monotonic() + 10
    while len(ready) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
        ready += batcher.add([])  # a task with nothing pending passes straight through
    assert sorted(r.name for r in ready) == ["a", "b"] and len(stand_in.seen) == 1
    # A document whose clauses the model has already read this run waits for no batch.
    ready = batcher.add([pending_record("c", clauses(UNMARKED))])
    deadline = time.monotonic() + 10
    while not ready and time.monotonic() < deadline:
        time.sleep(0.01)
        ready += batcher.add([])
    assert [r.name for r in ready] == ["c"] and stand_in.seen[1] == [UNMARKED]
    assert batcher.close() == []


def test_records_that_need_no_model_are_not_held() -> None:
    batcher = batch.Batcher(None, Auto(MemoryCache(), model(), floors={}))
    held = pending_record("a", clauses(UNMARKED))
    done = DocumentRecord("z", "z", "z", 1, "pdf", Status.OK)
    assert batcher.add([held]) == []
    assert batcher.add([done]) == [done]  # written at once, though an earlier document waits
    assert batcher.close() == [held]


def test_an_archives_records_stay_together_and_in_order() -> None:
    batcher = batch.Batcher(None, Auto(MemoryCache(), model(), floors={}))
    member = pending_record("m", clauses(UNMARKED))
    other = DocumentRecord("n", "n", "n", 1, "html", Status.OK)
    archive = DocumentRecord("zip", "zip", "zip", 1, "zip", Status.OK)
    assert batcher.add([member, other, archive]) == []  # the archive's record waits behind its member
    assert [r.name for r in batcher.close()] == ["m", "n", "zip"]


def test_boxes_drawn_in_case_stay_only_on_clauses_the_model_flagged() -> None:
    cl = clauses(UNMARKED, VISITORS)
    rec = pending_record("a", cl)
    rec.pending.boxed = [0, 1]
    for c in cl:
        c.bbox = (1.0, 2.0, 3.0, 4.0)
    batcher = batch.Batcher(None, Auto(MemoryCache(), model(), floors={}))
    batcher.add([rec])
    (done,) = batcher.close()
    flagged = {o for o, _ in done.findings}
    assert 0 in flagged and 1 not in flagged
    assert cl[0].bbox == (1.0, 2.0, 3.0, 4.0) and cl[1].bbox is None


def test_a_model_that_fails_fails_its_documents_and_loses_none() -> None:
    class Broken(NothingCached):
        def predict(self, texts, cache=None):
            raise RuntimeError("the service went away")

    batcher = batch.Batcher(None, Auto(MemoryCache(), Broken({}), floors={}))
    batcher.add([pending_record("a", clauses(UNMARKED))])
    (rec,) = batcher.close()
    assert rec.status == Status.FAILED and "the service went away" in rec.error
    assert rec.pending is None and rec.findings == []


def test_the_store_refuses_a_document_still_waiting_for_the_model(tmp_path) -> None:
    store = Store(tmp_path / "a.db")
    with pytest.raises(ValueError, match="has not finished"):
        store.write(pending_record("a", clauses(UNMARKED)), "0")
    assert store.db.execute("select count(*) from documents").fetchone()[0] == 0
    store.close()
