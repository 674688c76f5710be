#!/usr/bin/env bash
# 2,000 lines of valid, invalid and interrupted input through a pseudo-terminal (scripts/tests/repl_soak.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c "import pexpect" 2>/dev/null || { echo "repl_soak.sh: python3 needs pexpect" >&2; exit 1; }
exec python3 scripts/tests/repl_soak.py
