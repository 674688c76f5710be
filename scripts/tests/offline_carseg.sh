#!/usr/bin/env bash
# CarSegNet to offline models through the language: torch.jit.trace with ct.save_as_cambricon armed writes
# FP32 and FP16 .cambricon files; cnrt (in the script), `mlus inspect` and `mlus infer` read them back.
# Outputs are compared with PyTorch's (Tests/Fixtures/carseg/reference/street_00_prob.npy):
# FP32 within 1e-4, FP16 within 5e-3 (docs/runtime.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
mlus=.build/debug/mlus
work=$(mktemp -d "${TMPDIR:-/tmp}/mlus-offline-carseg.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=Tests/Fixtures/carseg
fail() { echo "offline_carseg: FAIL: $*"; exit 1; }

cat > "$work/generate.mlus" <<'MLUS'
import os
import sys
import torch
import numpy as np
import cnrt
import torch_mlu.core.mlu_model as ct
from models.carsegnet import CarSegNet

root, out = sys.argv[1], sys.argv[2]
ref = np.load(os.path.join(root, "reference", "street_00_prob.npy"))
x = np.load(os.path.join(root, "reference", "street_00_input.npy"))
torch.set_grad_enabled(False)
for variant in ("fp32", "fp16"):
    model = CarSegNet()
    model.load_state_dict(torch.load(os.path.join(root, "carsegnet.pth")))
    model.eval()
    example = x
    if variant == "fp16":
        model.half()
        example = x.half()
    ct.set_core_number(4)
    ct.set_core_version("MLU220")
    name = os.path.join(out, "carseg_" + variant)
    ct.save_as_cambricon(name)
    traced = torch.jit.trace(model, example, check_trace=False)
    y = traced(example)
    ct.save_as_cambricon("")
    fused = (y.float() - ref).abs().max().item()
    m = cnrt.load_model(name + ".cambricon")
    f = m.extract_function("subnet0")
    outs = f.invoke([cnrt.nchw_to_nhwc(example)])
    o = outs[0]
    if f.output_dtypes()[0] == "CNRT_FLOAT16":
        o = cnrt.cast_fp16_to_fp32(o)
    offline = (o - ref).abs().max().item()
    print(variant, f.input_shapes()[0], f.input_dtypes()[0], f.output_dtypes()[0], m.model_parallelism(), fused, offline)
MLUS

gen=$(MLUS_STDLIB="$PWD/stdlib" "$mlus" "$work/generate.mlus" "$root" "$work") || fail "generation script failed"
echo "$gen"
python3 - "$gen" <<'PY' || exit 1
import sys
rows = {l.split()[0]: l for l in sys.argv[1].strip().splitlines()}
bad = []
for variant, tol, dtype in (("fp32", 1e-4, "CNRT_FLOAT32"), ("fp16", 5e-3, "CNRT_FLOAT16")):
    line = rows.get(variant)
    if line is None:
        bad.append(f"{variant}: no result"); continue
    parts = line.split()
    if "(1, 480, 480, 3)" not in line: bad.append(f"{variant}: input shape not NHWC [1, 480, 480, 3]: {line}")
    if parts.count(dtype) != 2: bad.append(f"{variant}: I/O dtypes are not {dtype}: {line}")
    fused, offline = float(parts[-2]), float(parts[-1])
    if not fused <= tol: bad.append(f"{variant}: fused-mode output differs from PyTorch by {fused:.3g} > {tol}")
    if not offline <= tol: bad.append(f"{variant}: cnrt output differs from PyTorch by {offline:.3g} > {tol}")
    if parts[-3] != "4": bad.append(f"{variant}: model parallelism {parts[-3]} != 4")
if bad:
    print("offline_carseg: FAIL\n  " + "\n  ".join(bad)); sys.exit(1)
PY

for variant in fp32 fp16; do
    [ -s "$work/carseg_$variant.cambricon" ] || fail "carseg_$variant.cambricon not written"
    [ -s "$work/carseg_$variant.cambricon_twins" ] || fail "carseg_$variant.cambricon_twins not written"
    "$mlus" inspect "$work/carseg_$variant.cambricon" > "$work/inspect_$variant.txt" || fail "mlus inspect $variant failed"
done
sha=$(sha256sum "$root/carsegnet.pth" | cut -d' ' -f1)
for want in "core version:  MLU220" "core number:   4" "batch:         1" "CNRT_FLOAT32 CNRT_NHWC [1, 480, 480, 3]" \
            "source SHA-256: $sha" "Model Parallelism: 4" "ESTIMATE, not a measurement" "conv2d [dilation=[1, 1], fused_relu=true"; do
    grep -qF -- "$want" "$work/inspect_fp32.txt" || fail "mlus inspect fp32 output lacks '$want'"
done
grep -qF "float16: 24 tensors" "$work/inspect_fp16.txt" || fail "FP16 model does not store its 24 parameters as float16"
grep -qF "CNRT_FLOAT16 CNRT_NHWC [480, 480]" "$work/inspect_fp16.txt" || fail "FP16 model output is not CNRT_FLOAT16"

# mlus infer: the .npy input (NCHW, transposed to NHWC) and the PNG with CarSegNet's preprocessing.
"$mlus" infer "$work/carseg_fp32.cambricon" "$root/reference/street_00_input.npy" --out "$work/npy" > /dev/null || fail "mlus infer (npy) failed"
"$mlus" infer "$work/carseg_fp32.cambricon" "$root/images/street_00.png" --out "$work/png" \
    --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225 > /dev/null || fail "mlus infer (png) failed"
"$mlus" infer "$work/carseg_fp16.cambricon" "$root/reference/street_00_input.npy" --out "$work/fp16" > /dev/null || fail "mlus infer (fp16) failed"
python3 - "$work" "$root" <<'PY' || exit 1
import struct, sys, zlib
work, root = sys.argv[1], sys.argv[2]
def npy(path):
    data = open(path, "rb").read()
    assert data[:6] == b"\x93NUMPY", path
    n = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + n].decode()
    assert "'<f4'" in header, header
    shape = tuple(int(s) for s in header.split("'shape': (")[1].split(")")[0].split(",") if s.strip())
    body = data[10 + n:]
    return shape, struct.unpack("<%df" % (len(body) // 4), body)
rshape, ref = npy(f"{root}/reference/street_00_prob.npy")
bad = []
for sub, name, tol in (("npy", "street_00_input", 1e-4), ("png", "street_00", 1e-4), ("fp16", "street_00_input", 5e-3)):
    shape, got = npy(f"{work}/{sub}/{name}_out.npy")
    if shape != rshape: bad.append(f"{sub}: shape {shape} != {rshape}"); continue
    diff = max(abs(a - b) for a, b in zip(got, ref))
    if not diff <= tol: bad.append(f"{sub}: max |infer - PyTorch| = {diff:.3g} > {tol}")
    # The mask PNG: white exactly where PyTorch's probability is > 0.5 (pixels within tol of 0.5 excepted).
    png = open(f"{work}/{sub}/{name}_mask.png", "rb").read()
    pos, idat, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunk = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR": width, height, depth, color = struct.unpack(">IIBB", chunk[:10])
        if kind == b"IDAT": idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    if depth != 8 or color != 0: bad.append(f"{sub}: mask is not 8-bit gray"); continue
    rows, prev, stride = [], bytearray(width), width
    for r in range(height):
        f, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 1] if i else 0; b = prev[i]; c = prev[i - 1] if i else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line)); prev = line
    pixels = b"".join(rows)
    wrong = sum(1 for v, p in zip(pixels, ref) if (v == 255) != (p > 0.5) and abs(p - 0.5) > tol)
    if wrong: bad.append(f"{sub}: {wrong} mask pixels disagree with PyTorch's probability > 0.5")
