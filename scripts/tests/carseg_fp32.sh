#!/usr/bin/env bash
# CarSegNet FP32 through the language: outputs within 1e-4 of PyTorch's, IoUs within 1e-3 of PyTorch's figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(MLUS_STDLIB="$PWD/stdlib" .build/debug/mlus Tests/Scripts/carseg_fp32.mlus Tests/Fixtures/carseg)
python3 - "$out" <<'PY'
import json, sys
got = json.loads(sys.argv[1])
ref = json.load(open("Tests/Fixtures/carseg/reference/figures.json"))
bad = []
for name, iou in ref["per_image_iou_fp32"].items():
    if abs(got["per_image_iou"][name] - iou) > 1e-3:
        bad.append(f"{name}: IoU {got['per_image_iou'][name]:.6f} vs PyTorch {iou:.6f}")
for key in ("mean_iou", "dataset_iou"):
    if abs(got[key] - ref[key + "_fp32"]) > 1e-3:
        bad.append(f"{key}: {got[key]:.6f} vs PyTorch {ref[key + '_fp32']:.6f}")
for name, diff in got["max_abs_diff"].items():
    if not diff <= 1e-4:
        bad.append(f"{name}: max |mlus - PyTorch| = {diff:.3g} > 1e-4")
if len(got["max_abs_diff"]) < 4:
    bad.append("reference outputs were not compared")
if bad:
    print("carseg_fp32: FAIL\n  " + "\n  ".join(bad)); sys.exit(1)
print(f"carseg_fp32: ok (dataset IoU {got['dataset_iou']:.4f}, worst output diff {max(got['max_abs_diff'].values()):.2e})")
PY
