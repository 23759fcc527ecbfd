"""Benchmark the e5 model path: load time, clauses/s (fp32, int8; input order vs length-sorted), peak RSS.

Usage: python bench/bench_model.py [--n 512] [--threads N] [--batch-size 32] [--max-length 128] [--json FILE]

Each variant runs in a fresh subprocess so that load time and peak RSS belong to that variant alone.
Throughput is end to end: tokenization, padding, forward pass, pooling, normalisation. Clauses come from
samples/labelled/*.jsonl when present, topped up with synthetic zh/en procurement clauses; all are unique
so that Embedder's de-duplication doesn't flatter the numbers. A script, not a test: it prints.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ZH_SUBJECTS = ["系统应", "平台须", "本模块需", "前端设备应", "软件应能够", "★系统应", "▲平台应"]
ZH_ACTIONS = [
    "支持对{g}进行实时布控预警，比中后推送至属地派出所",
    "对{g}入住旅馆、购买车票等行为进行自动告警",
    "建立{g}专题库，实现一人一档管理",
    "支持按{g}等人员类别进行检索和统计分析",
    "支持人脸抓拍并与{g}库进行1:N比对",
]
ZH_GROUPS = ["新疆籍人员", "重点人员", "吸毒人员", "上访人员", "外籍人员", "涉稳人员", "在逃人员", "藏族人员"]
ZH_BENIGN = [
    "投标人须具有有效的营业执照和相关资质证书",
    "食堂采购大米一批，质保期一年",
    "运维服务：提供7×24小时运行维护，故障响应时间不超过2小时",
    "投标文件应密封包装并加盖单位公章",
    "摄像机应支持H.265编码，分辨率不低于400万像素，具备红外夜视功能",
    "存储设备应支持RAID5，可用容量不低于{n}TB",
    "中标供应商应在合同签订后{n}日内完成供货安装调试",
    "供应商应提供不少于{n}人次的现场操作培训",
]
EN_CLAUSES = [
    "The system shall raise a real-time alert when {g} check into a hotel in the district.",
    "The platform must support searching people by ethnicity and filtering {g}.",
    "Bidders must hold a valid business licence and provide audited accounts for {n} years.",
    "The supplier shall deliver and install all cameras within {n} days of signing the contract.",
    "Build a dedicated database of {g} with one file per person.",
    "The canteen will procure a batch of rice with a one-year warranty.",
]
EN_GROUPS = ["Uyghurs", "foreign journalists", "petitioners", "drug users", "key persons", "Tibetans"]


def synthetic_clauses(n: int, seed: int = 7) -> list[str]:
    """Unique zh/en clauses in roughly the mix and length of real tender requirements."""
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        r = rng.random()
        if r < 0.35:
            text = rng.choice(ZH_SUBJECTS) + rng.choice(ZH_ACTIONS).format(g=rng.choice(ZH_GROUPS)) + "。"
        elif r < 0.7:
            text = rng.choice(ZH_BENIGN).format(n=rng.randint(2, 500)) + "。"
        else:
            text = rng.choice(EN_CLAUSES).format(g=rng.choice(EN_GROUPS), n=rng.randint(2, 500))
        if rng.random() < 0.2:
            text += " " + rng.choice(ZH_BENIGN).format(n=rng.randint(2, 500)) + "。"
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def bench_clauses(n: int) -> list[str]:
    texts: list[str] = []
    for name in ("dev.jsonl", "test.jsonl", "augment.jsonl"):
        path = ROOT / "samples" / "labelled" / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    texts.append(json.loads(line)["text"])
    texts = list(dict.fromkeys(texts))[:n]
    extra = [t for t in synthetic_clauses(2 * n) if t not in set(texts)]
    return (texts + extra)[:n]


def peak_rss_mb() -> float:
    """Peak RSS of this process in MB.

    VmHWM first: getrusage's ru_maxrss survives fork+exec on Linux, so a worker started by a big parent
    would report the parent's peak. getrusage (KiB on Linux) is the fallback off Linux.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def onnx_files(model: Path) -> dict[str, Path]:
    """Export the model once to ONNX (fp32, with pooling inside) and quantize it to int8; cached beside it.

    Needs `onnx` and `onnxruntime`, which analyzer doesn't depend on: this only measures whether the issue's
    "ONNX Runtime if faster" would pay off.
    """
    import warnings

    import torch

    from analyzer.classify.embed import Embedder

    folder = model.with_name(model.name + "-onnx")
    fp32, int8 = folder / "model.onnx", folder / "model-int8.onnx"
    if int8.is_file():
        return {"fp32": fp32, "int8": int8}
    folder.mkdir(parents=True, exist_ok=True)
    encoder = Embedder(model, device="cpu").model

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            return torch.nn.functional.normalize(pooled, dim=-1)

    dummy = (torch.ones(2, 16, dtype=torch.long), torch.ones(2, 16, dtype=torch.long))
    axes = {"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"}, "embedding": {0: "b"}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Pooled().eval(), dummy, str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], dynamic_axes=axes, opset_version=17, dynamo=False)  # fmt: skip
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    return {"fp32": fp32, "int8": int8}


