#!/usr/bin/env bash
# End-to-end `mlus port` on CarSegNet (2 calibration images, the 8 evaluation images with masks):
#  1. summary.json has every variant with its numbers; FP32 dataset IoU equals PyTorch's (fixture figures.json);
#     INT16 within 0.002 and INT8 within 0.02 of FP32; estimates present and labelled; a recommendation;
#  2. the artefacts exist and load: legacy .pth is not zip (first bytes) and loads in PyTorch (when the torch
#     venv exists) or mlus; the int8/int16 state dicts load; the FP32/FP16 .cambricon files pass `mlus inspect`;
#     overlays are PNG files;
#  3. preflight flags SiLU/Hardswish with replacements and a zip checkpoint (Tests/Scripts/port_preflight.mlus);
#  4. bad command lines give clear errors.
set -uo pipefail
cd "$(dirname "$0")/../.."
MLUS="$PWD/.build/debug/mlus"
if [ ! -x "$MLUS" ]; then
    echo "port_carseg: $MLUS not found (run swift build first)" >&2
    exit 1
fi
TORCH_PY=""
if [ -x "${MLUS_VENV:-$HOME/.cache/mlus-venv}/bin/python" ]; then TORCH_PY="${MLUS_VENV:-$HOME/.cache/mlus-venv}/bin/python"; fi
export MLUS_STDLIB="$PWD/stdlib"
exec python3 - "$MLUS" "$PWD" "$TORCH_PY" <<'PY'
import json, os, subprocess, sys, tempfile

mlus, root, torch_py = sys.argv[1], sys.argv[2], sys.argv[3]
work = tempfile.mkdtemp(prefix="port_carseg.")
out = os.path.join(work, "out")
failures = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)

images = os.path.join(root, "Tests/Fixtures/carseg/images")
cmd = [mlus, "port", "--model", "models.carsegnet:CarSegNet", "--weights", os.path.join(root, "Tests/Fixtures/carseg/carsegnet.pth"),
       "--calib", images + "/street_0[03].png", "--eval", images + "/*.png", "--masks", images + "/*_mask.png",
       "--core-version", "MLU220", "--core-number", "4", "--out", out]
p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
if p.returncode != 0:
    print(p.stdout[-3000:]); print(p.stderr[-3000:])
check(p.returncode == 0, "mlus port ran")
summary = {}
try:
    summary = json.load(open(os.path.join(out, "summary.json")))
except Exception as e:
    check(False, f"summary.json readable ({e})")

figures = json.load(open(os.path.join(root, "Tests/Fixtures/carseg/reference/figures.json")))
variants = summary.get("variants", {})
for v in ["fp32", "fp16", "int8-fp32", "int8-fp16", "int16-fp32", "int16-fp16"]:
    r = variants.get(v, {})
    keys = ["agreement_vs_fp32", "iou_vs_fp32", "iou_vs_gt", "emulation_ms", "estimate_ms"]
    check(all(k in r for k in keys) and len(r.get("iou_vs_gt_per_image", [])) == 8, f"{v}: every number present")
    est = r.get("estimate_ms", {})
    check(all(0 < est.get(d, {}).get("ms", 0) < 1000 for d in ("MLU220", "MLU270")), f"{v}: MLU220/MLU270 estimates {est}")
fp32 = variants.get("fp32", {}).get("iou_vs_gt", -1)
check(abs(fp32 - figures["dataset_iou_fp32"]) < 1e-4, f"FP32 dataset IoU {fp32:.6f} = PyTorch's {figures['dataset_iou_fp32']:.6f}")
for v, tol in [("int16-fp32", 0.002), ("int16-fp16", 0.002), ("int8-fp32", 0.02), ("int8-fp16", 0.02), ("fp16", 0.002)]:
    x = variants.get(v, {}).get("iou_vs_gt", -1)
    check(abs(x - fp32) <= tol, f"{v} dataset IoU {x:.6f} within {tol} of FP32 (diff {x - fp32:+.6f})")
    a = variants.get(v, {}).get("agreement_vs_fp32", 0)
    check(a > 0.99, f"{v} pixel agreement with FP32 masks {a:.5f} > 0.99")
est220 = {v: variants.get(v, {}).get("estimate_ms", {}).get("MLU220", {}).get("ms", 0) for v in variants}
check(est220.get("int8-fp16", 1e9) < est220.get("fp32", 0), "int8-fp16 estimated faster than fp32 on MLU220")
check("ESTIMATE" in summary.get("estimate_disclaimer", ""), "estimates labelled as such")
rec = summary.get("recommendation", {})
check(rec.get("variant") in variants and "budget" in rec.get("reason", ""), f"recommendation: {rec}")
check(summary.get("compare", {}).get("output_cosine", 0) > 0.999, "per-layer compare in the summary")
md = open(os.path.join(out, "summary.md")).read() if os.path.exists(os.path.join(out, "summary.md")) else ""
check("int16-fp16" in md and "Recommendation" in md and "ESTIMATES" in md, "summary.md has the table, recommendation, estimate label")
check("| int8-fp32 |" in p.stdout, "summary table on stdout")
for img in summary.get("overlays", []):
    check(os.path.exists(os.path.join(out, os.path.basename(img))) and open(img, "rb").read(8) == b"\x89PNG\r\n\x1a\n", f"overlay {os.path.basename(img)} is a PNG; linked in summary.md: {os.path.basename(img) in md}")
