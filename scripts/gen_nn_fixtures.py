"""Writes Tests/Fixtures/ops/nn_models.json: PyTorch's repr, state_dict keys/shapes and load_state_dict error
messages for CarSegNet and the zoo models, plus a train-mode BatchNorm2d step. Expected values only; mlus
never writes this file.

    $(scripts/torch-venv) scripts/gen_nn_fixtures.py
"""
import json
import os
import sys

import torch
import torch.nn as nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "Tests", "Fixtures", "carseg"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Fixtures", "zoo"))
import carsegnet  # noqa: E402
import tiny_models  # noqa: E402

out = {"models": {}}
models = {"carsegnet": carsegnet.CarSegNet().eval()}
for name in tiny_models.MODELS:
    models[name] = tiny_models.build(name)[0]
for name, m in models.items():
    sd = m.state_dict()
    out["models"][name] = {"repr": repr(m), "keys": [[k, list(v.shape), str(v.dtype)] for k, v in sd.items()]}

# load_state_dict reports, strict and not, as PyTorch words them.
m = tiny_models.build("tiny_resnet")[0]
sd = dict(m.state_dict())
del sd["fc.bias"]
del sd["layer1.bn1.running_var"]
sd["extra.weight"] = torch.zeros(3)
sd["fc.weight"] = torch.zeros(5, 32)
try:
    m.load_state_dict(sd)
except RuntimeError as e:
    out["load_error_strict"] = str(e)
try:
    m.load_state_dict(sd, strict=False)
except RuntimeError as e:
    out["load_error_nonstrict"] = str(e)
sd["fc.weight"] = torch.zeros(10, 32)
r = m.load_state_dict(sd, strict=False)
out["load_nonstrict_result"] = {"missing": r.missing_keys, "unexpected": r.unexpected_keys, "repr": repr(r)}

# One train-mode BatchNorm2d step: output and updated running statistics.
torch.manual_seed(3)
bn = nn.BatchNorm2d(3)
bn.weight.data.uniform_(0.5, 1.5)
bn.bias.data.uniform_(-0.2, 0.2)
x = torch.randn(2, 3, 4, 5)
w, b = bn.weight.detach().clone(), bn.bias.detach().clone()
y = bn(x)
out["bn_train"] = {"x": x.flatten().tolist(), "weight": w.tolist(), "bias": b.tolist(), "y": y.detach().flatten().tolist(),
                   "running_mean": bn.running_mean.tolist(), "running_var": bn.running_var.tolist(),
                   "num_batches_tracked": int(bn.num_batches_tracked)}

# Layer reprs of the remaining layers.
layers = {
    "conv1d": nn.Conv1d(3, 4, 3, stride=2, padding=1),
    "conv_t": nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2, bias=False),
    "conv_dil": nn.Conv2d(16, 32, (3, 5), stride=(1, 2), padding=(2, 1), dilation=2),
    "bn1d": nn.BatchNorm1d(7, eps=1e-3, momentum=None, affine=False),
    "linear": nn.Linear(5, 2, bias=False),
    "prelu": nn.PReLU(4),
    "elu": nn.ELU(0.5),
    "leaky": nn.LeakyReLU(0.2, inplace=True),
    "gelu": nn.GELU(approximate="tanh"),
    "silu": nn.SiLU(),
    "relu6": nn.ReLU6(inplace=True),
    "hardsigmoid": nn.Hardsigmoid(),
    "softmax": nn.Softmax(dim=1),
    "maxpool": nn.MaxPool2d((3, 2), stride=2, padding=1, ceil_mode=True),
    "avgpool": nn.AvgPool2d(3, padding=1, count_include_pad=False),
    "adaptive": nn.AdaptiveAvgPool2d(1),
    "up_size": nn.Upsample(size=(4, 6), mode="bilinear", align_corners=True),
    "dropout": nn.Dropout(0.3),
    "identity": nn.Identity(),
    "flatten": nn.Flatten(),
    "modulelist": nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU()]),
    "moduledict": nn.ModuleDict({"a": nn.ReLU(), "b": nn.Tanh()}),
}
out["layer_reprs"] = {k: repr(v) for k, v in layers.items()}

path = os.path.join(ROOT, "Tests", "Fixtures", "ops", "nn_models.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
print("wrote", path)
