#!/usr/bin/env bash
# Install the system packages analyzer needs (OCR, poppler for the benchmark reference, and
# optionally Chromium for the report screenshot test) when they are missing. As root we
# install them with apt-get; otherwise we say exactly what to install and carry on.
set -u
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
if ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim; then need+=(tesseract-ocr-chi-sim); fi
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ "${WITH_CHROMIUM:-0}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
# The report's screenshot test should show Chinese, not boxes: a CJK font for Chromium.
if [ "${WITH_CHROMIUM:-0}" = 1 ] && ! fc-list :lang=zh 2>/dev/null | grep -q .; then need+=(fonts-noto-cjk); fi
# The sample corpus's build and the OCR tests draw Chinese pages in WenQuanYi Micro Hei.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "apt-get install ${need[*]} failed" >&2; exit 1; }
else
  echo "analyzer: please install these system packages for OCR and benchmarks: ${need[*]}" >&2
  echo "  e.g. sudo apt-get install ${need[*]}   (macOS: brew install tesseract tesseract-lang poppler)" >&2
fi
