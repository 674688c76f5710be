"""The rows of the benchmark: one runner file each under runners/.

A row whose file is missing, or whose probe (a tiny mlus script that tries the feature) fails, is shown as
'n/a (not built yet)': adding a runner for a new mlus mode means adding its file (and probe) here.
precision: what --check tolerates and which peers a ratio compares with. peer: a reference runtime (not mlus).
"""

ZOO_MODELS = ("tiny_resnet", "tiny_mobilenet", "tiny_unet")

RUNNERS = [
    {"key": "torch_eager", "label": "PyTorch eager FP32", "file": "torch_eager.py", "precision": "fp32", "peer": True},
    {"key": "torch_jit", "label": "PyTorch jit.trace+freeze FP32", "file": "torch_jit.py", "precision": "fp32",
     "peer": True},
    {"key": "torch_int8", "label": "PyTorch INT8 (FX PTQ, x86)", "file": "torch_int8.py", "precision": "int8",
     "peer": True},
    {"key": "ort_fp32", "label": "ONNX Runtime FP32", "file": "ort_fp32.py", "precision": "fp32", "peer": True},
    {"key": "ort_int8", "label": "ONNX Runtime INT8 (QDQ s8s8)", "file": "ort_int8.py", "precision": "int8",
     "peer": True},
    {"key": "mlus_eager", "label": "mlus eager FP32 (CPU)", "file": "mlus_eager.mlus", "precision": "fp32",
     "peer": False},
    {"key": "mlus_fused", "label": "mlus fused FP32 (traced, CPU)", "file": "mlus_fused.mlus",
     "probe": "mlus_fused.probe.mlus", "precision": "fp32", "peer": False},
    {"key": "mlus_int8", "label": "mlus fused INT8 (emulated MLU)", "file": "mlus_int8.mlus",
     "probe": "mlus_int8.probe.mlus", "precision": "int8", "peer": False},
    {"key": "mlus_int16", "label": "mlus fused INT16 (emulated MLU)", "file": "mlus_int16.mlus",
     "probe": "mlus_int16.probe.mlus", "precision": "int16", "peer": False},
    {"key": "mlus_int8_fp16", "label": "mlus fused INT8, FP16 mode (MLU)", "file": "mlus_int8_fp16.mlus",
     "probe": "mlus_int8_fp16.probe.mlus", "precision": "int8", "peer": False},
    {"key": "mlus_offline", "label": "mlus offline runtime INT8 (.cambricon, cnrt)", "file": "mlus_offline.mlus",
     "probe": "mlus_offline.probe.mlus", "precision": "int8", "peer": False},
    {"key": "mlus_offline_fp32", "label": "mlus offline runtime FP32 (.cambricon, cnrt)", "file": "mlus_offline_fp32.mlus",
     "probe": "mlus_offline_fp32.probe.mlus", "precision": "fp32", "peer": False},
]
