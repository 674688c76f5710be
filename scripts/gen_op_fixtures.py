"""Writes op-level fixtures for the Tensors/NN tests: inputs and PyTorch's outputs as .npy, plus cases.json.

Run with the torch venv:  $(scripts/torch-venv) scripts/gen_op_fixtures.py
Each case: {"op": name, "inputs": [file stems], "outputs": [file stems], "attrs": {...}}.
Every expected value comes from PyTorch; keep the set small (< 3 MB).
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "ops")
os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    if f.endswith(".npy"):
        os.remove(os.path.join(OUT, f))
torch.manual_seed(1234)
cases = {}


def save(stem, t):
    a = t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    if a.dtype == np.float64:
        a = a.astype(np.float32)
    np.save(os.path.join(OUT, stem + ".npy"), a.copy(order="C"))
    return stem


def case(name, op, inputs, outputs, **attrs):
    ins = [save(f"{name}_in{i}", t) for i, t in enumerate(inputs)]
    outs = [save(f"{name}_out{i}", t) for i, t in enumerate(outputs)]
    cases[name] = {"op": op, "inputs": ins, "outputs": outs, "attrs": attrs}


def r(*shape):
    return torch.randn(*shape)


# Binary arithmetic with broadcasting corner cases.
for opname, fn in [("add", torch.add), ("sub", torch.sub), ("mul", torch.mul), ("div", torch.div)]:
    a, b = r(3, 1), r(1, 4)
    case(f"{opname}_outer", opname, [a, b], [fn(a, b)])
a, b = r(2, 3, 4), r(4)
case("add_trailing", "add", [a, b], [a + b])
a, b = r(2, 1, 5), r(3, 1)
case("mul_both_expand", "mul", [a, b], [a * b])
a, b = r(0, 3), r(1, 3)
case("add_zero_size", "add", [a, b], [a + b])
a, b = r(4), torch.tensor(2.5)
case("sub_rank0", "sub", [a, b], [a - b])
a, b = torch.arange(6).reshape(2, 3), r(3)
case("add_int_float", "add", [a, b], [a + b])
a, b = torch.arange(1, 7).reshape(2, 3), torch.tensor([2, 4, 5])
case("div_int_int", "div", [a, b], [a / b])
a, b = torch.arange(-3, 3), torch.tensor([2])
case("mul_int_int", "mul", [a, b], [a * b])
a, b = torch.rand(3, 4) + 0.5, r(4)
case("pow_tensor", "pow", [a, b], [torch.pow(a, b)])
a = r(2, 5)
case("pow_scalar", "pow_scalar", [a], [torch.pow(a, 2.0)], exponent=2.0)
case("add_scalar", "add_scalar", [a], [a + 1.5], scalar=1.5)
case("rsub_scalar", "rsub_scalar", [a], [2.0 - a], scalar=2.0)
a, b = r(3, 4), r(4)
a[0, 0] = b[0]
for cmp, fn in [("lt", torch.lt), ("eq", torch.eq), ("ge", torch.ge)]:
    case(f"compare_{cmp}", cmp, [a, b], [fn(a, b)])
ia, ib = torch.tensor([[1, 5, 3]]), torch.tensor([[2], [3]])
case("compare_gt_int", "gt", [ia, ib], [ia > ib])
a, b = r(2, 3), r(3)
case("maximum", "maximum", [a, b], [torch.maximum(a, b)])
case("minimum", "minimum", [a, b], [torch.minimum(a, b)])

# Unary math and activations.
x = r(3, 7) * 3
xp = torch.rand(3, 7) * 4 + 0.01
for name, fn, inp in [("abs", torch.abs, x), ("neg", torch.neg, x), ("exp", torch.exp, x), ("log", torch.log, xp),
                      ("sqrt", torch.sqrt, xp), ("relu", F.relu, x), ("relu6", F.relu6, x), ("elu", F.elu, x),
                      ("silu", F.silu, x), ("gelu", F.gelu, x), ("hardswish", F.hardswish, x),
                      ("hardsigmoid", F.hardsigmoid, x), ("sigmoid", torch.sigmoid, x), ("tanh", torch.tanh, x)]:
    case(f"unary_{name}", name, [inp], [fn(inp)])
case("unary_leaky_relu", "leaky_relu", [x], [F.leaky_relu(x, 0.2)], slope=0.2)
case("unary_elu_alpha", "elu", [x], [F.elu(x, 0.5)], alpha=0.5)
case("unary_gelu_tanh", "gelu_tanh", [x], [F.gelu(x, approximate="tanh")])
case("clamp_both", "clamp", [x], [torch.clamp(x, -1.0, 2.0)], min=-1.0, max=2.0)
case("clamp_min", "clamp", [x], [torch.clamp(x, min=0.5)], min=0.5)
xi = torch.tensor([-3, 0, 4])
case("abs_int", "abs", [xi], [torch.abs(xi)])
x4 = r(2, 3, 4, 5)
slope = torch.tensor([0.1, 0.2, 0.3])
case("prelu_channels", "prelu", [x4, slope], [F.prelu(x4, slope)])
case("prelu_single", "prelu", [x4, torch.tensor([0.25])], [F.prelu(x4, torch.tensor([0.25]))])
for d in [0, 1, -1]:
    case(f"softmax_dim{d}", "softmax", [x4], [F.softmax(x4, dim=d)], dim=d)
case("log_softmax_dim1", "log_softmax", [x4], [F.log_softmax(x4, dim=1)], dim=1)
big = torch.tensor([[1000.0, 1001.0, 999.0]])
case("softmax_large", "softmax", [big], [F.softmax(big, dim=1)], dim=1)

# Reductions.
x = r(3, 4, 5)
case("sum_all", "sum", [x], [x.sum()])
case("sum_dim1", "sum", [x], [x.sum(1)], dims=[1], keepdim=False)
case("sum_dims_keep", "sum", [x], [x.sum((0, 2), keepdim=True)], dims=[0, 2], keepdim=True)
case("mean_dim_neg", "mean", [x], [x.mean(-1)], dims=[-1], keepdim=False)
case("mean_all", "mean", [x], [x.mean()])
v, i = x.max(1)
case("max_dim1", "max_dim", [x], [v, i], dim=1, keepdim=False)
v, i = x.min(2, keepdim=True)
case("min_dim2_keep", "min_dim", [x], [v, i], dim=2, keepdim=True)
case("max_all", "max", [x], [x.max()])
case("argmax_dim0", "argmax", [x], [x.argmax(0)], dim=0)
case("argmin_flat", "argmin", [x], [x.argmin()])
xi = torch.arange(12).reshape(3, 4)
case("sum_int", "sum", [xi], [xi.sum(0)], dims=[0], keepdim=False)
case("sum_empty", "sum", [torch.zeros(0, 3)], [torch.zeros(0, 3).sum(0)], dims=[0], keepdim=False)

# Matmul and linear.
a, b = r(5, 7), r(7, 3)
case("matmul_2d", "matmul", [a, b], [a @ b])
a, b = r(2, 1, 4, 6), r(3, 6, 5)
case("matmul_batch_broadcast", "matmul", [a, b], [a @ b])
a, b = r(6), r(6, 4)
case("matmul_vec_mat", "matmul", [a, b], [a @ b])
a, b = r(4, 6), r(6)
case("matmul_mat_vec", "matmul", [a, b], [a @ b])
a, b = r(3, 5, 6), r(4, 6)
case("matmul_transposed_view", "matmul_bt", [a, b], [a @ b.t()])
x, w, bias = r(2, 3, 8), r(5, 8), r(5)
case("linear_bias", "linear", [x, w, bias], [F.linear(x, w, bias)])
case("linear_nobias", "linear", [x, w], [F.linear(x, w)])

# Views, indexing, joining.
x = r(2, 3, 4)
case("permute_contig", "permute", [x], [x.permute(2, 0, 1).contiguous()], dims=[2, 0, 1])
case("transpose", "transpose", [x], [x.transpose(0, 2).contiguous()], dim0=0, dim1=2)
case("flatten_1", "flatten", [x], [x.flatten(1)], start=1, end=-1)
case("expand", "expand", [r(3, 1)], [r(3, 1)], shape=[2, 3, 4])
cases.pop("expand")
e = r(3, 1)
case("expand", "expand", [e], [e.expand(2, 3, 4).contiguous()], shape=[2, 3, 4])
x = r(4, 5, 6)
case("index_slices", "index", [x], [x[1:4:2, ::3, -2]], spec=[["range", 1, 4, 2], ["range", None, None, 3], ["at", -2]])
case("index_none_ellipsis", "index", [x], [x[None, ..., 1]], spec=[["newaxis"], ["ellipsis"], ["at", 1]])
case("index_clamped_slice", "index", [x], [x[-10:100, 2:2]], spec=[["range", -10, 100, None], ["range", 2, 2, None]])
m = x[:, :, 0] > 0
case("index_mask", "index_mask", [x, m], [x[m]])
idx = torch.tensor([3, 0, -1])
case("index_int_tensor", "index_tensor_dim1", [x, idx], [x[:, idx]])
a, b = r(2, 3, 4), r(2, 5, 4)
case("cat_dim1", "cat", [a, b], [torch.cat([a, b], 1)], dim=1)
case("cat_neg_dim", "cat", [a, a], [torch.cat([a, a], -1)], dim=-1)
case("stack_dim1", "stack", [a, a * 2], [torch.stack([a, a * 2], 1)], dim=1)
x = r(7, 3)
case("split_3", "split", [x], list(torch.split(x, 3)), size=3, dim=0)
case("chunk_3", "chunk", [x], list(torch.chunk(x, 3)), chunks=3, dim=0)
case("chunk_4_of_6", "chunk", [r(6, 2)], [], chunks=4, dim=0)
c6 = r(6, 2)
cases.pop("chunk_4_of_6")
case("chunk_4_of_6", "chunk", [c6], list(torch.chunk(c6, 4)), chunks=4, dim=0)
x = torch.tensor([1.0, 65519.0, 65520.0, 1e6, 2.98e-8, 6e-8, 0.1, -1.0009765625, 1.00048828125, 1.00146484375])
case("cast_half", "half", [x], [x.half().float()])
x = torch.tensor([-2.7, -0.5, 0.5, 2.7, 300.0])
case("cast_int64", "to_int64", [x], [x.long()])
case("cast_uint8", "to_uint8", [torch.tensor([0.0, 1.5, 255.0, 200.9])], [torch.tensor([0.0, 1.5, 255.0, 200.9]).to(torch.uint8)])
torch.manual_seed(7)
case("rand_seed7", "rand", [], [torch.rand(40)], seed=7, shape=[40])
case("arange_float", "arange", [], [torch.arange(0.5, 3.0, 0.75)], start=0.5, end=3.0, step=0.75)
torch.manual_seed(1234)

# Convolution.
def conv_case(name, cin, cout, h, w, k, stride=1, padding=0, dilation=1, groups=1, bias=True, n=1):
    x = r(n, cin, h, w)
    wt = r(cout, cin // groups, *((k, k) if isinstance(k, int) else k)) * 0.3
    b = r(cout) if bias else None
    y = F.conv2d(x, wt, b, stride, padding, dilation, groups)
    ins = [x, wt] + ([b] if bias else [])
    case(name, "conv2d", ins, [y], stride=stride, padding=padding, dilation=dilation, groups=groups)


conv_case("conv_basic", 3, 8, 9, 9, 3, padding=1)
conv_case("conv_odd_stride2", 4, 6, 11, 7, 3, stride=2, padding=1, bias=False)
conv_case("conv_stride_gt_kernel", 3, 4, 10, 10, 2, stride=3)
conv_case("conv_pad_gt_half", 2, 3, 5, 6, 3, padding=2)
conv_case("conv_dilation", 3, 5, 12, 12, 3, padding=2, dilation=2)
conv_case("conv_depthwise", 6, 6, 8, 8, 3, stride=2, padding=1, groups=6)
conv_case("conv_groups2", 4, 6, 7, 7, 3, padding=1, groups=2)
conv_case("conv_1x1", 8, 4, 5, 5, 1)
conv_case("conv_rect_kernel", 3, 4, 9, 8, (3, 5), padding=(1, 2))
conv_case("conv_batch2", 3, 4, 6, 6, 3, n=2)
conv_case("conv_zero_batch", 3, 4, 6, 6, 3, n=0)
x = r(1, 3, 6, 6); wt = r(4, 3, 3, 3); b = r(4)
case("conv_fused_relu", "conv2d_relu", [x, wt, b], [F.relu(F.conv2d(x, wt, b, 1, 1))], stride=1, padding=1, dilation=1, groups=1)
x = r(2, 3, 10); wt = r(4, 3, 3); b = r(4)
case("conv1d", "conv1d", [x, wt, b], [F.conv1d(x, wt, b, 2, 1)], stride=2, padding=1, dilation=1, groups=1)


def deconv_case(name, cin, cout, h, w, k, stride=1, padding=0, output_padding=0, dilation=1, groups=1, bias=True):
    x = r(1, cin, h, w)
    wt = r(cin, cout // groups, k, k) * 0.3
    b = r(cout) if bias else None
    y = F.conv_transpose2d(x, wt, b, stride, padding, output_padding, groups, dilation)
    case(name, "conv_transpose2d", [x, wt] + ([b] if bias else []), [y], stride=stride, padding=padding,
         output_padding=output_padding, dilation=dilation, groups=groups)


deconv_case("deconv_k2s2", 4, 3, 5, 5, 2, stride=2)
deconv_case("deconv_k3s2p1op1", 3, 5, 4, 6, 3, stride=2, padding=1, output_padding=1, bias=False)
deconv_case("deconv_groups", 4, 6, 5, 5, 3, stride=1, padding=1, groups=2)
deconv_case("deconv_dilation", 2, 3, 4, 4, 3, stride=2, dilation=2)

# Pooling.
x = r(2, 3, 9, 11)
for name, kw in [("maxpool_k3s2p1", dict(kernel_size=3, stride=2, padding=1)),
                 ("maxpool_k2", dict(kernel_size=2)),
                 ("maxpool_ceil", dict(kernel_size=2, stride=2, ceil_mode=True)),
                 ("maxpool_ceil_pad", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
                 ("maxpool_dilation", dict(kernel_size=2, stride=1, dilation=2))]:
    case(name, "max_pool2d", [x], [F.max_pool2d(x, **kw)], **kw)
for name, kw in [("avgpool_k2", dict(kernel_size=2)),
                 ("avgpool_pad_include", dict(kernel_size=3, stride=2, padding=1, count_include_pad=True)),
                 ("avgpool_pad_exclude", dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
                 ("avgpool_ceil_include", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=True)),
                 ("avgpool_ceil_nopad", dict(kernel_size=2, stride=2, ceil_mode=True))]:
    case(name, "avg_pool2d", [x], [F.avg_pool2d(x, **kw)], **kw)
x = r(1, 4, 7, 10)
case("adaptive_avg_3x4", "adaptive_avg_pool2d", [x], [F.adaptive_avg_pool2d(x, (3, 4))], size=[3, 4])
case("adaptive_avg_1", "adaptive_avg_pool2d", [x], [F.adaptive_avg_pool2d(x, 1)], size=[1, 1])
case("adaptive_avg_up", "adaptive_avg_pool2d", [x], [F.adaptive_avg_pool2d(x, (9, 13))], size=[9, 13])

# Interpolation.
x = r(1, 2, 5, 7)
case("nearest_scale2", "interpolate", [x], [F.interpolate(x, scale_factor=2, mode="nearest")], mode="nearest", scale=[2.0, 2.0])
case("nearest_size", "interpolate", [x], [F.interpolate(x, size=(8, 3), mode="nearest")], mode="nearest", size=[8, 3])
case("nearest_scale_1_5", "interpolate", [x], [F.interpolate(x, scale_factor=1.5, mode="nearest")], mode="nearest", scale=[1.5, 1.5])
for ac in [False, True]:
    tag = "ac" if ac else "noac"
    case(f"bilinear_scale2_{tag}", "interpolate", [x], [F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=ac)],
         mode="bilinear", scale=[2.0, 2.0], align_corners=ac)
    case(f"bilinear_size_{tag}", "interpolate", [x], [F.interpolate(x, size=(11, 4), mode="bilinear", align_corners=ac)],
         mode="bilinear", size=[11, 4], align_corners=ac)
    case(f"bilinear_scale_1_7_{tag}", "interpolate", [x], [F.interpolate(x, scale_factor=1.7, mode="bilinear", align_corners=ac)],
         mode="bilinear", scale=[1.7, 1.7], align_corners=ac)
case("bilinear_to_1", "interpolate", [x], [F.interpolate(x, size=(1, 1), mode="bilinear", align_corners=True)],
     mode="bilinear", size=[1, 1], align_corners=True)

# Batch norm, padding.
x = r(2, 3, 4, 5); m, v, w, b = r(3), torch.rand(3) + 0.5, r(3), r(3)
case("batchnorm_eval", "batch_norm", [x, m, v, w, b], [F.batch_norm(x, m, v, w, b, False, 0.1, 1e-5)], eps=1e-5)
rm, rv = m.clone(), v.clone()
y = F.batch_norm(x, rm, rv, w, b, True, 0.1, 1e-5)
case("batchnorm_train", "batch_norm_train", [x, m, v, w, b], [y, rm, rv], eps=1e-5, momentum=0.1)
x = r(1, 2, 3, 4)
case("pad_const", "pad", [x], [F.pad(x, (1, 2, 0, 1), value=0.5)], pad=[1, 2, 0, 1], value=0.5)
case("pad_negative", "pad", [x], [F.pad(x, (-1, 1))], pad=[-1, 1], value=0.0)

with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1, sort_keys=True)
total = sum(os.path.getsize(os.path.join(OUT, p)) for p in os.listdir(OUT))
print(f"{len(cases)} cases, {total / 1e6:.2f} MB in {OUT}")
