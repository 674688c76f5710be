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


def fused(model, x):
    """mlus fused FP32 on the CPU: torch.jit.trace of the eager model (BN folded, activations fused)."""
    with torch.no_grad():
        traced = torch.jit.trace(model, x, check_trace=False)
        traced(x)
    return traced


def quantized_fused(make_model, x, calib, dtype, half):
    """The Catch workflow of DESIGN §1 on the emulated MLU: quantize_dynamic_mlu with gen_quant, calibration
    forwards on the CPU (timed: the calibration target of issue 8), the quantized state_dict loaded into a
    swapped model moved to ct.mlu_device(), then torch.jit.trace on MLU tensors (fused mode). half: FP16 mode
    (FP16 input, as Catch's half_input). Returns (traced, input on the device, calibration ms)."""
    import time
    from torch_mlu.core.mlu_quantize import quantize_dynamic_mlu
    import torch_mlu.core.mlu_model as ct
    qconfig = {"iteration": len(calib), "use_avg": False, "data_scale": 1.0, "mean": [0.0, 0.0, 0.0],
               "std": [1.0, 1.0, 1.0], "firstconv": False, "per_channel": False}
    q = quantize_dynamic_mlu(make_model(), qconfig, dtype=dtype, gen_quant=True)
    with torch.no_grad():
        t0 = time.perf_counter()
        for c in calib:
            q(c)
        calibration_ms = (time.perf_counter() - t0) * 1000.0
    net = quantize_dynamic_mlu(make_model())
    net.load_state_dict(q.state_dict())
    net.eval()
    x_mlu = x.half().to(ct.mlu_device()) if half else x.to(ct.mlu_device())
    with torch.no_grad():
        traced = torch.jit.trace(net.to(ct.mlu_device()), x_mlu, check_trace=False)
        traced(x_mlu)
    return traced, x_mlu, calibration_ms


def save_device_npy(path, y):
    """Saves an output that may live on the emulated MLU and may be FP16, as FP32 on the CPU."""
    np.save(path, y.cpu().float())


def tiny_model():
    """The probes' model: enough of a CNN to need the feature, small enough to run in a blink."""
    import torch.nn as nn
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(3, 4, 3, 1, 1), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 2, 1))
    m.eval()
    return m


def generation_module():
    """The module holding ct.save_as_cambricon: Catch's torch_mlu.core.mlu_model."""
    import torch_mlu.core.mlu_model as ct
    return ct


def offline(make_model, x, calib, work, dtype):
    """The offline runtime (DESIGN §1, step 5): generate a .cambricon with ct.save_as_cambricon armed around
    the first run of the traced model (INT8: the quantized model on the emulated MLU, as the Catch workflow
    does; dtype None: the FP32 model on the CPU), then load it with cnrt and return (function, NHWC input).
    Generation is not timed; the runner times f.invoke."""
    import cnrt
    ct = generation_module()
    name = os.path.join(work, "bench_" + (dtype or "fp32"))
    ct.set_core_version("MLU270")
    ct.set_core_number(4)
    if dtype is None:
        model, example = make_model(), x
        with torch.no_grad():
            ct.save_as_cambricon(name)
            traced = torch.jit.trace(model, example, check_trace=False)
            traced(example)
            ct.save_as_cambricon("")
    else:
        traced_q, example, ms = None, None, 0.0
        ct.save_as_cambricon(name)
        try:
            traced_q, example, ms = quantized_fused(make_model, x, calib, dtype, False)
        finally:
            ct.save_as_cambricon("")
    if not os.path.exists(name + ".cambricon"):
        raise RuntimeError("no offline model was written to " + name + ".cambricon")
    f = cnrt.load_model(name + ".cambricon").extract_function("subnet0")
    return f, cnrt.nchw_to_nhwc(x.float())


def save_offline_npy(path, y):
    """An offline output as the eager model's layout: 4-D NHWC outputs back to NCHW, FP16 cast to FP32."""
    import cnrt
    t = y.float()
    if len(t.shape) == 4:
        t = cnrt.nhwc_to_nchw(t)
    np.save(path, t)
