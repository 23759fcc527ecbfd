"""Every resource limit in one place, with the defaults documented in the README.

Files come from government portals, mirrors, leaks and bundles passed between researchers;
some are broken, huge or hostile. These bounds keep one bad file from stalling a batch.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Resource limits per file and archive, so one hostile file cannot stop a batch."""
    max_file_bytes: int = 512 * 1024 * 1024  # files larger than this are recorded as too_large
    max_pdf_pages: int = 5000
    # A page rendered for OCR is scaled down below 300 dpi to stay under this many pixels: a
    # 14400 pt page (the PDF maximum) at 300 dpi would be a 3.6-gigapixel bitmap.
    max_render_pixels: int = 40_000_000
    max_zip_members: int = 2000
    max_zip_total_bytes: int = 1024 * 1024 * 1024  # uncompressed bytes across one archive
    max_zip_member_bytes: int = 256 * 1024 * 1024
    max_zip_ratio: float = 200.0  # uncompressed / compressed, for members over 1 MiB
    max_zip_depth: int = 3  # archives inside archives
    max_text_chars: int = 50_000_000
    per_file_timeout_s: float = 600.0  # a worker busy longer than this is killed
    per_file_memory_mb: int = 4096  # address-space cap of a worker process


DEFAULT = Limits()
