#!/usr/bin/env bash
# Interop of the Checkpoint module with live PyTorch (issue 3): torch reads what mlus writes (state dicts
# in both formats bit for bit with weights_only=True, whole models with forward outputs, .npy via numpy),
# and mlus reads >= 200 randomised checkpoints torch writes. Drives the Swift side through
# `swift test --filter CheckpointTests.InteropTests` with MLUS_INTEROP_DIR set.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"
PY="$(scripts/torch-venv)"
DIR="$(mktemp -d "${TMPDIR:-/tmp}/mlus-interop-ckpt.XXXXXX")"
trap 'rm -rf "$DIR"' EXIT
echo "interop_checkpoint: torch writes randomised cases"
"$PY" scripts/interop/gen_torch_cases.py "$DIR/from_torch" --cases 110
echo "interop_checkpoint: mlus writes and reads (swift test)"
MLUS_INTEROP_DIR="$DIR" swift test --filter 'CheckpointTests.InteropTests' 2>&1 | tee "$DIR/swift-test.log" | grep -E "error|Executed|skipped" || true
if grep -qE "error:|failed|skipped" "$DIR/swift-test.log" || ! grep -q "Executed 2 tests, with 0 failures" "$DIR/swift-test.log"; then
    echo "interop_checkpoint: Swift side failed"; exit 1
fi
echo "interop_checkpoint: torch reads what mlus wrote"
"$PY" scripts/interop/check_mlus_files.py "$DIR/from_mlus"
echo "interop_checkpoint: OK"
