"""PyTorch eager FP32 (NCHW, inference_mode), the reference of the benchmark's --check."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import torch
import benchmodels, benchproto

a = benchmodels.args()
torch.set_num_threads(a.threads)
model = benchmodels.build(a.model)
x, _ = benchmodels.inputs(a.work)


def forward(t):
    with torch.inference_mode():
        return model(t)


benchproto.ready({"torch": torch.__version__, "threads": torch.get_num_threads()})
benchproto.serve(forward, x, benchmodels.save_npy)
