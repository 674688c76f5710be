#!/usr/bin/env bash
# `mlus port --firstconv` (one calibration image, one evaluation image, MLU270 with 16 cores): all six offline
# models are written; the four quantized ones take uint8 NHWC 4-channel pixels (twins and inspect say so), the
# float ones take float input; the quantized variants stay within the 0.01 IoU budget of FP32; the MLU220
# estimate uses 4 cores (the most MLU220 allows), the MLU270 one 16.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlus="$PWD/.build/debug/mlus"
export MLUS_STDLIB="$PWD/stdlib"
work=$(mktemp -d "${TMPDIR:-/tmp}/mlus-port-firstconv.XXXXXX")
trap 'rm -rf "$work"' EXIT
img=Tests/Fixtures/carseg/images
"$mlus" port --model models.carsegnet:CarSegNet --weights Tests/Fixtures/carseg/carsegnet.pth \
    --calib "$img/street_00.png" --eval "$img/street_01.png" --masks "$img/street_01_mask.png" \
    --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225 --firstconv --core-version MLU270 --core-number 16 \
    --out "$work" > "$work/log.txt" 2>&1 || { tail -20 "$work/log.txt"; echo "port_firstconv: FAIL: mlus port failed"; exit 1; }
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
fail = []
s = json.load(open(os.path.join(work, "summary.json")))
for v in ("fp32", "fp16", "int8_fp32", "int8_fp16", "int16_fp32", "int16_fp16"):
    twins = os.path.join(work, f"carsegnet_{v}.cambricon_twins")
    if not os.path.exists(twins):
        fail.append(f"{v}: no offline model"); continue
    first_input = open(twins).read().split("Input #0.")[1].split("Output number")[0]
    if v.startswith("int"):
        ok = "Shape(dim): 1 480 480 4" in first_input and "CNRT_UINT8" in first_input
    else:
        ok = "Shape(dim): 1 480 480 3" in first_input and "CNRT_UINT8" not in first_input
    if not ok:
        fail.append(f"{v}: input {first_input.split()}")
rows = s["variants"]
for v in ("int8-fp32", "int8-fp16", "int16-fp32", "int16-fp16"):
    loss = rows["fp32"]["iou_vs_gt"] - rows[v]["iou_vs_gt"]
    if loss > 0.01:
        fail.append(f"{v}: IoU loss {loss:.4f} > 0.01")
est = rows["int8-fp32"]["estimate_ms"]
if est["MLU220"]["core_number"] != 4 or est["MLU270"]["core_number"] != 16:
    fail.append(f"estimate cores {est}")
if fail:
    print("port_firstconv: FAIL:", "; ".join(fail)); sys.exit(1)
PY
report=$("$mlus" inspect --no-estimate "$work/carsegnet_int8_fp16.cambricon")
grep -q "input format:  0 (rgba, firstconv)" <<< "$report" || { echo "port_firstconv: FAIL: inspect does not show the input format"; exit 1; }
echo "port_firstconv: ok (six offline models; quantized ones take uint8 RGBA pixels; within the IoU budget)"
