#!/usr/bin/env bash
# End-to-end quantizer test on CarSegNet and the 8 fixture images (reference cambricon.md §1–3, §9):
#  1. scales: for the qconfigs of Tests/Fixtures/quant/carseg_scales.json (written by real PyTorch forward
#     hooks, scripts/fixtures/gen_quant_fixtures.py) the scales mlus saves agree to relative error < 1e-6;
#  2. state_dict: the saved int8 state dict loads in real PyTorch with weights_only=True and has exactly the
#     keys, dtypes and shapes of reference §3 (checked when the torch venv of scripts/torch-venv exists);
#  3. accuracy: int8 and int16 models, calibrated on the 8 images, saved, loaded back in two steps and run on
#     the emulated MLU with raw pixels (firstconv): dataset IoU within 0.01 (int8) / 0.002 (int16) of FP32;
#  4. oracle: the int8 (firstconv) and int16 per-channel MLU outputs of street_00 against PyTorch's
#     independent integer emulation (float64 convolution of the integers);
#  5. bad input gives clear errors.
# Prints the measured IoUs (FP32 and FP16 mode) and the compare() table.
set -uo pipefail
cd "$(dirname "$0")/../.."
MLUS="$PWD/.build/debug/mlus"
if [ ! -x "$MLUS" ]; then
    echo "quantize_carseg: $MLUS not found (run swift build first)" >&2
    exit 1
fi
TORCH_PY=""
if [ -x "${MLUS_VENV:-$HOME/.cache/mlus-venv}/bin/python" ]; then TORCH_PY="${MLUS_VENV:-$HOME/.cache/mlus-venv}/bin/python"; fi
exec python3 - "$MLUS" "$PWD" "$TORCH_PY" <<'PY'
import json, os, subprocess, sys, tempfile

mlus, root, torch_py = sys.argv[1], sys.argv[2], sys.argv[3]
fixtures = json.load(open(os.path.join(root, "Tests/Fixtures/quant/carseg_scales.json")))
work = tempfile.mkdtemp(prefix="quantize_carseg.")
failures = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)

def run(script, name):
    path = os.path.join(work, name + ".mlus")
    with open(path, "w") as f:
        f.write(script)
    env = dict(os.environ, MLUS_STDLIB=os.path.join(root, "stdlib"))
    p = subprocess.run([mlus, path], cwd=root, capture_output=True, text=True, timeout=900, env=env)
    if p.returncode != 0:
        print(p.stdout[-3000:])
        print(p.stderr[-3000:])
        check(False, name + " script ran")
        return []
    return p.stdout.splitlines()

PRELUDE = '''
import torch
import numpy as np
import image
import torch_mlu
import torch_mlu.core.mlu_model as ct
import torch_mlu.core.mlu_quantize as mlu_quantize
from models.carsegnet import CarSegNet, MEAN, STD

root = "Tests/Fixtures/carseg/"
names = ["street_0" + str(i) for i in range(8)]
raw = [torch.from_numpy(image.read(root + "images/" + n + ".png")).float().permute(2, 0, 1)[None] for n in names]
masks = [image.read(root + "images/" + n + "_mask.png")[:, :, 0] > 127 for n in names]

def normalize(x):
    return (x / 255.0 - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]

calib = [normalize(x) for x in raw]

def float_net():
    net = CarSegNet()
    net.load_state_dict(torch.load(root + "carsegnet.pth"))
    net.eval()
    return net

def dataset_iou(probs):
    inter = 0
    union = 0
    for p, m in zip(probs, masks):
        pred = p > 0.5
        inter += (pred & m).sum().item()
        union += (pred | m).sum().item()
    return inter / union
'''

