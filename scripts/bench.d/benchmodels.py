"""Model and input loading for the Python runners of scripts/bench (CPython + torch only)."""
import argparse
import os
import sys

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CARSEG = os.path.join(ROOT, "Tests", "Fixtures", "carseg")
ZOO = os.path.join(ROOT, "Tests", "Fixtures", "zoo")
ZOO_MODELS = ("tiny_resnet", "tiny_mobilenet", "tiny_unet")


def args():
    p = argparse.ArgumentParser()
    p.add_argument("model", help="carsegnet or a zoo model name")
    p.add_argument("work", help="folder holding input.npy and calib.npy for this workload")
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args()


def build(name):
    """The FP32 model in eval mode with its committed weights."""
    if name == "carsegnet":
        sys.path.insert(0, CARSEG)
        from carsegnet import CarSegNet
        model = CarSegNet()
        model.load_state_dict(torch.load(os.path.join(CARSEG, "carsegnet.pth"), weights_only=True))
    elif name in ZOO_MODELS:
        sys.path.insert(0, ZOO)
        import tiny_models
        model, _ = tiny_models.build(name)
        model.load_state_dict(torch.load(os.path.join(ZOO, name + ".pth"), weights_only=True))
    else:
        raise SystemExit(f"unknown model {name!r}")
    return model.eval()


def inputs(work):
    x = torch.from_numpy(np.load(os.path.join(work, "input.npy")))
    calib = torch.from_numpy(np.load(os.path.join(work, "calib.npy")))
    return x, [calib[i:i + 1] for i in range(calib.shape[0])]


def save_npy(path, y):
    y = y.detach().numpy() if isinstance(y, torch.Tensor) else np.asarray(y)
    np.save(path, np.ascontiguousarray(y.astype(np.float32)))
