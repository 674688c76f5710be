"""Interop (c): PyTorch writes >= 200 randomised checkpoints; mlus must load each with identical values.

Writes OUT/<case>.pt (both formats) and OUT/*.npy, plus OUT/expected.json mapping each file to
{flattened key: {dtype, shape, stride, offset, hex, group} | {repr}} — the bytes and layout PyTorch itself
reports. Keys are flattened as the Swift test does: dict keys joined by '.', list items as [i].
Usage: $(scripts/torch-venv) scripts/interop/gen_torch_cases.py OUT [--cases N]
"""
import collections, json, os, random, sys
import numpy as np
import torch

DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32,
          torch.int16, torch.int8, torch.uint8, torch.bool]


def dtype_name(d):
    return str(d).replace("torch.", "")


def random_tensor(rng, dtype, shape):
    g = torch.Generator().manual_seed(rng.randrange(1 << 30))
    if dtype.is_floating_point:
        return (torch.randn(shape, generator=g) * 10).to(dtype)
    if dtype == torch.bool:
        return torch.randint(0, 2, shape, generator=g).bool()
    info = torch.iinfo(dtype)
    lo, hi = max(info.min, -(1 << 40)), min(info.max, 1 << 40)
    return torch.randint(lo, hi, shape, generator=g, dtype=torch.int64).to(dtype)


def random_shape(rng):
    rank = rng.randrange(0, 5)
    shape = [rng.randrange(1, 5) for _ in range(rank)]
    if rank and rng.random() < 0.15:
        shape[rng.randrange(rank)] = 0
    return shape


def random_view(rng, base):
    """A non-contiguous or offset view of `base` (shares its storage)."""
    if base.dim() >= 2 and rng.random() < 0.5:
        return base.transpose(0, base.dim() - 1)
    if base.dim() >= 1 and base.shape[0] > 1:
        if rng.random() < 0.5:
            return base[1:]
        return base[::2]
    return base.reshape(-1)[0:] if base.numel() else base


def make_state_dict(rng, prefix_count):
    sd = collections.OrderedDict()
    bases = []
    for i in range(rng.randrange(1, 7)):
        dtype = rng.choice(DTYPES)
        if bases and rng.random() < 0.35:
            t = random_view(rng, rng.choice(bases))
        else:
            t = random_tensor(rng, dtype, random_shape(rng))
            if t.dim() >= 2 and rng.random() < 0.3:
                t = t.t() if t.dim() == 2 else t.permute(*reversed(range(t.dim())))
            bases.append(t)
        sd[f"layer{prefix_count}_{i}.{dtype_name(t.dtype)}"] = t
    return sd


def make_case(rng, index):
    kind = rng.choice(["state_dict", "checkpoint", "nested", "dataparallel"])
    sd = make_state_dict(rng, index)
    if kind == "state_dict":
        return sd
    if kind == "dataparallel":
        return collections.OrderedDict((f"module.{k}", v) for k, v in sd.items())
    if kind == "checkpoint":
        some = next(iter(sd.values()))
        return {"epoch": rng.randrange(0, 100), "best_acc": round(rng.random(), 4), "arch": f"net{index}",
                "state_dict": sd, "flag": rng.random() < 0.5, "nothing": None, "big": 1 << rng.randrange(31, 62),
                "optimizer": {"state": {0: {"momentum_buffer": some.clone()}},
                              "param_groups": [{"lr": 0.1, "momentum": 0.9, "params": [0]}]}}
    return {"outer": {"inner": sd, "count": len(sd)}, "list": [t for t in list(sd.values())[:2]]}


def flatten(v, prefix, out):
    if isinstance(v, dict):
        for k, x in v.items():
            k = str(k)
            flatten(x, k if not prefix else prefix + "." + k, out)
    elif isinstance(v, (list, tuple)):
        for i, x in enumerate(v):
            flatten(x, f"{prefix}[{i}]", out)
    else:
        out[prefix] = v


def tensor_bytes_hex(t):
    c = torch.empty(t.shape, dtype=t.dtype).copy_(t.detach()).reshape(-1)
    return c.view(torch.uint8).numpy().tobytes().hex() if c.numel() else ""


def describe(v, groups):
    if isinstance(v, torch.Tensor):
        d = {"dtype": dtype_name(v.dtype), "shape": list(v.shape), "stride": list(v.stride()),
             "offset": v.storage_offset(), "hex": tensor_bytes_hex(v)}
        if v.untyped_storage().nbytes() > 0:  # empty storages all have data_ptr 0: no sharing to check
            d["group"] = groups.setdefault(v.untyped_storage().data_ptr(), len(groups))
        return d
    return {"repr": repr(v)}


def main():
    out = sys.argv[1]
    cases = int(sys.argv[sys.argv.index("--cases") + 1]) if "--cases" in sys.argv else 110
    os.makedirs(out, exist_ok=True)
    rng = random.Random(1234)
    expected = {}
    for i in range(cases):
        obj = make_case(rng, i)
        for fmt in ("zip", "legacy"):
            name = f"case{i:03d}_{fmt}.pt"
            torch.save(obj, os.path.join(out, name), _use_new_zipfile_serialization=(fmt == "zip"))
            # What torch itself reads back is the reference (views, sharing, offsets as torch restores them).
            back = torch.load(os.path.join(out, name), weights_only=True)
            flat, groups = {}, {}
            flatten(back, "", flat)
            expected[name] = {k: describe(v, groups) for k, v in flat.items()}
    # .npy written by NumPy: dtypes, C/Fortran order, big endian, 0-d.
    nrng = np.random.default_rng(7)
    arrays = {
        "npy_f32_c.npy": nrng.standard_normal((3, 4)).astype("<f4"),
        "npy_f64_fortran.npy": np.asfortranarray(nrng.standard_normal((2, 3, 4))),
        "npy_i64_big.npy": np.arange(-5, 7, dtype=">i8").reshape(3, 4),
        "npy_f16.npy": nrng.standard_normal(5).astype("<f2"),
        "npy_u8.npy": np.arange(256, dtype=np.uint8).reshape(16, 16),
        "npy_bool.npy": np.array([True, False, True]),
        "npy_i16_scalar.npy": np.array(-7, dtype="<i2"),
        "npy_i32_empty.npy": np.zeros((0, 3), dtype="<i4"),
        "npy_i8_big_f.npy": np.asfortranarray(np.arange(-6, 6, dtype="i1").reshape(3, 4)),
    }
    for name, a in arrays.items():
        np.save(os.path.join(out, name), a)
        le = np.ascontiguousarray(a.astype(a.dtype.newbyteorder("<")))
        t = torch.from_numpy(le.copy()) if le.dtype != np.bool_ else torch.from_numpy(le.copy())
        expected[name] = {"": {"dtype": dtype_name(t.dtype), "shape": list(a.shape), "hex": le.tobytes().hex()}}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f)
    print(f"gen_torch_cases: {len(expected)} files in {out}")


if __name__ == "__main__":
    main()
