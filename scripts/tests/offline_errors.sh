#!/usr/bin/env bash
# torch.jit.trace / ct / cnrt from a script: tuple outputs, two-input models, and every user error raised
# as a Python exception with a message that names what was expected (docs/runtime.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
mlus=.build/debug/mlus
work=$(mktemp -d "${TMPDIR:-/tmp}/mlus-offline-errors.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat > "$work/errors.mlus" <<'MLUS'
import os
import sys
import torch
import torch.nn as nn
import cnrt
import torch_mlu.core.mlu_model as ct

out = sys.argv[1]
checks = []

def expect(kind, fragment, fn):
    try:
        fn()
    except kind as e:
        ok = fragment in str(e)
        checks.append((ok, f"{kind.__name__}: {e}"))
        return
    checks.append((False, f"no {kind.__name__} for '{fragment}'"))

class Two(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.relu = nn.ReLU()
    def forward(self, a, b):
        y = self.relu(self.conv(a))
        return y + b, torch.sigmoid(y)

torch.manual_seed(0)
net = Two()
net.eval()
a = torch.randn(1, 3, 8, 8)
b = torch.randn(1, 4, 8, 8)

# settings
ct.set_core_number(16)
expect(ValueError, "valid values: 1, 4", lambda: ct.set_core_version("MLU220"))
ct.set_core_number(4)
ct.set_core_version("mlu220")
expect(ValueError, "valid values: 1, 4", lambda: ct.set_core_number(16))
expect(ValueError, "unknown core version 'MLU370'", lambda: ct.set_core_version("MLU370"))
expect(ValueError, "0 (rgba), 1 (argb), 2 (bgra) or 3 (abgr)", lambda: ct.set_input_format(4))
expect(ValueError, "-1 selects the fake device", lambda: ct.set_device(3))
expect(ValueError, "not a directory", lambda: ct.save_as_cambricon(out))
ct.set_device(-1)
checks.append((ct.get_core_number() == 4 and ct.get_core_version() == "MLU220", "settings kept after refused calls"))

# trace errors
expect(TypeError, "example_inputs must be a Tensor", lambda: torch.jit.trace(net, "x"))

# a two-input, two-output model generates and round-trips through cnrt
name = os.path.join(out, "two")
ct.save_as_cambricon(name)
traced = torch.jit.trace(net, (a, b), check_trace=True)
y1, y2 = traced(a, b)
ct.save_as_cambricon("")
e1, e2 = net(a, b)
checks.append(((y1 - e1).abs().max().item() < 1e-5 and (y2 - e2).abs().max().item() < 1e-5, "traced tuple outputs match eager"))
checks.append((traced.last_generated == (name + ".cambricon", name + ".cambricon_twins"), f"last_generated {traced.last_generated}"))
m = cnrt.load_model(name + ".cambricon")
f = m.extract_function("subnet0")
checks.append((f.input_shapes() == [(1, 8, 8, 3), (1, 8, 8, 4)], f"input shapes {f.input_shapes()}"))
checks.append((f.output_shapes() == [(1, 8, 8, 4), (1, 8, 8, 4)], f"output shapes {f.output_shapes()}"))
checks.append((m.model_parallelism() == 4 and m.core_version == "MLU220", "target"))
checks.append(("Model Parallelism: 4" in m.twins(), "twins text"))
o1, o2 = f.invoke([cnrt.nchw_to_nhwc(a), cnrt.nchw_to_nhwc(b)])
checks.append(((cnrt.nhwc_to_nchw(o1) - e1).abs().max().item() < 1e-5, "cnrt output 0"))
checks.append(((cnrt.nhwc_to_nchw(o2) - e2).abs().max().item() < 1e-5, "cnrt output 1"))

# cnrt errors
expect(RuntimeError, "expected NHWC [1, 8, 8, 3]", lambda: f.invoke([a, cnrt.nchw_to_nhwc(b)]))
expect(RuntimeError, "takes 2 input(s), got 1", lambda: f.invoke([cnrt.nchw_to_nhwc(a)]))
expect(RuntimeError, "CNRTError.unknownFunction", lambda: m.extract_function("subnet1"))
bad = os.path.join(out, "bad.cambricon")
with open(bad, "w") as fh:
    fh.write("this is not a model, just text long enough to hold a header........................\n")
expect(RuntimeError, "OfflineFormatError.badMagic", lambda: cnrt.load_model(bad))
expect(RuntimeError, "OfflineFormatError.io", lambda: cnrt.load_model(os.path.join(out, "missing.cambricon")))
expect(RuntimeError, "needs a 4-D tensor", lambda: cnrt.nhwc_to_nchw(torch.zeros(2, 2)))

for ok, what in checks:
    print(("ok   " if ok else "FAIL ") + what)
MLUS

result=$(MLUS_STDLIB="$PWD/stdlib" "$mlus" "$work/errors.mlus" "$work") || { echo "$result"; echo "offline_errors: FAIL: script failed"; exit 1; }
if echo "$result" | grep -q '^FAIL'; then
    echo "$result" | grep '^FAIL'
    echo "offline_errors: FAIL"
    exit 1
fi
n=$(echo "$result" | grep -c '^ok')
[ "$n" -ge 21 ] || { echo "$result"; echo "offline_errors: FAIL: only $n checks ran"; exit 1; }
echo "offline_errors: ok ($n checks)"
