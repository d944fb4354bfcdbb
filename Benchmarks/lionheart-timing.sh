#!/bin/sh
# Wall and CPU time of the LionHeart accuracy loop on ResNet-20 (issue 14 §5 "Performance"):
# fast mode (target < 30 s) and full mode with 10 repeats and no retraining (target < 5 min),
# plus the FP32 and PCM single passes they are made of. Release build first:
#   swift build -c release && sh Benchmarks/lionheart-timing.sh
# Not a test: the figures depend on the machine and its load (report user+sys CPU beside wall).
set -eu
H=${HYBRIX:-.build/release/hybrix}
T="/usr/bin/time -f %e_s_wall_%U_s_user_%S_s_sys"
for m in resnet20-fm vgg-fm tiny-transformer-fm; do
  echo "== FP32 $m, 10 000 images (all-digital mapping: one pass)"
  $T "$H" accuracy models/$m.onnx --arch lionheart --mapping homogeneous:cpu --repeats 1 | tail -1
  echo "== PCM 1 d $m, 10 000 images, 1 repeat (plus the FP32 reference pass)"
  $T "$H" accuracy models/$m.onnx --arch lionheart --mapping homogeneous:pcm0 --repeats 1 | tail -1
done
echo "== LionHeart fast mode, ResNet-20, 2 points at 1 d"
$T "$H" map resnet20-fm --arch lionheart --strategy lionheart --fast --weights models/resnet20-fm.onnx \
  --accuracy-drop 2 --no-baselines --json >/tmp/lionheart-fast.json
echo "== LionHeart full mode, ResNet-20, 2 points at 1 d, 10 repeats, no retraining"
$T "$H" map resnet20-fm --arch lionheart --strategy lionheart --weights models/resnet20-fm.onnx \
  --accuracy-drop 2 --repeats 10 --no-baselines --json >/tmp/lionheart-full.json
