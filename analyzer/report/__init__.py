"""The evidence report: an overview of the corpus plus one card per flagged clause.

A card is what a journalist needs to cite a clause without reopening the pipeline
(docs/taxonomy.md §5): the verbatim Chinese, its page and box, the file's sha256, the labels with
English names and glosses, why it was flagged, and a crop of the page with the clause
outlined. ``evidence`` gathers plain data from the database, ``sources`` finds the
original files (checking their sha256), ``crops`` renders page images and ``render``
fills the Jinja templates, HTML (autoescaped: tender text is untrusted) or Markdown.
"""

from __future__ import annotations

from analyzer.report.render import FORMATS, write_report

__all__ = ["FORMATS", "write_report"]
