#!/usr/bin/env bash
# (integration) firstconv CarSegNet (int8, mean/std folded into the first conv): on the emulated MLU the model
# takes raw 0..255 pixels; its offline model takes uint8 NHWC 4-channel pixels in the ct.set_input_format order
# (reference §2 "firstconv", docs/runtime.md). For every format, the offline output on the 4-channel pixels must
# equal the online layer-by-layer output on the 3-channel raw pixels bit for bit, and so must fused mode; the
# twins say CNRT_UINT8 with 4 channels; a 3-channel input is refused with the expected NHWC shape.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlus=.build/debug/mlus
work=$(mktemp -d "${TMPDIR:-/tmp}/mlus-offline-firstconv.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/fc.mlus" <<'MLUS'
import sys
import torch
import image
import cnrt
import numpy as np
import torch_mlu.core.mlu_model as ct
import torch_mlu.core.mlu_quantize as mlu_quantize
from models.carsegnet import CarSegNet, MEAN, STD
root, out = "Tests/Fixtures/carseg/", sys.argv[1] + "/"
hwc = torch.from_numpy(image.read(root + "images/street_00.png"))
raw = hwc.float().permute(2, 0, 1)[None]
def normalize(x):
    return (x / 255.0 - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]
net = CarSegNet(); net.load_state_dict(torch.load(root + "carsegnet.pth")); net.eval()
q = mlu_quantize.quantize_dynamic_mlu(net, {"mean": MEAN, "std": STD, "firstconv": True}, dtype="int8", gen_quant=True)
q(normalize(raw))
dev = ct.mlu_device()
q.to(dev)
lbl = q(raw.to(dev)).cpu().float()
np.save(out + "lbl.npy", lbl)
# RGBA pixels with a non-trivial alpha: the alpha channel must not matter.
alpha = (255 - hwc[:, :, 0:1].float() * 0.5).to(torch.uint8)
rgba = torch.cat([hwc, alpha], 2)
orders = [[0, 1, 2, 3], [3, 0, 1, 2], [2, 1, 0, 3], [3, 2, 1, 0]]   # rgba, argb, bgra, abgr
ct.set_core_number(4); ct.set_core_version("MLU220")
for fmt in range(4):
    ct.set_input_format(fmt)
    name = out + "fc" + str(fmt)
    ct.save_as_cambricon(name)
    traced = torch.jit.trace(q, raw.to(dev), check_trace=False)
    fused = traced(raw.to(dev)).cpu().float()
    ct.save_as_cambricon("")
    f = cnrt.load_model(name + ".cambricon").extract_function("subnet0")
    px = torch.stack([rgba[:, :, k] for k in orders[fmt]], 2)[None].contiguous()
    o = f.invoke([px])[0].float()
    print(fmt, (fused - lbl).abs().max().item(), (o - lbl).abs().max().item(), f.input_shapes()[0], f.input_dtypes()[0])
try:
    f.invoke([raw.permute(0, 2, 3, 1).contiguous().to(torch.uint8)])
    print("no error for a 3-channel input")
except Exception as e:
    print("error:", e)
MLUS
res=$(MLUS_STDLIB="$PWD/stdlib" "$mlus" "$work/fc.mlus" "$work" 2>/dev/null) || { echo "offline_firstconv: FAIL: script failed"; MLUS_STDLIB="$PWD/stdlib" "$mlus" "$work/fc.mlus" "$work" 2>&1 | tail -5; exit 1; }
echo "$res"
python3 - "$res" "$work" <<'PY'
import sys, os
lines = sys.argv[1].strip().splitlines()
rows = [l.split(None, 3) for l in lines[:4]]
ok = len(rows) == 4 and all(r[0] == str(i) and float(r[1]) == 0.0 and float(r[2]) == 0.0
                            and "(1, 480, 480, 4) CNRT_UINT8" in r[3] for i, r in enumerate(rows))
err = lines[4] if len(lines) > 4 else ""
ok = ok and err.startswith("error:") and "[1, 480, 480, 4]" in err
twins = open(os.path.join(sys.argv[2], "fc2.cambricon_twins")).read().split("Input #0.")[1].split("Output number")[0]
ok = ok and "Shape(dim): 1 480 480 4" in twins and "CNRT_UINT8" in twins
if not ok:
    print("offline_firstconv: FAIL"); sys.exit(1)
PY
"$mlus" inspect --no-estimate "$work/fc2.cambricon" | grep "input format:  2 (bgra, firstconv)" > /dev/null || { echo "offline_firstconv: FAIL: inspect does not show the input format"; exit 1; }
# mlus infer on the PNG: the RGB pixels arranged into the model's 4-channel order (bgra for fc2).
"$mlus" infer "$work/fc2.cambricon" Tests/Fixtures/carseg/images/street_00.png --out "$work/infer" > /dev/null
d=$("$mlus" -c "import numpy as np, torch
a = torch.as_tensor(np.load('$work/infer/street_00_out.npy')).reshape(-1)
b = torch.as_tensor(np.load('$work/lbl.npy')).reshape(-1)
print((a - b).abs().max().item())")
[ "$d" = "0.0" ] || { echo "offline_firstconv: FAIL: mlus infer on the PNG differs from layer-by-layer by $d"; exit 1; }
echo "offline_firstconv: ok (4 input formats: offline uint8 RGBA-order pixels = fused = layer-by-layer, bit for bit; mlus infer on the PNG too)"
