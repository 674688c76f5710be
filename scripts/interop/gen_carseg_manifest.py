"""Writes scripts/interop/expected/carseg_manifest.json: what real PyTorch reports for every tensor of the
CarSegNet fixtures (state_dict of each file; the whole-model pickle through model.state_dict()).
Run with the torch venv:  $(scripts/torch-venv) scripts/interop/gen_carseg_manifest.py
"""
import json, os, sys
import torch

root = os.path.join(os.path.dirname(__file__), "..", "..")
carseg = os.path.join(root, "Tests", "Fixtures", "carseg")
sys.path.insert(0, carseg)  # the whole-model pickle names classes of module `carsegnet`


def describe(t):
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "stride": list(t.stride()),
            "sum": float(t.double().sum()), "first": [float(x) for x in t.reshape(-1)[:4].double()]}


out = {}
for name in ["carsegnet.pth", "carsegnet_legacy.pth", "carsegnet_model_legacy.pth"]:
    obj = torch.load(os.path.join(carseg, name), weights_only=False)
    sd = obj.state_dict() if isinstance(obj, torch.nn.Module) else obj
    out[name] = {"keys": list(sd.keys()), "entries": {k: describe(v) for k, v in sd.items()},
                 "type": type(obj).__name__}
path = os.path.join(os.path.dirname(__file__), "expected", "carseg_manifest.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
print("wrote", path, {k: len(v["keys"]) for k, v in out.items()})
