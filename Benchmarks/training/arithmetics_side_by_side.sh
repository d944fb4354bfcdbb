#!/bin/bash
# Training through the emulated arithmetics, side by side: one or more Hybrix binaries train the
# same model from the same seed on the first LIMIT Fashion-MNIST training images (then test on
# all 10 000) with each arithmetic; ROUNDS rounds alternating, then the median CPU seconds
# (user + sys) of each, and whether every binary wrote the same checkpoint bytes (the arithmetics'
# fast paths must not change a single weight).
#
#   Benchmarks/training/arithmetics_side_by_side.sh .build/release/hybrix /tmp/hybrix-before
#   MODEL=resnet20-fm LIMIT=128 ARITHMETICS="rns-mirage analog6" ROUNDS=1 Benchmarks/training/arithmetics_side_by_side.sh ...
#
# Needs release builds and Fashion-MNIST (sudo apt-get install dataset-fashion-mnist).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 HYBRIX_BINARY [MORE_BINARIES...]" >&2; exit 2; }
ROUNDS=${ROUNDS:-3}
MODEL=${MODEL:-small-cnn}
LIMIT=${LIMIT:-1280}
ARITHMETICS=${ARITHMETICS:-"fp32 rns-mirage int8 analog6"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for round in $(seq "$ROUNDS"); do
  for a in $ARITHMETICS; do
    k=0
    for b in "$@"; do
      k=$((k + 1))
      /usr/bin/time -f "$a $k %U %S" "$b" train "$MODEL" --arithmetic "$a" --limit "$LIMIT" \
        --out "$work/$a-$k.onnx" 2>&1 >/dev/null | tail -1 >> "$work/times"
      sha256sum "$work/$a-$k.onnx" | cut -c1-16 >> "$work/$a.sums"
    done
  done
done
python3 - "$work" "$@" <<'PY'
import collections, os, statistics, sys
work, binaries = sys.argv[1], sys.argv[2:]
runs = collections.defaultdict(list)
for line in open(os.path.join(work, "times")):
    a, k, u, s = line.split()
    runs[(a, int(k))].append(float(u) + float(s))
for a in dict.fromkeys(a for a, _ in runs):
    same = len(set(open(os.path.join(work, a + ".sums")).read().split())) == 1
    base = statistics.median(runs[(a, 1)])
    for k, b in enumerate(binaries, 1):
        med = statistics.median(runs[(a, k)])
        ratio = f"  {base / med:.2f}x the first" if k > 1 else ""
        print(f"{a:12} {b:32} median {med:7.2f} CPU-s  runs {' '.join(f'{x:.2f}' for x in runs[(a, k)])}{ratio}")
    print(f"{a:12} checkpoints {'identical' if same else 'DIFFER'}")
PY
