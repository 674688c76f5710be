"""PyTorch INT8: FX graph-mode post-training static quantization, x86 backend, calibrated on the workload's
calibration images, then jit.trace + freeze (the usual deployment of an FX-quantized model; falls back to the
FX GraphModule if tracing fails, and says so in its READY line)."""
import os, sys, warnings
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import torch
from torch.ao.quantization import get_default_qconfig_mapping
from torch.ao.quantization.quantize_fx import prepare_fx, convert_fx
import benchmodels, benchproto

warnings.filterwarnings("ignore")
a = benchmodels.args()
torch.set_num_threads(a.threads)
torch.backends.quantized.engine = "x86"
model = benchmodels.build(a.model)
x, calib = benchmodels.inputs(a.work)
with torch.inference_mode():
    prepared = prepare_fx(model, get_default_qconfig_mapping("x86"), example_inputs=(x,))
    for c in calib:
        prepared(c)
    qmodel = convert_fx(prepared)
mode = "fx+jit.freeze"
try:
    with torch.inference_mode():
        run = torch.jit.freeze(torch.jit.trace(qmodel, x, check_trace=False))
        run(x)
except Exception as e:  # the GraphModule still runs the same kernels, only with Python dispatch
    print(f"torch_int8: jit.trace failed ({e}); timing the FX GraphModule", file=sys.stderr)
    run, mode = qmodel, "fx"


def forward(t):
    with torch.inference_mode():
        return run(t)


benchproto.ready({"torch": torch.__version__, "threads": torch.get_num_threads(), "mode": mode, "calibration_images": len(calib)})
benchproto.serve(forward, x, benchmodels.save_npy)
