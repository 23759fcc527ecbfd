"""ZIP archives: members become documents of their own.

Members are never written under their own names: each is copied to a numbered file inside
a private temporary directory, so ``../`` or absolute member paths cannot escape it. Size,
ratio and nesting limits stop ZIP bombs before they are inflated.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analyzer.errors import IngestError, LimitExceeded
from analyzer.limits import DEFAULT, Limits
from analyzer.records import Status


@dataclass
class Member:
    """One archive member: extracted to ``path``, or not, with the error and status why."""
    name: str  # the member's name as stored, decoded
    path: Path | None  # where it was copied, or None when it was refused
    error: str | None = None
    status: str | None = None


def member_name(info: zipfile.ZipInfo) -> str:
    """Decode a member name: UTF-8 when flagged, else try GBK (common for Chinese archives)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _safe_suffix(name: str) -> str:
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    return suffix if suffix.isascii() and len(suffix) <= 8 and suffix[1:].isalnum() else ""


def members(path: Path, workdir: Path, limits: Limits = DEFAULT) -> Iterator[Member]:
    """Yield each file member copied into ``workdir``, refusing bombs and oddities."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as ex:
        raise IngestError(f"{path.name}: not a readable ZIP ({ex})") from ex
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_zip_members:
            raise LimitExceeded(f"{path.name}: {len(infos)} members, over the limit of {limits.max_zip_members}")
        total = sum(i.file_size for i in infos)
        if total > limits.max_zip_total_bytes:
            raise LimitExceeded(
                f"{path.name}: would inflate to {total:,} bytes, over the limit of "
                f"{limits.max_zip_total_bytes:,} (possible ZIP bomb)")
        for k, info in enumerate(infos):
            name = member_name(info)
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if any(p.startswith("__MACOSX") for p in parts) or PurePosixPath(name).name.startswith("._"):
                continue
            if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
                yield Member(name, None, "member path points outside the archive; not extracted",
                             Status.UNSAFE_PATH)
                continue
            if info.flag_bits & 0x1:
                yield Member(name, None, "member is encrypted", Status.ENCRYPTED)
                continue
            if info.file_size > limits.max_zip_member_bytes:
                yield Member(name, None, f"member inflates to {info.file_size:,} bytes, over the limit",
                             Status.TOO_LARGE)
                continue
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size > 1024 * 1024 and ratio > limits.max_zip_ratio:
                yield Member(name, None, f"compression ratio {ratio:.0f}:1 looks like a ZIP bomb",
                             Status.TOO_LARGE)
                continue
            target = workdir / f"member-{k:05d}{_safe_suffix(name)}"
            try:
                with zf.open(info) as src, open(target, "wb") as dst:
                    # Copy in chunks and stop at the declared size: a forged header cannot
                    # make us write more than the limit.
                    written = 0
                    while chunk := src.read(1024 * 1024):
                        written += len(chunk)
                        if written > limits.max_zip_member_bytes:
                            raise LimitExceeded("member inflates past the limit")
                        dst.write(chunk)
            except LimitExceeded as ex:
                target.unlink(missing_ok=True)
                yield Member(name, None, str(ex), Status.TOO_LARGE)
                continue
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as ex:
                target.unlink(missing_ok=True)
                yield Member(name, None, f"could not extract: {ex}", Status.FAILED)
                continue
            yield Member(name, target)


def cleanup(workdir: Path) -> None:
    """Remove an extraction folder and everything in it."""
    shutil.rmtree(workdir, ignore_errors=True)