class OnnxEmbedder:
    """Just enough of Embedder (tokenize, sort by length, pad, run) over an ONNX Runtime session."""

    def __init__(
        self, model: Path, path: Path, threads: int | None, max_length: int, batch_size: int
    ) -> None:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(model), local_files_only=True)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or len(os.sched_getaffinity(0))
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.max_length, self.batch_size, self.qscheme = max_length, batch_size, path.stem

    def token_lengths(self, texts: list[str]) -> list[int]:
        return [len(x) for x in self._tokenize(texts)]

    def _tokenize(self, texts: list[str]) -> list[list[int]]:
        enc = self.tokenizer(["query: " + t for t in texts], truncation=True, max_length=self.max_length)
        return enc["input_ids"]

    def embed(self, texts: list[str], cache: object = None, *, sort: bool = True):
        import numpy as np

        ids = self._tokenize(texts)
        lengths = [len(x) for x in ids]
        order = sorted(range(len(ids)), key=lengths.__getitem__) if sort else list(range(len(ids)))
        out = np.empty((len(ids), 384), np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = max(lengths[i] for i in batch)
            input_ids = np.full((len(batch), width), self.tokenizer.pad_token_id, np.int64)
            mask = np.zeros((len(batch), width), np.int64)
            for row, i in enumerate(batch):
                input_ids[row, : lengths[i]] = ids[i]
                mask[row, : lengths[i]] = 1
            out[batch] = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
        return out


def worker(args: argparse.Namespace) -> dict:
    """Run one variant in this process and return its measurements."""
    started = time.perf_counter()
    onnx = args.variant.startswith("onnx")
    if onnx:  # the ONNX path needs no torch: leave it out so that RSS shows what such a worker would hold
        import onnxruntime  # noqa: F401
    else:
        import torch
    import transformers  # noqa: F401

    from analyzer.classify.embed import Embedder, MemoryCache

    import_s = time.perf_counter() - started
    device = "cuda" if args.variant.startswith("cuda") else "cpu"
    t = time.perf_counter()
    if onnx:
        path = onnx_files(args.model)[args.variant.split("-")[1]]  # exported by the parent already
        emb = OnnxEmbedder(args.model, path, args.threads, args.max_length, args.batch_size)
    else:
        emb = Embedder(
            args.model,
            quantize=args.variant == "int8",
            half=args.variant == "cuda-fp16",
            device=device,
            threads=args.threads,
            max_length=args.max_length,
            batch_size=args.batch_size,
        )
    load_s = time.perf_counter() - t
    texts = bench_clauses(args.n)
    lengths = emb.token_lengths(texts)
    emb.embed(texts[: args.batch_size])  # warm-up: first-call allocations and kernel selection
    result: dict = {
        "variant": args.variant,
        "device": device,
        "threads": args.threads or len(os.sched_getaffinity(0)) if onnx else torch.get_num_threads(),
        "qscheme": emb.qscheme,
        "import_s": round(import_s, 2),
        "load_s": round(load_s, 2),
        "ready_s": round(time.perf_counter() - started, 2),
        "n": len(texts),
        "mean_tokens": round(sum(lengths) / len(lengths), 1),
        "max_tokens": max(lengths),
    }
    for label, sort in (("unsorted", False), ("sorted", True)):
        best, cpu = 0.0, 0.0
        for _ in range(args.repeats):
            if device == "cuda":
                torch.cuda.synchronize()
            t, c = time.perf_counter(), time.process_time()
            emb.embed(texts, sort=sort)
            if device == "cuda":
                torch.cuda.synchronize()
            rate = len(texts) / (time.perf_counter() - t)
            if rate > best:
                best, cpu = rate, time.process_time() - c
        result[f"{label}_cps"] = round(best, 1)
        result[f"{label}_cpu_ms_per_clause"] = round(1000 * cpu / len(texts), 2)
    result["load_avg_1m"] = round(os.getloadavg()[0], 2)  # other processes on the machine skew every number
    if isinstance(emb, Embedder):
        cache = MemoryCache()
        emb.embed(texts, cache=cache)
        t = time.perf_counter()
        emb.embed(texts, cache=cache)
        result["cached_cps"] = round(len(texts) / (time.perf_counter() - t), 1)
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    if device == "cuda":
        result["gpu"] = torch.cuda.get_device_name(0)
        result["peak_gpu_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=512, help="clauses to embed per run")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: available CPUs)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=2, help="runs per measurement; the best one counts")
    parser.add_argument(
        "--variants", default="", help="comma list of fp32,int8,onnx-fp32,onnx-int8,cuda-fp32,cuda-fp16"
    )
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the cache)")
    parser.add_argument("--wheel-dir", type=Path, default=None, help="folder holding the two wheels")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(worker(args)))
        return

    from analyzer.classify.build import build_model, model_dir, read_build_record

    target = args.model or model_dir()
    build_s = None
    if not read_build_record(target):
        t = time.perf_counter()
        build_model(target, wheel_dir=args.wheel_dir, progress=lambda msg: print(f"  {msg}", file=sys.stderr))
        build_s = round(time.perf_counter() - t, 2)
    variants = [v for v in args.variants.split(",") if v] or ["fp32", "int8"]
    if not args.variants and importlib.util.find_spec("onnxruntime") and importlib.util.find_spec("onnx"):
        variants += ["onnx-fp32", "onnx-int8"]
    if not args.variants:
        probe = "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"
        if subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0:
            variants += ["cuda-fp32", "cuda-fp16"]
    if any(v.startswith("onnx") for v in variants):
        print("exporting to ONNX (once) ...", file=sys.stderr)
        onnx_files(target)
    rows = []
    for variant in variants:
        cmd = [sys.executable, __file__, "--variant", variant, "--n", str(args.n), "--model", str(target),
               "--batch-size", str(args.batch_size), "--max-length", str(args.max_length),
               "--repeats", str(args.repeats)]  # fmt: skip
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        print(f"running {variant} ...", file=sys.stderr)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            rows.append({"variant": variant, "error": (proc.stderr.strip().splitlines() or ["?"])[-1]})
            continue
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    summary = {
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },  # fmt: skip
        "model": str(target),
        "build_s": build_s,
        "batch_size": args.batch_size,
        "max_length": args.max_length,
        "results": rows,
    }
    header = (
        f"{'variant':<10} {'load s':>7} {'ready s':>8} {'unsorted/s':>11} {'sorted/s':>9} {'cpu ms/cl':>10} "
        f"{'cached/s':>9} {'peak RSS MB':>12} {'load avg':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        if "error" in r:
            print(f"{r['variant']:<10} error: {r['error']}")
            continue
        print(
            f"{r['variant']:<10} {r['load_s']:>7} {r['ready_s']:>8} {r['unsorted_cps']:>11} {r['sorted_cps']:>9} "
            f"{r['sorted_cpu_ms_per_clause']:>10} {r.get('cached_cps', '-'):>9} {r['peak_rss_mb']:>12} "
            f"{r['load_avg_1m']:>9}"
        )
    if rows and "mean_tokens" in rows[0]:
        print(f"{rows[0]['n']} clauses, {rows[0]['mean_tokens']} tokens on average (max {rows[0]['max_tokens']}), "
              f"batch {args.batch_size}, max_length {args.max_length}, threads {rows[0]['threads']}")  # fmt: skip
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
