#!/usr/bin/env bash
# SIGKILL at random points while mlus writes .pth and .cambricon files: the target is absent, old or complete
# (scripts/tests/kill_write.py says how).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 scripts/tests/kill_write.py
