"""Interop (a) and (b): PyTorch loads what mlus wrote into DIR (by InteropTests.testWriteFilesForTorch).

(a) every state dict (zip and legacy) loads with weights_only=True and every tensor equals, bit for bit,
    the pattern described in spec.json (dtype, shape, stride, offset, sharing);
(b) the whole models load (the class Net is defined here), and their forward output equals a functional
    forward built from the same pattern parameters;
plus the checkpoint dict and the .npy files (numpy.load).
Usage: $(scripts/torch-venv) scripts/interop/check_mlus_files.py DIR
"""
import io, json, os, sys, warnings, zipfile
warnings.filterwarnings("ignore", category=UserWarning)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
          "int64": torch.int64, "int32": torch.int32, "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8,
          "bool": torch.bool}


def pattern(numel, dtype, seed):
    """Byte i = (i*37 + seed) & 0xFF; floats get their top byte & 0x3F; bools (i + seed) % 2."""
    item = torch.empty((), dtype=dtype).element_size()
    n = numel * item
    if dtype == torch.bool:
        raw = bytearray((i + seed) % 2 for i in range(n))
    else:
        raw = bytearray((i * 37 + seed) & 0xFF for i in range(n))
        if dtype.is_floating_point:
            for i in range(item - 1, n, item):
                raw[i] &= 0x3F
    if n == 0:
        return torch.empty(0, dtype=dtype)
    return torch.frombuffer(raw, dtype=torch.uint8).view(dtype).clone()


def raw(t):
    c = torch.empty(t.shape, dtype=t.dtype).copy_(t).reshape(-1)
    return c.view(torch.uint8) if c.numel() else c


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.act = nn.ReLU()
        self.scale = 0.5

    def forward(self, x):
        return self.act(self.bn(self.conv(x))) * self.scale


def main():
    d = sys.argv[1]
    spec = json.load(open(os.path.join(d, "spec.json")))
    failures = []
    checked = 0
    for name, entries in sorted(spec.items()):
        path = os.path.join(d, name)
        if name.endswith("_zip.pt"):
            bad = zipfile.ZipFile(path).testzip()  # verifies every CRC32
            if bad is not None:
                failures.append(f"{name}: CRC mismatch in {bad}")
        with open(path, "rb") as f:
            sd = torch.load(io.BytesIO(f.read()), weights_only=True)
        sd_path = torch.load(path, weights_only=True, mmap=name.endswith("_zip.pt"))
        if [e["key"] for e in entries] != list(sd.keys()) or list(sd_path.keys()) != list(sd.keys()):
            failures.append(f"{name}: keys {list(sd.keys())}")
            continue
        storages = {}
        for e in entries:
            t = sd[e["key"]]
            dtype = DTYPES[e["dtype"]]
            base = pattern(e["numel"], dtype, e["seed"])
            want = torch.as_strided(base, e["shape"], e["stride"], e["offset"])
            ok = (t.dtype == dtype and list(t.shape) == e["shape"] and list(t.stride()) == e["stride"]
                  and t.storage_offset() == e["offset"] and torch.equal(raw(t), raw(want)))
            ptr = t.untyped_storage().data_ptr()
            if storages.setdefault(e["storage"], ptr) != ptr:
                ok = False
            if not ok:
                failures.append(f"{name} {e['key']}: got {t.dtype} {tuple(t.shape)} {t.stride()} +{t.storage_offset()}")
            checked += 1
    print(f"(a) {len(spec)} state dicts, {checked} tensors compared bit for bit")

    # (b) whole models
    x = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(0))
    w = pattern(108, torch.float32, 1).view(4, 3, 3, 3)
    b, g, beta, mean = (pattern(4, torch.float32, s) for s in (2, 3, 4, 5))
    var = torch.tensor([0.5, 1, 2, 4])
    expected = F.relu(F.batch_norm(F.conv2d(x, w, b, padding=1), mean, var, g, beta, False, 0.1, 1e-5)) * 0.5
    for fmt in ("zip", "legacy"):
        model = torch.load(os.path.join(d, f"whole_model_{fmt}.pt"), weights_only=False)
        if not isinstance(model, Net) or model.training:
            failures.append(f"whole_model_{fmt}: loaded {type(model).__name__}, training={model.training}")
            continue
        if int(model.bn.num_batches_tracked) != 3 or not isinstance(model.conv.weight, nn.Parameter):
            failures.append(f"whole_model_{fmt}: buffers/parameters not restored")
        with torch.no_grad():
            y = model(x)
        if not torch.equal(y, expected):
            failures.append(f"whole_model_{fmt}: forward differs by {(y - expected).abs().max().item()}")
        if list(model.state_dict().keys()) != ["conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean",
                                               "bn.running_var", "bn.num_batches_tracked"]:
            failures.append(f"whole_model_{fmt}: state_dict keys {list(model.state_dict().keys())}")
    print("(b) whole models (zip, legacy) loaded and forward outputs compared")

    ck = torch.load(os.path.join(d, "checkpoint_dict_legacy.pt"), weights_only=True)
    if not (ck["epoch"] == 7 and ck["best_acc"] == 0.75 and ck["arch"] == "net" and ck["blob"] == b"\x00\x01a" and ck["empty"] == b""
            and ck["storage"].tolist() == w.reshape(-1).tolist()
            and ck["storage"].data_ptr() == ck["state_dict"]["w"].untyped_storage().data_ptr()
            and torch.equal(ck["state_dict"]["w"], w)):
        failures.append(f"checkpoint_dict_legacy: {ck}")
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    q_ref = torch.load(os.path.join(root, "Tests", "Fixtures", "checkpoints", "quantized_zip.pt"), weights_only=True)
    for fmt in ("zip", "legacy"):
        q = torch.load(os.path.join(d, f"quantized_{fmt}.pt"), weights_only=True)
        for k, ref in q_ref.items():
            got = q[k]
            if not (got.dtype == ref.dtype and got.qscheme() == ref.qscheme() and torch.equal(got.int_repr(), ref.int_repr())
                    and torch.equal(got.dequantize(), ref.dequantize())):
                failures.append(f"quantized_{fmt} {k}: {got}")
    print("quantized tensors (per-tensor, per-channel) re-written by mlus load in torch")
    for name in sorted(os.listdir(d)):
        if not name.endswith(".npy"):
            continue
        a = np.load(os.path.join(d, name))
        dtype = DTYPES[name[len("npy_"):-len(".npy")]]
        want = torch.as_strided(pattern(6, dtype, 7), [3, 2], [1, 3], 0)
        if not (list(a.shape) == [3, 2] and a.flags["C_CONTIGUOUS"]
                and np.ascontiguousarray(a).tobytes() == raw(want).numpy().tobytes()):
            failures.append(f"{name}: {a!r}")
    print("npy files loaded by numpy")
    if failures:
        print(f"{len(failures)} FAILURES:")
        for f in failures[:50]:
            print("  " + f)
        sys.exit(1)
    print("check_mlus_files: all OK")


if __name__ == "__main__":
    main()
