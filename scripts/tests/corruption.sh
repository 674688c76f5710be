#!/usr/bin/env bash
# Damaged files of every format through the mlus binary: an error and exit 1, never a signal, hang or 2 GB
# (scripts/tests/corruption.py says how).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 scripts/tests/corruption.py
