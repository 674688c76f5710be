#!/usr/bin/env bash
# The torch bindings against real PyTorch: each program in Tests/TorchConformance/cases runs under mlus and
# under CPython with torch 2.13 (the interop venv); stdout must match byte for byte, and an uncaught error
# must have the same exception type and line.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=$(scripts/torch-venv)
exec "$python" scripts/tests/compare_programs.py --mlus .build/debug/mlus --python "$python" Tests/TorchConformance/cases
