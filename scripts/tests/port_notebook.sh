#!/usr/bin/env bash
# The README's main job in debug: examples/carseg/port.mlus as a notebook (what scripts/run does with the
# release build). Checks the .ipynb (nbformat 4 structure, no error outputs, PNG images that decode), the
# Markdown summary's image links, and that every artefact of the port is in the output folder.
set -uo pipefail
cd "$(dirname "$0")/../.."
MLUS="$PWD/.build/debug/mlus"
[ -x "$MLUS" ] || { echo "port_notebook: $MLUS not found (run swift build first)" >&2; exit 1; }
export MLUS_STDLIB="$PWD/stdlib"
out="$(mktemp -d /tmp/port_notebook.XXXXXX)"
CARSEG_OUT="$out" "$MLUS" notebook examples/carseg/port.mlus --to "$out/report.ipynb" -q || { echo "FAIL notebook run"; exit 1; }
exec python3 - "$out" <<'PY'
import base64, json, os, re, sys
out = sys.argv[1]
failures = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
nb = json.load(open(os.path.join(out, "report.ipynb")))
check(nb.get("nbformat") == 4 and isinstance(nb.get("cells"), list), "report.ipynb is nbformat 4")
# The nbformat package (PyPI, in the interop venv) validates the file against the nbformat 4 JSON schema.
import subprocess
venv_python = subprocess.run([os.path.join(os.getcwd(), "scripts/torch-venv")], capture_output=True, text=True).stdout.strip()
v = subprocess.run([venv_python, "-c", "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print('valid', nb.nbformat, nb.nbformat_minor)",
                    os.path.join(out, "report.ipynb")], capture_output=True, text=True)
check(v.returncode == 0 and v.stdout.startswith("valid 4"), "report.ipynb validates against the nbformat 4 schema (nbformat.validate)" + ("" if v.returncode == 0 else ": " + v.stderr.strip()[-300:]))
code = [c for c in nb["cells"] if c.get("cell_type") == "code"]
errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
check(len(code) >= 7 and not errors, f"{len(code)} code cells, no error output")
pngs = [o["data"]["image/png"] for c in code for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
check(len(pngs) >= 2 and all(base64.b64decode("".join(p) if isinstance(p, list) else p)[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs),
      f"{len(pngs)} PNG images in the notebook")
md = open(os.path.join(out, "summary.md")).read()
links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
check(links and all(os.path.exists(os.path.join(out, l)) for l in links), f"summary.md image links resolve ({len(links)})")
for f in ["carsegnet_legacy.pth", "carsegnet_int8.pth", "carsegnet_int16.pth", "carsegnet_fp32.cambricon",
          "carsegnet_fp32.cambricon_twins", "carsegnet_fp16.cambricon", "carsegnet_fp16.cambricon_twins", "summary.json"] + \
         [f"carsegnet_{d}_{m}.cambricon{t}" for d in ("int8", "int16") for m in ("fp32", "fp16") for t in ("", "_twins")]:
    check(os.path.exists(os.path.join(out, f)), f + " written")
s = json.load(open(os.path.join(out, "summary.json")))
v = s["variants"]
check(s["eval_images"] == 8 and abs(v["int16-fp32"]["iou_vs_gt"] - v["fp32"]["iou_vs_gt"]) <= 0.002
      and abs(v["int8-fp32"]["iou_vs_gt"] - v["fp32"]["iou_vs_gt"]) <= 0.01, "eight images: INT16 within 0.002, INT8 within 0.01 of FP32")
print(f"port_notebook: {'FAILED ' + str(len(failures)) if failures else 'all passed'}")
sys.exit(1 if failures else 0)
PY
