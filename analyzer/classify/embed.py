"""The Embedder: clause texts -> L2-normalised multilingual-e5-small sentence vectors.

Tokenisation with e5's `query: ` prefix, batches sorted by token length, optional int8, and the
embedding cache (keys cover the model build, max_length and precision, so a shared cache stays correct).
numpy, torch and transformers belong to the `ml` extra and are imported inside the functions that
need them, so importing this module (and `analyzer --help`) stays cheap and works without them.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from analyzer.classify import tokens
from analyzer.classify.build import ML_EXTRA_MESSAGE, MODEL_NAME, model_dir, read_build_record
from analyzer.errors import ModelUnavailable
from analyzer.workers import available_cpus

if TYPE_CHECKING:
    import numpy as np

PREFIX = "query: "


class EmbeddingCache(Protocol):
    """Storage for clause embeddings, keyed by `Embedder.cache_key(text)` (a sha256 hex string).

    `get_many` returns only the keys it holds, each a 1-D float32 array of the model's width;
    `put_many` stores such arrays and may be called with keys it already has. The key already covers the
    model build, max_length and quantization, so a store needs no other column to stay correct.
    """

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The vectors held for these keys (absent keys are left out)."""
        ...

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        """Store vectors by key."""
        ...


class MemoryCache:
    """An EmbeddingCache in a dict, for tests and single runs; counts hits and misses."""

    def __init__(self) -> None:
        self.data: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The vectors held for these keys, counting hits and misses."""
        found = {k: self.data[k] for k in keys if k in self.data}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        """Store copies, so that a caller reusing its array can't change a cached vector."""
        for key, vector in items.items():
            self.data[key] = vector.copy()

    def __len__(self) -> int:
        return len(self.data)


def _import_ml() -> tuple[Any, Any]:
    # The hub library reads HF_HUB_OFFLINE when it is first imported, so set it before transformers loads.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import numpy  # noqa: F401
        import torch
        import transformers
    except ImportError as ex:
        raise ModelUnavailable(ML_EXTRA_MESSAGE) from ex
    return torch, transformers


