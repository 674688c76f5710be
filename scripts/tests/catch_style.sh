#!/usr/bin/env bash
# (issue 7 acceptance) A porting script written exactly in the style of the Cambricon docs' snippets (the Catch
# calls in their order and argument forms), with only the model class definition (CarSegNet's PyTorch source,
# pasted) and the image loading added. Checks: the legacy re-save is a non-zip file PyTorch-1.3 style
# (starts with pickle protocol 2, not "PK"); the INT8 model on ct.mlu_device() agrees with FP32 (mask IoU
# >= 0.99 over the 8 images); the offline model and twins exist, with Model Parallelism 4 on MLU220.
set -euo pipefail
cd "$(dirname "$0")/../.."
mlus="$PWD/.build/debug/mlus"
work=$(mktemp -d "${TMPDIR:-/tmp}/mlus-catch-style.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp Tests/Fixtures/carseg/carsegnet.pth "$work/carsegnet.pth"
cat > "$work/port.py" <<'PY'
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch_mlu
import torch_mlu.core.mlu_model as ct
import torch_mlu.core.mlu_quantize as mlu_quantize
import image   # added: image loading (the docs use cv2/PIL)

# ---- added: the model class definition, pasted from the PyTorch source ----
class ConvBNReLU(nn.Sequential):
    def __init__(self, cin, cout, stride=1):
        super().__init__(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
        )


class CarSegNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Sequential(ConvBNReLU(3, 16, 2), ConvBNReLU(16, 16))
        self.enc2 = nn.Sequential(ConvBNReLU(16, 32, 2), ConvBNReLU(32, 32))
        self.enc3 = nn.Sequential(ConvBNReLU(32, 64, 2), ConvBNReLU(64, 64))
        self.enc4 = nn.Sequential(ConvBNReLU(64, 128, 2), ConvBNReLU(128, 128))
        self.dec3 = ConvBNReLU(128 + 64, 64)
        self.dec2 = ConvBNReLU(64 + 32, 32)
        self.dec1 = ConvBNReLU(32 + 16, 16)
        self.head = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(e1)
        e3 = self.enc3(e2)
        e4 = self.enc4(e3)
        d3 = self.dec3(torch.cat([F.interpolate(e4, scale_factor=2.0, mode="bilinear", align_corners=False), e3], 1))
        d2 = self.dec2(torch.cat([F.interpolate(d3, scale_factor=2.0, mode="bilinear", align_corners=False), e2], 1))
        d1 = self.dec1(torch.cat([F.interpolate(d2, scale_factor=2.0, mode="bilinear", align_corners=False), e1], 1))
        logit = F.interpolate(self.head(d1), size=(x.shape[2], x.shape[3]), mode="bilinear", align_corners=False)
        return torch.sigmoid(logit)[0, 0]
# ---- end of the added class ----

mean = [0.485, 0.456, 0.406]
std = [0.229, 0.224, 0.225]

def load_image(path):   # added: image loading
    x = torch.from_numpy(image.read(path)).float().permute(2, 0, 1) / 255.0
    x = (x - torch.tensor(mean)[:, None, None]) / torch.tensor(std)[:, None, None]
    return x[None]

imgs = [load_image("IMAGES/street_0" + str(i) + ".png") for i in range(8)]

# Step 1: run on the CPU, re-save in the legacy format
model = CarSegNet()
state_dict = torch.load("WORK/carsegnet.pth", map_location=torch.device('cpu'))
model.load_state_dict(state_dict, strict=True)
model.eval()
torch.save(model.state_dict(), "WORK/carsegnet_legacy.pth", _use_new_zipfile_serialization=False)
with torch.no_grad():
    cpu_out = [model(img) for img in imgs]

# Step 2: quantize, calibrate, save
qconfig = {'mean':mean, 'std':std, 'firstconv':False}
quantized_model = mlu_quantize.quantize_dynamic_mlu(model, qconfig, dtype='int8', gen_quant=True)
with torch.no_grad():
    for img in imgs:
        quantized_model(img)
torch.save(quantized_model.state_dict(), "WORK/carsegnet_int8.pth")

# reload and run on the MLU
model = CarSegNet()
model.load_state_dict(torch.load("WORK/carsegnet_legacy.pth", map_location=torch.device('cpu')), strict=True)
quantized_model = mlu_quantize.quantize_dynamic_mlu(model)
quantized_model.load_state_dict(torch.load("WORK/carsegnet_int8.pth"))
quantized_model.eval()
quantized_model = quantized_model.to(ct.mlu_device())
with torch.no_grad():
    mlu_out = [quantized_model(img.to(ct.mlu_device())).cpu() for img in imgs]

# Step 3: offline model
ct.set_core_number(4)
ct.set_core_version('MLU220')
ct.save_as_cambricon('WORK/carsegnet_int8')
example = torch.randn(1, 3, 480, 480)
traced_model = torch.jit.trace(quantized_model, example.to(ct.mlu_device()), check_trace=False)
traced_model(example.to(ct.mlu_device()))
ct.save_as_cambricon('')

# the check (added): agreement of the MLU masks with the CPU masks
inter = 0
union = 0
for a, b in zip(cpu_out, mlu_out):
    inter += ((a > 0.5) & (b > 0.5)).sum().item()
    union += ((a > 0.5) | (b > 0.5)).sum().item()
print("IOU", inter / union)
PY
sed -i "s|WORK/|$work/|g; s|IMAGES/|$PWD/Tests/Fixtures/carseg/images/|g" "$work/port.py"
res=$("$mlus" "$work/port.py" 2>&1) || { echo "$res" | tail -20; echo "catch_style: FAIL: the script failed"; exit 1; }
echo "$res" | grep -v "^Warning" | tail -3
iou=$(echo "$res" | awk '/^IOU/ {print $2}')
python3 - "$iou" "$work" <<'PY'
import sys, os
iou, work = float(sys.argv[1]), sys.argv[2]
fail = []
if iou < 0.99: fail.append(f"int8 MLU vs CPU mask IoU {iou} < 0.99")
head = open(os.path.join(work, "carsegnet_legacy.pth"), "rb").read(2)
if head != b"\x80\x02": fail.append(f"legacy re-save starts with {head!r}, not the pickle protocol 2 header")
for f in ("carsegnet_int8.pth", "carsegnet_int8.cambricon", "carsegnet_int8.cambricon_twins"):
    if not os.path.getsize(os.path.join(work, f)): fail.append(f + " missing")
twins = open(os.path.join(work, "carsegnet_int8.cambricon_twins")).read()
if "Model Parallelism: 4" not in twins: fail.append("twins: Model Parallelism is not 4")
if fail:
    print("catch_style: FAIL:", "; ".join(fail)); sys.exit(1)
PY
"$mlus" inspect --no-estimate "$work/carsegnet_int8.cambricon" | grep "int8 (per-tensor scale)" > /dev/null || { echo "catch_style: FAIL: the offline model has no int8 weights"; exit 1; }
echo "catch_style: ok (Cambricon-docs-style script, IoU int8/MLU vs FP32/CPU $iou)"
