#!/usr/bin/env bash
# 2,000 lines of valid, invalid and interrupted input through a pseudo-terminal (scripts/soak/repl_soak.py).
# Not run by scripts/test yet: it reproduces a lost-Ctrl-C race in the REPL (docs/security.md, "Known gaps").
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c "import pexpect" 2>/dev/null || { echo "repl_soak.sh: python3 needs pexpect" >&2; exit 1; }
exec python3 scripts/soak/repl_soak.py
