"""How much of the words documents use for each capability the rules know: a vocabulary's coverage.

``samples/labelled/capabilities-vocab.jsonl`` holds one short example clause per term, written by a
helper who had not seen the rules (capabilities-vocab.md says how): 1,200 positives, each asking for
one capability or data source (``target``), and 402 negatives that use a confusable word for
something else. A positive may ask for more than its target, so precision is not measured here;
what is measured is, per id and language, the share of positives whose target the rules find
(coverage) and the share of negatives where they find it anyway (false fires). The labelled sets
(``analyzer eval``) measure precision and recall on whole passages; this measures the vocabulary.

    python bench/vocab_coverage.py            # table per id and language, then the totals
    python bench/vocab_coverage.py --misses   # also every positive whose target is missed (stderr)

The vocabulary of stop 19 was taken from this list's misses, so its coverage is a tuned figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analyzer.classify.rules import default  # noqa: E402

SET = ROOT / "samples" / "labelled" / "capabilities-vocab.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", type=Path, default=SET)
    ap.add_argument("--misses", action="store_true", help="print each missed positive to stderr")
    a = ap.parse_args()
    rules = default()
    found, total, fired, negatives = Counter(), Counter(), Counter(), Counter()
    for line in a.input.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        key = (row["target"], row["lang"])
        hit = row["target"] in {f.label for f in rules.classify(row["text"])}
        if row["polarity"] == "positive":
            total[key] += 1
            found[key] += hit
            if not hit and a.misses:
                print(f"miss {row['id']} {row['target']} '{row['term']}': {row['text']}", file=sys.stderr)
        else:
            negatives[key] += 1
            fired[key] += hit
    print(f"{'id':<28} {'lang':<4} {'coverage':>9} {'false fires':>12}")
    for key in sorted(total):
        neg = f"{fired[key]}/{negatives[key]}" if negatives[key] else "-"
        print(f"{key[0]:<28} {key[1]:<4} {found[key] / total[key]:>9.2f} {neg:>12}")
    print(f"{'all':<28} {'':<4} {sum(found.values()) / sum(total.values()):>9.2f} "
          f"{sum(fired.values())}/{sum(negatives.values()):>4}")


if __name__ == "__main__":
    main()
