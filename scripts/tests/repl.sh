#!/usr/bin/env bash
# REPL and notebook tests against the real binary: a pseudo-terminal session (pexpect), piped input,
# and `mlus notebook` reports. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .build/debug/mlus ]; then
    echo "repl.sh: .build/debug/mlus is missing; run swift build first" >&2
    exit 1
fi
python3 -c "import pexpect" 2>/dev/null || { echo "repl.sh: python3 needs pexpect (apt-get install python3-pexpect)" >&2; exit 1; }
cd scripts/tests
for test in repl_pty.py repl_piped.py repl_notebook.py; do
    echo "-- $test"
    python3 "$test"
done
