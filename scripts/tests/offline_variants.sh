#!/usr/bin/env bash
# (integration, issue 6 acceptance) The four offline variants of CarSegNet (INT8-FP32, INT8-FP16, INT16-FP32,
# INT16-FP16; firstconv, calibrated on the 8 fixture images), each for MLU220 with 4 cores and MLU270 with 16:
#  - `mlus infer` on the 8 fixture PNGs reproduces the online fused outputs bit for bit;
#  - the masks' dataset IoU equals the quantizer's figures (int8 0.973301, int8-FP16 0.973291, int16 0.973897,
#    measured by scripts/tests/quantize_carseg.sh in layer-by-layer mode) within 1e-6, INT16-FP16 within 0.002
#    of FP32 (0.973890, PyTorch's figures.json);
#  - the twins files parse with a parser that knows only the layout of reference §5 (below, in Python) and show
#    NHWC uint8 4-channel input, float32/float16 output, and Model Parallelism = the core number.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlus=.build/debug/mlus
work=$(mktemp -d "${TMPDIR:-/tmp}/mlus-offline-variants.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=Tests/Fixtures/carseg
cat > "$work/gen.mlus" <<'MLUS'
import sys
import torch
import image
import numpy as np
import torch_mlu.core.mlu_model as ct
import torch_mlu.core.mlu_quantize as mlu_quantize
from models.carsegnet import CarSegNet, MEAN, STD
root, out = "Tests/Fixtures/carseg/", sys.argv[1] + "/"
names = ["street_0" + str(i) for i in range(8)]
raw = [torch.from_numpy(image.read(root + "images/" + n + ".png")).float().permute(2, 0, 1)[None] for n in names]
def normalize(x):
    return (x / 255.0 - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]
calib = [normalize(x) for x in raw]
torch.set_grad_enabled(False)
net = CarSegNet(); net.load_state_dict(torch.load(root + "carsegnet.pth")); net.eval()
dev = ct.mlu_device()
for dtype in ["int8", "int16"]:
    q = mlu_quantize.quantize_dynamic_mlu(net, {"iteration": 8, "firstconv": True, "mean": MEAN, "std": STD}, dtype=dtype, gen_quant=True)
    mlu_quantize.calibrate(q, calib)
    # The Catch workflow: save the quantized state dict, load it into a fresh quantized model, run that on the MLU.
    torch.save(q.state_dict(), out + dtype + ".pth")
    q = mlu_quantize.quantize_dynamic_mlu(CarSegNet())
    q.load_state_dict(torch.load(out + dtype + ".pth"))
    q.to(dev)
    for mode in ["fp32", "fp16"]:
        if mode == "fp16":
            q.half()
        xs = [(x.half() if mode == "fp16" else x).to(dev) for x in raw]
        for version, cores in [("MLU220", 4), ("MLU270", 16)]:
            ct.set_core_number(1)   # valid on both, so the version can change
            ct.set_core_version(version)
            ct.set_core_number(cores)
            name = out + dtype + "_" + mode + "_" + version
            ct.save_as_cambricon(name)
            traced = torch.jit.trace(q, xs[0], check_trace=False)
            traced(xs[0])
            ct.save_as_cambricon("")
        for n, x in zip(names, xs):
            np.save(out + "fused_" + dtype + "_" + mode + "_" + n + ".npy", traced(x).cpu().float())
        print("generated", dtype, mode)
MLUS
MLUS_STDLIB="$PWD/stdlib" "$mlus" "$work/gen.mlus" "$work" 2>&1 | grep -v "^Warning" || { echo "offline_variants: FAIL: generation failed"; exit 1; }
for m in "$work"/*.cambricon; do
    b=$(basename "$m" .cambricon)
    "$mlus" infer "$m" "$root"/images/street_0?.png --out "$work/infer_$b" > /dev/null || { echo "offline_variants: FAIL: mlus infer $b"; exit 1; }
done
cat > "$work/check.mlus" <<'MLUS'
import sys
import torch
import image
import numpy as np
work = sys.argv[1] + "/"
names = ["street_0" + str(i) for i in range(8)]
masks = [torch.from_numpy(image.read("Tests/Fixtures/carseg/images/" + n + "_mask.png"))[:, :, 0] > 127 for n in names]
for dtype in ["int8", "int16"]:
    for mode in ["fp32", "fp16"]:
        for version in ["MLU220", "MLU270"]:
            worst = 0.0
            inter = 0
            union = 0
            for n, m in zip(names, masks):
                y = torch.as_tensor(np.load(work + "infer_" + dtype + "_" + mode + "_" + version + "/" + n + "_out.npy"))
                f = torch.as_tensor(np.load(work + "fused_" + dtype + "_" + mode + "_" + n + ".npy"))
                worst = max(worst, (y.reshape(-1) - f.reshape(-1)).abs().max().item())
                pred = y.reshape(m.shape[0], m.shape[1]) > 0.5
                inter += (pred & m).sum().item()
                union += (pred | m).sum().item()
            print(dtype, mode, version, worst, inter / union)
MLUS
res=$("$mlus" "$work/check.mlus" "$work") || { echo "offline_variants: FAIL: check script failed"; exit 1; }
echo "$res"
python3 - "$res" "$work" <<'PY'
import sys, os, re
expected = {("int8", "fp32"): (0.973301, 1e-6), ("int8", "fp16"): (0.973291, 1e-6),
            ("int16", "fp32"): (0.973897, 1e-6), ("int16", "fp16"): (0.973890, 0.002)}
failed = []
rows = [l.split() for l in sys.argv[1].strip().splitlines()]
if len(rows) != 8:
    failed.append(f"{len(rows)} rows, 8 expected")
for dtype, mode, version, worst, iou in rows:
    target, tol = expected[(dtype, mode)]
    if float(worst) != 0.0:
        failed.append(f"{dtype}-{mode} {version}: mlus infer differs from fused by {worst}")
    if abs(float(iou) - target) > tol:
        failed.append(f"{dtype}-{mode} {version}: IoU {iou} vs {target} (tolerance {tol})")

def parse_twins(text):
    """Reference §5 layout only: 'Function #k {', 'Input #i.' / 'Output #i.' blocks of 'Key: value' lines,
    a 'Kernel header' with 'Model Parallelism'."""
    fn = {"inputs": [], "outputs": []}
    current = None
    for line in text.splitlines():
        s = line.strip()
        m = re.match(r"(Input|Output) #(\d+)\.$", s)
        if m:
            current = {}
            fn["inputs" if m.group(1) == "Input" else "outputs"].append(current)
            continue
        for key, value in re.findall(r"([A-Z][A-Za-z ()]*?):\s*(\S[^:]*?)(?=\s{2,}[A-Z][A-Za-z ]*:|$)", s):
            if key == "Model Parallelism":
                fn["parallelism"] = int(value)
            elif key == "Name" and current is None and "name" not in fn:
                fn["name"] = value
            elif current is not None and key in ("Shape(dim)", "Data type", "Dim Order"):
                current[key] = value.strip()
    return fn

for dtype in ("int8", "int16"):
    for mode in ("fp32", "fp16"):
        for version, cores in (("MLU220", 4), ("MLU270", 16)):
            path = os.path.join(sys.argv[2], f"{dtype}_{mode}_{version}.cambricon_twins")
            fn = parse_twins(open(path).read())
            want_out = "CNRT_FLOAT32" if mode == "fp32" else "CNRT_FLOAT16"
            ok = (fn.get("name") == "subnet0" and fn.get("parallelism") == cores and len(fn["inputs"]) == 1
                  and fn["inputs"][0].get("Shape(dim)") == "1 480 480 4" and fn["inputs"][0].get("Data type") == "CNRT_UINT8"
                  and fn["inputs"][0].get("Dim Order") == "CNRT_NHWC" and len(fn["outputs"]) == 1
                  and fn["outputs"][0].get("Data type") == want_out)
            if not ok:
                failed.append(f"twins {os.path.basename(path)}: {fn}")
if failed:
    print("offline_variants: FAIL"); print("\n".join(failed)); sys.exit(1)
PY
echo "offline_variants: ok (4 variants x 2 targets: mlus infer = fused bit for bit on 8 images; IoUs = quantizer figures; twins parsed)"