# 1. scales against PyTorch hooks
lines = [PRELUDE, "torch.set_grad_enabled(False)"]
for key, cfg in fixtures["configs"].items():
    lines.append(f'''
q = mlu_quantize.quantize_dynamic_mlu(float_net(), {cfg["qconfig"]!r}, dtype={cfg["dtype"]!r}, gen_quant=True)
mlu_quantize.calibrate(q, calib)
sd = q.state_dict()
for k in sd.keys():
    if k.endswith(".scale"):
        print("SCALE", {key!r}, k[:-6], sd[k][0].item(), sd[k][1].item())
    if k.endswith(".scale_weight_per_channel"):
        print("PC", {key!r}, k[:-25], " ".join([repr(v) for v in sd[k].tolist()]))
''')
    if key == "int16_per_channel":
        lines.append('''
torch.save(sd, "WORK/int16_per_channel.pth")
dev = ct.mlu_device()
y = q.to(dev)(calib[0].to(dev)).cpu()'''.replace("WORK", work) + '''
ref = torch.from_numpy(np.load("Tests/Fixtures/quant/carseg_int16_per_channel_street_00_prob.npy"))
d = (y - ref).abs()
print("ORACLE16", d.max().item(), d.mean().item(), ((y > 0.5) == (ref > 0.5)).float().mean().item())
''')
out = run("\n".join(lines), "scales")
got = {}
for line in out:
    parts = line.split()
    if parts and parts[0] == "SCALE":
        got.setdefault(parts[1], {}).setdefault(parts[2], {})["input"] = float(parts[3])
        got[parts[1]][parts[2]]["weight"] = float(parts[4])
    elif parts and parts[0] == "PC":
        got.setdefault(parts[1], {}).setdefault(parts[2], {})["weight_per_channel"] = [float(v) for v in parts[3:]]
for line in out:
    if line.startswith("ORACLE16"):
        mx, mean, agree = [float(v) for v in line.split()[1:]]
        check(mx < 1e-3 and agree == 1.0, f"int16 per-channel street_00 vs PyTorch integer emulation: max |d| {mx:.3g}, mean |d| {mean:.3g}, mask agreement {agree:.5f}")
if not any(line.startswith("ORACLE16") for line in out):
    check(False, "int16 per-channel oracle comparison ran")
for key, cfg in fixtures["configs"].items():
    worst = 0.0
    count = 0
    for layer, expected in cfg["layers"].items():
        mine = got.get(key, {}).get(layer)
        if mine is None:
            check(False, f"{key}: layer {layer} has a scale")
            continue
        pairs = [(mine["input"], expected["input"])]
        if "weight_per_channel" in expected:
            pairs += list(zip(mine.get("weight_per_channel", []), expected["weight_per_channel"]))
            if len(mine.get("weight_per_channel", [])) != len(expected["weight_per_channel"]):
                check(False, f"{key}: {layer} per-channel count")
            if mine["weight"] != 0.0:
                check(False, f"{key}: {layer} scale[1] is 0 when per channel")
        else:
            pairs.append((mine["weight"], expected["weight"]))
        for a, e in pairs:
            worst = max(worst, abs(a - e) / abs(e))
            count += 1
    check(count > 0 and worst < 1e-6, f"scales {key}: {count} values, max relative error {worst:.2e} vs PyTorch hooks")

# 3. + 4. + 2. accuracy on the MLU, oracle, state dict file
acc = PRELUDE + '''
torch.set_grad_enabled(False)
net = float_net()
print("IOU fp32", dataset_iou([net(x) for x in calib]))
dev = ct.mlu_device()
for dtype in ["int8", "int16"]:
    q = mlu_quantize.quantize_dynamic_mlu(net, {"iteration": 8, "firstconv": True, "mean": MEAN, "std": STD}, dtype=dtype, gen_quant=True)
    mlu_quantize.calibrate(q, calib)
    if dtype == "int8":
        report = mlu_quantize.compare(net, q, calib[:2])
        print("COMPARE", len(report["flagged"]), report["output"]["cosine"], report["worst"], report["layers"][report["worst"]]["single_layer"]["relative_error"])
    torch.save(q.state_dict(), "WORK/" + dtype + ".pth")
    q2 = mlu_quantize.quantize_dynamic_mlu(CarSegNet())
    print("LOAD", dtype, q2.load_state_dict(torch.load("WORK/" + dtype + ".pth")))
    q2.to(dev)
    probs = [q2(x.to(dev)).cpu() for x in raw]
    print("IOU", dtype, "fp32-mode", dataset_iou(probs))
    if dtype == "int8":
        ref = torch.from_numpy(np.load("Tests/Fixtures/quant/carseg_int8_street_00_prob.npy"))
        d = (probs[0] - ref).abs()
        agree = ((probs[0] > 0.5) == (ref > 0.5)).float().mean().item()
        print("ORACLE", d.max().item(), d.mean().item(), agree)
        q2.half()
        probs16 = [q2(x.half().to(dev)).cpu().float() for x in raw]
        print("IOU", dtype, "fp16-mode", dataset_iou(probs16))
'''.replace("WORK", work)
out = run(acc, "accuracy")
vals = {}
for line in out:
    print("  " + line)
    p = line.split()
    if p[:1] == ["IOU"]:
        vals[" ".join(p[1:-1])] = float(p[-1])
    if p[:1] == ["COMPARE"]:
        check(p[1] == "0" and float(p[2]) > 0.999, f"compare: int8 CarSegNet has no layer below cosine 0.99, output cosine {p[2]}, worst layer {p[3]}")
    if p[:1] == ["ORACLE"]:
        vals["oracle"] = [float(v) for v in p[1:]]
    if p[:1] == ["LOAD"]:
        check(line.endswith("<All keys matched successfully>"), "two-step load " + p[1])
