#!/usr/bin/env bash
# (integration) Quantized CarSegNet (int8, no firstconv) on the emulated MLU: layer-by-layer, fused
# (torch.jit.trace) and offline (cnrt) outputs agree exactly, in FP32 and FP16 mode; the offline models
# store int8 weights. Needs the quantizer (branch quant) and the glue QuantizedGraphSupport.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlus=.build/debug/mlus
work=$(mktemp -d "${TMPDIR:-/tmp}/mlus-offline-quant.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/q.mlus" <<'MLUS'
import sys
import torch
import image
import cnrt
import torch_mlu.core.mlu_model as ct
import torch_mlu.core.mlu_quantize as mlu_quantize
from models.carsegnet import CarSegNet, MEAN, STD
root, out = "Tests/Fixtures/carseg/", sys.argv[1] + "/"
def normalize(x):
    return (x / 255.0 - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]
xs = [normalize(torch.from_numpy(image.read(root + "images/street_0" + str(i) + ".png")).float().permute(2, 0, 1)[None]) for i in range(2)]
net = CarSegNet(); net.load_state_dict(torch.load(root + "carsegnet.pth")); net.eval()
q = mlu_quantize.quantize_dynamic_mlu(net, {"iteration": 2, "firstconv": False}, dtype="int8", gen_quant=True)
mlu_quantize.calibrate(q, xs)
torch.save(q.state_dict(), out + "int8.pth")
q2 = mlu_quantize.quantize_dynamic_mlu(CarSegNet())
q2.load_state_dict(torch.load(out + "int8.pth"))
dev = ct.mlu_device()
q2.to(dev)
ct.set_core_number(4); ct.set_core_version("MLU220")
for variant in ("fp32", "fp16"):
    if variant == "fp16":
        q2.half()
    x = xs[0].half() if variant == "fp16" else xs[0]
    lbl = q2(x.to(dev)).cpu().float()
    ct.save_as_cambricon(out + "carseg_int8_" + variant)
    traced = torch.jit.trace(q2, x.to(dev), check_trace=False)
    fused = traced(x.to(dev)).cpu().float()
    ct.save_as_cambricon("")
    f = cnrt.load_model(out + "carseg_int8_" + variant + ".cambricon").extract_function("subnet0")
    o = f.invoke([cnrt.nchw_to_nhwc(x)])[0].float()
    print(variant, (fused - lbl).abs().max().item(), (o - lbl).abs().max().item(), f.input_dtypes()[0], f.output_dtypes()[0])
MLUS
res=$(MLUS_STDLIB="$PWD/stdlib" "$mlus" "$work/q.mlus" "$work") || { echo "offline_quant_carseg: FAIL: script failed"; exit 1; }
echo "$res"
python3 - "$res" <<'PY'
import sys
rows = [l.split() for l in sys.argv[1].strip().splitlines()]
bad = [r for r in rows if float(r[1]) > 1e-6 or float(r[2]) > 1e-6]
if len(rows) != 2 or bad:
    print("offline_quant_carseg: FAIL", bad); sys.exit(1)
PY
"$mlus" inspect --no-estimate "$work/carseg_int8_fp16.cambricon" | grep "int8 (per-tensor scale): 12 tensors" > /dev/null || { echo "offline_quant_carseg: FAIL: int8 weights not stored"; exit 1; }
echo "offline_quant_carseg: ok (int8 layer-by-layer = fused = offline, FP32 and FP16)"
