#!/usr/bin/env bash
# docs/workflow.md runs as written: its ```python blocks, in order, as one mlus script from the repository root.
# Checks the printed figures against PyTorch's (fixture figures.json: street_00 FP32 IoU) and the quantization
# bounds, and that the summary of port() names a recommendation.
set -uo pipefail
cd "$(dirname "$0")/../.."
MLUS="$PWD/.build/debug/mlus"
[ -x "$MLUS" ] || { echo "port_tutorial: $MLUS not found (run swift build first)" >&2; exit 1; }
export MLUS_STDLIB="$PWD/stdlib"
exec python3 - "$MLUS" "$PWD" <<'PY'
import json, os, re, subprocess, sys, tempfile
mlus, root = sys.argv[1], sys.argv[2]
text = open(os.path.join(root, "docs/workflow.md")).read()
blocks = re.findall(r"```python\n(.*?)```", text, re.S)
script = os.path.join(tempfile.mkdtemp(prefix="port_tutorial."), "tutorial.mlus")
open(script, "w").write("\n".join(blocks))
p = subprocess.run([mlus, script], cwd=root, capture_output=True, text=True, timeout=600)
print(p.stdout[-4000:])
failures = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
check(p.returncode == 0, f"{len(blocks)} tutorial blocks ran" + ("" if p.returncode == 0 else ": " + p.stderr[-1500:]))
fig = json.load(open(os.path.join(root, "Tests/Fixtures/carseg/reference/figures.json")))["per_image_iou_fp32"]["street_00"]
m = re.search(r"^FP32 IoU ([0-9.]+)", p.stdout, re.M)
check(m is not None and abs(float(m.group(1)) - fig) < 1e-4, f"FP32 IoU of street_00 = PyTorch's {fig:.6f}")
m8 = re.search(r"^INT8 IoU ([0-9.]+) IoU vs FP32 mask ([0-9.]+)", p.stdout, re.M)
check(m8 is not None and abs(float(m8.group(1)) - fig) < 0.02 and float(m8.group(2)) > 0.98, "INT8 on the MLU close to FP32")
mc = re.search(r"^cnrt vs traced ([0-9.e-]+)", p.stdout, re.M)
check(mc is not None and float(mc.group(1)) < 1e-5, "cnrt output = traced output")
check(re.search(r"^MLU220 [0-9.]+ ms \(ESTIMATE\)", p.stdout, re.M) is not None, "latency estimate printed")
check(os.path.exists(os.path.join(root, "out/tutorial/port/summary.json")), "port() wrote its summary")
print(f"port_tutorial: {'FAILED ' + str(len(failures)) if failures else 'all passed'}")
sys.exit(1 if failures else 0)
PY
