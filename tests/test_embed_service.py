"""One model per run: the embedding service, the tokenizer read without transformers, the in-run cache.

The service tests use the tiny BERT of test_model.py; the real-model tests (ml) check that the fast
tokenizer gives transformers' ids on every labelled clause and that a two-worker run with the
service finds exactly what a single in-process run finds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_model import ZH_BENIGN, ZH_TARGET, write_tiny_model

from analyzer.classify import embed, service, tokens

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_model(tmp_path_factory.mktemp("tiny-bert"))


def test_fast_tokenizer_gives_transformers_ids(tiny_path: Path) -> None:
    transformers = pytest.importorskip("transformers")
    slow = transformers.AutoTokenizer.from_pretrained(str(tiny_path), local_files_only=True)
    fast = embed.Embedder(tiny_path, device="cpu", max_length=8)
    texts = [ZH_TARGET, ZH_BENIGN, "the system must alert on people " * 5, ""]
    want = slow([embed.PREFIX + t for t in texts], truncation=True, max_length=8, padding=False)["input_ids"]
    assert fast._tokenize(texts) == want  # truncated at max_length, specials included
    assert fast.pad_id == slow.pad_token_id


def test_service_embeds_each_text_once_for_all_workers(tiny_path: Path) -> None:
    import numpy as np

    local = embed.Embedder(tiny_path, device="cpu")
    with service.running() as address:
        assert address and os.environ[service.ENV] == address
        assert service.stats()["load_s"] == 0.0  # nothing asked yet: no model loaded
        a = service.RemoteEmbedder(address, tiny_path, quantize=False, max_length=128)
        b = service.RemoteEmbedder(address, tiny_path, quantize=False, max_length=128)  # a second worker
        cache_a = embed.MemoryCache()
        got = a.embed([ZH_TARGET, ZH_BENIGN, ZH_TARGET], cache=cache_a)
        np.testing.assert_allclose(got, local.embed([ZH_TARGET, ZH_BENIGN, ZH_TARGET]), atol=1e-6)
        assert len(cache_a) == 2 and a.cache_key(ZH_TARGET) == local.cache_key(ZH_TARGET)
        b.embed([ZH_BENIGN, "rice"], cache=embed.MemoryCache())
        s = service.stats()
        assert (s["texts"], s["embedded"], s["load_s"] > 0) == (4, 3, True)  # ZH_BENIGN came from a's request
    assert service.ENV not in os.environ and service.stats(address) is None


def test_memory_handed_back_between_batches_changes_no_vector(tiny_path: Path) -> None:
    """The service pages the embedding rows out and trims the heap after every batch of a request;
    the rows come back from the file, so every vector is bit-identical to one read without that."""
    import numpy as np

    texts = [f"{t}{i}" for i in range(5) for t in (ZH_TARGET, ZH_BENIGN, "rice " * 20, "公安 " * 3)]
    plain = embed.Embedder(tiny_path, device="cpu", batch_size=4)
    want = plain.embed(texts)
    released = []
    e = embed.Embedder(tiny_path, device="cpu", batch_size=4)
    got = e.embed(texts, after_batch=lambda: released.append(service._release(e)))
    assert len(released) == 5  # after each of the five batches
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(e.embed(texts), want)  # the same batches read again after the page-out


@pytest.mark.ml
def test_the_real_model_reads_paged_out_rows_back_bit_identical() -> None:
    import numpy as np

    from analyzer.classify.build import model_dir

    if not (model_dir() / "build.json").exists():
        pytest.skip("the model is not built")
    texts = [json.loads(line)["text"] for line in
             (ROOT / "samples" / "labelled" / "holdout.jsonl").read_text(encoding="utf-8").splitlines()[:40]]
    e = embed.Embedder(model_dir(), device="cpu")
    want = e.embed(texts)
    service._release(e)
    np.testing.assert_array_equal(e.embed(texts), want)


def test_worker_falls_back_to_its_own_model(tiny_path: Path, tmp_path: Path) -> None:
    import numpy as np

    remote = service.RemoteEmbedder(str(tmp_path / "gone.sock"), tiny_path, quantize=False, max_length=128)
    got = remote.embed([ZH_TARGET])
    np.testing.assert_allclose(got, embed.Embedder(tiny_path, device="cpu").embed([ZH_TARGET]), atol=1e-6)
    assert remote._local is not None


def test_store_cache_remembers_this_runs_vectors(tmp_path: Path) -> None:
    import numpy as np

    from analyzer.store import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "none.db")  # no database yet: the first run of a fresh one
    cache.put_many({"k": np.ones(4, np.float32)})
    assert cache.take().keys() == {"k"}  # handed to the writer once
    np.testing.assert_array_equal(cache.get_many(["k", "x"])["k"], np.ones(4, np.float32))  # and kept


@pytest.mark.ml
def test_real_tokenizer_matches_transformers_on_the_labelled_sets() -> None:
    transformers = pytest.importorskip("transformers")
    from analyzer.classify.build import model_dir

    if not (model_dir() / "build.json").exists():
        pytest.skip("the model is not built")
    texts = [json.loads(line)["text"] for name in ("dev", "test", "holdout")
             for line in (ROOT / "samples" / "labelled" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    slow = transformers.AutoTokenizer.from_pretrained(str(model_dir()), local_files_only=True)
    fast = tokens.load(model_dir(), 128)
    want = slow([embed.PREFIX + t for t in texts], truncation=True, max_length=128)["input_ids"]
    assert fast is not None and fast.encode([embed.PREFIX + t for t in texts]) == want
    assert fast.small is not None and fast._full is None  # the cut vocabulary served every clause


# Texts in scripts the cut vocabulary leaves out, and edge cases of the cut itself.
OTHER_SCRIPTS = [
    "café résumé naïve", "Москва, полиция", "ئۇيغۇرچە يېزىق", "བོད་ཡིག", "한국어 日本語のテキスト",
    "Φ10mm钢筋，阻值10Ω", "①②③ ℃ ≥≤ ×÷ ±0.5°", "ﾊﾝｶｸ ｶﾀｶﾅ", "\ue000\ue001公安（乱码）", "𠀀𠀁 ext-B",
    "<mask> and <s> as text", "", "   ",
]


@pytest.mark.ml
def test_cut_vocabulary_gives_the_full_tokenizers_ids() -> None:
    """The small vocabulary must be exact: same ids as tokenizer.json, other scripts via the full one."""
    tokenizers = pytest.importorskip("tokenizers")
    from analyzer.classify.build import model_dir

    if not (model_dir() / "build.json").exists():
        pytest.skip("the model is not built")
    full = tokenizers.Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    full.enable_truncation(max_length=16)
    small = tokens.load(model_dir(), 16)
    assert small is not None and small.small is not None
    assert len(small.ids) < 0.5 * full.get_vocab_size()  # the point: under half the pieces
    texts = [embed.PREFIX + t for t in OTHER_SCRIPTS + [ZH_TARGET, ZH_BENIGN, "The system shall alert."]]
    texts += [embed.PREFIX + t[:12] + "é" + t[12:] for t in (ZH_TARGET, ZH_BENIGN)]
    assert small.encode(texts) == [e.ids for e in full.encode_batch(texts)]
    assert 0 < small.full_texts < len(texts)  # é, Cyrillic, Arabic, Tibetan, Hangul... went to the full one
    assert small.token_to_id("<pad>") == full.token_to_id("<pad>")
    assert small.token_to_id("▁Москва") == full.token_to_id("▁Москва")


def test_cut_vocabulary_is_refused_where_it_could_not_be_exact(tiny_path: Path) -> None:
    spec = json.loads((tiny_path / "tokenizer.json").read_text(encoding="utf-8"))
    assert tokens.derive(spec) is None  # WordPiece: only Unigram segmentation is provably unchanged by a cut
    unigram = {"model": {"type": "Unigram", "unk_id": 1, "vocab": [["<s>", 0.0], ["<unk>", 0.0], ["é", -9.0],
                                                                  ["公安", -2.0], ["公", -3.0], ["安", -3.5]]},
               "added_tokens": [{"id": 0, "content": "<s>"}],
               "post_processor": {"special_tokens": {"<s>": {"ids": [0]}}}}
    text, meta = tokens.derive(unigram)
    assert meta["ids"] == [0, 1, 2, 3, 4, 5]  # é is the lowest score: kept, since it sets the unknown penalty
    unigram["model"]["vocab"].insert(3, ["ж", -1.0])
    _, meta = tokens.derive(unigram)
    assert meta["ids"] == [0, 1, 2, 4, 5, 6] and meta["dropped"] == "ж"
    unigram["post_processor"]["special_tokens"]["x"] = {"ids": [3]}  # a special the cut would move
    assert tokens.derive(unigram) is None


@pytest.mark.ml
def test_two_workers_with_the_service_find_what_one_process_finds(tmp_path: Path) -> None:
    from analyzer.classify.combine import model_available
    from analyzer.pipeline import Options, analyze
    from analyzer.store import Store

    if model_available():
        pytest.skip(model_available())
    files = [ROOT / "samples" / "corpus" / n for n in ("songjiang_style_tender.pdf", "tech_requirements.docx",
                                                       "notice_gbk.html")]
    found = []
    for workers, isolate in ((1, False), (2, True)):
        store = Store(tmp_path / f"{workers}.db")
        analyze(files, store, workers=workers, options=Options(method="auto", isolate=isolate))
        found.append(sorted((r["label"], r["method"], round(r["score"], 3)) for r in
                            store.db.query("select label, method, score from findings")))
        store.close()
    assert found[0] == found[1] and any(m != "rules" for _, m, _ in found[0])


@pytest.mark.ml
def test_a_rerun_served_from_the_cache_never_loads_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.classify.combine import model_available
    from analyzer.pipeline import Options, analyze
    from analyzer.store import Store

    if model_available():
        pytest.skip(model_available())
    files = [ROOT / "samples" / "corpus" / "songjiang_style_tender.pdf"]
    store = Store(tmp_path / "a.db")
    loads = []
    for run in ("first", "again"):
        monkeypatch.setenv("ANALYZER_SERVICE_STATS", str(tmp_path / f"{run}.json"))
        analyze(files, store, workers=2, options=Options(method="auto", force=True))
        loads.append(json.loads((tmp_path / f"{run}.json").read_text())["load_s"])
    store.close()
    assert loads[0] > 0 and loads[1] == 0.0  # every vector came from the database: no model loaded


def test_gpu_is_used_only_with_a_device_and_a_cuda_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.classify import combine

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert combine._cuda() is False  # hidden devices: the CPU
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    monkeypatch.setattr(combine.os.path, "exists", lambda p: not str(p).endswith("libtorch_cuda.so"))
    assert combine._cuda() is False  # a driver but a CPU build of torch
