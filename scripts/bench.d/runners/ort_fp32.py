"""ONNX Runtime FP32 (CPU execution provider, all graph optimisations, 2 intra-op threads)."""
import os, sys, subprocess
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import numpy as np
import onnxruntime as ort
import benchmodels, benchproto

KIND = "fp32"
a = benchmodels.args()
subprocess.run([sys.executable, os.path.join(HERE, "onnx_prep.py"), a.model, a.work, KIND], check=True)
opts = ort.SessionOptions()
opts.intra_op_num_threads = a.threads
opts.inter_op_num_threads = 1
opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
sess = ort.InferenceSession(os.path.join(a.work, f"model_{KIND}.onnx"), opts, providers=["CPUExecutionProvider"])
x = np.load(os.path.join(a.work, "input.npy"))


def forward(t):
    return sess.run(None, {"x": t})[0]


benchproto.ready({"onnxruntime": ort.__version__, "threads": a.threads})
benchproto.serve(forward, x, benchmodels.save_npy)