fp32 = vals.get("fp32", 0.0)
figures = json.load(open(os.path.join(root, "Tests/Fixtures/carseg/reference/figures.json")))
check(abs(fp32 - figures["dataset_iou_fp32"]) < 1e-4, f"FP32 dataset IoU {fp32:.6f} = PyTorch's {figures['dataset_iou_fp32']:.6f}")
for dtype, tol in [("int8", 0.01), ("int16", 0.002)]:
    v = vals.get(dtype + " fp32-mode", 0.0)
    check(abs(v - fp32) <= tol, f"{dtype} MLU dataset IoU {v:.6f} within {tol} of FP32 {fp32:.6f} (diff {v - fp32:+.6f})")
v16 = vals.get("int8 fp16-mode", 0.0)
check(abs(v16 - fp32) <= 0.01, f"int8 FP16-mode MLU dataset IoU {v16:.6f} within 0.01 of FP32")
if "oracle" in vals:
    mx, mean, agree = vals["oracle"]
    check(mean < 1e-3 and agree > 0.999, f"int8 street_00 vs PyTorch integer emulation: max |d| {mx:.3g}, mean |d| {mean:.3g}, mask agreement {agree:.5f}")
else:
    check(False, "oracle comparison ran")

if torch_py:
    sd_check = r'''
import sys, torch
sd = torch.load(sys.argv[1], weights_only=True)
ref = torch.load(sys.argv[2], weights_only=True)
convs = [n[:-len(".weight")] for n in ref if n.endswith(".weight") and ref[n].dim() == 4]
expected = []
for k, t in ref.items():
    expected.append((k, t.dtype, tuple(t.shape)))
    layer = k.rsplit(".", 1)[0]
    last = k.endswith(".bias") or (k.endswith(".weight") and layer + ".bias" not in ref)
    if layer in convs and last:
        expected.append((layer + ".scale", torch.float32, (2,)))
        expected.append((layer + ".quantized_mode", torch.int32, (1,)))
        if layer == convs[0]:
            expected.append((layer + ".input_mean", torch.float32, (1, 3, 1, 1)))
            expected.append((layer + ".input_std", torch.float32, (1, 3, 1, 1)))
got = [(k, t.dtype, tuple(t.shape)) for k, t in sd.items()]
print("KEYS", "same" if got == expected else "differ")
if got != expected:
    print(set(got) ^ set(expected))
print("MODE", sd[convs[0] + ".quantized_mode"].tolist(), "MEAN", [round(v, 4) for v in sd[convs[0] + ".input_mean"].flatten().tolist()])
pc = torch.load(sys.argv[3], weights_only=True)
expected = []
for k, t in ref.items():
    expected.append((k, t.dtype, tuple(t.shape)))
    layer = k.rsplit(".", 1)[0]
    last = k.endswith(".bias") or (k.endswith(".weight") and layer + ".bias" not in ref)
    if layer in convs and last:
        expected += [(layer + ".scale", torch.float32, (2,)), (layer + ".quantized_mode", torch.int32, (1,)),
                     (layer + ".scale_weight_per_channel", torch.float32, (ref[layer + ".weight"].shape[0],)),
                     (layer + ".quantized_by_channel", torch.int64, (1,))]
got = [(k, t.dtype, tuple(t.shape)) for k, t in pc.items()]
print("PCKEYS", "same" if got == expected else "differ", pc[convs[0] + ".quantized_mode"].tolist(), pc[convs[0] + ".quantized_by_channel"].tolist(), pc[convs[0] + ".scale"][1].item())
if got != expected:
    print(set(got) ^ set(expected))
'''
    p = subprocess.run([torch_py, "-c", sd_check, os.path.join(work, "int8.pth"), os.path.join(root, "Tests/Fixtures/carseg/carsegnet.pth"),
                        os.path.join(work, "int16_per_channel.pth")],
                       capture_output=True, text=True)
    print("  " + p.stdout.strip().replace("\n", "\n  "), p.stderr[-2000:])
    check("KEYS same" in p.stdout, "int8 state_dict loads in PyTorch (weights_only=True) with reference §3 keys, dtypes, shapes")
    check("MODE [1] MEAN [123.675, 116.28, 103.53]" in p.stdout, "quantized_mode [1] and input_mean = mean*255")
    check("PCKEYS same [2] [1] 0.0" in p.stdout, "int16 per-channel state_dict: reference §3 keys (scale_weight_per_channel, quantized_by_channel), mode [2], scale[1] = 0")
