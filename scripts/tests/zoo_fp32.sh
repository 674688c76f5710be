#!/usr/bin/env bash
# The zoo models, defined by their unmodified PyTorch source, run by mlus: outputs within 1e-4 of PyTorch's.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(MLUS_PATH=Tests/Fixtures/zoo .build/debug/mlus Tests/Scripts/zoo_fp32.mlus Tests/Fixtures/zoo)
python3 - "$out" <<'PY'
import json, sys
got = json.loads(sys.argv[1])
bad = [f"{k}: {v}" for k, v in got.items() if not (v["shape_ok"] and v["max_abs_diff"] <= 1e-4)]
if len(got) != 3 or bad:
    print("zoo_fp32: FAIL", bad or got); sys.exit(1)
print("zoo_fp32: ok (" + ", ".join(f"{k} {v['max_abs_diff']:.1e}" for k, v in got.items()) + ")")
PY