check(len(summary.get("overlays", [])) >= 2, "overlays written")

legacy = os.path.join(out, "carsegnet_legacy.pth")
check(os.path.exists(legacy) and open(legacy, "rb").read(2) != b"PK", "legacy checkpoint is not a zip file")
for dtype in ("int8", "int16"):
    check(os.path.exists(os.path.join(out, f"carsegnet_{dtype}.pth")), f"{dtype} checkpoint exists")
for v in ("fp32", "fp16"):
    cam = os.path.join(out, f"carsegnet_{v}.cambricon")
    q = subprocess.run([mlus, "inspect", cam], capture_output=True, text=True)
    check(q.returncode == 0 and os.path.exists(cam + "_twins"), f"{v} offline model and twins written; mlus inspect reads it")
for v in ("int8-fp32", "int8-fp16", "int16-fp32", "int16-fp16"):
    s = summary.get("offline", {}).get(v, "")
    made = os.path.exists(os.path.join(out, "carsegnet_" + v.replace("-", "_") + ".cambricon"))
    check(made or s.startswith("not generated: "), f"{v} offline model written ({'written' if made else 'not generated'})")

load = f'''
import torch
import torch_mlu.core.mlu_quantize as mlu_quantize
from models.carsegnet import CarSegNet
m = CarSegNet()
print(m.load_state_dict(torch.load("{legacy}"), strict=True))
for d in ("int8", "int16"):
    q = mlu_quantize.quantize_dynamic_mlu(CarSegNet())
    print(q.load_state_dict(torch.load("{out}/carsegnet_" + d + ".pth"), strict=True))
    sd = torch.load("{out}/carsegnet_" + d + ".pth")
    print(d, sd["enc1.0.0.quantized_mode"].tolist())
'''
q = subprocess.run([mlus, "-c", load], capture_output=True, text=True)
check(q.stdout.count("All keys matched") == 3 and "int8 [1]" in q.stdout and "int16 [2]" in q.stdout, "legacy/int8/int16 checkpoints load back in mlus (quantized_mode 1 / 2)")
if torch_py:
    q = subprocess.run([torch_py, "-c", "import sys, torch\nfor p in sys.argv[1:]:\n    sd = torch.load(p, weights_only=True); print(len(sd))",
                        legacy, os.path.join(out, "carsegnet_int8.pth"), os.path.join(out, "carsegnet_int16.pth")], capture_output=True, text=True)
    check(q.returncode == 0, "legacy/int8/int16 checkpoints load in PyTorch (weights_only=True)")
else:
    print("note: no torch venv; PyTorch load check not run")

pf_dir = os.path.join(work, "pf"); os.makedirs(pf_dir)
q = subprocess.run([mlus, os.path.join(root, "Tests/Scripts/port_preflight.mlus"), pf_dir], capture_output=True, text=True)
pf = {}
try:
    pf = json.loads(q.stdout.strip().splitlines()[-1])
except Exception:
    print(q.stdout[-2000:], q.stderr[-2000:])
zoo = " ".join(f["message"] for f in pf.get("zoo", []))
check("SiLU" in zoo and "x * torch.sigmoid(x)" in zoo, "preflight: SiLU reported with its replacement")
check("Hardswish" in zoo and "hardtanh(x + 3, 0, 6) / 6" in zoo, "preflight: Hardswish reported with its replacement")
check(any("needs the legacy re-save" in f["message"] for f in pf.get("plain_zip", [])), "preflight: zip checkpoint needs the legacy re-save")
check(pf.get("plain_legacy", None) == [], "preflight: nothing to report on a plain model with a legacy checkpoint")
check(any("legacy re-save" in f["message"] for f in summary.get("preflight", [])), "port ran preflight (zip fixture checkpoint flagged)")

