#!/bin/bash
# FP32 inference over the 10 000 Fashion-MNIST test images, side by side: one or more Hybrix
# binaries (CPU seconds, user + sys, of the whole `hybrix accuracy` command) and onnxruntime on one
# thread (fp32_reference.py), ROUNDS rounds alternating, then the median of each. Only ratios
# measured this way mean anything: the machine's own speed drifts between runs.
#
#   Benchmarks/onnxruntime/fp32_side_by_side.sh .build/release/hybrix [/tmp/hybrix-before ...]
#   ROUNDS=5 MODELS="vgg-fm" Benchmarks/onnxruntime/fp32_side_by_side.sh .build/release/hybrix
#
# Needs a release build, Fashion-MNIST, and `pip install onnxruntime numpy onnx` for the reference.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 HYBRIX_BINARY [MORE_BINARIES...]" >&2; exit 2; }
ROUNDS=${ROUNDS:-3}
MODELS=${MODELS:-"resnet20-fm vgg-fm tiny-transformer-fm"}
out=$(mktemp)
for round in $(seq "$ROUNDS"); do
  for m in $MODELS; do
    for b in "$@"; do
      /usr/bin/time -f "$m $b %U %S" "$b" accuracy "models/$m.onnx" --arch lionheart \
        --mapping homogeneous:cpu --repeats 1 2>&1 >/dev/null | tail -1 >> "$out"
    done
  done
  python3 Benchmarks/onnxruntime/fp32_reference.py $(for m in $MODELS; do echo "models/$m.onnx"; done) \
    | sed -E 's/^models\/([a-z0-9-]+)\.onnx.*cpu ([0-9.]+) s.*/\1 onnxruntime \2 0/' >> "$out"
done
python3 - "$out" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 4:
        runs[(p[0], p[1])].append(float(p[2]) + float(p[3]))
models = sorted({m for m, _ in runs})
for m in models:
    ort = statistics.median(runs[(m, "onnxruntime")]) if runs[(m, "onnxruntime")] else None
    for (mm, who), v in sorted(runs.items()):
        if mm != m: continue
        med = statistics.median(v)
        ratio = f"  {med / ort:.2f}x onnxruntime" if ort and who != "onnxruntime" else ""
        print(f"{m:22} {who:40} median {med:6.2f} CPU-s  runs {' '.join(f'{x:.2f}' for x in v)}{ratio}")
PY
rm -f "$out"