if bad:
    print("offline_carseg: FAIL\n  " + "\n  ".join(bad)); sys.exit(1)
PY

# Errors: a damaged file is the reader's named error, exit status 1; a wrongly sized image is refused.
head -c 100 "$work/carseg_fp32.cambricon" > "$work/bad.cambricon"
set +e
msg=$("$mlus" inspect "$work/bad.cambricon" 2>&1); rc=$?
set -e
[ $rc -eq 1 ] || fail "inspect of a truncated file exited $rc, expected 1"
echo "$msg" | grep "OfflineFormatError.truncatedHeader" > /dev/null || fail "inspect of a truncated file: '$msg'"
set +e
msg=$("$mlus" infer "$work/carseg_fp32.cambricon" "$root/images/street_00.png" "$root/images/street_01.png" --out "$work/two" 2>&1); rc=$?
set -e
[ $rc -eq 0 ] || fail "infer with two images for a one-input model exited $rc: '$msg'"
[ -f "$work/two/street_00_out.npy" ] && [ -f "$work/two/street_01_out.npy" ] || fail "infer with two images: one run per image expected ('$msg')"
"$mlus" infer --help | grep "resizing" > /dev/null || fail "mlus infer --help"
"$mlus" inspect --help | grep "roofline" > /dev/null || fail "mlus inspect --help"
echo "offline_carseg: ok (FP32 and FP16 offline models: trace, cnrt, inspect, infer on .npy and PNG)"
