#!/usr/bin/env bash
# (integration) The zoo models (residual blocks; depthwise convolutions, squeeze-excite, Hardswish and a linear
# classifier; a U-Net with a transposed convolution, dilation, avg-pool, nearest upsampling, concatenated skips and
# softmax), quantized int8 and int16 on the emulated MLU: fused mode (torch.jit.trace,
# channels-last activations, BatchNorm/ReLU/cat folded into the quantized convolutions) gives exactly the
# layer-by-layer outputs. CarSegNet's case is offline_quant_carseg.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlus=.build/debug/mlus
work=$(mktemp -d "${TMPDIR:-/tmp}/mlus-fused-zoo.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/zoo.mlus" <<'MLUS'
import numpy as np
import torch
import tiny_models
import torch_mlu.core.mlu_model as ct
from torch_mlu.core.mlu_quantize import quantize_dynamic_mlu
for name, cls in [("tiny_resnet", "TinyResNet"), ("tiny_mobilenet", "TinyMobileNet"), ("tiny_unet", "TinyUNet")]:
    def make():
        m = getattr(tiny_models, cls)()
        m.load_state_dict(torch.load("Tests/Fixtures/zoo/" + name + ".pth"))
        m.eval()
        return m
    x = torch.tensor(np.load("Tests/Fixtures/zoo/" + name + "_input.npy"))
    for dtype in ("int8", "int16"):
        q = quantize_dynamic_mlu(make(), {"iteration": 2, "firstconv": False}, dtype=dtype, gen_quant=True)
        with torch.no_grad():
            q(x)
            q(x * 0.7)
        net = quantize_dynamic_mlu(make())
        net.load_state_dict(q.state_dict())
        net.eval()
        net.to(ct.mlu_device())
        xm = x.to(ct.mlu_device())
        with torch.no_grad():
            lbl = net(xm).cpu()
            traced = torch.jit.trace(net, xm, check_trace=False)
            fused = traced(xm).cpu()
        print(name, dtype, (fused - lbl).abs().max().item(), lbl.abs().max().item())
MLUS
res=$(MLUS_PATH="$PWD/Tests/Fixtures/zoo" MLUS_STDLIB="$PWD/stdlib" "$mlus" "$work/zoo.mlus") || { echo "fused_quant_zoo: FAIL: script failed"; exit 1; }
echo "$res"
python3 - "$res" <<'PY'
import sys
rows = [l.split() for l in sys.argv[1].strip().splitlines()]
bad = [r for r in rows if float(r[2]) != 0.0 or float(r[3]) == 0.0]
if len(rows) != 6 or bad:
    print("fused_quant_zoo: FAIL", bad); sys.exit(1)
PY
echo "fused_quant_zoo: ok (3 zoo models x int8/int16: fused = layer-by-layer bit for bit)"