# mlu_performance.estimate on a hand-countable model: Conv2d(64, 64, 3, padding=1, bias=False) on 1x64x32x32 FP32.
# ops = 2 * 32*32*64*64*9 = 75,497,472; activations 2 * 262,144 B; weights 147,456 B (FP32), /4 int8, /2 int16.
# MLU270 peaks (chip, 16 cores): f32 16e12, int16 64e12, int8 128e12; efficiency 0.5; DRAM 102.4e9 * 0.7 = 7.168e10 B/s.
ops = 2 * 32 * 32 * 64 * 64 * 9
act = 2 * 64 * 32 * 32 * 4
expected = {
    ("none", 1): max(ops / (16e12 / 16 * 0.5), (act + 147456) / 7.168e10),
    ("int8", 1): max(ops / (128e12 / 16 * 0.5), (act + 36864) / 7.168e10),
    ("int16", 1): max(ops / (64e12 / 16 * 0.5), (act + 73728) / 7.168e10),
    ("int8", 16): max(ops / (128e12 * 0.5), (act + 36864) / 7.168e10),      # memory-bound: checks the weight bytes
    ("int16", 16): max(ops / (64e12 * 0.5), (act + 73728) / 7.168e10),
}
est_script = """
import torch, torch.nn as nn, torch_mlu.core.mlu_model as off, mlu_performance
torch.set_grad_enabled(False)
m = nn.Conv2d(64, 64, 3, padding=1, bias=False)
m.eval()
x = torch.zeros(1, 64, 32, 32)
off.save_as_cambricon("WORK/conv64")
t = torch.jit.trace(m, x, check_trace=False)
t(x)
off.save_as_cambricon("")
for q, n in [("none", 1), ("int8", 1), ("int16", 1), ("int8", 16), ("int16", 16)]:
    print("EST", q, n, mlu_performance.estimate("WORK/conv64.cambricon", "MLU270", n, q)["total_ms"])
try:
    mlu_performance.estimate("WORK/conv64.cambricon", "MLU280", 1)
except ValueError as e:
    print("ERR", e)
""".replace("WORK", work)
r = subprocess.run([mlus, "-c", est_script], capture_output=True, text=True)
got = {(l.split()[1], int(l.split()[2])): float(l.split()[3]) / 1000 for l in r.stdout.splitlines() if l.startswith("EST")}
for k, v in expected.items():
    g = got.get(k, -1)
    check(abs(g - v) <= 1e-9 * max(1, v) + 1e-12, f"estimate {k}: {g:.6e} s = hand-derived {v:.6e} s")
check("MLU220 or MLU270" in r.stdout, "estimate() rejects an unknown core version")

def bad(args, expect):
    r = subprocess.run([mlus, "port"] + args, capture_output=True, text=True, timeout=120)
    msg = (r.stdout + r.stderr).replace("\n", " ")
    check(r.returncode != 0 and expect in msg, f"error for {' '.join(args)[:60]!r}: {expect!r}")
w = os.path.join(root, "Tests/Fixtures/carseg/carsegnet.pth")
bad(["--model", "CarSegNet", "--weights", w, "--calib", "x", "--eval", "y"], "file.mlus:Class or module.path:Class")
bad(["--model", "nofile.mlus:Net", "--weights", w, "--calib", "x", "--eval", "y"], "no such file 'nofile.mlus'")
bad(["--model", "models.carsegnet:CarSegNet", "--weights", "missing.pth", "--calib", "x", "--eval", "y"], "no such file 'missing.pth'")
bad(["--model", "models.carsegnet:CarSegNet", "--weights", w, "--calib", "x", "--eval", "y", "--core-number", "16"], "valid: 1, 4")
bad(["--model", "models.carsegnet:CarSegNet", "--weights", w, "--calib", "/nonexistent/*.png", "--eval", "y", "--out", work + "/bad"], "calib matches no image")
bad(["--model", "models.carsegnet:NoSuchNet", "--weights", w, "--calib", images + "/street_00.png", "--eval", images + "/street_00.png", "--out", work + "/bad"], "NoSuchNet")
# --model as file.mlus:Class (a file outside the stdlib search path is imported from its own folder)
mdir = os.path.join(work, "models_here"); os.makedirs(mdir)
open(os.path.join(mdir, "mynet.mlus"), "w").write(open(os.path.join(root, "stdlib/models/carsegnet.mlus")).read())
r = subprocess.run([mlus, "port", "--model", os.path.join(mdir, "mynet.mlus") + ":CarSegNet", "--weights", w,
                    "--calib", images + "/street_00.png", "--eval", images + "/street_01.png", "--out", work + "/file_model"],
                   capture_output=True, text=True, timeout=300)
fs = json.load(open(work + "/file_model/summary.json")) if os.path.exists(work + "/file_model/summary.json") else {}
check(r.returncode == 0 and "iou_vs_gt" not in fs.get("variants", {}).get("fp32", {"iou_vs_gt": 0})
      and fs.get("variants", {}).get("int16-fp32", {}).get("iou_vs_fp32", 0) > 0.99,
      "--model file.mlus:Class, no masks: IoU vs FP32 only" + ("" if r.returncode == 0 else ": " + r.stderr[-800:]))
r = subprocess.run([mlus, "-c", "from porting import port\nfrom models.carsegnet import CarSegNet\nport(CarSegNet(), '" + w + "', 'x')"],
                   capture_output=True, text=True)
check(r.returncode != 0 and "not an instance" in r.stderr, "port() given a model instance explains it wants the class")
r = subprocess.run([mlus, "port", "--help"], capture_output=True, text=True)
check(r.returncode == 0 and "--calib" in r.stdout and "ESTIMATES" in r.stdout, "mlus port --help")

print(f"port_carseg: {'FAILED ' + str(len(failures)) if failures else 'all passed'}")
sys.exit(1 if failures else 0)
PY