class Embedder:
    """Loads tokenizer and encoder once and turns clauses into L2-normalised e5 sentence vectors.

    Load once per worker: loading costs seconds (a 17 MB tokenizer.json and a 470 MB checkpoint) while a
    clause costs milliseconds. Texts get e5's `query: ` prefix (upstream's advice for symmetric tasks such
    as classification), are cut at `max_length` tokens, batched by token length so that little compute
    goes to padding, and mean-pooled over the attention mask (e5's pooling; never the pooler output).

    `quantize=True` applies torch dynamic int8 to the Linear layers (CPU only; about 1.4x faster, cosine
    ~0.99 to fp32). `half=True` runs fp16 on CUDA. `device` defaults to cuda when available, else cpu.
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        quantize: bool = False,
        max_length: int = 128,
        batch_size: int | None = None,
        device: str | None = None,
        threads: int | None = None,
        half: bool = False,
    ) -> None:
        torch, transformers = _import_ml()
        self.path = Path(path) if path else model_dir()
        if not (self.path / "config.json").is_file():
            raise ModelUnavailable(f"no model at {self.path}; build it first with: analyzer model build")
        if threads:
            torch.set_num_threads(threads)
        elif torch.get_num_threads() > available_cpus():
            torch.set_num_threads(available_cpus())
        if device is None:
            device = "cuda" if (not quantize and torch.cuda.is_available()) else "cpu"
        if quantize and device != "cpu":
            raise ValueError("dynamic int8 quantization runs on the CPU only; use half=True on a GPU")
        if half and device == "cpu":
            raise ValueError("half=True needs a GPU; on the CPU use quantize=True")
        self.device = device
        self.max_length = max_length
        self.batch_size = batch_size or (256 if device == "cuda" else 32)  # 32: bench_model.py's best on CPU
        self.quantize = quantize
        self.precision = "int8" if quantize else "fp16" if half else "fp32"
        self.model_id = model_id(self.path)
        hf_logging = transformers.utils.logging
        bar = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()  # transformers draws a "Loading weights" bar; the library stays quiet
        try:
            self.tokenizer = tokens.load(self.path, max_length) or transformers.AutoTokenizer.from_pretrained(
                str(self.path), local_files_only=True)
            model = transformers.AutoModel.from_pretrained(
                str(self.path), local_files_only=True, dtype=torch.float32
            )
        except (OSError, ValueError) as ex:
            raise ModelUnavailable(f"cannot load the model from {self.path} ({ex}); rebuild it") from ex
        finally:
            if bar:
                hf_logging.enable_progress_bar()
        model.eval()
        self.qscheme = None
        if quantize:
            model, self.qscheme = _quantize(torch, model)
        elif half:
            model = model.half()
        self.model = model.to(device)
        self.dim = int(model.config.hidden_size)
        pad = getattr(self.tokenizer, "pad_token_id", None)
        if pad is None and hasattr(self.tokenizer, "token_to_id"):
            pad = self.tokenizer.token_to_id("<pad>")
        self.pad_id = pad if pad is not None else 0

    def cache_key(self, text: str) -> str:
        """sha256 over the model build, max_length, the precision (fp32 / int8 / fp16) and the text.

        Precision is part of the key because int8 vectors differ from fp32 ones (cosine ~0.99): a cache
        shared by differently configured workers must not hand one the other's vectors.
        """
        return embedding_key(self.model_id, self.max_length, self.precision, text)

    def token_lengths(self, texts: list[str]) -> list[int]:
        """Token count of each prefixed, truncated text (specials included)."""
        return [len(ids) for ids in self._tokenize(texts)]

    def _tokenize(self, texts: list[str]) -> list[list[int]]:
        if isinstance(self.tokenizer, tokens.Tokens):  # truncating at max_length
            return self.tokenizer.encode([PREFIX + t for t in texts])
        enc = self.tokenizer(
            [PREFIX + t for t in texts], truncation=True, max_length=self.max_length, padding=False
        )
        return enc["input_ids"]

    def embed(
        self, texts: list[str], cache: EmbeddingCache | None = None, *, sort: bool = True,
        after_batch: Callable[[], None] | None = None,
    ) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors, row i for texts[i].

        Repeated texts are embedded once. With a `cache`, known texts skip the model and new vectors are
        stored. `sort=False` keeps input order inside batches; it exists to measure what sorting buys.
        `after_batch` runs after each batch the model reads (the service hands freed memory back there).
        """
        import numpy as np

        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        rows: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            rows.setdefault(text, []).append(i)
        todo = list(rows)
        keys = {}
        if cache is not None:
            keys = {text: self.cache_key(text) for text in todo}
            hits = cache.get_many(list(keys.values()))
            for text in todo:
                vector = hits.get(keys[text])
                if vector is not None:
                    out[rows[text]] = vector
            todo = [text for text in todo if keys[text] not in hits]
        if todo:
            vectors = self._encode(todo, sort=sort, after_batch=after_batch)
            for text, vector in zip(todo, vectors, strict=True):
                out[rows[text]] = vector
            if cache is not None:
                cache.put_many({keys[text]: vector for text, vector in zip(todo, vectors, strict=True)})
        return out

    def _encode(self, texts: list[str], *, sort: bool, after_batch: Callable[[], None] | None = None) -> np.ndarray:
        import numpy as np
        import torch

        ids = self._tokenize(texts)
        lengths = [len(x) for x in ids]
        order = sorted(range(len(ids)), key=lengths.__getitem__) if sort else list(range(len(ids)))
        out = np.empty((len(ids), self.dim), np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start : start + self.batch_size]
                width = max(lengths[i] for i in batch)
                input_ids = np.full((len(batch), width), self.pad_id, np.int64)
                mask = np.zeros((len(batch), width), np.int64)
                for row, i in enumerate(batch):
                    input_ids[row, : lengths[i]] = ids[i]
                    mask[row, : lengths[i]] = 1
                input_t = torch.from_numpy(input_ids).to(self.device)
                mask_t = torch.from_numpy(mask).to(self.device)
                hidden = self.model(input_ids=input_t, attention_mask=mask_t).last_hidden_state.float()
                weights = mask_t.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
                out[batch] = pooled.cpu().numpy()
                if after_batch is not None:
                    after_batch()
        return out


def model_id(path: Path) -> str:
    """The model build's identity for cache keys: its weights' sha256 from build.json, else its folder."""
    record = read_build_record(path)
    sha = (record or {}).get("files", {}).get("model.safetensors", {}).get("sha256")
    return f"{MODEL_NAME}@{sha}" if sha else f"{path.resolve()}"


def embedding_key(model: str, max_length: int, precision: str, text: str) -> str:
    """The embedding cache key (see Embedder.cache_key); computable without loading the model."""
    payload = json.dumps([model, max_length, precision, text], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _quantize(torch: Any, model: Any) -> tuple[Any, str]:
    # quantize_dynamic prints DeprecationWarnings in torch 2.13 (it points to torchao); the library stays quiet.
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            spec = {torch.nn.Linear: per_channel_dynamic_qconfig}
            return quantize_dynamic(model, spec, dtype=torch.qint8, inplace=True), "int8 per-channel"
        except (RuntimeError, AssertionError, TypeError):
            return quantize_dynamic(
                model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
            ), "int8 per-tensor"
