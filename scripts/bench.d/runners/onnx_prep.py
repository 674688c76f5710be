"""Exports the workload's model to ONNX (FP32) and writes its QDQ INT8 version (static, s8s8, per-channel,
MinMax calibration on the workload's calibration images). Run in its own process by the ONNX Runtime runners
so that export memory is not counted in their peak RSS. Usage: onnx_prep.py MODEL WORK fp32|int8"""
import os, sys, warnings
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import numpy as np
import torch
import benchmodels

warnings.filterwarnings("ignore")
name, work, kind = sys.argv[1], sys.argv[2], sys.argv[3]
fp32 = os.path.join(work, "model_fp32.onnx")
if not os.path.exists(fp32):
    model = benchmodels.build(name)
    x, _ = benchmodels.inputs(work)
    tmp = fp32 + ".tmp.onnx"
    try:
        torch.onnx.export(model, (x,), tmp, opset_version=17, input_names=["x"], output_names=["y"], dynamo=False)
    except Exception as e:
        print(f"onnx_prep: TorchScript exporter failed ({e}); trying the dynamo exporter", file=sys.stderr)
        torch.onnx.export(model, (x,), tmp, opset_version=18, input_names=["x"], output_names=["y"], dynamo=True,
                          external_data=False)
    os.replace(tmp, fp32)
if kind == "int8":
    int8 = os.path.join(work, "model_int8.onnx")
    if not os.path.exists(int8):
        from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType, quantize_static)
        from onnxruntime.quantization.shape_inference import quant_pre_process
        calib = np.load(os.path.join(work, "calib.npy"))

        class Reader(CalibrationDataReader):
            def __init__(self):
                self.items = iter([{"x": calib[i:i + 1]} for i in range(calib.shape[0])])

            def get_next(self):
                return next(self.items, None)

        pre = os.path.join(work, "model_fp32_pre.onnx")
        try:
            quant_pre_process(fp32, pre)
        except Exception as e:
            print(f"onnx_prep: pre-processing failed ({e}); quantizing the plain export", file=sys.stderr)
            pre = fp32
        tmp = int8 + ".tmp.onnx"
        quantize_static(pre, tmp, Reader(), quant_format=QuantFormat.QDQ, activation_type=QuantType.QInt8,
                        weight_type=QuantType.QInt8, per_channel=True)
        os.replace(tmp, int8)