else:
    print("note: no torch venv (scripts/torch-venv); PyTorch load check not run")

# 5. bad input
bad = PRELUDE + '''
def attempt(label, f):
    try:
        f()
        print("NOERROR", label)
    except Exception as e:
        print("ERROR", label, "|", str(e).replace("\\n", " "))

attempt("dtype", lambda: mlu_quantize.quantize_dynamic_mlu(float_net(), {}, dtype="int4", gen_quant=True))
attempt("mean", lambda: mlu_quantize.quantize_dynamic_mlu(float_net(), {"mean": [123.675, 116.28, 103.53]}, gen_quant=True))
attempt("uncalibrated", lambda: mlu_quantize.quantize_dynamic_mlu(float_net(), {"firstconv": False}, gen_quant=True).state_dict())
q = mlu_quantize.quantize_dynamic_mlu(float_net(), {"firstconv": False}, gen_quant=True)
q(calib[0])
sd = q.state_dict()
attempt("float load", lambda: float_net().load_state_dict(sd))
attempt("float on mlu", lambda: float_net().to(ct.mlu_device())(raw[0].to(ct.mlu_device())))
attempt("core number", lambda: ct.set_core_number(8))
ct.set_core_version("MLU220")
attempt("core number 220", lambda: ct.set_core_number(16))
'''
out = run(bad, "bad_input")
errs = {}
for line in out:
    if line.startswith("ERROR") or line.startswith("NOERROR"):
        print("  " + line)
        head, _, msg = line.partition(" | ")
        errs[head.split(" ", 1)[1]] = msg if line.startswith("ERROR") else None
check("int4" in (errs.get("dtype") or ""), "dtype other than int8/int16 is an error")
check("255" in (errs.get("mean") or ""), "mean outside [0,1] suggests dividing by 255")
check("enc1.0.0" in (errs.get("uncalibrated") or ""), "state_dict without calibration names the layer")
check("quantize_dynamic_mlu(model)" in (errs.get("float load") or ""), "quantized state_dict into a float model explains the two-step load")
check("quantize" in (errs.get("float on mlu") or ""), "float conv on the MLU says to quantize first")
check("1, 4, 16" in (errs.get("core number") or ""), "set_core_number(8) on MLU270 lists 1, 4, 16")
check("1, 4" in (errs.get("core number 220") or ""), "set_core_number(16) on MLU220 is an error")

print(f"quantize_carseg: {'FAILED ' + str(len(failures)) if failures else 'all passed'}")
sys.exit(1 if failures else 0)
PY
