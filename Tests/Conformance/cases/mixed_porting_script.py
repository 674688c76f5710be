import os
import json
import math
CLASSES = ["background", "car", "road"]
def parse_args(argv):
    opts = {"batch": 1, "device": "mlu", "quantize": False}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--batch":
            opts["batch"] = int(argv[i + 1]); i += 2
        elif a == "--quantize":
            opts["quantize"] = True; i += 1
        else:
            raise ValueError(f"unknown option {a!r}")
    return opts
opts = parse_args(["--batch", "4", "--quantize"])
print(opts)
try:
    parse_args(["--bogus"])
except ValueError as e:
    print(f"{type(e).__name__}: {e}")
shapes = {"conv1.weight": (64, 3, 7, 7), "fc.bias": (10,), "bn1.running_mean": (64,)}
total = 0
for name, shape in sorted(shapes.items()):
    n = math.prod(shape)
    total += n
    print(f"{name:<20} {str(shape):<16} {n:>8,}")
print(f"{'total':<20} {'':<16} {total:>8,}")
report = {"params": total, "classes": CLASSES, "quantized": opts["quantize"]}
os.makedirs("out", exist_ok=True)
path = os.path.join("out", "report.json")
with open(path, "w") as f:
    json.dump(report, f, indent=2, sort_keys=True)
print(open(path).read())
print(isinstance(shapes, (list, dict)), "".join(map(str, [1, 2, 3])), *CLASSES, sep="|")
