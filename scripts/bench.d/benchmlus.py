"""Model and input loading for the mlus runners of scripts/bench (runs under mlus, not CPython).

The driver starts every mlus runner as `mlus RUNNER MODEL WORK REPO` with MLUS_PATH holding this folder and
Tests/Fixtures/zoo, so the zoo's unmodified PyTorch definitions import as they are.
"""
import os
import sys
import torch
import numpy as np

ZOO_CLASSES = {"tiny_resnet": "TinyResNet", "tiny_mobilenet": "TinyMobileNet", "tiny_unet": "TinyUNet"}


def args():
    if len(sys.argv) < 4:
        raise ValueError("usage: mlus RUNNER MODEL WORK REPO")
    return sys.argv[1], sys.argv[2], sys.argv[3]


def build(name, repo):
    """The FP32 model in eval mode with the same committed weights as the Python runners."""
    if name == "carsegnet":
        from models.carsegnet import CarSegNet
        model = CarSegNet()
        path = os.path.join(repo, "Tests", "Fixtures", "carseg", "carsegnet.pth")
    elif name in ZOO_CLASSES:
        import tiny_models
        model = getattr(tiny_models, ZOO_CLASSES[name])()
        path = os.path.join(repo, "Tests", "Fixtures", "zoo", name + ".pth")
    else:
        raise ValueError("unknown model " + repr(name))
    model.load_state_dict(torch.load(path))
    model.eval()
    return model


def inputs(work):
    x = torch.tensor(np.load(os.path.join(work, "input.npy")))
    calib = torch.tensor(np.load(os.path.join(work, "calib.npy")))
    return x, [calib[i:i + 1] for i in range(calib.shape[0])]


def save_npy(path, y):
    np.save(path, y)
