"""analyzer: read Chinese public-security procurement documents and surface targeted surveillance."""

import os

__version__ = "0.1.0"

# torch's and Tesseract's OpenMP threads spin while they wait for work. The model shares the cores
# with the document workers (and a laptop with everything else), and spinning threads then starve
# the ones doing work: on 2 cores with the workers busy, a 3-clause batch took 1.05 s instead of
# 0.13 s and a 400-clause one ran 4-5x slower (bench/bench_model.py). Passive waiting is the
# default here; it is read once, when torch or Tesseract first loads, and a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
