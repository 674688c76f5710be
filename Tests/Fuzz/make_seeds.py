#!/usr/bin/env python3
"""Builds the committed seed corpora in Tests/Fuzz/Corpus/<Target>/ from the fixtures (run with the torch venv's
python, which has numpy and PIL: `$(scripts/torch-venv) Tests/Fuzz/make_seeds.py`). Small files only: the whole
corpus stays well under a few MB. The .cambricon/.twins seeds come from the built mlus (see tiny_offline.mlus)."""
import glob, io, os, pickle, pickletools, shutil, subprocess, sys, tempfile, zipfile, collections
import numpy as np
from PIL import Image

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
corpus = os.path.join(root, "Tests", "Fuzz", "Corpus")
fix = os.path.join(root, "Tests", "Fixtures")

def out(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def read(path):
    with open(path, "rb") as f:
        return f.read()

shutil.rmtree(corpus, ignore_errors=True)

# Containers: every small checkpoint fixture, sorted into zip and legacy by magic.
for p in sorted(glob.glob(os.path.join(fix, "checkpoints", "*.pt"))):
    data = read(p)
    target = "Zip" if data[:4] == b"PK\x03\x04" else "Legacy"
    out(target, os.path.basename(p), data)
    if target == "Zip":
        with zipfile.ZipFile(p) as z:
            for n in z.namelist():
                if n.endswith("data.pkl"):
                    out("Pickle", os.path.basename(p) + ".data.pkl", z.read(n))
    else:
        # The legacy file is five pickles back to back, then raw storages; the fourth is the object.
        pos = 0
        for i in range(5):
            start = pos
            for op, arg, at in pickletools.genops(data[start:]):
                if op.name == "STOP":
                    pos = start + at + 1
                    break
            out("Pickle", f"{os.path.basename(p)}.{i}.pkl", data[start:pos])

# Plain pickles CPython writes, every protocol (the reader accepts 0-5).
od = collections.OrderedDict([("weight", [1.0, 2.5]), ("bias", (3, -4, 2**70)), ("name", "conv"), ("flag", True), ("raw", b"\x00\x01")])
for proto in range(0, 6):
    out("Pickle", f"cpython_p{proto}.pkl", pickle.dumps(od, protocol=proto))
    out("Pickle", f"cpython_nested_p{proto}.pkl", pickle.dumps({"a": [[1, 2], {"b": None}], "c": {1.5, 2.5}, "d": frozenset()}, protocol=proto))

# .npy: a spread of dtypes, ranks, orders and versions.
arrays = {
    "f4_2x3": np.arange(6, dtype="<f4").reshape(2, 3), "f8_big": np.arange(4, dtype=">f8"),
    "f2": np.ones(3, dtype="<f2"), "i8_fortran": np.asfortranarray(np.arange(6, dtype="<i8").reshape(2, 3)),
    "i4": np.array([-1, 2], dtype="<i4"), "i2": np.array([7], dtype="<i2"), "i1": np.array([-3, 3], dtype="i1"),
    "u1_3d": np.arange(8, dtype="u1").reshape(2, 2, 2), "b1": np.array([True, False]), "scalar": np.array(3.5, dtype="<f4"),
    "empty": np.zeros((0, 4), dtype="<f4"),
}
for name, a in arrays.items():
    b = io.BytesIO(); np.save(b, a); out("Npy", name + ".npy", b.getvalue())
for version in ((2, 0), (3, 0)):
    b = io.BytesIO(); np.lib.format.write_array(b, arrays["f4_2x3"], version=version); out("Npy", f"f4_v{version[0]}.npy", b.getvalue())
for p in sorted(glob.glob(os.path.join(fix, "ops", "*.npy")))[:12]:
    if os.path.getsize(p) < 2048:
        out("Npy", os.path.basename(p), read(p))

# Images: small, every PNG colour type/bit depth/interlace, baseline and progressive JPEG, gray and colour.
rng = np.random.default_rng(0)
rgb = Image.fromarray(rng.integers(0, 256, (13, 17, 3), dtype=np.uint8))
def png(name, im, **kw):
    b = io.BytesIO(); im.save(b, "PNG", **kw); out("PNG", name, b.getvalue())
png("rgb.png", rgb)
png("gray.png", rgb.convert("L"))
png("rgba.png", rgb.convert("RGBA"))
png("la.png", rgb.convert("LA"))
png("palette.png", rgb.convert("P"))
png("bilevel.png", rgb.convert("1"))
png("gray16.png", Image.fromarray((np.arange(64, dtype=np.uint16).reshape(8, 8) * 1000)))
for p in sorted(glob.glob(os.path.join(fix, "carseg", "images", "*_mask.png")))[:3]:
    out("PNG", os.path.basename(p), read(p))
def jpeg(name, im, **kw):
    b = io.BytesIO(); im.save(b, "JPEG", **kw); out("JPEG", name, b.getvalue())
jpeg("rgb.jpg", rgb, quality=80)
jpeg("rgb_progressive.jpg", rgb, quality=60, progressive=True)
jpeg("gray.jpg", rgb.convert("L"))
jpeg("rgb_444.jpg", rgb, subsampling=0)
jpeg("cmyk.jpg", rgb.convert("CMYK"))
jpeg("street_small.jpg", Image.open(os.path.join(fix, "carseg", "images", "street_00.jpg")).resize((32, 24)), quality=50)

# Offline models: a tiny network written by mlus itself, and the fixture twins.
mlus = os.path.join(root, ".build", "debug", "mlus")
with tempfile.TemporaryDirectory() as tmp:
    env = dict(os.environ, MLUS_STDLIB=os.path.join(root, "stdlib"))
    subprocess.run([mlus, os.path.join(root, "Tests", "Fuzz", "tiny_offline.mlus"), tmp], check=True, env=env)
    for name in sorted(os.listdir(tmp)):
        data = read(os.path.join(tmp, name))
        out("Twins" if name.endswith("_twins") else "Cambricon", name, data)
out("Twins", "yolov5s.cambricon_twins", read(os.path.join(fix, "twins", "yolov5s.cambricon_twins")))

# Language: scripts/fuzz reads Tests/Conformance/cases, stdlib and Tests/Scripts in place as extra seeds;
# only the corpus files written above belong to Tests/Fuzz/Corpus/Script.

total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs)
print(f"corpus: {total} bytes")
